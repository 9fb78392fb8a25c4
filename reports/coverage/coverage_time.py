"""KCore's line coverage over the campaign's time, from the inputs it
kept: each input's file time is placed on the campaign's clock (sessions
end when their last engine log was written), the inputs are replayed on
the coverage build in time order, a profile per interval, and the KCore
lines covered by everything up to each tick are counted.  This is
coverage of KCore's source, beside which the report draws the engine's
own counter (edges of the whole fuzz target, which is another thing)."""

import os
import re
import shutil
import subprocess

from reports.coverage import coverage
from reports.coverage import image_coverage
from reports.coverage import lcov
from reports.draw import svg_plot

LOG = re.compile(r"^(?:libfuzzer|afl)-(\d+)-.*\.log$")


def session_clock(out, history):
    """[(wall start, wall end, elapsed start)] per session, from the
    engine logs' file times and the statistics' elapsed seconds."""
    ends = {}
    logs = os.path.join(out, "logs")
    for name in os.listdir(logs) if os.path.isdir(logs) else []:
        m = LOG.match(name)
        if m:
            s = int(m.group(1))
            ends[s] = max(ends.get(s, 0), os.path.getmtime(os.path.join(logs, name)))
    spans, before = [], 0
    for s in sorted(ends):
        rows = [r["elapsed"] for r in history if r["session"] == s]
        end_elapsed = max(rows) if rows else before
        spans.append((ends[s] - (end_elapsed - before), ends[s], before))
        before = end_elapsed
    return spans


def elapsed_of(mtime, spans):
    """Campaign seconds at which a file written at mtime was kept."""
    best = 0
    for start, end, before in spans:
        if mtime >= start:
            best = before + min(mtime, end) - start
    return max(0, best)


def timed_inputs(out, history):
    spans = session_clock(out, history)
    seeds = os.path.join(out, "seeds")
    timed = []
    for path in image_coverage.kept_inputs(out):
        t = 0 if os.path.dirname(path) == seeds else elapsed_of(os.path.getmtime(path), spans)
        timed.append((t, path))
    return sorted(timed)


def _replay_bucket(isofuzz, paths, work, target, oracles, profdata, log):
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(os.path.join(work, "corpus"))
    for i, p in enumerate(paths):
        os.symlink(os.path.abspath(p), os.path.join(work, "corpus", "%06d" % i))
    n, _ = coverage.replay_profile(isofuzz, work, target, oracles, os.path.join(work, "raw"), profdata, log)
    shutil.rmtree(work, ignore_errors=True)
    return n


def measure(out, history, isofuzz, source_root, target, oracles, dest, prefix="hyp/kcore/"):
    """[{elapsed, lines, inputs}] at round ticks: the lines under prefix
    (the target's core) covered by the inputs kept until then."""
    timed = timed_inputs(out, history)
    end = max([r["elapsed"] for r in history] + [t for t, _ in timed] + [1])
    ticks = svg_plot.time_ticks(end)
    if ticks[-1] > end:
        ticks = [t for t in ticks if t < end] + [end]
    os.makedirs(dest, exist_ok=True)
    points, merged, done = [], None, 0
    with open(os.path.join(dest, "coverage-time.log"), "w", encoding="utf-8") as log:
        for tick in ticks:
            bucket = [p for t, p in timed[done:] if t <= tick]
            done += len(bucket)
            if bucket:
                part = os.path.join(dest, "tick.profdata")
                _replay_bucket(isofuzz, bucket, os.path.join(dest, "work"), target, oracles, part, log)
                if merged:
                    subprocess.run([coverage.tool("llvm-profdata"), "merge", "-sparse", "-o", merged + ".new",
                                    merged, part], check=True, stdout=log, stderr=log)
                    os.replace(merged + ".new", merged)
                    os.remove(part)
                else:
                    merged = os.path.join(dest, "cumulative.profdata")
                    os.replace(part, merged)
            covered = 0
            if merged:
                records = coverage.export_lcov(isofuzz, merged, source_root)
                covered = sum(lcov.totals(r)["lines"]["covered"] for rel, r in records.items()
                              if rel.startswith(prefix))
            points.append({"elapsed": tick, "lines": covered, "inputs": done, "scope": prefix})
    return points
