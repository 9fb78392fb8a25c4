#!/usr/bin/env python3
"""shared_runs.py finds a renamed copy of more than ten lines, and only that.

Each case writes two small folders of C and checks the exit status and
the places reported."""
import contextlib
import io
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import shared_runs  # noqa: E402


def body(prefix, lines):
    """A function of `lines` statements, its names all carrying prefix."""
    out = ["int %s_sum(int %s_a)" % (prefix, prefix), "{", "\tint %s_t = 0;" % prefix]
    for i in range(lines - 2):
        out.append("\t%s_t += %s_a * %d; /* step */" % (prefix, prefix, i))
    out += ["\treturn %s_t;" % prefix, "}"]
    return "\n".join(out) + "\n"


def run(text_a, text_b):
    with tempfile.TemporaryDirectory() as root:
        dirs = []
        for name, text in (("a", text_a), ("b", text_b)):
            os.mkdir(os.path.join(root, name))
            with open(os.path.join(root, name, name + ".c"), "w") as f:
                f.write(text)
            dirs.append(os.path.join(root, name))
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            status = shared_runs.main(dirs)
        return status, out.getvalue()


def main():
    failures = []
    # body(p, 10) counts 11 lines (the braces alone do not count): a
    # renamed copy, behind an include, comments and blank lines that must
    # not matter, is reported with both places.
    status, out = run("#include <x.h>\n\n" + body("kc", 10), "/* c */\n" + body("va", 10))
    if status != 1 or "a.c:3-14 ~ " not in out or "b.c:2-13 (11 lines)" not in out:
        failures.append("renamed copy of 11 lines not reported: %r" % out)
    # One statement fewer: 10 counted lines stay silent.
    status, out = run(body("kc", 9), body("va", 9))
    if status != 0:
        failures.append("copy of 10 lines reported: %r" % out)
    # Same length, other shape (a keyword differs): silent.
    other = body("va", 10).replace("\tint va_t = 0;", "\tunsigned va_t = 0;")
    status, out = run(body("kc", 10), other)
    if status != 0:
        failures.append("lines of another shape reported: %r" % out)
    for f in failures:
        print("FAIL:", f)
    print("ok" if not failures else "%d failure(s)" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
