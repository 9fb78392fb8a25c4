#!/usr/bin/env python3
"""stats.csv is whole at every moment a reader may look: it appears with
its header and first row at once (renamed into place, never created
empty), grows by whole rows, and when a resumed campaign closes a killed
run (dropping a row the kill cut, adding the run's final row) the file is
replaced, not cut and rewritten in place.  A reader polling it all along
never sees it otherwise.  The engine is a stand-in (fake/fake_libfuzzer.py)
that prints libFuzzer's status lines."""

import ctypes
import os
import struct
import sys
import threading

from campaign_procs import Campaign, Checks, parse_stats, parse_stats_text

IN_MODIFY, IN_MOVED_TO, IN_CREATE = 0x2, 0x80, 0x100


class Watch:
    """inotify on one directory: the (mask, name) of each event."""

    def __init__(self, path):
        self.libc = ctypes.CDLL(None, use_errno=True)
        self.fd = self.libc.inotify_init1(os.O_NONBLOCK)
        assert self.fd >= 0 and self.libc.inotify_add_watch(self.fd, path.encode(),
                                                            IN_MODIFY | IN_MOVED_TO | IN_CREATE) >= 0

    def drain(self):
        """The events since the last drain."""
        new = []
        while True:
            try:
                data = os.read(self.fd, 65536)
            except BlockingIOError:
                return new
            at = 0
            while at < len(data):
                _, mask, _, n = struct.unpack_from("iIII", data, at)
                name = data[at + 16:at + 16 + n].rstrip(b"\0").decode()
                new.append((mask, name))
                at += 16 + n

    def on(self, name):
        return [m for m, n in self.drain() if n == name]


class Poller(threading.Thread):
    """Reads stats.csv as fast as it can, keeping the first fault seen;
    the test's own cut file (what a kill leaves) is no fault."""

    def __init__(self, path, left_by_kill=None):
        super().__init__(daemon=True)
        self.path, self.left_by_kill, self.fault, self.reads, self.running = path, left_by_kill, None, 0, True

    def run(self):
        while self.running and not self.fault:
            try:
                with open(self.path, newline="") as f:
                    text = f.read()
                if text != self.left_by_kill:
                    parse_stats_text(text, self.path)
                self.reads += 1
            except FileNotFoundError:
                pass
            except AssertionError as e:
                self.fault = str(e)

    def stop(self, t):
        """Check what it saw."""
        self.running = False
        self.join()
        t.expect(self.fault is None and self.reads > 0,
                 "a reader polling it all along (%d reads) saw it whole: %s" % (self.reads, self.fault))


def session(c, t, what):
    c.start()
    rc, out = c.finish(timeout=120)
    t.expect(rc == 0, "%s: the campaign ran (status %d)%s" % (what, rc, "" if rc == 0 else "\n" + out))


def expect_renamed_in(t, watch, what):
    """stats.csv came by a rename since the last look, never created empty."""
    events = watch.on("stats.csv")
    t.expect(IN_MOVED_TO in events and IN_CREATE not in events, "%s (events %s)" % (what, events))


def main():
    c, t = Campaign("stats-writes", 2, jobs=1), Checks()
    c.fresh()
    os.makedirs(c.out)
    stats = os.path.join(c.out, "stats.csv")
    watch, poller = Watch(c.out), Poller(stats)
    poller.start()

    session(c, t, "first session")
    expect_renamed_in(t, watch, "stats.csv appeared whole, renamed into place, never created empty")
    rows = parse_stats(stats)
    t.expect(rows and rows[-1]["final"] == 1 and all(r["final"] == 0 for r in rows[:-1]),
             "its rows are the session's readings, the last one final (%d rows)" % len(rows))

    # a killed run (kill -9 of everything), and a row the kill cut
    c.budget = 30
    c.start()
    t.expect(c.wait_rows(2, timeout=60), "the second session recorded a reading")
    c.kill_tree()
    c.finish(timeout=30)
    poller.stop(t)
    last = parse_stats(stats)[-1]
    with open(stats, "a") as f:
        f.write("2,9,9,1234")
    with open(stats) as f:
        poller = Poller(stats, f.read())
    spent = int(c.state()["spent"])
    c.budget = spent + 2
    watch.drain()
    poller.start()
    session(c, t, "the session after a kill")
    expect_renamed_in(t, watch, "closing the killed run replaced stats.csv, not cut it in place")
    rows = parse_stats(stats)
    closed = [r for r in rows if r["final"] == 2]
    t.expect(len(closed) == 1 and closed[0] == dict(last, final=2),
             "the killed run's last whole reading became its final row; the cut one was dropped: %s" % closed)
    poller.stop(t)
    return t.result()


if __name__ == "__main__":
    sys.exit(main())
