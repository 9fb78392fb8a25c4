#!/usr/bin/env python3
"""The report's statistics on recorded campaign directories, without an
engine: the throughput is every execution over the campaign's wall time
(not any job's own rate), and the cross-check of the recorded readings
against the engine's log accepts exactly what a kill -9 can cause (a run
closed on resume with its last recorded reading, the log one status line
ahead) and nothing more.

Usage: test_stats_check.py SOURCE_ROOT WORKDIR"""

import os
import types
import shutil
import sys

ROOT, WORK = sys.argv[1], sys.argv[2]
sys.path.insert(0, ROOT)

from reports import campaign_report  # noqa: E402

HEADER = ("session,elapsed,session_seconds,execs,total_execs,execs_per_sec,coverage,features,corpus,"
          "crashes,engine_seconds,final\n")
failures = []


def expect(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def status(execs, rate):
    """A libFuzzer -fork parent's status line."""
    return ("#%d: cov: 900 ft: 1200 corp: 40 exec/s %d oom/timeout/crash: 0/0/0 time: 9s job: 3 dft_time: 0\n"
            % (execs, rate))


def row(session, elapsed, execs, total, rate, final):
    return "%d,%d,%d,%d,%d,%d,900,1200,40,0,9,%d\n" % (session, elapsed, elapsed, execs, total, rate, final)


def campaign(name, rows, logs, spent=20):
    out = os.path.join(WORK, name)
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(os.path.join(out, "logs"))
    with open(os.path.join(out, "state"), "w") as f:
        f.write("engine libfuzzer\ntarget kcore\noracles all\njobs 2\nbudget 30\nspent %d\nsessions 2\n"
                "execs_before 0\ninterrupted 0\nfuzzer -\n" % spent)
    with open(os.path.join(out, "stats.csv"), "w") as f:
        f.write(HEADER + "".join(rows))
    for log, lines in logs.items():
        with open(os.path.join(out, "logs", log), "w") as f:
            f.write("INFO: -fork=2: fuzzing in separate process(s)\n" + "".join(lines))
    args = types.SimpleNamespace(source_root=ROOT, coverage_build=None, vanilla_leg=None, real_kvm="off")
    r, _ = campaign_report.build(out, args)
    return r


def checks_ok(r):
    return bool(r["checks"]) and all(c["ok"] for c in r["checks"])


# Session 1 killed after logging its third reading but before recording
# it; closed on resume with its second (final 2).  Session 2 ran its time.
KILLED_ROWS = [row(1, 4, 100, 100, 60, 0), row(1, 8, 200, 200, 25, 0), row(1, 8, 200, 200, 25, 2),
               row(2, 14, 50, 250, 10, 0), row(2, 20, 150, 350, 16, 0), row(2, 20, 150, 350, 16, 1)]
KILLED_LOGS = {"libfuzzer-1-1.log": [status(100, 60), status(200, 25), status(300, 30)],
               "libfuzzer-2-1.log": [status(50, 10), status(150, 16)]}

r = campaign("killed-then-resumed", KILLED_ROWS, KILLED_LOGS)
expect(checks_ok(r), "a run closed after a kill matches the log's last-but-one reading: %s"
       % [c["detail"] for c in r["checks"]])
expect(r["engine"]["total_execs"] == 350, "the total counts the killed session (%d)" % r["engine"]["total_execs"])
tp = r["engine"]["throughput"]
expect(tp == {"execs": 350, "wall_seconds": 20, "execs_per_sec": 17},
       "throughput is all executions over the wall time, not the last job's 16/s: %s" % tp)
expect([campaign_report.campaign_rate(x) for x in r["history"]] == [25, 25, 25, 17, 17, 17],
       "each reading's campaign rate is its total over its elapsed time")
expect("not the binary's edges" in r["engine"]["coverage_meaning"], "libFuzzer's cov is labelled for what it is")

# The log two readings ahead: more than a kill can lose.
logs = dict(KILLED_LOGS, **{"libfuzzer-1-1.log": KILLED_LOGS["libfuzzer-1-1.log"] + [status(400, 31)]})
r = campaign("killed-too-far", KILLED_ROWS, logs)
expect(not checks_ok(r), "a killed run two readings behind its log is a mismatch")

# A run that ended normally must match the log's very last reading.
rows = [x.replace(",2\n", ",1\n") if x.startswith("1,8,") and x.endswith(",2\n") else x for x in KILLED_ROWS]
r = campaign("ended-behind", rows, KILLED_LOGS)
expect(not checks_ok(r), "a run that ended normally but lags its log is a mismatch")

# Killed before its first reading was recorded: only the first reading of
# a session's last run may be missing.
rows = KILLED_ROWS[3:]
r = campaign("killed-at-first", rows, {"libfuzzer-1-1.log": [status(100, 60)],
                                       "libfuzzer-2-1.log": KILLED_LOGS["libfuzzer-2-1.log"]})
expect(checks_ok(r), "a run killed right after its first status line is accepted")
r = campaign("unrecorded", rows, {"libfuzzer-1-1.log": [status(100, 60), status(200, 25)],
                                  "libfuzzer-2-1.log": KILLED_LOGS["libfuzzer-2-1.log"]})
expect(not checks_ok(r), "a run with two unrecorded readings is reported as not recorded")

print("%d checks failed" % len(failures))
sys.exit(1 if failures else 0)
