"""Helpers for the campaign tests that kill and stop campaigns: start one
with a mark in its environment (every process it starts inherits it), find
the live processes that carry the mark, wait for the engine's readings."""

import os
import signal
import stat
import subprocess
import time
import uuid

ISOFUZZ, FUZZER = os.environ["ISOFUZZ"], os.environ["ISOFUZZ_FUZZER"]
ROOT, WORK = os.environ["SOURCE_ROOT"], os.environ["WORK"]


STATS_FIELDS = ["session", "elapsed", "session_seconds", "execs", "total_execs", "execs_per_sec", "coverage",
                "features", "corpus", "crashes", "engine_seconds", "final"]


def parse_stats(path):
    """A stats.csv as one dict of ints per row ([] when there is none);
    AssertionError when it is not whole: header first, then complete rows."""
    try:
        with open(path, newline="") as f:
            text = f.read()
    except FileNotFoundError:
        return []
    return parse_stats_text(text, path)


def parse_stats_text(text, path):
    lines = text.split("\n")
    assert lines[-1] == "", "%s: a cut last line %r" % (path, lines[-1])
    assert lines[0] == ",".join(STATS_FIELDS), "%s: not the header first: %r" % (path, lines[0])
    rows = []
    for n, line in enumerate(lines[1:-1], 2):
        values = line.split(",")
        assert len(values) == len(STATS_FIELDS) and all(v.isdigit() for v in values), \
            "%s:%d: not a row of numbers: %r" % (path, n, line)
        rows.append(dict(zip(STATS_FIELDS, map(int, values))))
    return rows


def write_stand_in(path, text):
    """An executable script at path (its folders made): a stand-in build."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR)


class Campaign:
    def __init__(self, name, budget, target="kcore", jobs=2):
        self.out = os.path.join(WORK, name)
        self.systmp = os.path.join(WORK, name + "-systmp")
        self.mark = uuid.uuid4().hex
        self.budget, self.target, self.jobs = budget, target, jobs
        self.proc = None
        self.extra = []

    def fresh(self):
        subprocess.run(["rm", "-rf", self.out, self.systmp], check=True)
        os.makedirs(self.systmp)

    def start(self):
        """A new session of the campaign, as the leader of its own process
        group (as make's recipe is in the foreground)."""
        env = dict(os.environ, ISOFUZZ_TEST_MARK=self.mark, TMPDIR=self.systmp)
        cmd = [ISOFUZZ, "run", "--target", self.target, "--time", str(self.budget), "--jobs", str(self.jobs),
               "--out", self.out, "--fuzzer", FUZZER, "--corpus", os.path.join(ROOT, "corpus", "seeds")] + self.extra
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     text=True, start_new_session=True)
        return self.proc

    def finish(self, timeout=600):
        out, _ = self.proc.communicate(timeout=timeout)
        return self.proc.returncode, out

    def alive(self):
        """Pids of live (not zombie) processes carrying this campaign's mark."""
        needle = ("ISOFUZZ_TEST_MARK=" + self.mark).encode()
        pids = []
        for name in os.listdir("/proc"):
            if not name.isdigit():
                continue
            try:
                with open("/proc/%s/environ" % name, "rb") as f:
                    if needle not in f.read().split(b"\0"):
                        continue
                with open("/proc/%s/stat" % name) as f:
                    state = f.read().rsplit(")", 1)[1].split()[0]
            except OSError:
                continue
            if state not in ("Z", "X"):
                pids.append(int(name))
        return pids

    def describe(self, pids):
        """pid, command, state and parent of each, for failure messages."""
        out = []
        for pid in pids:
            try:
                with open("/proc/%d/stat" % pid) as f:
                    stat = f.read()
                fields = stat.rsplit(")", 1)[1].split()
                out.append("%d %s %s ppid %s" % (pid, stat.split("(", 1)[1].rsplit(")", 1)[0], fields[0], fields[1]))
            except OSError:
                out.append("%d (gone)" % pid)
        return out

    def gone_within(self, seconds):
        """Whether every marked process has ended within `seconds`."""
        end = time.monotonic() + seconds
        while self.alive() and time.monotonic() < end:
            time.sleep(0.05)
        return not self.alive()

    def kill_tree(self):
        """kill -9 of every process of the campaign at once."""
        for pid in self.alive():
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def rows(self):
        """stats.csv's rows, read at once.  The campaign creates the file
        with its header (renamed into place) and only appends whole rows,
        so whatever moment it is read at, a file without the header first,
        a second header or a cut row is a fault, not a moment to retry."""
        return parse_stats(os.path.join(self.out, "stats.csv"))

    def state(self):
        """The campaign's state file, key by key (values as text)."""
        with open(os.path.join(self.out, "state")) as f:
            return dict(line.split(" ", 1) for line in f.read().splitlines())

    def wait_rows(self, session, timeout=180):
        """Wait until the engine's first reading of `session` is recorded."""
        end = time.monotonic() + timeout
        while time.monotonic() < end and self.proc.poll() is None:
            if any(r["session"] == session for r in self.rows()):
                return True
            time.sleep(0.1)
        return False

    def temp_dirs(self):
        """libFuzzer's temporary directories outside and inside the campaign."""
        found = []
        for d in (self.systmp, os.path.join(self.out, "tmp")):
            if os.path.isdir(d):
                found += [os.path.join(d, n) for n in os.listdir(d) if n.startswith("libFuzzerTemp")]
        return found


class Checks:
    def __init__(self):
        self.failures = []

    def expect(self, cond, what):
        print(("ok   " if cond else "FAIL ") + what, flush=True)
        if not cond:
            self.failures.append(what)

    def result(self):
        print("%d checks failed" % len(self.failures))
        return 1 if self.failures else 0
