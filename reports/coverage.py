"""Source coverage of hyp/ reached by a campaign's inputs.  A build of the
isofuzz command with clang's source-based coverage replays every input the
campaign kept (`isofuzz run --replay`); llvm-profdata merges the profile and
llvm-cov renders it, restricted to the files under hyp/."""

import glob
import json
import os
import re
import shutil
import subprocess

COVERAGE_FLAGS = "-fprofile-instr-generate -fcoverage-mapping"


def _tool(name):
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


def _under(path, root):
    path = os.path.normpath(os.path.abspath(path))
    return path.startswith(root + os.sep)


def measure(out, build_dir, source_root, target, oracles, dest):
    """Replay, merge and render into dest; returns the totals for hyp/."""
    os.makedirs(dest, exist_ok=True)
    with open(os.path.join(dest, "coverage.log"), "w", encoding="utf-8") as log:
        isofuzz = ensure_build(build_dir, source_root, log)
        raw = os.path.join(dest, "raw")
        shutil.rmtree(raw, ignore_errors=True)
        os.makedirs(raw)
        env = dict(os.environ, LLVM_PROFILE_FILE=os.path.join(raw, "replay-%p.profraw"))
        replay = subprocess.run([isofuzz, "run", "--replay", "--out", out, "--target", target,
                                 "--oracles", oracles], env=env, capture_output=True, text=True)
        log.write(replay.stdout + replay.stderr)
        # exit 1: some input (a crash) gives a violation, as crashes do
        if replay.returncode not in (0, 1):
            raise subprocess.CalledProcessError(replay.returncode, replay.args, replay.stdout, replay.stderr)
        replayed = int(re.search(r"replayed (\d+) inputs", replay.stdout).group(1))
        profdata = os.path.join(dest, "campaign.profdata")
        subprocess.run([_tool("llvm-profdata"), "merge", "-sparse", "-o", profdata]
                       + sorted(glob.glob(os.path.join(raw, "*.profraw"))), check=True, stdout=log, stderr=log)
        cov = _tool("llvm-cov")
        every = json.loads(subprocess.run([cov, "export", "-summary-only", "-instr-profile=" + profdata, isofuzz],
                                          capture_output=True, text=True, check=True).stdout)
        hyp = os.path.join(os.path.normpath(os.path.abspath(source_root)), "hyp")
        others = [f["filename"] for f in every["data"][0]["files"] if not _under(f["filename"], hyp)]
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
    files = [os.path.relpath(os.path.normpath(f["filename"]), os.path.dirname(hyp))
             for f in mine["data"][0]["files"]]
    return {"available": True, "scope": "hyp/", "inputs_replayed": replayed, "files": len(files),
            "html": os.path.join("coverage", "html", "index.html"), "table": "coverage/report.txt",
            **{k: {"count": totals[k]["count"], "covered": totals[k]["covered"],
                   "percent": round(totals[k]["percent"], 2)}
               for k in ("lines", "branches", "functions", "regions")}}
