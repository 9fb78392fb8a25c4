"""Source coverage reached by a campaign's inputs.  A build of the isofuzz
command with clang's source-based coverage replays every input the
campaign kept (`isofuzz run --replay`); llvm-profdata merges the profile,
llvm-cov renders hyp/ as HTML and exports every file as LCOV, which is
summed per layer (layers.py), each layer with its own denominator."""

import glob
import json
import os
import re
import shutil
import subprocess

from reports.coverage import layers
from reports.coverage import lcov

COVERAGE_FLAGS = "-fprofile-instr-generate -fcoverage-mapping"


def tool(name):
    """llvm-cov or llvm-profdata of the same LLVM as clang (the profile
    format follows the compiler)."""
    try:
        version = subprocess.run(["clang", "--version"], capture_output=True, text=True).stdout
        major = re.search(r"clang version (\d+)", version).group(1)
        if shutil.which("%s-%s" % (name, major)):
            return "%s-%s" % (name, major)
    except (OSError, AttributeError):
        pass
    if shutil.which(name):
        return name
    raise RuntimeError("%s is not installed (Debian package llvm)" % name)


def ensure_build(build_dir, source_root, log):
    """The coverage build directory, set up on first use, with an up to
    date isofuzz in it."""
    if not os.path.exists(os.path.join(build_dir, "build.ninja")):
        env = dict(os.environ, CC="clang")
        subprocess.run(["meson", "setup", build_dir, source_root, "-Dc_args=" + COVERAGE_FLAGS,
                        "-Dc_link_args=" + COVERAGE_FLAGS], check=True, env=env, stdout=log, stderr=log)
    subprocess.run(["ninja", "-C", build_dir, "harness/isofuzz"], check=True, stdout=log, stderr=log)
    return os.path.join(build_dir, "harness", "isofuzz")


def replay_profile(isofuzz, out, target, oracles, raw, profdata, log):
    """Replay the inputs kept under out (its seeds/, corpus/, crashes/,
    afl/) into one merged profile; returns how many were replayed and
    what each oracle checked on them."""
    shutil.rmtree(raw, ignore_errors=True)
    os.makedirs(raw)
    env = dict(os.environ, LLVM_PROFILE_FILE=os.path.join(raw, "replay-%p.profraw"))
    replay = subprocess.run([isofuzz, "run", "--replay", "--out", out, "--target", target, "--oracles", oracles],
                            env=env, capture_output=True, text=True)
    log.write(replay.stdout + replay.stderr)
    # exit 1: some input (a crash) gives a violation, as crashes do
    if replay.returncode not in (0, 1):
        raise subprocess.CalledProcessError(replay.returncode, replay.args, replay.stdout, replay.stderr)
    subprocess.run([tool("llvm-profdata"), "merge", "-sparse", "-o", profdata]
                   + sorted(glob.glob(os.path.join(raw, "*.profraw"))), check=True, stdout=log, stderr=log)
    shutil.rmtree(raw, ignore_errors=True)
    return int(re.search(r"replayed (\d+) inputs", replay.stdout).group(1)), oracle_stats(replay.stdout)


STATS_LINE = re.compile(r"^oracle-stats (.+): steps=(\d+) events=(\d+) violations=(\d+)$", re.M)


def oracle_stats(text):
    """Per oracle, what the replay checked: {name: {steps, events, violations}}."""
    return {m.group(1): {"steps": int(m.group(2)), "events": int(m.group(3)), "violations": int(m.group(4))}
            for m in STATS_LINE.finditer(text)}


def export_lcov(isofuzz, profdata, source_root):
    """Every file of the build as LCOV records keyed by path relative to
    the source root (files outside it are dropped)."""
    text = subprocess.run([tool("llvm-cov"), "export", "-format=lcov", "-instr-profile=" + profdata, isofuzz],
                          capture_output=True, text=True, check=True).stdout
    root = os.path.normpath(os.path.abspath(source_root))
    records = {}
    for path, rec in lcov.parse(text, lambda p: os.path.normpath(os.path.abspath(p))).items():
        if path.startswith(root + os.sep):
            rel = os.path.relpath(path, root)
            rec["path"] = rel
            records[rel] = rec
    return records


def layer_totals(records, target):
    out = {}
    for key, title, prefix in layers.shown_layers(target):
        files = [r for rel, r in records.items() if rel.startswith(prefix)]
        t = {"lines": {"covered": 0, "count": 0}, "branches": {"covered": 0, "count": 0},
             "functions": {"covered": 0, "count": 0}}
        for r in files:
            t = lcov.add(t, lcov.totals(r))
        for part in t.values():
            part["percent"] = lcov.percent(part)
        out[key] = dict(t, title=title, directory=prefix, files=len(files))
    return out


def _hyp_html(cov, profdata, isofuzz, root, dest, log):
    """llvm-cov's HTML and table for the files under hyp/, and their
    totals as llvm-cov counts them (regions too)."""
    every = json.loads(subprocess.run([cov, "export", "-summary-only", "-instr-profile=" + profdata, isofuzz],
                                      capture_output=True, text=True, check=True).stdout)
    hyp = os.path.join(root, "hyp")
    others = [f["filename"] for f in every["data"][0]["files"]
              if not os.path.normpath(os.path.abspath(f["filename"])).startswith(hyp + os.sep)]
    # llvm-cov has no "only these files": everything else is ignored by name
    ignore = ["-ignore-filename-regex=^(%s)$" % "|".join(re.escape(f) for f in others)] if others else []
    common = ["-instr-profile=" + profdata] + ignore + [isofuzz]
    html = os.path.join(dest, "html")
    shutil.rmtree(html, ignore_errors=True)
    subprocess.run([cov, "show", "-format=html", "-output-dir=" + html, "-show-branches=count",
                    "-show-line-counts-or-regions", "-project-title=isofuzz campaign: hyp/"] + common,
                   check=True, stdout=log, stderr=log)
    table = subprocess.run([cov, "report", "-show-branch-summary"] + common,
                           capture_output=True, text=True, check=True).stdout
    with open(os.path.join(dest, "report.txt"), "w", encoding="utf-8") as f:
        f.write(table)
    mine = json.loads(subprocess.run([cov, "export", "-summary-only"] + common,
                                     capture_output=True, text=True, check=True).stdout)
    totals = mine["data"][0]["totals"]
    return {k: {"count": totals[k]["count"], "covered": totals[k]["covered"], "percent": round(totals[k]["percent"], 2)}
            for k in ("lines", "branches", "functions", "regions")}, len(mine["data"][0]["files"])


def measure(out, build_dir, source_root, target, oracles, dest):
    """Replay, merge and render into dest.  Returns (summary for
    report.json, the LCOV records by file, the isofuzz it measured)."""
    os.makedirs(dest, exist_ok=True)
    root = os.path.normpath(os.path.abspath(source_root))
    with open(os.path.join(dest, "coverage.log"), "w", encoding="utf-8") as log:
        isofuzz = ensure_build(build_dir, source_root, log)
        profdata = os.path.join(dest, "campaign.profdata")
        replayed, stats = replay_profile(isofuzz, out, target, oracles, os.path.join(dest, "raw"), profdata, log)
        hyp, nfiles = _hyp_html(tool("llvm-cov"), profdata, isofuzz, root, dest, log)
        records = export_lcov(isofuzz, profdata, root)
    by_layer = layer_totals(records, target)
    headline = layers.target_layer(target)
    summary = {"available": True, "inputs_replayed": replayed, "headline": headline, "oracle_stats": stats,
               "layers": by_layer, "kcore": by_layer["kcore"], "target": by_layer[headline],
               "hyp": dict(hyp, files=nfiles),
               "html": os.path.join("coverage", "html", "index.html"), "table": "coverage/report.txt"}
    return summary, records, isofuzz
