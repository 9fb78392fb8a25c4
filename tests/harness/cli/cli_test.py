#!/usr/bin/env python3
"""The isofuzz command as users see it.

    cli_test.py ISOFUZZ SOURCE_ROOT CASE

Cases:
  exit_codes          repro: 0 clean, 1 violation, 2 bad input or usage
  malformed_text      each class of text error: "FILE:LINE: reason", exit 2
  convert_roundtrip   text -> binary -> text gives the canonical text, and
                      binary -> text -> binary the same bytes
  minimize_finding    minimize shortens a baseline finding to a program
                      that still gives the same violation kind
"""
import json
import os
import subprocess
import sys
import tempfile

ISOFUZZ = SOURCE = TMP = None
SEED = "corpus/seeds/vm-lifecycle.txt"
ATTACK = "corpus/attacks/kserv-reads-vm-page.txt"
failures = []


def run(*args):
    p = subprocess.run([ISOFUZZ, *args], capture_output=True, text=True, timeout=300)
    return p.returncode, p.stdout, p.stderr


def expect(cond, what):
    print(("ok:   " if cond else "FAIL: ") + what)
    if not cond:
        failures.append(what)


def src(rel):
    return os.path.join(SOURCE, rel)


def tmp(name, text=None, data=None):
    path = os.path.join(TMP, name)
    if text is not None:
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
    if data is not None:
        with open(path, "wb") as f:
            f.write(data)
    return path


def case_exit_codes():
    rc, out, _ = run("repro", src(SEED))
    expect(rc == 0 and "no violation" in out, "repro of a seed on KCore: exit 0, no violation")
    rc, out, _ = run("repro", src(ATTACK), "--target", "vanilla", "--oracles", "ni")
    expect(rc == 1 and "violation noninterference" in out, "repro of an attack on the baseline: exit 1")
    rc, out, _ = run("repro", src(ATTACK), "--target", "vanilla", "--oracles", "ni", "--json")
    expect(rc == 1 and json.loads(out)["kind"] == "noninterference", "--json names the violation")
    rc, out, _ = run("repro", src(SEED), "--json")
    expect(rc == 0 and json.loads(out)["violation"] is None, "--json of a clean run")
    rc, _, _ = run("repro", tmp("empty.bin", data=b""))
    expect(rc == 0, "the empty binary input is the empty program: exit 0")
    # Without an extension, printable bytes are a text program only if they
    # start like one; else they are a fuzz input as any bytes are.
    for data in (b".", b"hello\n", b"= 42"):
        rc, _, err = run("repro", tmp("kept-" + data.hex(), data=data))
        expect(rc in (0, 1), f"the kept fuzz input {data!r} replays as a fuzz input (exit {rc}, {err.strip()})")
    rc, out, _ = run("show", tmp("program-without-extension", data=b"# a program\n\ncpu0 register_vm\n"))
    expect(rc == 0 and "register_vm" in out, "a text program without .txt is read as text")
    rc, _, err = run("show", tmp("bad-program-without-extension", data=b"cpu0 fly\n"))
    expect(rc == 2 and "bad-program-without-extension:1:" in err, "and a malformed one gives FILE:LINE, exit 2")
    usage = [
        ("repro", tmp("nonexistent-dir/none.txt")),
        ("repro",),
        ("repro", src(SEED), "--target", "xen"),
        ("repro", src(SEED), "--oracles", "refine,bogus"),
        ("repro", src(SEED), "--no-such-option", "1"),
        ("repro", src(SEED), src(SEED)),
        ("repro", src(SEED), "--target"),
        ("frobnicate",),
        (),
        ("convert", src(SEED)),
        ("convert", src(SEED), tmp("x.bin"), "--to", "yaml"),
        ("show", tmp("bad.txt", text="cpu0 fly\n")),
    ]
    for args in usage:
        rc, _, err = run(*args)
        expect(rc == 2 and err.strip() != "", f"isofuzz {' '.join(args)}: exit 2 with a message")
    rc, out, _ = run("ops")
    expect(rc == 0 and "kserv_read" in out and "cache_evict" in out, "ops lists the step kinds")


# (text, line the error is on, words the reason must contain)
MALFORMED = [
    ("cpu0 register_vm\ncpu0 fly_away\n", 2, "unknown step"),
    ("# comment\n\nregister_vm\n", 3, "expected cpuN"),
    ("cpuX register_vm\n", 1, "bad cpu"),
    ("config cpus=2\ncpu2 register_vm\n", 2, "beyond the config"),
    ("cpu0\n", 1, "missing step kind"),
    ("cpu0 clear_vm vm=1 colour=2\n", 1, "unknown argument"),
    ("cpu0 clear_vm vm=1 vm=2\n", 1, "given twice"),
    ("cpu0 map_vm_page vm=1 gfn=0x80000\n", 1, "missing argument"),
    ("cpu0 kserv_read pa=0x1000 nc=1\n", 1, "takes no value"),
    ("cpu0 clear_vm vm\n", 1, "needs a value"),
    ("cpu0 clear_vm vm=\n", 1, "bad number"),
    ("cpu0 clear_vm vm=0x\n", 1, "bad number"),
    ("cpu0 clear_vm vm=12abc\n", 1, "bad number"),
    ("cpu0 clear_vm vm=0x10000000000000000\n", 1, "bad number"),
    ("cpu0 guest_read gfn=0x80000 off=0x1000\n", 1, "out of range"),
    ("config cpus=9\n", 1, "out of range"),
    ("config cpus=0\n", 1, "out of range"),
    ("cpu0 register_vm\nschedule 0 1 256\n", 2, "out of range"),
    ("cpu0 kserv_load img=huge idx=0 pfn=0x400e0\n", 1, "unknown image"),
    ("cpu0 register_vm\nconfig cpus=2\n", 2, "config after steps"),
    ("config cpus=2\nconfig cpus=2\n", 2, "config given twice"),
    ("config\n", 1, "config needs cpus"),
    ("".join("cpu0 register_vm\n" for _ in range(513)), 513, "too many steps"),
    ("schedule" + " 0" * 4097 + "\n", 1, "schedule too long"),
]


def case_malformed_text():
    for n, (text, line, reason) in enumerate(MALFORMED):
        path = tmp(f"malformed-{n}.txt", text=text)
        for cmd in ("repro", "show"):
            rc, out, err = run(cmd, path)
            first = err.splitlines()[0] if err else ""
            ok = rc == 2 and first.startswith(f"{path}:{line}: ") and reason in first
            expect(ok, f"{cmd} {text[:30]!r}...: exit {rc}, '{first}' (want {path}:{line}: ...{reason}...)")
            expect(out == "", f"{cmd} prints no trace for a malformed program")


def read(path, mode="r"):
    with open(path, mode) as f:
        return f.read()


def text_programs():
    out = []
    for d in ("seeds", "attacks", "benign"):
        base = src(os.path.join("corpus", d))
        out += [os.path.join(base, f) for f in sorted(os.listdir(base)) if f.endswith(".txt")]
    return out


def case_convert_roundtrip():
    progs = text_programs()
    expect(len(progs) >= 10, f"{len(progs)} text programs in the corpus")
    for n, path in enumerate(progs):
        name = os.path.basename(path)
        rc, canonical, _ = run("show", path)
        bin1, txt1, bin2 = tmp(f"p{n}.bin"), tmp(f"p{n}.txt"), tmp(f"p{n}-again.bin")
        ok = rc == 0 and run("convert", path, bin1)[0] == 0 and run("convert", bin1, txt1)[0] == 0
        expect(ok and read(txt1) == canonical, f"{name}: text -> binary -> text is the canonical text")
        ok = ok and run("convert", txt1, bin2, "--to", "binary")[0] == 0
        expect(ok and read(bin1, "rb") == read(bin2, "rb"), f"{name}: binary -> text -> binary is the same bytes")
        # the canonical text is a fixed point and replays as the original
        rc_a, out_a, _ = run("repro", path, "--json")
        rc_b, out_b, _ = run("repro", txt1, "--json")
        expect((rc_a, out_a) == (rc_b, out_b), f"{name}: the converted program replays the same")


def steps_of(path):
    rc, out, _ = run("show", path)
    return [line for line in out.splitlines() if line.startswith("cpu")] if rc == 0 else None


def minimize_one(path, oracles, kinds):
    name = os.path.basename(path)
    out_path = tmp(f"min-{oracles.strip('-')}-{name}")
    rc, out, _ = run("repro", path, "--target", "vanilla", "--oracles", oracles, "--json")
    kind = json.loads(out)["kind"] if rc == 1 else None
    expect(kind in kinds, f"{name} on the baseline ({oracles}): {kind}")
    rc, _, err = run("minimize", path, "-o", out_path, "--target", "vanilla", "--oracles", oracles)
    expect(rc == 1 and os.path.exists(out_path), f"minimize {name}: exit {rc} (1: a violation kept), {err.strip()}")
    if not os.path.exists(out_path):
        return
    before, after = steps_of(path), steps_of(out_path)
    expect(after is not None and len(after) < len(before),
           f"minimize {name}: {len(before)} steps -> {len(after) if after else '?'}")
    rc, out, _ = run("repro", out_path, "--target", "vanilla", "--oracles", oracles, "--json")
    expect(rc == 1 and json.loads(out)["kind"] == kind, f"the minimized program still gives {kind}")
    rc, _, _ = run("repro", out_path)
    expect(rc == 0, "the minimized program is clean on KCore")


def case_minimize_finding():
    minimize_one(src(ATTACK), "ni", {"noninterference"})
    minimize_one(src("corpus/attacks/dma-into-vm-and-kcore.txt"), "-refine",
                 {"table-reach", "kserv-reach", "vm-reach", "dma-reach"})
    rc, _, err = run("minimize", src(SEED))
    expect(rc == 0 and "no violation" in err, "minimize of a clean program says so, exit 0")


def main():
    global ISOFUZZ, SOURCE, TMP
    if len(sys.argv) != 4:
        print(__doc__)
        sys.exit(2)
    ISOFUZZ, SOURCE, name = os.path.abspath(sys.argv[1]), sys.argv[2], sys.argv[3]
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
