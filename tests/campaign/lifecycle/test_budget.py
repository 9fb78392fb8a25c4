#!/usr/bin/env python3
"""A libFuzzer run ends at its budget.  A -fork parent gives each job its
own time (the job's number of seconds, up to 300) and waits for the jobs
it started, so with jobs that no longer die on a violation a run went on
for up to a job's length past its -max_total_time.  The campaign gives
each run a deadline (ISOFUZZ_RUN_DEADLINE_MS) that the fuzz target turns
into a -max_total_time no process of the run can pass, whatever it was
given (0, no limit, too).  A campaign on vanilla then ends its fuzzing
within a little of its budget, and records that as spent."""

import os
import re
import subprocess
import sys
import tempfile
import time

from campaign_procs import FUZZER, ROOT, Campaign, Checks

# After the deadline: the input running then, and the parent's merge of
# each last job's finds (a process per job, up to 2 s each in the ASan
# build on a loaded machine; a fraction of a second in the fast build
# campaigns fuzz).  Without the deadline the runs below go 60 s or forever.
SLACK = 4.0
BUDGET = 8


def deadline_run(t, fork, max_total_time, seconds):
    """The target alone, told its deadline `seconds` from now."""
    with tempfile.TemporaryDirectory() as d:
        os.makedirs(os.path.join(d, "corpus"))
        deadline = int(time.clock_gettime(time.CLOCK_MONOTONIC) * 1000) + seconds * 1000
        env = dict(os.environ, TMPDIR=d, ISOFUZZ_TARGET="vanilla", ISOFUZZ_RECORD_DIR=d,
                   ISOFUZZ_RUN_DEADLINE_MS=str(deadline))
        cmd = [FUZZER, "-fork=%d" % fork, "-ignore_crashes=1", "-max_total_time=%d" % max_total_time,
               os.path.join(d, "corpus"), os.path.join(ROOT, "corpus", "seeds")]
        p = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             start_new_session=True)
        try:
            p.wait(timeout=seconds + 20)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, 9)
            p.wait()
        late = time.clock_gettime(time.CLOCK_MONOTONIC) - deadline / 1000
        t.expect(late <= SLACK, "-fork=%d -max_total_time=%d with a deadline %d s away ended %.2f s after it"
                 % (fork, max_total_time, seconds, late))


def main():
    t = Checks()
    deadline_run(t, 2, 60, 6)
    deadline_run(t, 0, 0, 3)

    c = Campaign("budget", BUDGET, target="vanilla")
    c.fresh()
    start = time.monotonic()
    c.start()
    ended, out = None, []
    for line in c.proc.stdout:
        out.append(line)
        # the last progress line comes when the engine has ended
        if line.startswith("progress:") and " left 0:00:00 " in line and ended is None:
            ended = time.monotonic() - start
    c.proc.wait()
    sys.stdout.write("".join(out))
    t.expect(ended is not None and ended <= BUDGET + 1 + SLACK,
             "the fuzzing of a %d s campaign ended %s s after it started" % (BUDGET, ended and "%.2f" % ended))
    t.expect(not [ln for ln in out if "past its deadline" in ln], "no run had to be stopped at its deadline")
    state = dict(ln.split(None, 1) for ln in open(os.path.join(c.out, "state")).read().splitlines())
    t.expect(BUDGET <= int(state["spent"]) <= BUDGET + SLACK, "it spent its budget, not more than the slack (%s s)"
             % state["spent"])
    m = re.search(r"campaign: (\d+) s fuzzed", "".join(out))
    t.expect(m and m.group(1) == state["spent"], "and says so: %s" % (m and m.group(0)))
    return t.result()


if __name__ == "__main__":
    sys.exit(main())
