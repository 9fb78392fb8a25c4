#!/usr/bin/env python3
"""A libFuzzer campaign's throughput, fuzzing the ASan+UBSan build (as
campaigns used to) against fuzzing the fast build with every kept input
re-run under ASan+UBSan (--recheck): both campaigns run at the same time
on the same machine, one job each, so load from elsewhere falls on both;
each is timed from start to exit (the re-run included).

    reports/campaign/campaign_speed.py [--seconds 60] [--target kcore] [--out out/speed]
"""

import argparse
import csv
import os
import shutil
import subprocess
import sys
import time


def total_execs(out):
    with open(os.path.join(out, "stats.csv"), newline="") as f:
        return sum(int(r["execs"]) for r in csv.DictReader(f) if int(r["final"]))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=int, default=60)
    ap.add_argument("--target", default="kcore")
    ap.add_argument("--out", default="out/speed")
    ap.add_argument("--isofuzz", default="build/harness/isofuzz")
    ap.add_argument("--asan", default="build-libfuzzer/harness/isofuzz-libfuzzer")
    ap.add_argument("--fast", default="build-libfuzzer-fast/harness/isofuzz-libfuzzer")
    a = ap.parse_args()
    runs = {"asan+ubsan build": ["--fuzzer", a.asan],
            "fast build, re-run under asan+ubsan": ["--fuzzer", a.fast, "--recheck", a.asan]}
    procs = {}
    for name, extra in runs.items():
        out = os.path.join(a.out, name.split()[0].replace("+", "-"))
        shutil.rmtree(out, ignore_errors=True)
        cmd = [a.isofuzz, "run", "--target", a.target, "--time", str(a.seconds), "--jobs", "1", "--out", out] + extra
        procs[name] = (out, time.monotonic(), subprocess.Popen(cmd, stdout=subprocess.DEVNULL))
    results = {}
    for name, (out, start, p) in procs.items():
        p.wait()
        results[name] = (total_execs(out), time.monotonic() - start, p.returncode)
    print("libFuzzer campaign, %s, %d s, 1 job each, run side by side:" % (a.target, a.seconds))
    for name, (execs, wall, rc) in results.items():
        print("  %-38s %9d execs in %5.1f s wall = %7.1f execs/s (exit %d)" % (name, execs, wall, execs / wall, rc))
    (b, bw, _), (f, fw, _) = results.values()
    print("  ratio (fast / asan+ubsan): %.2fx" % ((f / fw) / (b / bw) if b else float("inf")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
