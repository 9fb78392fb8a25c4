#!/usr/bin/env python3
"""Includes in a layered tree (harness/, oracles/) go down the stack only.

ROOT/layers.txt lists the folders of ROOT, lowest first ("." for ROOT
itself), each with the folders its files may include besides its own;
every folder it names must be listed before it, so the order has no
cycle.  This reads every #include "..." of every .c and .h file under ROOT
and fails (status 1, one line a fault, FILE:LINE first) on:
  - a file in a folder layers.txt does not list;
  - an include of a header of ROOT by a bare name instead of its path from
    ROOT ("program/program.h"), which hides where it comes from;
  - an include of a header in a folder that is not the file's own nor in
    its folder's allowed set (an include running back up, or sideways);
  - a source file above MAX_LINES lines, so that each file keeps one job.
(How many files a folder holds is tests/layout/folder_sizes.py's check,
for the whole source tree.)
Headers from outside ROOT (for harness/ the oracles and hyp/, for oracles/
hyp/) are left to the build's include paths.

usage: include_order.py ROOT
       include_order.py --planted ROOT   (the check itself, on a copy with
           one fault of each kind planted: each must be caught)
"""
import os
import re
import shutil
import sys
import tempfile

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')
MAX_LINES = 400


def tree(root):
    """The tree's name in messages: its folder's ("harness", "oracles")."""
    return os.path.basename(os.path.normpath(root))


def folder_of(rel):
    """The folder of a path inside the tree, "." for the tree itself."""
    return os.path.dirname(rel) or "."


def read_layers(root):
    """{folder: allowed folders} and faults in layers.txt itself."""
    path = os.path.join(root, "layers.txt")
    where = f"{tree(root)}/layers.txt"
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
    name_of_tree = tree(root)
    folder = folder_of(rel)
    if folder not in layers:
        return [f"{name_of_tree}/{rel}:1: folder '{folder}' is not in {name_of_tree}/layers.txt"]
    faults = []
    with open(os.path.join(root, rel), errors="replace") as f:
        lines = f.readlines()
    if len(lines) > MAX_LINES:
        faults.append(f"{name_of_tree}/{rel}:{MAX_LINES + 1}: {len(lines)} lines, above {MAX_LINES}: split it by job")
    for n, line in enumerate(lines, 1):
        m = INCLUDE.match(line)
        if not m:
            continue
        name = m.group(1)
        where = f"{name_of_tree}/{rel}:{n}"
        beside = os.path.normpath(os.path.join(os.path.dirname(rel), name))
        if name not in headers and beside in headers:
            faults.append(f"{where}: include \"{name}\" by its path from {name_of_tree}/: \"{beside}\"")
            continue
        if name not in headers:
            continue  # outside the tree
        to = folder_of(name)
        if to != folder and to not in layers[folder]:
            faults.append(f"{where}: {folder} may not include {name} "
                          f"({to} is not among the folders {name_of_tree}/layers.txt lets {folder} include)")
    return faults


def check(root):
    layers, faults = read_layers(root)
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
    name = tree(root)
    files = sorted(sources(root))
    top, bottom = order[-1], order[0]
    top_header = next(h for h in files if h.endswith(".h") and folder_of(h) == top)
    bottom_file = next(s for s in files if folder_of(s) == bottom)
    # The lowest folder below the tree's own, where a bare name is not a path.
    deep = next(f for f in order if f != "." and any(h.endswith(".h") and folder_of(h) == f for h in files))
    deep_file = next(s for s in files if folder_of(s) == deep)
    deep_header = next(h for h in files if h.endswith(".h") and folder_of(h) == deep)
    # A folder and a header below it that its allowed set leaves out.
    side, below = next((f, h) for i, f in enumerate(order) for h in files
                       if h.endswith(".h") and folder_of(h) in order[:i]
                       and folder_of(h) not in layers[f])
    side_file = next(s for s in files if folder_of(s) == side)
    cases = [
        ("below but not allowed", lambda t: plant(t, side_file, f'#include "{below}"'), "may not include"),
        ("back up", lambda t: plant(t, bottom_file, f'#include "{top_header}"'), "may not include"),
        ("bare name", lambda t: plant(t, deep_file, f'#include "{os.path.basename(deep_header)}"'),
         f"by its path from {name}/"),
        ("unlisted folder", lambda t: (os.makedirs(os.path.join(t, "stray")),
                                       plant(t, "stray/stray.c", "int stray;")), f"is not in {name}/layers.txt"),
        ("cycle in the order", lambda t: allow(t, bottom, top), "not listed before it"),
        ("a file too long", lambda t: plant(t, bottom_file, "\n" * MAX_LINES), "lines, above"),
    ]
    bad = 0
    for what, do, expect in cases:
        with tempfile.TemporaryDirectory() as tmp:
            copy = os.path.join(tmp, name)
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
        print(f"{tree(argv[1])} includes go down the stack")
    return 1 if faults else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
