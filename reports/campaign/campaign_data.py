"""A campaign's output directory as `isofuzz run` leaves it, read into
plain dicts: its state, the engine's statistics over time, the findings
and the machines that joined.  See harness/campaign/campaign.h for the layout."""

import csv
import json
import os
import re

STAT_FIELDS = ("execs", "total_execs", "execs_per_sec", "coverage", "features",
               "corpus", "crashes", "engine_seconds")


def read_state(path):
    """The key=value lines of DIR/state; numbers as ints."""
    state = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            key, _, value = line.strip().partition(" ")
            if key:
                state[key] = int(value) if value.isdigit() else value
    return state


def read_stats(path):
    """DIR/stats.csv, one dict of ints per row; [] when there is none."""
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8", newline="") as f:
        return [{k: int(v) for k, v in row.items()} for row in csv.DictReader(f)]


def final_rows(stats):
    """The last reading of every engine run: a run's own totals."""
    return [r for r in stats if r["final"]]


def _read(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except FileNotFoundError:
        return None


def read_findings(out):
    """findings.tsv with each finding's files; and the crashes that gave
    no violation on replay ({"count", "first"})."""
    path = os.path.join(out, "findings.tsv")
    findings, unreproduced = [], {"count": 0, "first": None}
    if not os.path.exists(path):
        return findings, unreproduced
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            if row["kind"] == "unreproduced":
                unreproduced = {"count": int(row["crashes"]), "first": row["crash"]}
                continue
            violation = _read(os.path.join(row["dir"], "violation.json"))
            findings.append({
                "kind": row["kind"], "site": row["site"], "oracle": row["oracle"],
                "crashes": int(row["crashes"]),
                "steps_before": int(row["steps_before"]), "steps_after": int(row["steps_after"]),
                "crash": row["crash"], "dir": row["dir"], "repro": row["repro"],
                "found_by": row.get("found_by") or "-",
                "program": _read(os.path.join(row["dir"], "program.txt")),
                # a sanitizer finding's report stands where a trace would
                "trace": _read(os.path.join(row["dir"], "trace.txt")) or _read(os.path.join(row["dir"], "sanitizer.txt")),
                "violation": json.loads(violation) if violation else None,
            })
    return findings, unreproduced


def _machine(name, directory):
    state_path = os.path.join(directory, "state")
    stats = read_stats(os.path.join(directory, "stats.csv"))
    return {"name": name, "dir": directory,
            "state": read_state(state_path) if os.path.exists(state_path) else {},
            "stats": stats, "finals": final_rows(stats)}


def read_machines(out):
    """This campaign's leader first, then each machine that joined."""
    machines = [_machine("leader", out)]
    joined = os.path.join(out, "machines")
    if os.path.isdir(joined):
        for name in sorted(os.listdir(joined)):
            machines.append(_machine(name, os.path.join(joined, name)))
    return machines


def build_info(fuzzer):
    """What meson says about the build directory the fuzzer came from."""
    info = {"fuzzer": fuzzer}
    if not fuzzer or fuzzer == "-":
        return info
    builddir = os.path.dirname(os.path.dirname(os.path.abspath(fuzzer)))
    options = os.path.join(builddir, "meson-info", "intro-buildoptions.json")
    compilers = os.path.join(builddir, "meson-info", "intro-compilers.json")
    if os.path.exists(options):
        with open(options, encoding="utf-8") as f:
            wanted = {"buildtype", "b_sanitize", "fuzz_engine", "c_args"}
            for opt in json.load(f):
                if opt["name"] in wanted:
                    value = opt["value"]
                    info[opt["name"]] = " ".join(value) if isinstance(value, list) else value
    if os.path.exists(compilers):
        with open(compilers, encoding="utf-8") as f:
            c = json.load(f).get("host", {}).get("c", {})
            info["compiler"] = "%s %s" % (c.get("id", "?"), c.get("full_version", c.get("version", "")))
    return info


STATUS_LINE = re.compile(r"^#(\d+): cov: (\d+) ft: (\d+) corp: (\d+) exec/s (\d+) "
                         r"oom/timeout/crash: \d+/\d+/(\d+) time: (\d+)s")


def libfuzzer_last_status(log):
    """The last status line of a libFuzzer -fork parent's log, or None."""
    last = None
    with open(log, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = STATUS_LINE.match(line)
            if m:
                last = dict(zip(("execs", "coverage", "features", "corpus", "execs_per_sec",
                                 "crashes", "engine_seconds"), map(int, m.groups())))
    return last


def afl_instance_stats(path):
    """One AFL++ fuzzer_stats file as a dict of strings."""
    stats = {}
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            key, sep, value = line.partition(":")
            if sep:
                stats[key.strip()] = value.strip()
    return stats
