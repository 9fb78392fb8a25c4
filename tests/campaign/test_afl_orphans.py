#!/usr/bin/env python3
"""AFL++ campaigns leave no process behind: not after running their time,
and not after a kill -9 of the campaign alone (afl-fuzz, its fork server,
which leaves the group with setsid, and the persistent child stopped
between inputs must all end).  Runs in the AFL++ build directory.

Environment: ISOFUZZ, ISOFUZZ_FUZZER (the AFL++ build), SOURCE_ROOT, WORK."""

import os
import signal
import sys
import time

from campaign_procs import Campaign, Checks


def main():
    os.environ.setdefault("AFL_NO_UI", "1")
    c, t = Campaign("afl-orphans", 8, jobs=1), Checks()
    c.fresh()
    c.extra = ["--engine", "afl"]
    c.start()
    rc, out = c.finish()
    sys.stdout.write(out)
    t.expect(rc == 0, "the campaign ran (exit %d)" % rc)
    t.expect(c.gone_within(2), "nothing is left after it ends (left: %s)" % c.describe(c.alive()))

    c.budget = 60
    c.start()
    end = time.monotonic() + 60
    while time.monotonic() < end and not any("isofuzz-afl" in d for d in c.describe(c.alive())):
        time.sleep(0.2)
    time.sleep(3)
    t.expect(any("isofuzz-afl" in d for d in c.describe(c.alive())), "the target was running")
    os.kill(c.proc.pid, signal.SIGKILL)
    c.finish()
    t.expect(c.gone_within(2), "after kill -9 of the campaign alone nothing is left (left: %s)"
             % c.describe(c.alive()))
    return t.result()


if __name__ == "__main__":
    sys.exit(main())
