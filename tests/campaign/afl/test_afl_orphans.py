#!/usr/bin/env python3
"""AFL++ campaigns leave no process behind: not after running their time,
not after a kill -9 of the campaign alone, and not when afl-fuzz itself
is killed with SIGKILL (as a stop does to an engine slow to end): its fork
server, which leaves the group with setsid, and the persistent child
stopped between inputs must end too, not wait stopped under init.  Runs in
the AFL++ build directory.

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

    c.budget = 120
    c.start()
    t.expect(running_target(c), "the target was running")
    os.kill(c.proc.pid, signal.SIGKILL)
    c.finish()
    t.expect(c.gone_within(2), "after kill -9 of the campaign alone nothing is left (left: %s)"
             % c.describe(c.alive()))

    c.start()
    t.expect(running_target(c), "the target was running again")
    for d in c.describe(c.alive()):
        if " afl-fuzz " in d:
            os.kill(int(d.split()[0]), signal.SIGKILL)
    time.sleep(2)
    left = [d for d in c.describe(c.alive()) if "isofuzz-afl" in d]
    t.expect(not left, "after SIGKILL of afl-fuzz no target process is left: %s" % left)
    c.kill_tree()
    c.finish()
    return t.result()


def running_target(c):
    """Wait until the persistent child runs, then a little longer."""
    end = time.monotonic() + 60
    while time.monotonic() < end and sum("isofuzz-afl" in d for d in c.describe(c.alive())) < 2:
        time.sleep(0.2)
    time.sleep(2)
    return sum("isofuzz-afl" in d for d in c.describe(c.alive())) >= 2


if __name__ == "__main__":
    sys.exit(main())
