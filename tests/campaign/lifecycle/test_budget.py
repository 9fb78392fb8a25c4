#!/usr/bin/env python3
"""A libFuzzer run ends at its budget.  A -fork parent gives each job its
own time (the job's number of seconds, up to 300) and waits for the jobs
it started, so with jobs that no longer die on a violation a run went on
for up to a job's length past its -max_total_time.  The campaign gives
each run a deadline (ISOFUZZ_RUN_DEADLINE_MS) that the fuzz target turns
into a -max_total_time no process of the run can pass, whatever it was
given (0, no limit, too).  A campaign on vanilla then ends its fuzzing
within a little of its budget, and records that as spent; the re-check
of what the last run kept, which comes after the budget, adds nothing to
it, however long it takes."""

import os
import re
import subprocess
import sys
import tempfile
import time

from campaign_procs import FUZZER, ROOT, WORK, Campaign, Checks, write_stand_in

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


# A --recheck build that takes its time: its first process sleeps
# RECHECK_SLEEP s, then each behaves as libFuzzer does on clean files.
RECHECK_SLEEP = 2 * SLACK
SLOW_RECHECK = r'''#!/usr/bin/env python3
import os, sys, time
mark = os.path.join(os.path.dirname(sys.argv[0]), "slept")
if not os.path.exists(mark):
    open(mark, "w").close()
    time.sleep(%f)
for path in [a for a in sys.argv[1:] if not a.startswith("-")]:
    print("Running: " + path, flush=True)
    print("Executed %%s in 1 ms" %% path, flush=True)
''' % RECHECK_SLEEP


def spent_and_said(c, out):
    """The state's spent seconds and the "N s fuzzed" the campaign printed."""
    m = re.search(r"campaign: (\d+) s fuzzed", out)
    return int(c.state()["spent"]), m and int(m.group(1))


def recheck_after_budget(t):
    """The re-check after the last run is not fuzzing time: a slow one
    leaves spent at the budget."""
    fake = os.path.join(WORK, "budget-slow-recheck", "isofuzz-libfuzzer")
    write_stand_in(fake, SLOW_RECHECK)
    mark = os.path.join(os.path.dirname(fake), "slept")
    if os.path.exists(mark):
        os.unlink(mark)
    c = Campaign("budget-recheck", 3, target="vanilla", jobs=1)
    c.fresh()
    c.extra = ["--recheck", fake]
    start = time.monotonic()
    c.start()
    rc, out = c.finish(timeout=120)
    took = time.monotonic() - start
    spent, said = spent_and_said(c, out)
    t.expect(rc in (0, 1) and took >= RECHECK_SLEEP, "the campaign ran, its re-check slept (status %d, %.1f s)"
             % (rc, took))
    t.expect(spent <= 3 + SLACK and said == spent,
             "a %.0f s re-check after a 3 s budget left spent at %d and the campaign said %s s fuzzed"
             % (RECHECK_SLEEP, spent, said))


def main():
    t = Checks()
    deadline_run(t, 2, 60, 6)
    deadline_run(t, 0, 0, 3)
    recheck_after_budget(t)

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
    spent, said = spent_and_said(c, "".join(out))
    t.expect(BUDGET <= spent <= BUDGET + SLACK, "it spent its budget, not more than the slack (%d s)" % spent)
    t.expect(said == spent, "and says so: %s s fuzzed" % said)
    return t.result()


if __name__ == "__main__":
    sys.exit(main())
