#!/usr/bin/env python3
"""In the AFL++ target's direct way (harness/engines/fuzz_afl.c) every
input gets the status it deserves, whenever the fork server and afl-fuzz's
timeout signal run: a clean input is alive, a violation a death by
SIGABRT, a hang a kill; never a status read as a pid or a kill aimed at
anything but a child of the fork server.

Two ways to race it:
- held: the fork server stopped (ptrace) between the fork of a fresh
  process and the pid it writes for that process's first input, as a
  scheduler may hold it; no answer may come before that pid;
- timed: input after input with afl-fuzz's timeout set around each
  input's own run time, so that the kill lands before, during and just
  after its end, and deaths make fresh processes whose first answers race
  the fork server's pid.

Environment: see afl_forkserver.py."""

import os
import signal
import sys
import time

from afl_forkserver import (Checks, ForkServer, OutOfStep, binary_seed, close_all, describe,
                            long_program, stopped)

WORK = os.path.join(os.environ["WORK"], "afl-answer-order")
KILL_SIGNAL = signal.SIGRTMIN + 1
HOLD_SECONDS = 1.0  # time a fresh process gets to answer out of turn
ROUNDS = 300  # timed inputs per target


def deserved(status, violating):
    return os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGABRT if violating else status == stopped()


def held_first_answer(t, target, data, violating, what, early_kill_before=False):
    """The fork server held in the fork of the process for `data`: no
    word before the pid, then the pid and the status `data` deserves."""
    fs = ForkServer(target, KILL_SIGNAL)
    try:
        if early_kill_before:
            # the live process dies before its input; the next request
            # forks a fresh one
            fs.run(b"")
            fs.run(b"", kill_after="early")
        if not fs.hold_at_fork():
            print("skip  %s: ptrace is not permitted here" % what)
            return
        fs.request(data)
        child = fs.held_fork()
        early = fs.word(HOLD_SECONDS)
        fs.release()
        pid = early if early is not None else fs.word()
        status = fs.word()
        after = [fs.run(x) for x in (data, b"")]
        t.expect(early is None and pid == child and deserved(status, violating) and
                 [p for p, _ in after] == [child, child] and deserved(after[0][1], violating) and
                 after[1][1] == stopped(),
                 "%s: a fresh process's first answer comes after the fork server's pid" % what,
                 "before the pid came %s; pid %#x (the child is %d), status %s; then %s" %
                 ("nothing" if early is None else "%#x" % early, pid, child, describe(status),
                  ", ".join("pid %d %s" % (p, describe(s)) for p, s in after)))
    except OutOfStep as e:
        t.expect(False, "%s: the answers stay in step (%s)" % (what, e))
    finally:
        fs.close()


def run_time(fs, data, fresh):
    """The median time from pid to status of `data`, in seconds, in the
    live process or (fresh) in one forked for it."""
    times = []
    for _ in range(7):
        if fresh:
            fs.run(b"", kill_after="early")
        fs.request(data)
        fs.live = fs.word()
        start = time.monotonic()
        fs.word()
        times.append(time.monotonic() - start)
    return sorted(times)[len(times) // 2]


def timed_rounds(t, target, inputs):
    """inputs: (name, bytes, violating).  Each round one input, afl-fuzz's
    timeout a fraction to a multiple of that input's run time."""
    fs = ForkServer(target, KILL_SIGNAL)
    counts = {"rounds": 0, "killed in time": 0, "answered as the kill came": 0, "fresh": 0}
    wrong = []
    try:
        fs.run(b"")
        times = {(i, fresh): run_time(fs, data, fresh) for i, (_, data, _) in enumerate(inputs)
                 for fresh in (False, True)}
        factors = (0.5, 0.9, 1.0, 1.1, 1.5, 2.0, 4.0, 8.0)
        fresh = False
        for r in range(ROUNDS):
            i = r % len(inputs)
            name, data, violating = inputs[i]
            timeout = times[i, fresh] * factors[(r // len(inputs)) % len(factors)]
            pid, is_child, status, timed_out = fs.run_timed(data, timeout)
            counts["rounds"] += 1
            counts["fresh"] += fresh
            died = os.WIFSIGNALED(status) and os.WTERMSIG(status) in (signal.SIGKILL, KILL_SIGNAL)
            fresh = died
            if timed_out:
                counts["killed in time" if died else "answered as the kill came"] += 1
            ok = is_child and (deserved(status, violating) or (timed_out and died))
            if not ok:
                wrong.append("round %d: %s, timeout %.2f ms%s: pid %d (%#x)%s, status %s" %
                             (r, name, timeout * 1e3, " (timed out)" if timed_out else "", pid, pid,
                              "" if is_child else " no child of the fork server",
                              describe(status)))
    except OutOfStep as e:
        wrong.append("out of step after %d rounds: %s" % (counts["rounds"], e))
    finally:
        fs.close()
    t.expect(not wrong and counts["rounds"] == ROUNDS,
             "%s: every input gets the status it deserves under racing timeouts (%s)" %
             (target, ", ".join("%s %d" % kv for kv in counts.items())), "\n      ".join(wrong[:10]))
    return counts


def main():
    clean, bad, long = binary_seed("grant-revoke", WORK), binary_seed("kserv-attacks", WORK), long_program(WORK)
    t = Checks()
    try:
        held_first_answer(t, "kcore", clean, False, "kcore, a clean first input")
        held_first_answer(t, "vanilla", b"", False, "vanilla, the empty program first")
        held_first_answer(t, "vanilla", bad, True, "vanilla, a violation first")
        held_first_answer(t, "vanilla", b"", False, "vanilla, a fresh process after an early kill",
                          early_kill_before=True)
        timed_rounds(t, "vanilla", [("empty", b"", False), ("violation", bad, True)])
        timed_rounds(t, "kcore", [("clean", clean, False), ("long", long, False)])
    finally:
        close_all()
    return 1 if t.failed else 0


if __name__ == "__main__":
    sys.exit(main())
