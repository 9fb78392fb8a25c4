#!/usr/bin/env python3
"""The bug benchmark: how often and how fast each engine finds each
planted bug, and whether the clean build stays clean.

For every bug and engine (libFuzzer, AFL++) it runs K trials of at most T
seconds, each from a fresh copy of the seed corpus with its own seed
(-seed= for libFuzzer, -s for afl-fuzz); a trial ends at the first crash.
The crash is replayed with 'isofuzz repro --json' on the plain build of the
same bug: a trial detects the bug when the replay shows a violation, after
the seconds from the fuzzer's start to the crash file's creation, and the
kind is compared with the program's '# expect:' line.  The clean build
(bug=none) runs the same trials: any violation there is a false positive.
Trials run as parallel jobs, at most --jobs at once.

    reports/bugs/bench_bugs.py [--trials K] [--seconds T] [--engines libfuzzer,afl] [--oracles=LIST]
                               [--only NAME,...] [--jobs N] [--no-clean | --clean-only]
                               [--without-triggering-seeds]

Many bugs break a scene some seed plays as it stands, so a trial finds
them at 0 s by replaying that seed.  The table's "seeds" column counts
those seeds per bug; --without-triggering-seeds leaves them out of that
bug's trials, so that what is measured is the fuzzer finding the bug.

Prints the table (bug, engine, detected k/K, median seconds) and writes
bug_bench.csv (per bug and engine), bug_bench_trials.csv (per trial) and
bug_bench.md under --out (default reports/out).  The per-bug builds live
under --root (default _bugs) and are reused.
"""
import argparse
import concurrent.futures
import csv
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bugcommon  # noqa: E402

CLEAN = "none"
# As 'isofuzz run' runs afl-fuzz (harness/campaign/campaign_afl.c): a
# timeout signal the target catches, so it answers afl-fuzz itself, and
# each trial bound to a core no other holds where one is free.
AFL_ENV = {"AFL_NO_UI": "1", "AFL_SKIP_CPUFREQ": "1", "AFL_TRY_AFFINITY": "1",
           "AFL_KILL_SIGNAL": str(int(signal.SIGRTMIN) + 1),
           "AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES": "1", "AFL_BENCH_UNTIL_CRASH": "1",
           "AFL_QUIET": "1"}


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--trials", type=int, default=5, help="trials per bug and engine (K, default 5)")
    ap.add_argument("--seconds", type=int, default=120, help="budget of one trial (T, default 120)")
    ap.add_argument("--engines", default="libfuzzer,afl")
    ap.add_argument("--only", help="comma-separated bug names (default: all)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="trials at once (default: cores)")
    ap.add_argument("--no-clean", action="store_true", help="skip the clean build's trials")
    ap.add_argument("--clean-only", action="store_true",
                    help="only the clean build's trials (a false-positive campaign)")
    ap.add_argument("--clean-seconds", type=int, help="budget of a clean trial (default T)")
    ap.add_argument("--seed-base", type=int, default=1, help="trial i (from 1) uses seed base + i - 1")
    ap.add_argument("--without-triggering-seeds", action="store_true",
                    help="leave out of each bug's trials the seeds whose replay already shows it")
    ap.add_argument("--oracles", default="all",
                    help="the oracles the fuzzers and replays run with (isofuzz --oracles; default all)")
    ap.add_argument("--root", default=os.path.join(bugcommon.ROOT, "_bugs"))
    ap.add_argument("--out", default=os.path.join(bugcommon.ROOT, "reports", "out"))
    a = ap.parse_args()
    a.engines = a.engines.split(",")
    for e in a.engines:
        if e not in ("libfuzzer", "afl"):
            ap.error(f"unknown engine {e}")
    names = bugcommon.bug_names()
    if a.only:
        unknown = [n for n in a.only.split(",") if n not in names]
        if unknown:
            ap.error(f"unknown bug(s): {', '.join(unknown)}")
        names = a.only.split(",")
    a.bugs = [] if a.clean_only else names
    if a.clean_only and a.no_clean:
        ap.error("--clean-only and --no-clean exclude each other")
    if a.trials < 1 or a.seconds < 1 or a.jobs < 1:
        ap.error("--trials, --seconds and --jobs must be positive")
    return a


def build_all(a, log):
    """Every binary the trials need: {(bug, kind): path}."""
    bins = {}
    for bug in a.bugs + ([] if a.no_clean else [CLEAN]):
        for kind in ["plain"] + a.engines:
            sub = bug if kind == "plain" else f"{'lf' if kind == 'libfuzzer' else 'afl'}-{bug}"
            extra = [bugcommon.AFL_MUTATOR] if (bug, kind) == (CLEAN, "plain") else []
            print(f"build: {bug} ({kind})", flush=True)
            bins[bug, kind] = bugcommon.build(os.path.join(a.root, sub), bug, log, kind, extra)
    if CLEAN not in a.bugs and (CLEAN, "plain") not in bins:
        bins[CLEAN, "plain"] = bugcommon.build(os.path.join(a.root, CLEAN), CLEAN, log, "plain",
                                               [bugcommon.AFL_MUTATOR])
    return bins


def binary_seeds(isofuzz, work):
    """corpus/seeds as binary fuzz inputs, once for every trial."""
    seeds = os.path.join(work, "seeds")
    shutil.rmtree(seeds, ignore_errors=True)
    os.makedirs(seeds)
    src = os.path.join(bugcommon.ROOT, "corpus", "seeds")
    for name in sorted(os.listdir(src)):
        if name.endswith(".txt"):
            subprocess.run([isofuzz, "convert", os.path.join(src, name),
                            os.path.join(seeds, name[:-4] + ".bin"), "--to", "binary"], check=True)
    return seeds


def replay(a, isofuzz, program):
    return bugcommon.replay(isofuzz, program, ["--oracles", a.oracles])


def seeds_per_bug(a, bins, seeds, work):
    """{bug: (seed directory for its trials, names of the seeds that
    trigger it on replay)}."""
    out = {}
    names = sorted(os.listdir(seeds))
    for bug in a.bugs + ([] if a.no_clean else [CLEAN]):
        hits = [n for n in names if replay(a, bins[bug, "plain"], os.path.join(seeds, n))[0] == 1]
        d = seeds
        if a.without_triggering_seeds and hits:
            d = os.path.join(work, f"seeds-{bug}")
            shutil.rmtree(d, ignore_errors=True)
            os.makedirs(d)
            for n in names:
                if n not in hits:
                    shutil.copyfile(os.path.join(seeds, n), os.path.join(d, n))
            if len(hits) == len(names):
                # AFL++ needs an input; any bytes decode to a program.
                with open(os.path.join(d, "empty.bin"), "wb") as f:
                    f.write(bytes(5))
        out[bug] = (d, hits)
    return out


def first_crash(paths):
    files = [p for p in paths if os.path.isfile(p)]
    return min(files, key=os.path.getmtime) if files else None


def run_libfuzzer(fuzzer, seeds, d, seed, seconds, oracles):
    art = os.path.join(d, "artifacts")
    corpus = os.path.join(d, "corpus")
    os.makedirs(art)
    os.makedirs(corpus)
    cmd = [fuzzer, f"-seed={seed}", f"-max_total_time={seconds}", "-max_len=8192",
           f"-artifact_prefix={art}/", corpus, seeds]
    with open(os.path.join(d, "log.txt"), "w") as log:
        subprocess.run(cmd, cwd=d, stdout=log, stderr=subprocess.STDOUT, timeout=seconds + 60,
                       env=dict(os.environ, ISOFUZZ_TARGET="kcore", ISOFUZZ_ORACLES=oracles))
    return first_crash([os.path.join(art, n) for n in os.listdir(art) if n.startswith("crash-")])


DRY_RUN_CRASH = "results in a crash"


def run_afl(fuzzer, seeds, d, seed, seconds, mutator, oracles):
    out = os.path.join(d, "afl")
    cmd = ["afl-fuzz", "-i", seeds, "-o", out, "-s", str(seed), "-V", str(seconds), "--", fuzzer]
    env = dict(os.environ, ISOFUZZ_TARGET="kcore", ISOFUZZ_ORACLES=oracles, AFL_CUSTOM_MUTATOR_LIBRARY=mutator,
               **AFL_ENV)
    log_path = os.path.join(d, "log.txt")
    with open(log_path, "w") as log:
        proc = subprocess.Popen(cmd, cwd=d, stdout=log, stderr=subprocess.STDOUT, env=env)
        deadline = time.time() + seconds + 60
        # AFL_BENCH_UNTIL_CRASH stops at the first crash found while
        # fuzzing, not at a seed that crashes in the dry run: stop then too.
        while proc.poll() is None:
            if time.time() > deadline or seed_crashed(log_path):
                proc.terminate()
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
                break
            time.sleep(0.2)
    crashes = os.path.join(out, "default", "crashes")
    names = os.listdir(crashes) if os.path.isdir(crashes) else []
    found = first_crash([os.path.join(crashes, n) for n in names if n.startswith("id:")])
    return found or crashing_seed(d, out)


def seed_crashed(log_path):
    with open(log_path, errors="replace") as f:
        return DRY_RUN_CRASH in f.read()


def crashing_seed(d, out):
    """AFL++ skips seeds that crash in its dry run (and stops if all do)
    instead of saving them as crashes; such a seed found the bug at once."""
    with open(os.path.join(d, "log.txt"), errors="replace") as f:
        m = re.search(r"Test case '([^']+)' " + DRY_RUN_CRASH, f.read())
    return first_crash([os.path.join(out, "default", "queue", m.group(1))]) if m else None


def trial(a, bins, bug_seeds, work, bug, engine, i):
    """One trial; returns its row."""
    seeds = bug_seeds[bug][0]
    seed = a.seed_base + i - 1
    seconds = a.clean_seconds if bug == CLEAN and a.clean_seconds else a.seconds
    d = os.path.join(work, "trials", f"{bug}-{engine}-{i}")
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    start = time.time()
    try:
        if engine == "libfuzzer":
            crash = run_libfuzzer(bins[bug, engine], seeds, d, seed, seconds, a.oracles)
        else:
            crash = run_afl(bins[bug, engine], seeds, d, seed, seconds,
                            os.path.join(os.path.dirname(bins[CLEAN, "plain"]),
                                         os.path.basename(bugcommon.AFL_MUTATOR)), a.oracles)
    except subprocess.TimeoutExpired:
        crash = None
    row = {"bug": bug, "engine": engine, "trial": i, "seed": seed, "budget": seconds,
           "detected": 0, "seconds": "", "kind": "", "expected": 0, "crash": ""}
    if crash:
        st, kind = replay(a, bins[bug, "plain"], crash)
        if st == 1 and bug != CLEAN:
            # A violation the clean build shows too is the harness's, not the bug's.
            cst, ckind = replay(a, bins[CLEAN, "plain"], crash)
            if cst == 1:
                st, kind = 0, f"clean-too:{ckind}"
        keep = os.path.join(a.out, "bug_bench_crashes", f"{bug}-{engine}-{i}")
        os.makedirs(os.path.dirname(keep), exist_ok=True)
        shutil.copyfile(crash, keep)
        row.update(seconds=f"{max(0.0, os.path.getmtime(crash) - start):.1f}", crash=keep,
                   kind=kind if st == 1 else kind or "not-reproduced")
        row["detected"] = int(st == 1)
        row["expected"] = int(bug != CLEAN and st == 1 and kind in bugcommon.expected_kinds(bug))
    shutil.rmtree(d, ignore_errors=True)
    return row


def summarize(a, rows, bug_seeds):
    out = []
    for bug in a.bugs + ([] if a.no_clean else [CLEAN]):
        for engine in a.engines:
            rs = [r for r in rows if r["bug"] == bug and r["engine"] == engine]
            times = [float(r["seconds"]) for r in rs if r["detected"]]
            kinds = sorted({r["kind"] for r in rs if r["kind"]})
            out.append({"bug": bug if bug != CLEAN else "(clean build)", "engine": engine,
                        "triggering_seeds": len(bug_seeds[bug][1]),
                        "trials": len(rs), "detected": sum(r["detected"] for r in rs),
                        "expected_kind": sum(r["expected"] for r in rs),
                        "median_seconds": f"{statistics.median(times):.1f}" if times else "",
                        "kinds": " ".join(kinds)})
    return out


def write_outputs(a, rows, summary):
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "bug_bench_trials.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
        w.writeheader()
        w.writerows(rows)
    with open(os.path.join(a.out, "bug_bench.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(summary[0].keys()))
        w.writeheader()
        w.writerows(summary)
    with open(os.path.join(a.out, "bug_bench.md"), "w") as f:
        f.write(markdown(a, summary))


def tree_version():
    """The commit measured, marked when the working tree differs from it."""
    git = ["git", "-C", bugcommon.ROOT]
    head = subprocess.run(git + ["rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    dirty = subprocess.run(git + ["status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True)
    return head.stdout.strip() + (" with local changes" if dirty.stdout.strip() else "")


def markdown(a, summary):
    lines = [f"Tree: {a.tree}.", "",
             f"Bug benchmark: {a.trials} trials of at most {a.seconds} s per bug and engine "
             f"(clean build: {a.clean_seconds or a.seconds} s), seeds {a.seed_base}.."
             f"{a.seed_base + a.trials - 1}.  Seeds: how many seeds show the bug on replay"
             + ("; they were left out of its trials." if a.without_triggering_seeds
                else " (a trial with any finds it at once)."), "",
             "| bug | engine | seeds | detected | expected kind | median s | kinds seen |",
             "| --- | --- | ---: | ---: | ---: | ---: | --- |"]
    for s in summary:
        lines.append(f"| {s['bug']} | {s['engine']} | {s['triggering_seeds']} | {s['detected']}/{s['trials']} | "
                     f"{s['expected_kind']}/{s['trials']} | {s['median_seconds'] or '-'} | "
                     f"{s['kinds'] or '-'} |")
    return "\n".join(lines) + "\n"


def main():
    a = parse_args()
    a.tree = tree_version()  # what the builds are made from, before the trials
    os.makedirs(a.root, exist_ok=True)
    with open(os.path.join(a.root, "bench_build.log"), "w") as log:
        try:
            bins = build_all(a, log)
        except subprocess.CalledProcessError:
            sys.exit(f"bench_bugs: a build failed, see {log.name}")
    work = os.path.join(a.root, "bench")
    seeds = binary_seeds(bins[CLEAN, "plain"], work)
    bug_seeds = seeds_per_bug(a, bins, seeds, work)
    jobs = [(bug, engine, i) for i in range(1, a.trials + 1)
            for bug in a.bugs + ([] if a.no_clean else [CLEAN]) for engine in a.engines]
    print(f"bench: {len(jobs)} trials, {a.jobs} at once", flush=True)
    rows = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=a.jobs) as pool:
        futs = [pool.submit(trial, a, bins, bug_seeds, work, *j) for j in jobs]
        for f in concurrent.futures.as_completed(futs):
            r = f.result()
            rows.append(r)
            print(f"  {r['bug']:<24} {r['engine']:<9} trial {r['trial']}: "
                  f"{r['kind'] + ' after ' + r['seconds'] + ' s' if r['crash'] else 'nothing'}", flush=True)
    rows.sort(key=lambda r: (r["bug"], r["engine"], r["trial"]))
    summary = summarize(a, rows, bug_seeds)
    write_outputs(a, rows, summary)
    print(markdown(a, summary))
    print(f"written: {os.path.join(a.out, 'bug_bench.md')}, bug_bench.csv, bug_bench_trials.csv")
    return 0


if __name__ == "__main__":
    sys.exit(main())
