#!/usr/bin/env python3
"""Ctrl-C: SIGINT to the campaign's foreground process group (as make
passes it on) prints "stopping", ends the campaign within 2 s with exit
130 and leaves no process and no libFuzzer temporary directory.  The last
progress line's rate is the campaign's own: its executions over its
elapsed time."""

import os
import re
import signal
import sys
import time

from campaign_procs import Campaign, Checks

LINE = re.compile(r"elapsed (\d+):(\d\d):(\d\d) .*\| (\d+) execs/s \| libFuzzer cov \d+ .*\| (\d+(?:\.\d+M)?) execs")


def main():
    c, t = Campaign("stop", 120), Checks()
    c.fresh()
    c.start()
    t.expect(c.wait_rows(1), "the engine's first reading was recorded")
    t0 = time.monotonic()
    os.killpg(c.proc.pid, signal.SIGINT)
    rc, out = c.finish(timeout=30)
    took = time.monotonic() - t0
    sys.stdout.write(out)
    t.expect(took <= 2.0, "stopped within 2 s (%.2f s)" % took)
    t.expect(rc == 130, "exit 130 (got %d)" % rc)
    t.expect("stopping" in out, "it said it was stopping")
    t.expect(c.gone_within(1), "no process of the campaign is left (%s)" % c.describe(c.alive()))
    t.expect(not c.temp_dirs(), "no libFuzzer temporary directory is left: %s" % c.temp_dirs())
    lines = [m for m in map(LINE.search, out.splitlines()) if m]
    t.expect(lines, "a progress line with figures was printed")
    for m in lines:
        elapsed = int(m.group(1)) * 3600 + int(m.group(2)) * 60 + int(m.group(3))
        total = m.group(5)
        if total.endswith("M"):
            continue
        t.expect(int(m.group(4)) == (int(total) // elapsed if elapsed else 0),
                 "the line's execs/s is its executions over its elapsed time: %s" % m.group(0))
    return t.result()


if __name__ == "__main__":
    sys.exit(main())
