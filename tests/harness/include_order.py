#!/usr/bin/env python3
"""Includes in harness/ go down the stack only.

harness/layers.txt lists the folders of harness/, lowest first, each with
the folders its files may include besides its own; every folder it names
must be listed before it, so the order has no cycle.  This reads every
#include "..." of every .c and .h file under harness/ and fails (status 1,
one line a fault, FILE:LINE first) on:
  - a file in a folder layers.txt does not list;
  - an include of a harness header by a bare name instead of its path from
    harness/ ("program/program.h"), which hides where it comes from;
  - an include of a header in a folder that is not the file's own nor in
    its folder's allowed set (an include running back up, or sideways);
  - a source file above MAX_LINES lines, or a folder holding more than
    MAX_FILES files (its README included), so that each file keeps one job
    and each folder stays readable at a glance.
Headers from outside harness/ (the oracles, hyp/) are left to the build's
include paths.

usage: include_order.py HARNESS_DIR
       include_order.py --planted HARNESS_DIR   (the check itself, on a
           copy with one fault of each kind planted: each must be caught)
"""
import os
import re
import shutil
import sys
import tempfile

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')
MAX_LINES = 400
MAX_FILES = 12


def read_layers(root):
    """{folder: allowed folders} and faults in layers.txt itself."""
    path = os.path.join(root, "layers.txt")
    where = "harness/layers.txt"
    layers, faults = {}, []
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            folder, sep, rest = line.partition(":")
            folder = folder.strip()
            if not sep or not folder:
                faults.append(f"{where}:{n}: want 'FOLDER: ALLOWED...'")
                continue
            allowed = rest.split()
            for a in allowed:
                if a not in layers:
                    faults.append(f"{where}:{n}: {folder} may include {a}, which is not listed before it")
            if folder in layers:
                faults.append(f"{where}:{n}: {folder} listed twice")
            layers[folder] = set(allowed)
    return layers, faults


def sources(root):
    for d, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            if name.endswith((".c", ".h")):
                yield os.path.relpath(os.path.join(d, name), root)


def check_file(root, rel, layers, headers):
    folder = os.path.dirname(rel)
    if folder not in layers:
        return [f"harness/{rel}:1: folder '{folder or '.'}' is not in harness/layers.txt"]
    faults = []
    with open(os.path.join(root, rel), errors="replace") as f:
        lines = f.readlines()
    if len(lines) > MAX_LINES:
        faults.append(f"harness/{rel}:{MAX_LINES + 1}: {len(lines)} lines, above {MAX_LINES}: split it by job")
    for n, line in enumerate(lines, 1):
        m = INCLUDE.match(line)
        if not m:
            continue
        name = m.group(1)
        where = f"harness/{rel}:{n}"
        beside = os.path.normpath(os.path.join(folder, name))
        if name not in headers and beside in headers:
            faults.append(f"{where}: include \"{name}\" by its path from harness/: \"{beside}\"")
            continue
        if name not in headers:
            continue  # outside harness/
        to = os.path.dirname(name)
        if to != folder and to not in layers[folder]:
            faults.append(f"{where}: {folder} may not include {name} "
                          f"({to} is not among the folders harness/layers.txt lets {folder} include)")
    return faults


def crowded(root):
    """Folders with more than MAX_FILES files."""
    faults = []
    for d, dirs, files in os.walk(root):
        dirs.sort()
        if len(files) > MAX_FILES:
            rel = os.path.relpath(d, root)
            faults.append(f"harness/{'' if rel == '.' else rel + '/'}: {len(files)} files, above {MAX_FILES}: "
                          "give a job its own folder")
    return faults


def check(root):
    layers, faults = read_layers(root)
    faults += crowded(root)
    files = list(sources(root))
    headers = {f for f in files if f.endswith(".h")}
    for rel in files:
        faults += check_file(root, rel, layers, headers)
    return faults


def plant(root, rel, line):
    with open(os.path.join(root, rel), "a") as f:
        f.write(line + "\n")


def allow(root, folder, more):
    """Let folder include more as well, in layers.txt."""
    path = os.path.join(root, "layers.txt")
    with open(path) as f:
        lines = f.read().split("\n")
    i = next(i for i, l in enumerate(lines) if l.split(":")[0].strip() == folder)
    lines[i] += " " + more
    with open(path, "w") as f:
        f.write("\n".join(lines))


def planted(root):
    """Each planted fault must be the one fault the check finds."""
    layers, _ = read_layers(root)
    order = list(layers)
    top, bottom = order[-1], order[0]
    top_header = next(h for h in sorted(sources(root)) if h.endswith(".h") and os.path.dirname(h) == top)
    bottom_file = next(s for s in sorted(sources(root)) if os.path.dirname(s) == bottom)
    bottom_header = next(h for h in sorted(sources(root)) if h.endswith(".h") and os.path.dirname(h) == bottom)
    # A folder and a header below it that its allowed set leaves out.
    side, below = next((f, h) for i, f in enumerate(order) for h in sorted(sources(root))
                       if h.endswith(".h") and os.path.dirname(h) in order[:i]
                       and os.path.dirname(h) not in layers[f])
    side_file = next(s for s in sorted(sources(root)) if os.path.dirname(s) == side)
    cases = [
        ("below but not allowed", lambda t: plant(t, side_file, f'#include "{below}"'), "may not include"),
        ("back up", lambda t: plant(t, bottom_file, f'#include "{top_header}"'), "may not include"),
        ("bare name", lambda t: plant(t, bottom_file, f'#include "{os.path.basename(bottom_header)}"'),
         "by its path from harness/"),
        ("unlisted folder", lambda t: (os.makedirs(os.path.join(t, "stray")),
                                       plant(t, "stray/stray.c", "int stray;")), "is not in harness/layers.txt"),
        ("cycle in the order", lambda t: allow(t, bottom, top), "not listed before it"),
        ("a file too long", lambda t: plant(t, bottom_file, "\n" * MAX_LINES), "lines, above"),
        ("a folder too full", lambda t: [plant(t, f"{bottom}/filler{i}.c", "int filler;")
                                         for i in range(MAX_FILES + 1)], "files, above"),
    ]
    bad = 0
    for what, do, expect in cases:
        with tempfile.TemporaryDirectory() as tmp:
            copy = os.path.join(tmp, "harness")
            shutil.copytree(root, copy, ignore=shutil.ignore_patterns("*.md", "*.txt.in"))
            do(copy)
            faults = check(copy)
            ok = len(faults) == 1 and expect in faults[0]
            print(f"{'ok' if ok else 'MISSED'}: {what}: {faults}")
            bad += not ok
    if check(root):
        print("the tree itself is not clean")
        bad += 1
    return 1 if bad else 0


def main(argv):
    if len(argv) == 3 and argv[1] == "--planted":
        return planted(argv[2])
    if len(argv) != 2:
        print(__doc__.strip().split("\n\n")[-1], file=sys.stderr)
        return 2
    faults = check(argv[1])
    for f in faults:
        print(f)
    if not faults:
        print("harness includes go down the stack")
    return 1 if faults else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
