#!/usr/bin/env python3
"""The isofuzz command's conventions, subcommand by subcommand.

    cli_contract_test.py ISOFUZZ SOURCE_ROOT CASE

Cases:
  help_texts        -h/--help on every subcommand exits 0 and lists every
                    option it takes; the overall usage lists them too
  version           --version: the meson project version and the commit
  numeric_flags     every numeric flag refuses bad syntax and out of range
                    values with one line (naming the range) and exit 2
  opt_equals        --opt=value works wherever --opt value does
  exit_statuses     0 clean, 1 violation, 2 bad input or usage, for every
                    subcommand, run --replay and run's findings included
  directory_input   a directory given as a program file is named as one
  oversized_input   a binary input with more steps than a program holds
                    says so in one line
  finding_config    repro, minimize and show take the target and oracles
                    from a campaign finding's files unless told otherwise
  run_stopped       run stopped by SIGINT or SIGTERM exits 130 and the same
                    command resumes (needs ISOFUZZ_FUZZER, the libFuzzer
                    build of the harness)
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

ISOFUZZ = SOURCE = TMP = None
SEED = "corpus/seeds/vm-lifecycle.txt"
ATTACK = "corpus/attacks/kserv-reads-vm-page.txt"  # noninterference on vanilla
failures = []

# Every option of every subcommand, as a user reads them in the README.
OPTIONS = {
    "run": ["--engine", "--jobs", "--time", "--corpus", "--out", "--target", "--oracles", "--fuzzer",
            "--afl-mutator", "--afl-cmplog", "--recheck", "--join", "--sync", "--replay"],
    "repro": ["--target", "--oracles", "--json", "--ram-mb"],
    "minimize": ["--out", "-o", "--to", "--target", "--oracles", "--max-runs", "--ram-mb"],
    "show": ["--target", "--ram-mb"],
    "convert": ["--to", "--target", "--ram-mb"],
    "ops": [],
    "replay-qemu": ["--image", "--qemu", "--smp", "--timeout", "--batch", "--plugin", "--coverage", "--target",
                    "--verbose"],
    "bench": ["--corpus", "--mutations", "--chunk", "--passes", "--only", "--large-ram-mb", "--csv"],
    "compare": ["--out", "-o", "--image", "--linux", "--plugin", "--qemu", "--timeout", "--runs", "--residue",
                "--rounds"],
}


# The sanitizer build warns about coroutines on every start; not the command's.
ASAN_NOTE = re.compile(r"^==\d+==WARNING: ASan doesn't fully support makecontext.*\n?", re.M)


def run(*args, cwd=None):
    p = subprocess.run([ISOFUZZ, *args], capture_output=True, text=True, timeout=300, cwd=cwd or SOURCE)
    return p.returncode, p.stdout, ASAN_NOTE.sub("", p.stderr)


def expect(cond, what):
    print(("ok:   " if cond else "FAIL: ") + what)
    if not cond:
        failures.append(what)


def src(rel):
    return os.path.join(SOURCE, rel)


def tmp(name, text=None, data=None):
    path = os.path.join(TMP, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if text is not None:
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
    if data is not None:
        with open(path, "wb") as f:
            f.write(data)
    return path


def one_line_exit_2(args, must_contain=()):
    rc, out, err = run(*args)
    lines = err.strip().splitlines()
    ok = rc == 2 and len(lines) == 1 and all(w in err for w in must_contain)
    expect(ok, f"isofuzz {' '.join(args)}: exit {rc}, {len(lines)} line(s): {err.strip()[:160]!r}")


def case_help_texts():
    for cmd, opts in OPTIONS.items():
        for flag in ("-h", "--help"):
            rc, out, err = run(cmd, flag)
            missing = [o for o in opts if not re.search(r"(^|[\s,])" + re.escape(o) + r"\b", out)]
            expect(rc == 0 and not missing and err == "",
                   f"isofuzz {cmd} {flag}: exit {rc}, options missing from the help: {missing}")
        # and every option the help names is one the parser takes
        named = set(re.findall(r"^\s+(?:-\w, )?(--[a-z-]+)", out, re.M)) - {"--help"}
        # (--help last: nothing runs whatever the option does)
        unknown = [o for o in sorted(named) if "unknown option" in run(cmd, o + "=x", "--help")[2]]
        bogus = run(cmd, "--no-such-option=x", "--help")
        expect(bogus[0] == 2 and "unknown option" in bogus[2], f"isofuzz {cmd} refuses an unknown option")
        expect(named == {o for o in opts if o.startswith("--")} and not unknown,
               f"isofuzz {cmd}: the help names {sorted(named)}, the parser refuses {unknown}")
    rc, out, _ = run("--help")
    missing = [f"{c} {o}" for c, opts in OPTIONS.items() for o in opts if o.startswith("--") and o not in out]
    expect(rc == 0 and not missing, f"isofuzz --help: exit {rc}, missing {missing}")
    for cmd in OPTIONS:
        expect(re.search(r"^\s+" + re.escape(cmd) + r"\s", out, re.M) is not None, f"isofuzz --help names {cmd}")
    # help comes before the missing positional arguments are noticed
    rc, out, _ = run("convert", "--help")
    expect(rc == 0 and "IN OUT" in out, "isofuzz convert --help without IN and OUT: exit 0")


def case_version():
    with open(src("meson.build")) as f:
        version = re.search(r"version:\s*'([^']+)'", f.read()).group(1)
    rc, out, err = run("--version")
    m = re.fullmatch(r"isofuzz (\S+) \(commit (\S+)\)\n", out)
    expect(rc == 0 and m is not None and m.group(1) == version,
           f"isofuzz --version: exit {rc}, {out.strip()!r} (project version {version})")
    git = shutil.which("git") and subprocess.run(["git", "-C", SOURCE, "rev-parse", "HEAD"],
                                                  capture_output=True, text=True)
    if git and git.returncode == 0:
        head = git.stdout.strip()
        expect(m is not None and head.startswith(m.group(2).removesuffix("-dirty")) and len(m.group(2)) >= 12,
               f"the commit is the checkout's: {m.group(2) if m else None} for HEAD {head}")
    else:
        expect(m is not None and m.group(2) == "unknown", "outside a git checkout the commit is unknown")


NUMERIC = [
    (("run", "--time", "-5"), "1..31536000"),
    (("run", "--time", "abc"), "1..31536000"),
    (("run", "--time", "0"), "1..31536000"),
    (("run", "--time", "12s"), "1..31536000"),
    (("run", "--time", ""), "1..31536000"),
    (("run", "--time", "99999999999999999999999"), "1..31536000"),
    (("run", "--jobs", "0"), "1..16"),
    (("run", "--jobs", "-1"), "1..16"),
    (("run", "--jobs", "1000"), "1..16"),
    (("run", "--jobs", "17"), "1..16"),
    (("run", "--jobs", "+2"), "1..16"),
    (("run", "--jobs", " 2"), "1..16"),
    (("run", "--sync", "-1"), "0..31536000"),
    (("run", "--sync", "ten"), "0..31536000"),
    (("bench", "--mutations", "-1"), "0..1000000"),
    (("bench", "--mutations", "1.5"), "0..1000000"),
    (("bench", "--chunk", "0"), "1..1000000"),
    (("bench", "--passes", "0"), "1..1000"),
    (("bench", "--large-ram-mb", "0"), "1..4096"),
    (("bench", "--large-ram-mb", "8192"), "1..4096"),
    (("minimize", SEED, "--max-runs", "0"), "1..100000000"),
    (("minimize", SEED, "--max-runs", "-3"), "1..100000000"),
    (("repro", SEED, "--ram-mb", "abc"), "0..4096"),
    (("repro", SEED, "--ram-mb", "5000"), "0..4096"),
    (("repro", SEED, "--ram-mb", "8"), "16..4096"),
    (("show", SEED, "--ram-mb", "-1"), "0..4096"),
    (("convert", SEED, "TMP/x.bin", "--ram-mb", "0x"), "0..4096"),
    (("replay-qemu", SEED, "--smp", "1"), "2.."),
    (("replay-qemu", SEED, "--smp", "abc"), "2.."),
    (("replay-qemu", SEED, "--timeout", "0"), "1..86400"),
    (("replay-qemu", SEED, "--batch", "0"), "1.."),
]


def case_numeric_flags():
    out_dir = tmp("never-made/campaign")
    for args, rng in NUMERIC:
        args = tuple(tmp(a[4:]) if a.startswith("TMP/") else a for a in args)
        extra = ("--out", out_dir, "--fuzzer", "/bin/false") if args[0] == "run" else ()
        flag = next(a for a in args if a.startswith("--"))
        one_line_exit_2(args + extra, (flag, rng))
    expect(not os.path.exists(out_dir), "a refused run creates nothing")
    one_line_exit_2(("bench", "--only", "foo"), ("--only foo", "oracles", "ram", "cpus"))
    one_line_exit_2(("bench", "--only", "oracles,foo"), ("oracles, ram, cpus",))
    one_line_exit_2(("bench", "--only", ""), ("oracles, ram, cpus",))
    one_line_exit_2(("run", "--jobs"), ("--jobs needs a value",))
    # the accepted forms of a number
    rc, out, _ = run("repro", SEED, "--ram-mb", "0x40")
    expect(rc == 0 and "no violation" in out, "--ram-mb 0x40 (hexadecimal) is 64 MiB")


def case_opt_equals():
    rc, out, _ = run("repro", ATTACK, "--target=vanilla", "--oracles=ni")
    expect(rc == 1 and "violation noninterference" in out, f"repro --target=vanilla --oracles=ni: exit {rc}")
    out_bin = tmp("eq.bin")
    rc, _, _ = run("convert", SEED, out_bin, "--to=binary")
    expect(rc == 0 and os.path.getsize(out_bin) > 0 and b"register_vm" not in open(out_bin, "rb").read(),
           f"convert --to=binary: exit {rc}")
    out_min = tmp("eq-min.txt")
    rc, _, _ = run("minimize", ATTACK, "--target=vanilla", "--oracles=ni", f"--out={out_min}", "--max-runs=200")
    expect(rc == 1 and os.path.exists(out_min), f"minimize --out=FILE --max-runs=N: exit {rc}")
    one_line_exit_2(("run", "--jobs=0", "--fuzzer=/bin/false"), ("--jobs 0", "1..16"))
    one_line_exit_2(("bench", "--only=foo"), ("--only foo",))
    one_line_exit_2(("repro", SEED, "--json=yes"), ("--json takes no value",))
    one_line_exit_2(("repro", SEED, "--target=xen"), ("--target xen", "kcore", "vanilla"))
    rc, out, _ = run("replay-qemu", "--smp=3", "--timeout=5", "--batch=2", "--help")
    expect(rc == 0 and "--smp" in out, "replay-qemu --smp=3 --timeout=5 --batch=2 parse")
    rc, out, _ = run("bench", "--mutations=0", "--passes=1", "--only=ram", "--chunk=64")
    expect(rc == 0 and "RAM 4096 MiB" in out, f"bench --mutations=0 --passes=1 --only=ram: exit {rc}")


def spent_campaign(name, crashes, target, oracles):
    """A campaign directory whose budget is spent, with the given programs
    as the engine's crashes: `isofuzz run` on it only makes the findings."""
    out = tmp(name + "/state", text=f"engine libfuzzer\ntarget {target}\noracles {oracles}\njobs 1\n"
                                    f"budget 1\nspent 1\nsessions 1\n")
    out = os.path.dirname(out)
    os.makedirs(os.path.join(out, "crashes"), exist_ok=True)
    for n, prog in enumerate(crashes):
        rc, _, err = run("convert", prog, os.path.join(out, "crashes", f"crash-{n}"), "--to", "binary",
                         "--target", target)
        expect(rc == 0, f"convert {prog} to a crash input: {err.strip()}")
    return out


def run_findings(out, target, oracles):
    return run("run", "--out", out, "--target", target, "--oracles", oracles, "--time", "1",
               "--fuzzer", "/bin/false", "--corpus", src("corpus/seeds"))


def case_exit_statuses():
    # repro, minimize, show, convert, ops
    table = [
        (("repro", SEED), 0), (("repro", ATTACK, "--target", "vanilla", "--oracles", "ni"), 1),
        (("repro", tmp("none/x.txt")), 2), (("repro",), 2),
        (("minimize", SEED), 0), (("minimize", ATTACK, "--target", "vanilla", "--oracles", "ni",
                                   "-o", tmp("m.txt")), 1),
        (("minimize", tmp("none/x.txt")), 2), (("minimize", SEED, "--bogus"), 2),
        (("show", SEED), 0), (("show", tmp("bad.txt", text="cpu0 fly\n")), 2), (("show",), 2),
        (("convert", SEED, tmp("c.bin")), 0), (("convert", SEED), 2), (("convert", SEED, "a", "b"), 2),
        (("ops",), 0), (("ops", "extra"), 2), (("ops", "--bogus"), 2),
        (("replay-qemu",), 2), (("replay-qemu", tmp("none/x.txt"), "--qemu", "/bin/false"), 2),
        (("replay-qemu", SEED, "--bogus"), 2),
        (("bench", "--bogus"), 2), (("bench", "--corpus", tmp("none")), 2),
        (("run", "--bogus"), 2), (("run", "--fuzzer", "/bin/false", "--engine", "honggfuzz"), 2),
        (("frobnicate",), 2), ((), 2),
    ]
    for args, want in table:
        rc, _, err = run(*args)
        expect(rc == want and (want != 2 or err.strip()), f"isofuzz {' '.join(args)}: exit {rc}, want {want}")
    # run without a fuzz target cannot run: 2
    env_less = dict(os.environ)
    env_less.pop("ISOFUZZ_FUZZER", None)
    p = subprocess.run([ISOFUZZ, "run", "--out", tmp("nofuzzer")], capture_output=True, text=True, env=env_less)
    expect(p.returncode == 2 and "--fuzzer" in p.stderr, f"run without a fuzz target: exit {p.returncode}")
    # run's findings: 1 when a saved crash gives a violation, 0 without one
    bad = spent_campaign("vanilla-campaign", [src(ATTACK)], "vanilla", "ni")
    rc, out, err = run_findings(bad, "vanilla", "ni")
    expect(rc == 1 and "finding: noninterference" in out, f"run with a violating crash: exit {rc} {err.strip()}")
    clean = spent_campaign("clean-campaign", [], "kcore", "all")
    rc, out, err = run_findings(clean, "kcore", "all")
    expect(rc == 0 and "0 findings" in out, f"run without crashes: exit {rc} {err.strip()}")
    # run --replay exits by what it replays
    rc, out, _ = run("run", "--replay", "--out", bad, "--target", "vanilla", "--oracles", "ni")
    expect(rc == 1 and re.search(r"replayed \d+ inputs.*, [1-9]\d* with a violation", out),
           f"run --replay of a campaign with a violating crash: exit {rc}, {out.strip()}")
    rc, out, _ = run("run", "--replay", "--out", clean)
    expect(rc == 0 and ", 0 with a violation" in out, f"run --replay of a clean campaign: exit {rc}")
    for missing in (tmp("no-such-campaign"), tmp("empty-dir/.keep", text="")):
        d = os.path.dirname(missing) if missing.endswith(".keep") else missing
        rc, _, err = run("run", "--replay", "--out", d)
        expect(rc == 2 and err.strip(), f"run --replay --out {os.path.basename(d)}: exit {rc}, {err.strip()}")


def case_directory_input():
    d = src("corpus")
    for args in (("repro", d), ("minimize", d), ("show", d), ("convert", d, tmp("x.txt"))):
        rc, out, err = run(*args)
        expect(rc == 2 and "is a directory" in err and out == "",
               f"isofuzz {args[0]} DIR: exit {rc}, {err.strip()!r}")


def case_oversized_input():
    big = tmp("big.bin", data=bytes(50 * 1000 * 1000))
    rc, out, err = run("repro", big)
    lines = err.strip().splitlines()
    expect(len(lines) == 1 and "50000000 bytes" in err and "first 512" in err,
           f"a 50 MB input is cut to 512 steps with one line: {err.strip()!r}")
    rc2, out2, _ = run("repro", big, "--json")
    expect(rc2 == rc and out2.strip().startswith("{"), "the note goes to stderr, not into --json's output")
    rc, _, err = run("replay-qemu", big, "--qemu", "/bin/false", "--timeout", "5")
    expect(rc == 2 and "first 512" in err, f"replay-qemu says so too (before QEMU fails): exit {rc}")
    fits = tmp("fits.bin", data=bytes(5 + 6 * 512))
    rc, _, err = run("repro", fits)
    expect(err == "", f"an input of exactly 512 steps gets no note: {err.strip()!r}")
    rc, _, err = run("repro", tmp("fits-plus.bin", data=bytes(5 + 6 * 513)))
    expect("hold 513 steps" in err, f"one step too many is noted: {err.strip()!r}")


def case_finding_config():
    out = spent_campaign("found", [src(ATTACK)], "vanilla", "ni")
    rc, stdout, err = run_findings(out, "vanilla", "ni")
    progs = [os.path.join(r, "program.txt") for r, _, fs in os.walk(os.path.join(out, "findings"))
             if "program.txt" in fs]
    expect(rc == 1 and len(progs) == 1, f"the campaign wrote one finding: exit {rc}, {progs}")
    if not progs:
        return
    prog = progs[0]
    rc, stdout, err = run("repro", prog)
    expect(rc == 1 and "violation noninterference" in stdout and "vanilla" in err,
           f"repro FINDING (no flags) replays on vanilla with oracle ni: exit {rc}, {err.strip()}")
    mini = tmp("finding-min.txt")
    rc, _, err = run("minimize", prog, "-o", mini)
    expect(rc == 1 and os.path.exists(mini), f"minimize FINDING (no flags): exit {rc}, {err.strip()}")
    rc, _, _ = run("repro", mini, "--target", "vanilla", "--oracles", "ni")
    expect(rc == 1, "the minimized finding still gives the violation on vanilla")
    rc, _, err = run("repro", prog, "--target", "kcore")
    expect(rc == 0 and "target kcore, oracles ni" in err, f"--target overrides the finding's: exit {rc}")
    rc, _, err = run("repro", prog, "--oracles", "none")
    expect(rc == 0 and "target vanilla, oracles none" in err, f"--oracles overrides the finding's: exit {rc}")
    rc, _, _ = run("repro", prog, "--target", "kcore", "--oracles", "all")
    expect(rc == 0, "with both given the finding's files are not needed")
    # a crash the engine saved, by the campaign's state
    crash = os.path.join(out, "crashes", "crash-0")
    rc, _, err = run("repro", crash)
    expect(rc == 1 and "state" in err, f"repro of a saved crash takes the campaign's state: exit {rc}, {err.strip()}")
    rc, stdout, _ = run("show", crash)
    rc_k, stdout_k, _ = run("show", crash, "--target", "kcore")
    expect(rc == 0 and rc_k == 0, "show of a saved crash")
    # a program away from any campaign keeps the defaults
    rc, _, err = run("repro", src(ATTACK))
    expect(rc == 0 and err == "", "a program with no finding files runs on kcore with all oracles")


def case_run_stopped():
    import signal
    import time
    fuzzer = os.environ["ISOFUZZ_FUZZER"]
    out = tmp("stopped")
    cmd = [ISOFUZZ, "run", "--out", out, "--time", "300", "--jobs", "1", "--fuzzer", fuzzer,
           "--corpus", src("corpus/seeds")]
    for sig in (signal.SIGINT, signal.SIGTERM):
        p = subprocess.Popen(cmd, cwd=SOURCE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        time.sleep(4)
        p.send_signal(sig)
        try:
            log = p.communicate(timeout=60)[0]
        except subprocess.TimeoutExpired:
            p.kill()
            log = p.communicate()[0]
        expect(p.returncode == 130 and "resumes" in log,
               f"run stopped by {sig.name}: exit {p.returncode}, {log.strip().splitlines()[-1:]}")
    with open(os.path.join(out, "state")) as f:
        expect("sessions 2" in f.read(), "the second run resumed the first")


def main():
    global ISOFUZZ, SOURCE, TMP
    if len(sys.argv) != 4:
        print(__doc__)
        sys.exit(2)
    ISOFUZZ, SOURCE, name = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2]), sys.argv[3]
    fn = globals().get("case_" + name)
    if not fn:
        print(__doc__)
        sys.exit(2)
    with tempfile.TemporaryDirectory(prefix="isofuzz-cli-") as TMP:
        fn()
    if failures:
        print(f"FAIL: {len(failures)} checks failed")
        sys.exit(1)


if __name__ == "__main__":
    main()
