#!/usr/bin/env python3
"""An AFL++ campaign on a target where every seed violates (vanilla) still
fuzzes, and reports findings: afl-fuzz passes over the violating seeds
instead of refusing to start, runs from the clean seed the campaign adds,
and the violating seeds are replayed as findings with the engine's crashes.
Runs in the AFL++ build directory.

Environment: ISOFUZZ, ISOFUZZ_FUZZER (the AFL++ build), SOURCE_ROOT, WORK."""

import glob
import os
import sys

from campaign_procs import Campaign, Checks


def main():
    os.environ.setdefault("AFL_NO_UI", "1")
    t = Checks()
    c = Campaign("afl-seed-findings", 10, target="vanilla", jobs=1)
    c.fresh()
    c.extra = ["--engine", "afl"]
    c.start()
    rc, out = c.finish()
    sys.stdout.write(out)
    logs = "".join(open(p, errors="replace").read() for p in glob.glob(os.path.join(c.out, "logs", "afl-*.log")))
    t.expect("at least one valid input seed" not in logs, "afl-fuzz started with every given seed violating")
    t.expect(rc == 1, "the campaign reports a violation (exit %d)" % rc)
    findings = glob.glob(os.path.join(c.out, "findings", "*", "*", "program.txt"))
    t.expect(len(findings) >= 1, "findings written: %d" % len(findings))
    execs = 0
    for p in glob.glob(os.path.join(c.out, "afl", "*", "fuzzer_stats")):
        for line in open(p):
            if line.startswith("execs_done"):
                execs += int(line.split(":")[1])
    t.expect(execs > 100, "afl-fuzz fuzzed: %d execs" % execs)
    return t.result()


if __name__ == "__main__":
    sys.exit(main())
