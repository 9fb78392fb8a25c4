#!/usr/bin/env python3
"""The AFL++ target answers afl-fuzz's fork server protocol right in both
of its ways (harness/engines/fuzz_afl.c): the persistent loop, and, with a
catchable AFL_KILL_SIGNAL, the direct one in which the forked process
answers on the fork server's pipes itself.  This test is afl-fuzz's side
of the protocol: requests, pids, statuses, test cases in shared memory,
and the kills afl-fuzz sends on a timeout, including the late one that
lands after the input was answered.  Whatever happens, every request must
get exactly one pid and one status, in order: one answer too many or too
few and afl-fuzz would read a status as a pid from then on.

Inputs: seeds that run clean on KCore, and on vanilla the empty program
(clean) and a seed that is a violation there (the target aborts: a crash
for afl-fuzz).  Runs in the AFL++
build directory.

Environment: see afl_forkserver.py."""

import os
import signal
import sys

from afl_forkserver import (Checks, ForkServer, OutOfStep, binary_seed, child_of, close_all, describe,
                            long_program, stopped)

WORK = os.path.join(os.environ["WORK"], "afl-direct")
CLEAN = ["grant-revoke", "map-race", "rejected-calls", "boot-full-image"]
VIOLATION = "kserv-attacks"  # on vanilla


def answers(runs):
    """What afl-fuzz read: pid and status of each run, for a failure."""
    return ", ".join("pid %d %s" % (pid, describe(status)) for pid, status in runs)


def scenario(t, mode, kill_signal, seeds, long, bad):
    try:
        steps(t, mode, kill_signal, seeds, long, bad)
    except OutOfStep as e:
        t.expect(False, "%s: the answers stay in step with the requests (%s)" % (mode, e))


def steps(t, mode, kill_signal, seeds, long, bad):
    fs = ForkServer("kcore", kill_signal)
    first, status = fs.run(seeds[0])
    t.expect(first > 1 and child_of(first, fs.proc.pid) and status == stopped(),
             "%s: the first input runs in a child of the fork server and it stays alive" % mode,
             answers([(first, status)]))
    runs = [fs.run(s) for s in seeds for _ in range(3)]
    t.expect([p for p, _ in runs] == [first] * len(runs), "%s: one process takes input after input" % mode,
             answers(runs))
    # Late timeouts: every answer already read; the next request must
    # still get one pid and one status.
    late_ok, runs = True, []
    for s in seeds * 3:
        pid, status = fs.run(s, kill_after="late")
        pid2, status2 = fs.run(s)
        runs += [(pid, status), (pid2, status2)]
        late_ok &= status == stopped() and status2 == stopped() and child_of(pid2, fs.proc.pid)
        # direct ignores a late timeout signal; the loop's SIGKILL ends it
        late_ok &= (pid2 == pid) == (kill_signal is not None)
    t.expect(late_ok, "%s: a timeout signal after the answer leaves the protocol in step" % mode, answers(runs))
    # Timeouts in flight: a long program, killed at once or a little
    # later; it either dies (the fork server reports SIGKILL) or had
    # answered (a stopped status); the next input runs in a live child.
    inflight, died, tries, runs = True, 0, 0, []
    while died < 3 and tries < 60:
        pid, status = fs.run(long, kill_after=0.0001 * (tries % 3))
        pid2, status2 = fs.run(seeds[0])
        runs += [(pid, status), (pid2, status2)]
        dead = os.WIFSIGNALED(status) and os.WTERMSIG(status) in (signal.SIGKILL, fs.kill_signal)
        died += dead
        tries += 1
        inflight &= (dead or status == stopped()) and status2 == stopped() and child_of(pid2, fs.proc.pid) \
            and (pid2 != pid or not dead)
    t.expect(inflight and died > 0, "%s: timeouts in flight end the child (%d of %d) and the next "
             "input gets a fresh one" % (mode, died, tries), answers(runs))
    if kill_signal is not None:
        # Early timeouts, after a clean input and after a late one: the
        # kill is for the input just requested, which must not run.
        early, runs = True, []
        for late_before in (False, True):
            runs.append(fs.run(seeds[0], kill_after="late" if late_before else None))
            pid, status = fs.run(long, kill_after="early")
            pid2, status2 = fs.run(seeds[0])
            runs += [(pid, status), (pid2, status2)]
            early &= os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL \
                and status2 == stopped() and pid2 != pid and child_of(pid2, fs.proc.pid)
        t.expect(early, "%s: a timeout signal before the request is read ends the child" % mode, answers(runs))
    fs.close()

    fs = ForkServer("vanilla", kill_signal)
    pid, status = fs.run(b"")  # the empty program: clean on vanilla too
    crash_pid, crash = fs.run(bad)
    after_pid, after = fs.run(b"")
    seen = answers([(pid, status), (crash_pid, crash), (after_pid, after)])
    t.expect(crash_pid == pid and os.WIFSIGNALED(crash) and os.WTERMSIG(crash) == signal.SIGABRT,
             "%s: a violation is a crash (SIGABRT) of the live child" % mode, seen)
    if kill_signal is None:
        t.expect(after == stopped() and after_pid != pid and child_of(after_pid, fs.proc.pid),
                 "%s: after a crash the next input runs in a fresh child" % mode, seen)
    else:
        # Direct: the violation is answered, not died of; the same
        # process takes the next inputs, clean or not, one answer each.
        t.expect(after == stopped() and after_pid == pid and child_of(pid, fs.proc.pid),
                 "%s: after a violation the next input runs in the same live child" % mode, seen)
        runs = [fs.run(x) for x in (bad, bad, b"", bad, b"")]
        t.expect([p for p, _ in runs] == [pid] * len(runs) and
                 [os.WIFSIGNALED(st) and os.WTERMSIG(st) == signal.SIGABRT for _, st in runs] ==
                 [True, True, False, True, False] and runs[2][1] == stopped() and runs[4][1] == stopped(),
                 "%s: violations and clean inputs in turn keep the answers in step" % mode, answers(runs))
        # a timeout still ends the process after violations (early: the
        # input, whatever it is, never runs)
        pid, status = fs.run(b"", kill_after="early")
        pid2, status2 = fs.run(bad)
        t.expect(os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL and pid2 != pid and
                 os.WIFSIGNALED(status2) and os.WTERMSIG(status2) == signal.SIGABRT,
                 "%s: a timeout after violations ends the child; a fresh one reports the next" % mode,
                 answers([(pid, status), (pid2, status2)]))
    fs.close()


def main():
    seeds = [binary_seed(s, WORK) for s in CLEAN]
    long, bad = long_program(WORK), binary_seed(VIOLATION, WORK)
    t = Checks()
    try:
        scenario(t, "direct", signal.SIGRTMIN + 1, seeds, long, bad)
        scenario(t, "persistent loop", None, seeds, long, bad)
    finally:
        close_all()
    return 1 if t.failed else 0


if __name__ == "__main__":
    sys.exit(main())
