"""What the bug scripts share: the list of planted bugs, their programs and
expected violations, and building the harness with one bug compiled in.

Each planted bug NAME has
  - a choice 'NAME' of the meson option 'bug' (meson_options.txt),
  - sites '#if KCORE_BUG(NAME_IN_UPPER_CASE)' in hyp/kcore/**/*.c,
  - a program corpus/bugs/NAME.txt that triggers it, whose comment line
    '# expect: KIND[,KIND...]' names the violation kinds that count as
    catching it (the first is what every oracle on reports),
  - a row in reports/bugs/BUGS.md.
"""
import os
import re
import shutil
import subprocess

ROOT = os.path.realpath(os.path.join(os.path.dirname(__file__), "..", ".."))
ISOFUZZ = os.path.join("harness", "isofuzz")


def bug_names():
    """The bug option's choices, 'none' left out, in declaration order."""
    with open(os.path.join(ROOT, "meson_options.txt"), encoding="utf-8") as f:
        text = f.read()
    m = re.search(r"option\(\s*'bug'.*?choices:\s*\[(.*?)\]", text, re.S)
    if not m:
        raise SystemExit("meson_options.txt: no 'bug' option with choices")
    names = re.findall(r"'([a-z0-9_]+)'", m.group(1))
    return [n for n in names if n != "none"]


def program_path(name):
    return os.path.join(ROOT, "corpus", "bugs", name + ".txt")


def expected_kinds(name):
    """The kinds named by the program's '# expect:' line."""
    with open(program_path(name), encoding="utf-8") as f:
        for line in f:
            m = re.match(r"#\s*expect:\s*(\S+)", line)
            if m:
                return m.group(1).split(",")
    raise SystemExit(f"{program_path(name)}: no '# expect: KIND' line")


# The fuzz builds, configured as the Makefile configures them.
ENGINE_BUILDS = {
    "plain": {"cc": None, "args": [], "target": ISOFUZZ},
    "libfuzzer": {"cc": "clang",
                  "args": ["-Dfuzz_engine=libfuzzer", "-Db_sanitize=address,undefined",
                           "-Db_lundef=false"],
                  "target": os.path.join("harness", "isofuzz-libfuzzer")},
    "afl": {"cc": "afl-clang-fast", "args": ["-Dfuzz_engine=afl", "-Db_lundef=false"],
            "target": os.path.join("harness", "isofuzz-afl")},
}
AFL_MUTATOR = os.path.join("harness", "isofuzz-afl-mutator.so")


def build(build_dir, bug, log, kind="plain", extra_targets=()):
    """Configure (once) and build one harness binary of `kind` (plain,
    libfuzzer or afl) with -Dbug=bug; returns its path.  Raises
    CalledProcessError on a failed build."""
    spec = ENGINE_BUILDS[kind]
    env = dict(os.environ)
    if spec["cc"]:
        env["CC"] = spec["cc"]
    if kind == "afl":
        env["AFL_QUIET"] = "1"
        allow = os.path.join(ROOT, "harness", "afl-allowlist.txt")
        if os.path.exists(allow):
            env["AFL_LLVM_ALLOWLIST"] = allow
    if not os.path.exists(os.path.join(build_dir, "build.ninja")):
        shutil.rmtree(build_dir, ignore_errors=True)  # a setup that failed half way
        cmd = ["meson", "setup", build_dir, f"-Dbug={bug}", *spec["args"]]
    else:
        cmd = ["meson", "configure", build_dir, f"-Dbug={bug}"]
    subprocess.run(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, check=True)
    subprocess.run(["ninja", "-C", build_dir, spec["target"], *extra_targets], cwd=ROOT, env=env,
                   stdout=log, stderr=subprocess.STDOUT, check=True)
    return os.path.join(build_dir, spec["target"])


def replay(isofuzz, program, extra=()):
    """Run 'isofuzz repro --json'; returns (exit status, violation kind or
    None)."""
    r = subprocess.run([isofuzz, "repro", program, "--json", *extra], cwd=ROOT,
                       capture_output=True, text=True)
    m = re.search(r'"kind":"([a-z-]+)"', r.stdout)
    return r.returncode, (m.group(1) if m and r.returncode == 1 else None)
