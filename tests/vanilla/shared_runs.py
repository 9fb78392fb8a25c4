#!/usr/bin/env python3
"""Fail on any run of more than MAX_RUN lines that two folders share.

KCore and the unmodified-KVM model keep what they have in common in one
library; a copy in both folders would drift apart unseen.  A run counts as
shared when its lines are the same after normalisation: comments, blank
lines, include lines and lines of lone punctuation are dropped, and every
name, number, string and character constant becomes one placeholder, so a
copy with other names still matches.  Keywords and punctuation are kept,
since they carry the code's shape.

usage: shared_runs.py [--max-run N] DIR_A DIR_B
Exit 0 when no run is shared, 1 (listing both places of each run) when one
is, 2 on a bad argument.
"""
import os
import re
import sys

MAX_RUN = 10

C_KEYWORDS = frozenset("""
    auto break case char const continue default do double else enum extern
    float for goto if inline int long register restrict return short signed
    sizeof static struct switch typedef union unsigned void volatile while
    _Alignas _Alignof _Atomic _Bool _Noreturn _Static_assert _Thread_local
    bool true false NULL
    define undef ifdef ifndef endif elif pragma
""".split())

TOKEN = re.compile(r"""
    (?P<string>"(?:\\.|[^"\\])*")
  | (?P<char>'(?:\\.|[^'\\])*')
  | (?P<number>\.?[0-9][0-9A-Za-z_.]*)
  | (?P<name>[A-Za-z_][A-Za-z_0-9]*)
  | (?P<punct>->|\+\+|--|<<=|>>=|<<|>>|<=|>=|==|!=|&&|\|\||[-+*/%&|^!~=<>?:;,.(){}\[\]#]=?)
  | (?P<space>\s+)
  | (?P<other>.)
""", re.VERBOSE)


def strip_comments(text):
    """Blank out comments, keeping newlines so line numbers hold."""
    out = []
    i, n = 0, len(text)
    while i < n:
        if text.startswith("/*", i):
            end = text.find("*/", i + 2)
            end = n if end < 0 else end + 2
            out.append("\n" * text.count("\n", i, end))
            i = end
        elif text.startswith("//", i):
            end = text.find("\n", i)
            i = n if end < 0 else end
        elif text[i] in "\"'":
            m = TOKEN.match(text, i)
            tok = m.group(0) if m and m.lastgroup in ("string", "char") else text[i]
            out.append(tok)
            i += len(tok)
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def normalise_line(line):
    """The line's shape: keywords and punctuation kept, the rest a placeholder."""
    tokens = []
    for m in TOKEN.finditer(line):
        kind, tok = m.lastgroup, m.group(0)
        if kind == "space":
            continue
        if kind == "name" and tok not in C_KEYWORDS:
            tok = "$"
        elif kind in ("string", "char", "number"):
            tok = "$"
        tokens.append(tok)
    return " ".join(tokens)


INCLUDE = re.compile(r"^\s*#\s*include\b")


def is_thin(line, shape):
    """Lines that say nothing by themselves: lone punctuation, includes."""
    return not shape.strip("(){}[];, ") or INCLUDE.match(line) is not None


def file_shapes(path):
    """[(shape, line number)] of the lines that count."""
    with open(path, encoding="utf-8", errors="replace") as f:
        text = strip_comments(f.read())
    shapes = []
    for lineno, line in enumerate(text.split("\n"), 1):
        shape = normalise_line(line)
        if shape and not is_thin(line, shape):
            shapes.append((shape, lineno))
    return shapes


def c_files(folder):
    for root, _, names in os.walk(folder):
        for name in sorted(names):
            if name.endswith((".c", ".h")):
                yield os.path.join(root, name)


def windows(files, width):
    """Every run of `width` counted lines: its shapes -> [(path, index)]."""
    index = {}
    for path, shapes in files.items():
        keys = [s for s, _ in shapes]
        for i in range(len(keys) - width + 1):
            index.setdefault(tuple(keys[i:i + width]), []).append((path, i))
    return index


def shared_runs(files_a, files_b, width):
    """Maximal runs of at least `width` lines found in both sets of files."""
    index_a = windows(files_a, width)
    hits = set()
    for key, places_b in windows(files_b, width).items():
        for place_a in index_a.get(key, ()):
            for place_b in places_b:
                hits.add((place_a[0], place_b[0], place_a[1] - place_b[1], place_b[1]))
    runs = []
    for path_a, path_b, shift, start_b in sorted(hits):
        if (path_a, path_b, shift, start_b - 1) in hits:
            continue  # inside a run already started
        end_b = start_b
        while (path_a, path_b, shift, end_b + 1) in hits:
            end_b += 1
        runs.append((path_a, start_b + shift, end_b + shift + width - 1,
                     path_b, start_b, end_b + width - 1))
    return runs


def parse_args(argv):
    max_run = MAX_RUN
    args = list(argv)
    if len(args) >= 2 and args[0] == "--max-run":
        if not args[1].isdigit() or int(args[1]) < 1:
            print("shared_runs.py: --max-run wants a whole number of 1 or more, not '%s'"
                  % args[1], file=sys.stderr)
            sys.exit(2)
        max_run = int(args[1])
        args = args[2:]
    if len(args) != 2 or not all(os.path.isdir(a) for a in args):
        print("usage: shared_runs.py [--max-run N] DIR_A DIR_B", file=sys.stderr)
        sys.exit(2)
    return max_run, args[0], args[1]


def main(argv):
    max_run, dir_a, dir_b = parse_args(argv)
    files_a = {p: file_shapes(p) for p in c_files(dir_a)}
    files_b = {p: file_shapes(p) for p in c_files(dir_b)}
    runs = shared_runs(files_a, files_b, max_run + 1)
    for path_a, a0, a1, path_b, b0, b1 in runs:
        line = lambda files, p, i: files[p][i][1]
        print("%s:%d-%d ~ %s:%d-%d (%d lines)" % (
            path_a, line(files_a, path_a, a0), line(files_a, path_a, a1),
            path_b, line(files_b, path_b, b0), line(files_b, path_b, b1),
            a1 - a0 + 1))
    if runs:
        print("%d run(s) of more than %d lines stand in both %s and %s"
              % (len(runs), max_run, dir_a, dir_b))
        return 1
    print("no run of more than %d lines stands in both %s and %s"
          % (max_run, dir_a, dir_b))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
