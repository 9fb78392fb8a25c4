"""Helpers for the campaign tests that kill and stop campaigns: start one
with a mark in its environment (every process it starts inherits it), find
the live processes that carry the mark, wait for the engine's readings."""

import csv
import os
import signal
import subprocess
import time
import uuid

ISOFUZZ, FUZZER = os.environ["ISOFUZZ"], os.environ["ISOFUZZ_FUZZER"]
ROOT, WORK = os.environ["SOURCE_ROOT"], os.environ["WORK"]


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
        path = os.path.join(self.out, "stats.csv")
        if not os.path.exists(path):
            return []
        with open(path, newline="") as f:
            return [{k: int(v) for k, v in r.items()} for r in csv.DictReader(f)]

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
