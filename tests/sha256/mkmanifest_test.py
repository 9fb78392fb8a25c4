#!/usr/bin/env python3
"""mkmanifest's command line: extra images (NAME=FILE) and refused input.

    mkmanifest_test.py MKMANIFEST CASE

Expected digests of extra images come from Python's hashlib, an
implementation independent of hyp/kcore/boot/sha256.c, over the file padded
with zeros to whole pages.
"""
import hashlib
import os
import re
import subprocess
import sys
import tempfile

PAGE = 4096
MAX_PAGES = 8  # KCORE_MAX_IMAGE_PAGES
BUILTIN_NAMES = ["tiny", "small", "boot4", "full"]

ENTRY_RE = re.compile(r'\{ "([^"]*)", (\d+), \{((?:\s*0x[0-9a-f]{2},){32})\s*\} \},')
COUNT_RE = re.compile(r"const unsigned kcore_manifest_count = (\d+);")


class Failure(Exception):
    pass


def expect(cond, what):
    if not cond:
        raise Failure(what)


def parse(text):
    """The entries of a generated manifest as (name, npages, digest hex)."""
    entries = [(m.group(1), int(m.group(2)),
                "".join(re.findall(r"0x([0-9a-f]{2})", m.group(3))))
               for m in ENTRY_RE.finditer(text)]
    count = COUNT_RE.search(text)
    expect(count is not None, "no kcore_manifest_count in output")
    expect(int(count.group(1)) == len(entries),
           f"count {count.group(1)} but {len(entries)} entries")
    return entries


def padded_digest(data):
    pages = max(1, -(-len(data) // PAGE))
    return pages, hashlib.sha256(data + bytes(pages * PAGE - len(data))).hexdigest()


class Env:
    def __init__(self, tool, tmp):
        self.tool = tool
        self.tmp = tmp
        self.out = os.path.join(tmp, "manifest.c")

    def file(self, name, data):
        path = os.path.join(self.tmp, name)
        with open(path, "wb") as f:
            f.write(data)
        return path

    def run(self, *args):
        if os.path.exists(self.out):
            os.remove(self.out)
        return subprocess.run([self.tool, self.out, *args],
                              capture_output=True, text=True)

    def ok(self, *args):
        r = self.run(*args)
        expect(r.returncode == 0, f"exit {r.returncode}: {r.stderr.strip()}")
        with open(self.out) as f:
            return f.read()

    def refused(self, *args):
        r = self.run(*args)
        # > 0: a refusal; < 0 would be a crash (killed by a signal).
        expect(r.returncode > 0, f"{args}: exit {r.returncode}, want a refusal")
        expect(r.stderr.strip() != "", f"{args}: refused without a message")
        expect(not os.path.exists(self.out), f"{args}: output left behind")


def ramp(n):
    return bytes((i * 7 + 3) & 0xFF for i in range(n))


def check_extra(env, size, want_pages):
    data = ramp(size)
    text = env.ok("guest=" + env.file("guest.bin", data))
    entries = parse(text)
    expect([e[0] for e in entries] == BUILTIN_NAMES + ["guest"],
           f"entry names {[e[0] for e in entries]}")
    pages, digest = padded_digest(data)
    expect(pages == want_pages, f"test expects {want_pages} pages, has {pages}")
    expect(entries[-1][1] == pages, f"npages {entries[-1][1]}, want {pages}")
    expect(entries[-1][2] == digest, f"digest {entries[-1][2]}, want {digest}")


def case_builtin_only(env):
    entries = parse(env.ok())
    expect([e[0] for e in entries] == BUILTIN_NAMES, f"names {entries}")
    expect([e[1] for e in entries] == [1, 2, 4, MAX_PAGES], f"pages {entries}")
    expect(len({e[2] for e in entries}) == len(entries), "repeated digest")


def case_extra_partial_page(env):
    check_extra(env, PAGE + 904, 2)


def case_extra_exact_page(env):
    check_extra(env, PAGE, 1)


def case_extra_one_byte(env):
    check_extra(env, 1, 1)


def case_extra_max_pages(env):
    check_extra(env, MAX_PAGES * PAGE, MAX_PAGES)


def case_extras_keep_builtins_and_order(env):
    base = parse(env.ok())
    a = env.file("a.bin", ramp(10))
    b = env.file("b.bin", ramp(3 * PAGE))
    entries = parse(env.ok("zeta=" + a, "alpha=" + b))
    expect(entries[:len(base)] == base, "built-in entries changed")
    expect([e[0] for e in entries[len(base):]] == ["zeta", "alpha"],
           "extras not in command-line order")
    expect(entries[-1][1:] == padded_digest(ramp(3 * PAGE)), "alpha digest")


def case_output_deterministic(env):
    a = env.file("a.bin", ramp(5000))
    first = env.ok("g=" + a)
    expect(env.ok("g=" + a) == first, "two runs differ")


def case_refuses_too_long(env):
    env.refused("big=" + env.file("big.bin", ramp(MAX_PAGES * PAGE + 1)))


def case_refuses_empty(env):
    env.refused("empty=" + env.file("empty.bin", b""))


def case_refuses_missing_file(env):
    env.refused("gone=" + os.path.join(env.tmp, "does-not-exist"))


def case_refuses_bad_names(env):
    path = env.file("g.bin", ramp(100))
    for arg in ["=" + path, "two words=" + path, 'q"uote=' + path,
                "x" * 64 + "=" + path, path]:
        env.refused(arg)


def case_refuses_duplicate_name(env):
    path = env.file("g.bin", ramp(100))
    env.refused("tiny=" + path)
    env.refused("g=" + path, "g=" + path)


def case_refuses_no_arguments(env):
    r = subprocess.run([env.tool], capture_output=True, text=True)
    expect(r.returncode > 0, f"exit {r.returncode} with no arguments")


def main():
    if len(sys.argv) != 3:
        print("usage: mkmanifest_test.py MKMANIFEST CASE", file=sys.stderr)
        return 2
    case = globals().get("case_" + sys.argv[2])
    if case is None:
        print(f"no test case named {sys.argv[2]}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        try:
            case(Env(os.path.abspath(sys.argv[1]), tmp))
        except Failure as e:
            print(f"FAIL {sys.argv[2]}: {e}", file=sys.stderr)
            return 1
    print(f"ok {sys.argv[2]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
