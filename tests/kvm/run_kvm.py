#!/usr/bin/env python3
"""The real-KVM suite's driver: set up Debian's kernel (hyp/linux/setup.sh,
cached in the build directory), then run isofuzz against it and check
what it wrote.

  run_kvm.py setup  --setup SH --vmm VMM --linux DIR
  run_kvm.py compare --setup SH --vmm VMM --linux DIR --isofuzz EXE
                     [--plugin SO] [--image ELF] --out DIR CORPUS...
  run_kvm.py repro  --setup SH --vmm VMM --linux DIR --isofuzz EXE
                     --target T --expect TEXT... -- PROGRAM...

Exit 77 (skipped) when Debian's archive cannot be reached: never a pass.
"""

import argparse
import json
import os
import subprocess
import sys

SKIP = 77


def setup(a):
    p = subprocess.run([a.setup, a.linux, a.vmm], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    print(p.stdout, end="")
    return p.returncode


def check_compare(out, with_image, with_plugin):
    """Problems in compare.json, as sentences."""
    with open(os.path.join(out, "compare.json")) as f:
        r = json.load(f)
    bad = []
    if r["unexplained_mismatches"] != 0:
        bad.append(f"{r['unexplained_mismatches']} unexplained model/KVM mismatches")
    targets = (["kvm", "pkvm"] + (["kcore"] if with_image else [])) if with_plugin else []
    for t in targets:
        cost = r["el2_cost"][t]
        for op in ("hvc", "stage2_fault", "mmio_exit"):
            if not cost.get(op) or cost[op]["insns"] <= 0:
                bad.append(f"no EL2 count for {op} on {t}")
        if not cost["repeats"]:
            bad.append(f"EL2 counts on {t} differ between the two runs")
    for p in r["programs"]:
        o = p["outcome"]
        if p["corpus"] != "attacks":
            continue
        for t in ("kcore", "kcore-image"):
            if o[t]:
                bad.append(f"{p['path']} breaks {t}: {o[t]}")
        for t in ("kvm", "pkvm"):
            missing = set(o["vanilla"]) - set(o[t] or [])
            if missing and not p["explanation"]:
                bad.append(f"{p['path']}: {sorted(missing)} on vanilla, not on {t}, unexplained")
    return bad


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("mode", choices=["setup", "compare", "repro"])
    ap.add_argument("--setup", required=True)
    ap.add_argument("--vmm", required=True)
    ap.add_argument("--linux", required=True)
    ap.add_argument("--isofuzz")
    ap.add_argument("--plugin")
    ap.add_argument("--image")
    ap.add_argument("--out")
    ap.add_argument("--target")
    ap.add_argument("--expect", action="append", default=[])
    argv = sys.argv[1:]
    files = argv[argv.index("--") + 1:] if "--" in argv else []
    a = ap.parse_args(argv[:argv.index("--")] if "--" in argv else argv)
    a.files = files

    rc = setup(a)
    if rc != 0:
        return SKIP if rc == SKIP else 1
    if a.mode == "setup":
        return 0
    if a.mode == "repro":
        cmd = [a.isofuzz, "repro", "--target", a.target, "--linux", a.linux] + a.files
    else:
        # the residue scan reads all of RAM (a minute of TCG per boot): make compare-kvm has it
        cmd = [a.isofuzz, "compare", "--linux", a.linux, "--runs", "2", "--residue", "0", "--out", a.out] + a.files
        if a.plugin:
            cmd += ["--plugin", a.plugin]
    env = dict(os.environ)
    with_image = bool(a.image and os.path.exists(a.image))
    if with_image:
        env["ISOFUZZ_IMAGE"] = a.image
    else:
        env["ISOFUZZ_IMAGE"] = "/nonexistent"
        print("run_kvm: no KCore image (build-aarch64): its column is left out")
    print("run_kvm:", " ".join(cmd), flush=True)
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    print(p.stdout, end="")
    bad = [] if p.returncode == 0 else [f"exit status {p.returncode}"]
    if a.mode == "repro":
        bad += [f"no line says {t!r}" for t in a.expect if not any(t in l for l in p.stdout.splitlines())]
    elif p.returncode in (0, 1):
        if not a.plugin:
            print("run_kvm: no plugin (its header was not fetched): the EL2 counts are not checked")
        bad += check_compare(a.out, with_image, bool(a.plugin))
    for b in bad:
        print("run_kvm: FAIL:", b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
