#!/usr/bin/env python3
"""An input's coverage is a function of that input alone: run in one
persistent AFL++ target after different inputs, the same input gives the
same coverage map.  Coverage that also depends on the input before it
(the machine undoing what that one changed) makes afl-fuzz mark the edges
variable, re-run every such input many times in calibration, and credit
an input with paths it did not take.  The process's very first run is
left out: it also runs the one-time set-up.  Runs in the AFL++ build
directory.

Environment: ISOFUZZ, ISOFUZZ_FUZZER (the AFL++ build), SOURCE_ROOT, WORK."""

import os
import shutil
import signal
import subprocess
import sys

ISOFUZZ = os.environ["ISOFUZZ"]
FUZZER = os.environ["ISOFUZZ_FUZZER"]
SOURCE = os.environ["SOURCE_ROOT"]
WORK = os.path.join(os.environ["WORK"], "stable-coverage")

# Seeds that leave different amounts of state behind them.
SEEDS = ["boot-full-image", "dma-map-race", "grant-revoke", "ioremap",
         "kserv-attacks", "machine-events", "map-race", "rejected-calls"]


def fresh(path):
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    return path


def binary_seeds():
    out = fresh(os.path.join(WORK, "seeds"))
    for s in SEEDS:
        subprocess.run([ISOFUZZ, "convert", "--to", "binary",
                        os.path.join(SOURCE, "corpus", "seeds", s + ".txt"),
                        os.path.join(out, s + ".bin")], check=True,
                       stdout=subprocess.DEVNULL)
    return out


def schedule(seeds):
    """Every seed after every other seed, in one directory whose names
    sort into the order they run."""
    order = [SEEDS[0]]
    for a in SEEDS:
        for b in SEEDS:
            if a != b:
                order += [a, b]
    inputs = fresh(os.path.join(WORK, "in"))
    for i, s in enumerate(order):
        shutil.copy(os.path.join(seeds, s + ".bin"),
                    os.path.join(inputs, "%05d-%s" % (i, s)))
    return inputs


def main():
    if shutil.which("afl-showmap") is None:
        print("afl-showmap not installed")
        return 77
    inputs = schedule(binary_seeds())
    # afl-showmap's default timeout signal (SIGKILL): the persistent loop;
    # a catchable one, as campaigns set: the target answers directly
    # (harness/engines/fuzz_afl.c)
    return max(check(inputs, "persistent loop", None), check(inputs, "direct", str(int(signal.SIGRTMIN + 1))))


def check(inputs, mode, kill_signal):
    maps = fresh(os.path.join(WORK, "maps"))
    env = dict(os.environ, AFL_QUIET="1")
    env.pop("AFL_KILL_SIGNAL", None)
    if kill_signal:
        env["AFL_KILL_SIGNAL"] = kill_signal
    subprocess.run(["afl-showmap", "-q", "-i", inputs, "-o", maps, "--", FUZZER],
                   env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    names = sorted(os.listdir(inputs))
    if sorted(os.listdir(maps)) != names:
        print("afl-showmap wrote %d maps for %d inputs" % (len(os.listdir(maps)), len(names)))
        return 1
    first_map = {}
    bad = []
    for i, n in enumerate(names[1:], 1):
        seed = n.split("-", 1)[1]
        with open(os.path.join(maps, n)) as f:
            m = f.read()
        if seed not in first_map:
            first_map[seed] = (n, names[i - 1], m)
        elif m != first_map[seed][2]:
            bad.append("%s after %s differs from %s after %s"
                       % (seed, names[i - 1].split("-", 1)[1], seed, first_map[seed][1].split("-", 1)[1]))
    if bad:
        print("%s: coverage depends on the input before:\n  " % mode + "\n  ".join(bad[:10]))
        print("(%d of %d runs)" % (len(bad), len(names) - 1))
        return 1
    print("%s: %d runs of %d seeds: each seed's coverage the same after every other seed"
          % (mode, len(names) - 1, len(SEEDS)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
