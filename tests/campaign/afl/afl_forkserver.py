"""afl-fuzz's side of the AFL++ fork server protocol, for tests that drive
the AFL++ target (harness/engines/fuzz_afl.c) as afl-fuzz would: requests,
pids, statuses, test cases in shared memory, and the kills afl-fuzz sends
on a timeout.  A test may also hold the fork server between its fork and
the pid it writes (ptrace), as a scheduler may.

Environment: ISOFUZZ, ISOFUZZ_FUZZER (the AFL++ build), SOURCE_ROOT, WORK."""

import ctypes
import os
import select
import signal
import struct
import subprocess
import time

ISOFUZZ = os.environ["ISOFUZZ"]
FUZZER = os.environ["ISOFUZZ_FUZZER"]
SOURCE = os.environ["SOURCE_ROOT"]

FORKSRV_FD = 198
FS_OPT_ENABLED = 0x80000001
FS_OPT_SHDMEM_FUZZ = 0x01000000
MAX_FILE = 1 << 20
MAP_BYTES = 8 << 20
IPC_PRIVATE, IPC_CREAT, IPC_RMID = 0, 0o1000, 0
PTRACE_CONT, PTRACE_DETACH, PTRACE_SEIZE, PTRACE_GETEVENTMSG = 7, 17, 0x4206, 0x4201
PTRACE_O_TRACEFORK, PTRACE_EVENT_FORK, WALL = 2, 1, 0x40000000

libc = ctypes.CDLL(None, use_errno=True)
libc.shmat.restype = ctypes.c_void_p
libc.shmat.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_int]
libc.ptrace.restype = ctypes.c_long
libc.ptrace.argtypes = [ctypes.c_long, ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p]


def stopped():
    return (signal.SIGSTOP << 8) | 0x7F


def describe(status):
    """A status word as afl-fuzz would take it."""
    if os.WIFSTOPPED(status):
        return "alive (%#x)" % status
    if os.WIFSIGNALED(status):
        return "death by signal %d (%#x)" % (os.WTERMSIG(status), status)
    return "exit %d (%#x)" % (os.WEXITSTATUS(status), status)


def binary(text_path, name, work):
    os.makedirs(work, exist_ok=True)
    out = os.path.join(work, name + ".bin")
    subprocess.run([ISOFUZZ, "convert", "--to", "binary", text_path, out],
                   check=True, stdout=subprocess.DEVNULL)
    with open(out, "rb") as f:
        return f.read()


def binary_seed(name, work):
    return binary(os.path.join(SOURCE, "corpus", "seeds", name + ".txt"), name, work)


def long_program(work):
    """A clean program of some milliseconds, so that a kill sent just
    after its pid lands while it runs."""
    with open(os.path.join(SOURCE, "corpus", "seeds", "boot-full-image.txt")) as f:
        text = f.read()
    path = os.path.join(work, "long.txt")
    os.makedirs(work, exist_ok=True)
    with open(path, "w") as f:
        f.write(text + "cpu0 kserv_read pa=0x40000000\n" * 480)
    return binary(path, "long", work)


def child_of(pid, parent):
    try:
        with open("/proc/%d/stat" % pid) as f:
            return int(f.read().rsplit(")", 1)[1].split()[1]) == parent
    except OSError:
        return False


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
            # server would then report a stop of its child; the tests
            # stop the child (an early kill), and nothing else does.
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
        self.live = None
        self.traced = False

    def word(self, timeout=None):
        """The next word on the status pipe; None when none came within
        timeout seconds."""
        data = b""
        while len(data) < 4:
            if timeout is not None and not select.select([self.st], [], [], timeout)[0]:
                assert not data, "half a word on the status pipe"
                return None
            chunk = os.read(self.st, 4 - len(data))
            assert chunk, "the fork server closed its status pipe"
            data += chunk
        return struct.unpack("<I", data)[0]

    def send(self, value):
        os.write(self.ctl, struct.pack("<I", value))

    def put(self, data):
        ctypes.memmove(self.buf, struct.pack("<I", len(data)) + data, len(data) + 4)

    def request(self, data):
        """Sends one input's request, saying whether the one before timed
        out, as afl-fuzz does; the caller reads the pid and status."""
        self.put(data)
        self.send(self.timed_out)
        self.timed_out = 0

    def run(self, data, kill_after=None):
        """One input: (pid, status).  kill_after: seconds after the pid to
        send the timeout signal, as afl-fuzz's timeout would; 'late':
        after the status, as a timeout that fired just as it came;
        'early': before the process has read the request."""
        if kill_after == "early":
            # the idle process held back: the kill comes before it reads
            # the request, as when afl-fuzz's timeout beats its wake-up
            idle = self.live
            os.kill(idle, signal.SIGSTOP)
        self.request(data)
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

    def run_timed(self, data, timeout):
        """One input as afl-fuzz runs it: the status awaited timeout
        seconds after the pid, then the kill and the status after it.
        (pid, whether the pid was a child of the fork server when read,
        status, timed out)."""
        self.request(data)
        pid = self.word()
        is_child = child_of(pid, self.proc.pid)
        status = self.word(timeout)
        timed_out = status is None
        if timed_out:
            self.kill(pid)
            status = self.word()
        self.live = pid
        return pid, is_child, status, timed_out

    def kill(self, pid):
        # a word out of step may be any number: signal only the children
        if not child_of(pid, self.proc.pid):
            raise OutOfStep("pid %d (%#x) is no child of the fork server" % (pid, pid))
        os.kill(pid, self.kill_signal)
        self.timed_out = 1

    def hold_at_fork(self):
        """From now on the fork server stops in each fork (ptrace) until
        release(): between the fork and the pid it writes.  False when
        this test may not trace it (a container may forbid ptrace)."""
        if libc.ptrace(PTRACE_SEIZE, self.proc.pid, None, ctypes.c_void_p(PTRACE_O_TRACEFORK)) != 0:
            return False
        self.traced = True
        return True

    def held_fork(self):
        """Waits for the fork server's fork; the new child runs free, the
        fork server stays stopped in the fork.  The child's pid."""
        while True:
            _, status = os.waitpid(self.proc.pid, WALL)
            assert os.WIFSTOPPED(status), "the fork server ended (%s)" % describe(status)
            if status >> 16 == PTRACE_EVENT_FORK:
                break
            # a signal on its way (SIGCHLD of a child before): delivered
            libc.ptrace(PTRACE_CONT, self.proc.pid, None, ctypes.c_void_p(os.WSTOPSIG(status)))
        msg = ctypes.c_ulong()
        libc.ptrace(PTRACE_GETEVENTMSG, self.proc.pid, None, ctypes.byref(msg))
        child = msg.value
        os.waitpid(child, WALL)  # its first stop, as a new tracee
        libc.ptrace(PTRACE_DETACH, child, None, None)
        return child

    def release(self):
        """Lets the fork server go on from its fork, no longer traced."""
        libc.ptrace(PTRACE_DETACH, self.proc.pid, None, None)
        self.traced = False

    def close(self):
        ForkServer.running.remove(self)
        self.proc.kill()
        if self.traced:
            self.release()
        self.proc.wait()
        os.close(self.ctl)
        os.close(self.st)
        libc.shmctl(self.shm, IPC_RMID, None)
        libc.shmctl(self.map, IPC_RMID, None)


def close_all():
    for fs in list(ForkServer.running):
        fs.close()


class Checks:
    def __init__(self):
        self.failed = 0

    def expect(self, ok, what, seen=""):
        """seen: what the test saw, printed when the check fails."""
        print(("ok    " if ok else "FAIL  ") + what + ("" if ok or not seen else "\n      saw: " + seen))
        self.failed += not ok
