#!/usr/bin/env python3
"""Write an initramfs (cpio "newc", uncompressed) from a directory tree.

usage: mkinitramfs.py ROOT OUT

Files, directories and symbolic links are stored with their mode; owners
are root and times zero, so the same tree gives the same bytes.
"""
import os
import sys


def header(ino, mode, nlink, size, name):
    fields = [ino, mode, 0, 0, nlink, 0, size, 0, 0, 0, 0, len(name) + 1, 0]
    return b"070701" + b"".join(b"%08x" % f for f in fields)


def pad4(data):
    return data + b"\0" * (-len(data) % 4)


def entry(ino, mode, nlink, name, data=b""):
    head = header(ino, mode, nlink, len(data), name)
    return pad4(head + name.encode() + b"\0") + pad4(data)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: mkinitramfs.py ROOT OUT")
    root, out = sys.argv[1], sys.argv[2]
    chunks, ino = [], 1
    for dirpath, dirnames, filenames in sorted(os.walk(root)):
        dirnames.sort()
        rel = os.path.relpath(dirpath, root)
        if rel != ".":
            chunks.append(entry(ino, os.lstat(dirpath).st_mode, 2, rel))
            ino += 1
        for f in sorted(filenames):
            path = os.path.join(dirpath, f)
            name = os.path.normpath(os.path.join(rel, f))
            st = os.lstat(path)
            if os.path.islink(path):
                data = os.readlink(path).encode()
            else:
                with open(path, "rb") as fh:
                    data = fh.read()
            chunks.append(entry(ino, st.st_mode, 1, name, data))
            ino += 1
    chunks.append(entry(0, 0, 1, "TRAILER!!!"))
    with open(out, "wb") as fh:
        fh.write(b"".join(chunks))


if __name__ == "__main__":
    main()
