#!/usr/bin/env python3
"""KCore builds for the bare-metal target and knows nothing of the model.

    check_kcore.py compile -I DIR [-I DIR ...] -- SOURCE...
        Compile every .c SOURCE with aarch64-linux-gnu-gcc as freestanding
        C17 with warnings as errors, and require that every file taking part
        (the source and each project header it pulls in) includes no system
        header beyond the C17 freestanding set.  Exit 77 (skip) only if the
        cross compiler is not installed.

    check_kcore.py no-sim --dir DIR [-- FILE...]
        Fail if any .c/.h file under DIR, or any FILE given, includes a
        machine-model header or names a sim_ identifier.

Each failure is printed with its file; all files are checked before exiting.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

CROSS_CC = "aarch64-linux-gnu-gcc"
CFLAGS = ["-ffreestanding", "-nostdlib", "-Werror", "-Wall", "-Wextra",
          "-std=c17", "-O2", "-c"]
# C17 4p6: the headers a freestanding implementation provides.
FREESTANDING_HEADERS = {"float.h", "iso646.h", "limits.h", "stdalign.h",
                        "stdarg.h", "stdbool.h", "stddef.h", "stdint.h",
                        "stdnoreturn.h"}
SKIP = 77

INCLUDE_RE = re.compile(r'^\s*#\s*include\s*([<"])([^">]+)[">]', re.M)
# Comments, then string and character literals (escapes included).
COMMENT_OR_LITERAL_RE = re.compile(
    r'//[^\n]*|/\*.*?\*/|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'', re.S)
SIM_IDENT_RE = re.compile(r"\b(?:sim|SIM)_\w+")


def read(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


def line_of(text, pos):
    return text.count("\n", 0, pos) + 1


def dep_paths(depfile):
    """The prerequisites listed in a gcc -MD dependency file."""
    text = read(depfile).replace("\\\n", " ")
    _, _, deps = text.partition(":")
    return [os.path.realpath(p) for p in deps.split()]


def under(path, roots):
    return any(path == r or path.startswith(r + os.sep) for r in roots)


def libc_includes(path, project_deps):
    """Angle includes of path that are neither freestanding nor a project
    header (found through -I)."""
    bad = []
    text = read(path)
    for m in INCLUDE_RE.finditer(text):
        if m.group(1) != "<" or m.group(2) in FREESTANDING_HEADERS:
            continue
        if any(d.endswith(os.sep + m.group(2)) for d in project_deps):
            continue
        bad.append(f"{path}:{line_of(text, m.start())}: includes <{m.group(2)}>, "
                   "not a freestanding header")
    return bad


def compile_one(cc, src, incs, roots, tmp):
    obj = os.path.join(tmp, "out.o")
    dep = os.path.join(tmp, "out.d")
    cmd = [cc, *CFLAGS, *(f"-I{d}" for d in incs), "-MD", "-MF", dep, src, "-o", obj]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        return [f"{src}: does not compile freestanding for aarch64:\n{r.stderr.rstrip()}"]
    project = [p for p in dep_paths(dep) if under(p, roots)]
    return [msg for p in project for msg in libc_includes(p, project)]


def cmd_compile(args):
    cc = shutil.which(CROSS_CC)
    if cc is None:
        print(f"{CROSS_CC} not installed: skipping", file=sys.stderr)
        return SKIP
    sources = [s for s in args.files if s.endswith(".c")]
    if not sources:
        print("no C sources given: nothing would be checked", file=sys.stderr)
        return 1
    # Headers under the include dirs or next to a source belong to the
    # project; anything else gcc finds is the toolchain's.
    roots = sorted({os.path.realpath(d) for d in args.include} |
                   {os.path.dirname(os.path.realpath(s)) for s in sources})
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        for src in sources:
            failures += compile_one(cc, src, args.include, roots, tmp)
    for f in failures:
        print(f, file=sys.stderr)
    print(f"{len(sources)} sources, {len(failures)} problems")
    return 1 if failures else 0


def sim_uses(path):
    text = read(path)
    found = []
    for m in INCLUDE_RE.finditer(text):
        name = m.group(2)
        if re.search(r"(^|/)sim/|arch/sim|(^|/)sim_", name):
            found.append(f"{path}:{line_of(text, m.start())}: includes machine-model header {name}")
    # Blank out comments and literals (keeping line breaks) so only code counts.
    code = COMMENT_OR_LITERAL_RE.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
    code = INCLUDE_RE.sub(lambda m: " " * len(m.group(0)), code)
    for m in SIM_IDENT_RE.finditer(code):
        found.append(f"{path}:{line_of(code, m.start())}: names machine-model identifier {m.group(0)}")
    return found


def cmd_no_sim(args):
    files = list(args.files)
    for root, dirs, names in os.walk(args.dir):
        dirs.sort()
        files += [os.path.join(root, n) for n in sorted(names) if n.endswith((".c", ".h"))]
    # A source given on the command line may also lie under DIR.
    seen = set()
    files = [f for f in files
             if os.path.realpath(f) not in seen and not seen.add(os.path.realpath(f))]
    if not files:
        print(f"no .c or .h files under {args.dir}", file=sys.stderr)
        return 1
    failures = [msg for f in files for msg in sim_uses(f)]
    for f in failures:
        print(f, file=sys.stderr)
    print(f"{len(files)} files, {len(failures)} problems")
    return 1 if failures else 0


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("compile")
    c.add_argument("-I", dest="include", action="append", default=[])
    c.add_argument("files", nargs="*")
    n = sub.add_parser("no-sim")
    n.add_argument("--dir", required=True)
    n.add_argument("files", nargs="*")
    args = p.parse_args()
    return cmd_compile(args) if args.cmd == "compile" else cmd_no_sim(args)


if __name__ == "__main__":
    sys.exit(main())
