#!/usr/bin/env python3
"""The program files of corpus directories, one path a line, sorted.

    list_programs.py DIR...                 print them (meson reads this)
    list_programs.py --expect FILE DIR...   fail if they differ from FILE's

meson lists the corpus when it configures the build and makes one test per
file; it does not notice files added later.  The --expect form runs as a
test and says when the build must be reconfigured to pick them up.
"""
import os
import sys


def listing(dirs):
    out = []
    for d in dirs:
        if not os.path.isdir(d):
            continue
        for name in sorted(os.listdir(d)):
            path = os.path.join(d, name)
            if os.path.isfile(path) and not name.startswith(".") and not name.endswith(".md"):
                out.append(path)
    return out


def main():
    args = sys.argv[1:]
    if args[:1] == ["--expect"]:
        with open(args[1], encoding="utf-8") as f:
            expected = [line.rstrip("\n") for line in f if line.strip()]
        now = listing(args[2:])
        added = sorted(set(now) - set(expected))
        gone = sorted(set(expected) - set(now))
        for p in added:
            print(f"new since the build was configured: {p}")
        for p in gone:
            print(f"gone since the build was configured: {p}")
        if added or gone:
            print("FAIL: run `meson setup --reconfigure` on this build directory")
            sys.exit(1)
        print(f"ok: {len(now)} programs, as configured")
        return
    for p in listing(args):
        print(p)


if __name__ == "__main__":
    main()
