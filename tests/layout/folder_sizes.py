#!/usr/bin/env python3
"""No folder of the source tree holds more than a dozen files.

A folder that passes twelve files (its README and meson.build included)
is split into folders by job, so that the tree shows the architecture at a
glance.  This counts the tree's files as git lists them (tracked, and new
ones not ignored), or walks the tree outside git, and fails (status 1, one
line a folder) on each folder holding more.  Left out: what is not source
(build directories, outputs, Python's caches, hidden folders) and corpus/,
whose folders hold programs: data, one job however many there are.

usage: folder_sizes.py SOURCE_ROOT
       folder_sizes.py --planted SOURCE_ROOT   (the check itself, on a
           copy of the tree's folder shape with one folder grown past the
           limit and one data folder grown alike: only the first may fail)
"""
import collections
import os
import shutil
import subprocess
import sys
import tempfile

MAX_FILES = 12
DATA = ("corpus",)


def skipped(rel):
    top = rel.split(os.sep, 1)[0]
    name = os.path.basename(rel)
    return (top in DATA or top in ("out", ".git") or top.startswith(("build", "_")) or
            rel.startswith(os.path.join("reports", "out")) or name == "__pycache__" or name.startswith("."))


def listed(root):
    """The tree's files as git sees them (tracked, and new ones not
    ignored: build output and reports never count), or None outside git."""
    try:
        out = subprocess.run(["git", "-C", root, "ls-files", "-co", "--exclude-standard", "-z"],
                             capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    return [os.path.normpath(f) for f in out.decode().split("\0") if f]


def walked(root):
    for folder, dirs, files in os.walk(root):
        rel = os.path.relpath(folder, root)
        if rel != "." and skipped(rel):
            dirs[:] = []
            continue
        dirs[:] = [d for d in dirs if not skipped(os.path.normpath(os.path.join(rel, d)))]
        for f in files:
            yield os.path.normpath(os.path.join(rel, f))


def faults(root, use_git=True):
    counts = collections.Counter()
    files = listed(root) if use_git else None
    for f in files if files is not None else walked(root):
        folder = os.path.dirname(f)
        if not (folder and skipped(folder)) and not os.path.basename(f).startswith("."):
            counts[folder or "."] += 1
    return sorted(f"{d}/: {n} files, more than {MAX_FILES}: split it into folders by job"
                  for d, n in counts.items() if n > MAX_FILES)


def planted(root):
    """Copy the folder shape (empty files), grow one code folder and one
    corpus folder past the limit: exactly the code folder must be named."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = os.path.join(tmp, "src")
        for folder, dirs, files in os.walk(root):
            rel = os.path.relpath(folder, root)
            if rel != "." and skipped(rel):
                dirs[:] = []
                continue
            os.makedirs(os.path.join(copy, rel), exist_ok=True)
            for f in files:
                open(os.path.join(copy, rel, f), "w").close()
        before = faults(copy, use_git=False)
        grown = os.path.join(copy, "hyp", "planted")
        data = os.path.join(copy, "corpus", "planted")
        for d in (grown, data):
            os.makedirs(d, exist_ok=True)
            for i in range(MAX_FILES + 1):
                open(os.path.join(d, f"f{i}.c"), "w").close()
        after = faults(copy, use_git=False)
        new = [f for f in after if f not in before]
        want = [f"hyp/planted/: {MAX_FILES + 1} files, more than {MAX_FILES}: split it into folders by job"]
        if new != want:
            print(f"planted: wanted {want}, got {new}")
            return 1
        os.remove(os.path.join(grown, "f0.c"))
        if [f for f in faults(copy, use_git=False) if f not in before]:
            print(f"planted: a folder of exactly {MAX_FILES} files was named")
            return 1
        shutil.rmtree(grown)
    print("planted: the grown folder was named, the corpus folder and the folder at the limit were not")
    return 0


def main(argv):
    if len(argv) == 3 and argv[1] == "--planted":
        return planted(argv[2])
    if len(argv) != 2:
        print(__doc__.strip().split("\n\n")[-1], file=sys.stderr)
        return 2
    found = faults(argv[1])
    for f in found:
        print(f)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
