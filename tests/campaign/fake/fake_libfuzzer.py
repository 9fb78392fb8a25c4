#!/usr/bin/env python3
"""A stand-in for the libFuzzer build of the harness in -fork mode, for
the campaign tests that need exact numbers: it prints the fork parent's
status lines on stderr every 0.1 s for -max_total_time seconds, and saves
what the environment asks for:
  FAKE_ARTIFACTS=N  N crash artifacts under -artifact_prefix (libFuzzer's
                    crash-SHA1), which its status lines count
  FAKE_RECORDS=N    N inputs recorded as the target does (crash-HASH in
                    ISOFUZZ_RECORD_DIR, each with its .seen-KEY marker),
                    which its status lines do not count, and the
                    temporary of a write cut by a kill, where the target
                    writes its temporaries
SIGTERM ends it as it ends libFuzzer.  The files are written in the first
second, one per status line."""

import hashlib
import os
import signal
import sys
import time


def flag(name, default):
    for a in sys.argv[1:]:
        if a.startswith("-%s=" % name):
            return a.split("=", 1)[1]
    return default


def save(path, data):
    with open(path + ".part", "wb") as f:
        f.write(data)
    os.rename(path + ".part", path)


def main():
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    budget = int(flag("max_total_time", "1"))
    prefix = flag("artifact_prefix", "./")
    artifacts, records = int(os.environ.get("FAKE_ARTIFACTS", "0")), int(os.environ.get("FAKE_RECORDS", "0"))
    record_dir = os.environ.get("ISOFUZZ_RECORD_DIR")
    record_tmp = os.environ.get("ISOFUZZ_RECORD_TMP") or record_dir
    start, n, crashes = time.monotonic(), 0, 0
    while time.monotonic() - start < budget:
        n += 1
        data = b"%d %d %f" % (os.getpid(), n, time.time())
        if crashes < artifacts:
            save(prefix + "crash-" + hashlib.sha1(data).hexdigest(), data)
            crashes += 1
        elif record_dir and records:
            records -= 1
            save(os.path.join(record_dir, "crash-" + hashlib.md5(data).hexdigest()), data)
            open(os.path.join(record_dir, ".seen-fake-%d-%d" % (os.getpid(), n)), "w").close()
            if records == 0:
                with open(os.path.join(record_tmp, ".tmp-crash-cut-%d" % os.getpid()), "wb") as f:
                    f.write(data[:3])
        sys.stderr.write("#%d: cov: %d ft: %d corp: 3 exec/s 100 oom/timeout/crash: 0/0/%d time: %ds job: %d "
                         "dft_time: 0\n" % (100 * n, 10 + n, 20 + n, crashes, int(time.monotonic() - start), n))
        sys.stderr.flush()
        time.sleep(0.1)


if __name__ == "__main__":
    main()
