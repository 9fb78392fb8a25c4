#!/usr/bin/env python3
"""isofuzz bench runs every configuration on the same inputs.

    check_bench.py ISOFUZZ SEEDS_DIR TMPDIR

Runs a small benchmark (2 mutations, every group) and checks its CSV:
the default configuration first with ratio 1, one row per oracle switched
off, one per oracle on alone, all off (cost 1 against itself), the large
RAM and the four CPU counts; every row ran every input once per pass,
found no violation on the seeds and took time.
"""
import csv
import os
import subprocess
import sys


def main():
    isofuzz, seeds, tmp = sys.argv[1:4]
    os.makedirs(tmp, exist_ok=True)
    out = os.path.join(tmp, "bench.csv")
    nseeds = len([n for n in os.listdir(seeds) if n.endswith(".txt")])
    r = subprocess.run([isofuzz, "bench", "--corpus", seeds, "--mutations", "2", "--chunk", "5",
                        "--passes", "2", "--large-ram-mb", "128", "--only", "oracles,ram,cpus",
                        "--csv", out],
                       capture_output=True, text=True)
    if r.returncode != 0:
        print(r.stdout, r.stderr)
        return 1
    with open(out, newline="") as f:
        rows = list(csv.DictReader(f))
    names = [row["configuration"] for row in rows]
    want = (["default: all oracles, 64 MiB"]
            + [f"oracle {o} off" for o in ("refine", "isolation", "tlb", "cache", "lock", "ni", "integrity")]
            + [f"{o} alone" for o in ("refine", "isolation", "tlb", "cache", "lock", "ni", "integrity")]
            + ["all oracles off", "RAM 128 MiB", "1 CPU", "2 CPUs", "4 CPUs", "8 CPUs"])
    errors = []
    if names != want:
        errors.append(f"configurations {names}, expected {want}")
    for row in rows:
        if int(row["execs"]) != 2 * (nseeds + 2):
            errors.append(f"{row['configuration']}: {row['execs']} execs, expected {2 * (nseeds + 2)}")
        if float(row["seconds"]) <= 0:
            errors.append(f"{row['configuration']}: no time measured")
        if int(row["violations"]) != 0 and row["configuration"] not in ("all oracles off", "isolation alone"):
            errors.append(f"{row['configuration']}: {row['violations']} violations on the seeds")
    if rows and abs(float(rows[0]["ratio"]) - 1) > 1e-9:
        errors.append(f"default ratio {rows[0]['ratio']}, expected 1")
    off = [row for row in rows if row["configuration"] == "all oracles off"]
    if off and off[0]["oracles"] != "0":
        errors.append("'all oracles off' runs with oracles on")
    if off and abs(float(off[0]["cost_vs_all_off"]) - 1) > 1e-9:
        errors.append(f"'all oracles off' costs {off[0]['cost_vs_all_off']} against itself")
    for e in errors:
        print(e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
