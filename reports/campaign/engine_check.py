"""Does what the campaign recorded equal what the engine itself said?
Each engine run's final row in stats.csv is checked against the engine's
own output: the last status line of libFuzzer's log, or the fuzzer_stats
files AFL++ left in the sync directory.

A run that was killed (kill -9 of the whole campaign) has no final row of
its own: the campaign records every reading as it comes, after logging
it, and on resuming closes the run with its last recorded reading
(final 2).  The kill may have fallen between the log and the record, so
such a run matches when its final row is the log's last or last-but-one
status line; nothing else is excused."""

import os
import re

from reports.campaign import campaign_data

COMPARED = ("execs", "coverage", "features", "corpus", "execs_per_sec", "crashes")
# A libFuzzer run's crashes are the violating inputs saved in crashes/
# (its artifacts and what its target recorded), not the engine's count of
# jobs that died: the other figures are compared.
LIBFUZZER_COMPARED = tuple(f for f in COMPARED if f != "crashes")
LOG_NAME = re.compile(r"^libfuzzer-(\d+)-(\d+)\.log$")
AFL_LOG = re.compile(r"^afl-(\d+)-(.+)\.log$")


def _compare(what, recorded, engine, fields):
    diff = [f for f in fields if recorded.get(f) != engine.get(f)]
    return {"what": what, "ok": not diff,
            "detail": "matches the engine" if not diff else
            "differs in " + ", ".join("%s (recorded %s, engine %s)" % (f, recorded.get(f), engine.get(f))
                                      for f in diff)}


KILLED = 2


def _statuses(log):
    """Every status line of a libFuzzer -fork parent's log, in order."""
    out = []
    with open(log, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = campaign_data.STATUS_LINE.match(line)
            if m:
                out.append(dict(zip(("execs", "coverage", "features", "corpus", "execs_per_sec",
                                     "crashes", "engine_seconds"), map(int, m.groups()))))
    return out


def _check_killed(what, recorded, statuses):
    """A killed run: its last recorded reading is one of the log's last two."""
    for lost, engine in enumerate(reversed(statuses[-2:])):
        if all(recorded.get(f) == engine.get(f) for f in LIBFUZZER_COMPARED):
            return {"what": what, "ok": True,
                    "detail": "killed; matches the engine's last reading" if not lost else
                    "killed; matches the engine's last reading but one (the kill came before the last was recorded)"}
    return _compare(what + " (killed)", recorded, statuses[-1], LIBFUZZER_COMPARED)


def check_libfuzzer(machine):
    logs = os.path.join(machine["dir"], "logs")
    runs = {}
    for name in os.listdir(logs) if os.path.isdir(logs) else []:
        m = LOG_NAME.match(name)
        if m:
            runs[(int(m.group(1)), int(m.group(2)))] = os.path.join(logs, name)
    finals_by_session = {}
    for row in machine["finals"]:
        finals_by_session.setdefault(row["session"], []).append(row)
    checks = []
    last_run = {}
    for session, run in runs:
        last_run[session] = max(run, last_run.get(session, 0))
    for (session, run), log in sorted(runs.items()):
        statuses = _statuses(log)
        rows = finals_by_session.get(session, [])
        if not statuses:
            continue
        what = "%s: session %d run %d" % (machine["name"], session, run)
        if run > len(rows):
            # the only unrecorded reading a kill can leave: the first one of
            # a session's last run
            killed_at_first = len(statuses) == 1 and run == last_run[session]
            checks.append({"what": what, "ok": killed_at_first,
                           "detail": "killed before its first reading was recorded" if killed_at_first
                           else "the engine's statistics were not recorded"})
        elif rows[run - 1]["final"] == KILLED:
            checks.append(_check_killed(what, rows[run - 1], statuses))
        else:
            checks.append(_compare(what, rows[run - 1], statuses[-1], LIBFUZZER_COMPARED))
    return checks


def check_afl(machine, out):
    logs = os.path.join(machine["dir"], "logs")
    latest, names = 0, []
    for name in sorted(os.listdir(logs)) if os.path.isdir(logs) else []:
        m = AFL_LOG.match(name)
        if m and int(m.group(1)) >= latest:
            if int(m.group(1)) > latest:
                latest, names = int(m.group(1)), []
            names.append(m.group(2))
    if not names or not machine["finals"]:
        return []
    engine = {f: 0 for f in COMPARED}
    for name in names:
        path = os.path.join(out, "afl", name, "fuzzer_stats")
        if not os.path.exists(path):
            continue
        s = campaign_data.afl_instance_stats(path)
        engine["execs"] += int(s.get("execs_done", 0))
        engine["execs_per_sec"] += int(float(s.get("execs_per_sec", 0)))
        engine["crashes"] += int(s.get("saved_crashes", s.get("unique_crashes", 0)))
        engine["coverage"] = max(engine["coverage"], int(s.get("edges_found", 0)))
        engine["features"] = max(engine["features"], int(s.get("total_edges", 0)))
        engine["corpus"] = max(engine["corpus"], int(s.get("corpus_count", s.get("paths_total", 0))))
    what = "%s: session %d (%s)" % (machine["name"], latest, ", ".join(names))
    return [_compare(what, machine["finals"][-1], engine, COMPARED)]


def check(engine, machines, out):
    checks = []
    for m in machines:
        checks += check_afl(m, out) if engine == "afl" else check_libfuzzer(m)
    return checks
