#!/usr/bin/env python3
"""Two machines in one campaign, played here by two processes: a leader
and a machine that joins it through the shared output directory (a network
file system in real use).  With libFuzzer they share the corpus directory
and restart every --sync seconds to load what the other found.  Shown:
the joining machine's first run loads the leader's corpus, every run
starts from the shared corpus as it then is, and each machine keeps its
own statistics.  One job each: two fuzzer processes at most."""

import os
import re
import shutil
import subprocess
import sys
import time

ISOFUZZ, FUZZER = os.environ["ISOFUZZ"], os.environ["ISOFUZZ_FUZZER"]
ROOT, WORK = os.environ["SOURCE_ROOT"], os.environ["WORK"]
OUT = os.path.join(WORK, "shared-campaign")
SEEDS = os.path.join(ROOT, "corpus", "seeds")
failures = []


def expect(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def start(seconds, *extra):
    cmd = [ISOFUZZ, "run", "--target", "kcore", "--jobs", "1", "--time", str(seconds), "--out", OUT,
           "--fuzzer", FUZZER, "--corpus", SEEDS, "--sync", "8"] + list(extra)
    return subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def loaded(log):
    """How many inputs a libFuzzer -fork run started from."""
    m = re.search(r"-fork=\d+: (\d+) seed inputs", open(log, errors="replace").read())
    return int(m.group(1)) if m else None


def corpus_files():
    return set(os.listdir(os.path.join(OUT, "corpus")))


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    leader = start(32)
    time.sleep(10)
    before_join = corpus_files()
    nseeds = len(os.listdir(SEEDS))
    joiner = start(18, "--join", "m2")
    outs = [p.communicate(timeout=300)[0] for p in (leader, joiner)]
    for o in outs:
        sys.stdout.write(o)
    expect(leader.returncode == 0 and joiner.returncode == 0,
           "both machines ran clean (%s, %s)" % (leader.returncode, joiner.returncode))
    mlogs = os.path.join(OUT, "machines", "m2", "logs")
    first = loaded(os.path.join(mlogs, "libfuzzer-1-1.log"))
    # it has only the seeds of its own; libFuzzer loads each distinct input
    # once, and the leader may be writing new ones as the joiner reads the
    # directory, so the count is not exact: most of the leader's corpus must
    # be there, and more than the seeds
    expect(first is not None and first > nseeds and 2 * first >= len(before_join) > 0,
           "the joining machine started from the leader's corpus: %s inputs loaded, %d in the corpus when it "
           "joined" % (first, len(before_join)))
    llogs = os.path.join(OUT, "logs")
    runs = sorted((int(re.match(r"libfuzzer-1-(\d+)\.log", n).group(1)), n) for n in os.listdir(llogs)
                  if re.match(r"libfuzzer-1-\d+\.log", n))
    expect(len(runs) >= 3, "the leader restarted every 8 s to sync: %d runs" % len(runs))
    counts = [loaded(os.path.join(llogs, n)) for _, n in runs]
    expect(counts == sorted(counts) and counts[-1] > counts[0],
           "each leader run loaded at least what the one before did: %s" % counts)
    expect(os.path.exists(os.path.join(OUT, "machines", "m2", "stats.csv")) and
           os.path.exists(os.path.join(OUT, "stats.csv")), "each machine keeps its own statistics")
    final = corpus_files()
    expect(before_join < final, "the shared corpus grew after the join: %d -> %d inputs"
           % (len(before_join), len(final)))
    p = subprocess.run([sys.executable, os.path.join(ROOT, "reports", "campaign_report.py"), OUT],
                       capture_output=True, text=True)
    expect(p.returncode == 0, "the report of the shared campaign was made")
    md = open(os.path.join(OUT, "report", "summary.md")).read() if p.returncode == 0 else ""
    expect("No violation found." in md, "and it found no violation on KCore")
    print("%d checks failed" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
