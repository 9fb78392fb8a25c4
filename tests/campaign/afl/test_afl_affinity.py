#!/usr/bin/env python3
"""An AFL++ campaign binds each instance, with its fork server and its
target, to one core of its own when one is free (every input crosses
between them by wake-ups, which on one core are hand-offs), and still runs
every instance when no core is free (more jobs than cores).  Runs in the
AFL++ build directory.

Environment: ISOFUZZ, ISOFUZZ_FUZZER (the AFL++ build), SOURCE_ROOT, WORK."""

import glob
import os
import sys
import time

from campaign_procs import Campaign, Checks


def cpus_allowed(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("Cpus_allowed_list:"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return None


def engine_cpus(c):
    """The CPU lists of afl-fuzz and of the target's processes, once the
    persistent child runs."""
    end = time.monotonic() + 60
    while time.monotonic() < end and c.proc.poll() is None:
        procs = [d.split() for d in c.describe(c.alive())]
        fuzzers = [int(p[0]) for p in procs if p[1] == "afl-fuzz"]
        targets = [int(p[0]) for p in procs if p[1] == "isofuzz-afl"]
        if fuzzers and len(targets) >= 2:
            return {pid: cpus_allowed(pid) for pid in fuzzers + targets}
        time.sleep(0.2)
    return {}


def main():
    os.environ.setdefault("AFL_NO_UI", "1")
    os.environ.pop("AFL_NO_AFFINITY", None)
    os.environ.pop("AFL_TRY_AFFINITY", None)
    t = Checks()

    c = Campaign("afl-affinity", 15, jobs=1)
    c.fresh()
    c.extra = ["--engine", "afl"]
    c.start()
    cpus = engine_cpus(c)
    rc, out = c.finish()
    sys.stdout.write(out)
    logs = "".join(open(p, errors="replace").read() for p in glob.glob(os.path.join(c.out, "logs", "afl-*.log")))
    t.expect(rc == 0, "the campaign ran (exit %d)" % rc)
    t.expect(bool(cpus), "the engine's processes were seen running")
    if "CPU cores on your system are allocated" in logs:
        print("other AFL++ instances hold every core: the binding is not checked", flush=True)
    else:
        lists = set(cpus.values())
        t.expect(len(lists) == 1 and all(l and l.isdigit() for l in lists),
                 "afl-fuzz and its target run on one core: %s" % cpus)

    more = (os.cpu_count() or 1) + 1
    c = Campaign("afl-affinity-more-jobs", 10, jobs=more)
    c.fresh()
    c.extra = ["--engine", "afl"]
    c.start()
    rc, out = c.finish()
    sys.stdout.write(out)
    t.expect(rc == 0, "%d jobs on %d cores: the campaign ran (exit %d)" % (more, more - 1, rc))
    stats = glob.glob(os.path.join(c.out, "afl", "*", "fuzzer_stats"))
    t.expect(len(stats) == more, "every one of the %d instances ran to its end: %s" % (more, stats))
    return t.result()


if __name__ == "__main__":
    sys.exit(main())
