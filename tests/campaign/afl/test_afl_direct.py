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

Environment: ISOFUZZ, ISOFUZZ_FUZZER (the AFL++ build), SOURCE_ROOT, WORK."""

import ctypes
import os
import signal
import struct
import subprocess
import sys
import time

ISOFUZZ = os.environ["ISOFUZZ"]
FUZZER = os.environ["ISOFUZZ_FUZZER"]
SOURCE = os.environ["SOURCE_ROOT"]
WORK = os.path.join(os.environ["WORK"], "afl-direct")

FORKSRV_FD = 198
FS_OPT_ENABLED = 0x80000001
FS_OPT_SHDMEM_FUZZ = 0x01000000
MAX_FILE = 1 << 20
MAP_BYTES = 8 << 20
IPC_PRIVATE, IPC_CREAT, IPC_RMID = 0, 0o1000, 0

CLEAN = ["grant-revoke", "map-race", "rejected-calls", "boot-full-image"]
VIOLATION = "kserv-attacks"  # on vanilla

libc = ctypes.CDLL(None, use_errno=True)
libc.shmat.restype = ctypes.c_void_p
libc.shmat.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_int]


def stopped():
    return (signal.SIGSTOP << 8) | 0x7F


def binary(text_path, name):
    os.makedirs(WORK, exist_ok=True)
    out = os.path.join(WORK, name + ".bin")
    subprocess.run([ISOFUZZ, "convert", "--to", "binary", text_path, out],
                   check=True, stdout=subprocess.DEVNULL)
    with open(out, "rb") as f:
        return f.read()


def binary_seed(name):
    return binary(os.path.join(SOURCE, "corpus", "seeds", name + ".txt"), name)


def long_program():
    """A clean program of some milliseconds, so that a kill sent just
    after its pid lands while it runs."""
    with open(os.path.join(SOURCE, "corpus", "seeds", "boot-full-image.txt")) as f:
        text = f.read()
    path = os.path.join(WORK, "long.txt")
    os.makedirs(WORK, exist_ok=True)
    with open(path, "w") as f:
        f.write(text + "cpu0 kserv_read pa=0x40000000\n" * 480)
    return binary(path, "long")


class OutOfStep(Exception):
    pass


class ForkServer:
    """afl-fuzz's end of one fork server."""

    running = []

    def __init__(self, target, kill_signal):
        ForkServer.running.append(self)
        self.kill_signal = kill_signal or signal.SIGKILL
        self.shm = libc.shmget(IPC_PRIVATE, MAX_FILE + 4, IPC_CREAT | 0o600)
        assert self.shm >= 0, "shmget"
        self.buf = libc.shmat(self.shm, None, 0)
        # the coverage map (unread here): without one, the runtime offers
        # no test cases in shared memory
        self.map = libc.shmget(IPC_PRIVATE, MAP_BYTES, IPC_CREAT | 0o600)
        assert self.map >= 0, "shmget"
        ctl_r, self.ctl = os.pipe()
        self.st, st_w = os.pipe()
        env = dict(os.environ, __AFL_SHM_ID=str(self.map), __AFL_SHM_FUZZ_ID=str(self.shm), ISOFUZZ_TARGET=target,
                   __AFL_DEFER_FORKSRV="1")
        env.pop("AFL_KILL_SIGNAL", None)
        if kill_signal:
            # Direct: afl-fuzz would also say persistent, and the fork
            # server would then report a stop of its child; this test
            # stops the child (an early kill), and nothing else does.
            env["AFL_KILL_SIGNAL"] = str(int(kill_signal))
        else:
            env["__AFL_PERSISTENT"] = "1"

        # the fork server's pipes at the numbers the target expects
        os.dup2(ctl_r, FORKSRV_FD)
        os.dup2(st_w, FORKSRV_FD + 1)
        self.proc = subprocess.Popen([FUZZER], env=env, pass_fds=(FORKSRV_FD, FORKSRV_FD + 1),
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for fd in (ctl_r, st_w, FORKSRV_FD, FORKSRV_FD + 1):
            os.close(fd)
        hello = self.word()
        assert hello & FS_OPT_ENABLED == FS_OPT_ENABLED and hello & FS_OPT_SHDMEM_FUZZ, \
            "the target offers no test cases in shared memory (hello %#x)" % hello
        self.send(FS_OPT_ENABLED | FS_OPT_SHDMEM_FUZZ)
        self.timed_out = 0

    def word(self):
        data = b""
        while len(data) < 4:
            chunk = os.read(self.st, 4 - len(data))
            assert chunk, "the fork server closed its status pipe"
            data += chunk
        return struct.unpack("<I", data)[0]

    def send(self, value):
        os.write(self.ctl, struct.pack("<I", value))

    def run(self, data, kill_after=None):
        """One input: (pid, status).  kill_after: seconds after the pid to
        send the timeout signal, as afl-fuzz's timeout would; 'late':
        after the status, as a timeout that fired just as it came;
        'early': before the process has read the request."""
        ctypes.memmove(self.buf, struct.pack("<I", len(data)) + data, len(data) + 4)
        if kill_after == "early":
            # the idle process held back: the kill comes before it reads
            # the request, as when afl-fuzz's timeout beats its wake-up
            idle = self.live
            os.kill(idle, signal.SIGSTOP)
        self.send(self.timed_out)
        self.timed_out = 0
        pid = self.word()
        if kill_after == "early":
            self.kill(pid)
            os.kill(idle, signal.SIGCONT)
        if kill_after not in (None, "late", "early"):
            time.sleep(kill_after)
            self.kill(pid)
        status = self.word()
        if kill_after == "late":
            self.kill(pid)
        self.live = pid
        return pid, status

    def kill(self, pid):
        # a word out of step may be any number: signal only the children
        if not child_of(pid, self.proc.pid):
            raise OutOfStep("pid %d is no child of the fork server" % pid)
        os.kill(pid, self.kill_signal)
        self.timed_out = 1

    def close(self):
        ForkServer.running.remove(self)
        self.proc.kill()
        self.proc.wait()
        os.close(self.ctl)
        os.close(self.st)
        libc.shmctl(self.shm, IPC_RMID, None)
        libc.shmctl(self.map, IPC_RMID, None)


def child_of(pid, parent):
    try:
        with open("/proc/%d/stat" % pid) as f:
            return int(f.read().rsplit(")", 1)[1].split()[1]) == parent
    except OSError:
        return False


class Checks:
    def __init__(self):
        self.failed = 0

    def expect(self, ok, what):
        print(("ok    " if ok else "FAIL  ") + what)
        self.failed += not ok


def scenario(t, mode, kill_signal, seeds, long, bad):
    try:
        steps(t, mode, kill_signal, seeds, long, bad)
    except OutOfStep as e:
        t.expect(False, "%s: the answers stay in step with the requests (%s)" % (mode, e))


def steps(t, mode, kill_signal, seeds, long, bad):
    fs = ForkServer("kcore", kill_signal)
    first, status = fs.run(seeds[0])
    t.expect(first > 1 and child_of(first, fs.proc.pid) and status == stopped(),
             "%s: the first input runs in a child of the fork server and it stays alive" % mode)
    pids = [fs.run(s)[0] for s in seeds for _ in range(3)]
    t.expect(pids == [first] * len(pids), "%s: one process takes input after input" % mode)
    # Late timeouts: every answer already read; the next request must
    # still get one pid and one status.
    late_ok = True
    for s in seeds * 3:
        pid, status = fs.run(s, kill_after="late")
        pid2, status2 = fs.run(s)
        late_ok &= status == stopped() and status2 == stopped() and child_of(pid2, fs.proc.pid)
        # direct ignores a late timeout signal; the loop's SIGKILL ends it
        late_ok &= (pid2 == pid) == (kill_signal is not None)
    t.expect(late_ok, "%s: a timeout signal after the answer leaves the protocol in step" % mode)
    # Timeouts in flight: a long program, killed at once or a little
    # later; it either dies (the fork server reports SIGKILL) or had
    # answered (a stopped status); the next input runs in a live child.
    inflight, died, tries = True, 0, 0
    while died < 3 and tries < 60:
        pid, status = fs.run(long, kill_after=0.0001 * (tries % 3))
        pid2, status2 = fs.run(seeds[0])
        dead = os.WIFSIGNALED(status) and os.WTERMSIG(status) in (signal.SIGKILL, fs.kill_signal)
        died += dead
        tries += 1
        inflight &= (dead or status == stopped()) and status2 == stopped() and child_of(pid2, fs.proc.pid) \
            and (pid2 != pid or not dead)
    t.expect(inflight and died > 0, "%s: timeouts in flight end the child (%d of %d) and the next "
             "input gets a fresh one" % (mode, died, tries))
    if kill_signal is not None:
        # Early timeouts, after a clean input and after a late one: the
        # kill is for the input just requested, which must not run.
        early = True
        for late_before in (False, True):
            pid, status = fs.run(seeds[0], kill_after="late" if late_before else None)
            pid, status = fs.run(long, kill_after="early")
            pid2, status2 = fs.run(seeds[0])
            early &= os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL \
                and status2 == stopped() and pid2 != pid and child_of(pid2, fs.proc.pid)
        t.expect(early, "%s: a timeout signal before the request is read ends the child" % mode)
    fs.close()

    fs = ForkServer("vanilla", kill_signal)
    pid, status = fs.run(b"")  # the empty program: clean on vanilla too
    crash_pid, crash = fs.run(bad)
    after_pid, after = fs.run(b"")
    t.expect(crash_pid == pid and os.WIFSIGNALED(crash) and os.WTERMSIG(crash) == signal.SIGABRT,
             "%s: a violation is a crash (SIGABRT) of the live child" % mode)
    if kill_signal is None:
        t.expect(after == stopped() and after_pid != pid and child_of(after_pid, fs.proc.pid),
                 "%s: after a crash the next input runs in a fresh child" % mode)
    else:
        # Direct: the violation is answered, not died of; the same
        # process takes the next inputs, clean or not, one answer each.
        t.expect(after == stopped() and after_pid == pid and child_of(pid, fs.proc.pid),
                 "%s: after a violation the next input runs in the same live child" % mode)
        runs = [fs.run(x) for x in (bad, bad, b"", bad, b"")]
        t.expect([p for p, _ in runs] == [pid] * len(runs) and
                 [os.WIFSIGNALED(st) and os.WTERMSIG(st) == signal.SIGABRT for _, st in runs] ==
                 [True, True, False, True, False] and runs[2][1] == stopped() and runs[4][1] == stopped(),
                 "%s: violations and clean inputs in turn keep the answers in step" % mode)
        # a timeout still ends the process after violations (early: the
        # input, whatever it is, never runs)
        pid, status = fs.run(b"", kill_after="early")
        pid2, status2 = fs.run(bad)
        t.expect(os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL and pid2 != pid and
                 os.WIFSIGNALED(status2) and os.WTERMSIG(status2) == signal.SIGABRT,
                 "%s: a timeout after violations ends the child; a fresh one reports the next" % mode)
    fs.close()


def main():
    seeds = [binary_seed(s) for s in CLEAN]
    long, bad = long_program(), binary_seed(VIOLATION)
    t = Checks()
    try:
        scenario(t, "direct", signal.SIGRTMIN + 1, seeds, long, bad)
        scenario(t, "persistent loop", None, seeds, long, bad)
    finally:
        for fs in list(ForkServer.running):
            fs.close()
    return 1 if t.failed else 0


if __name__ == "__main__":
    sys.exit(main())
