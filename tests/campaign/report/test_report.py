#!/usr/bin/env python3
"""A short campaign on the vanilla baseline (which must violate), stopped
half way and resumed, then its report, checked by parsing: report.json's
fields, its numbers against the engine's own log lines, the HTML and the
SVGs, and every finding with its files.

Environment: ISOFUZZ (the command), ISOFUZZ_FUZZER (libFuzzer build),
SOURCE_ROOT, WORK (a scratch directory for this test)."""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

ISOFUZZ, FUZZER = os.environ["ISOFUZZ"], os.environ["ISOFUZZ_FUZZER"]
ROOT, WORK = os.environ["SOURCE_ROOT"], os.environ["WORK"]
OUT = os.path.join(WORK, "report-campaign")
# The first session's budget is never reached: it is stopped a few seconds
# after the engine's first reading, however long a loaded machine takes to
# get there; the second is given that much and RESUMED_SECONDS more.
BUDGET = 300
RESUMED_SECONDS = 14
failures = []


def expect(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def run_campaign(stop_after=None, budget=BUDGET):
    cmd = [ISOFUZZ, "run", "--target", "vanilla", "--time", str(budget), "--jobs", "2", "--out", OUT,
           "--fuzzer", FUZZER, "--corpus", os.path.join(ROOT, "corpus", "seeds")]
    p = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if stop_after:
        # stop once the engine has given a reading and a few seconds more
        # (a loaded machine may take long to merge the seeds)
        stats = os.path.join(OUT, "stats.csv")
        end = time.monotonic() + 120
        while time.monotonic() < end and p.poll() is None and \
                not (os.path.exists(stats) and len(open(stats).readlines()) > 1):
            time.sleep(0.2)
        time.sleep(stop_after)
        p.send_signal(signal.SIGINT)
    out, _ = p.communicate(timeout=300)
    sys.stdout.write(out)
    return p.returncode


def read_state():
    with open(os.path.join(OUT, "state")) as f:
        return dict(line.split(" ", 1) for line in f.read().splitlines())


class StrictHTML(HTMLParser):
    """Every opened element is closed in order (void elements aside)."""
    VOID = {"meta", "img", "br", "hr", "link", "input"}

    def __init__(self):
        super().__init__()
        self.stack, self.errors, self.tags = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.errors.append("unbalanced </%s>" % tag)


def last_status(log):
    pat = re.compile(r"^#(\d+): cov: (\d+) ft: (\d+) corp: (\d+) exec/s (\d+) oom/timeout/crash: \d+/\d+/(\d+)")
    last = None
    for line in open(log, errors="replace"):
        m = pat.match(line)
        if m:
            last = tuple(map(int, m.groups()))
    return last


def check_resume():
    shutil.rmtree(OUT, ignore_errors=True)
    rc = run_campaign(stop_after=3)
    expect(rc == 130, "an interrupted campaign exits 130 (got %d)" % rc)
    st = read_state()
    spent1 = int(st["spent"])
    expect(0 < spent1 < BUDGET, "the state keeps the time spent before the stop (%d s)" % spent1)
    corpus1 = set(os.listdir(os.path.join(OUT, "corpus")))
    crashes1 = set(os.listdir(os.path.join(OUT, "crashes")))
    expect(len(corpus1) > 0, "the first session left a corpus (%d inputs)" % len(corpus1))
    budget = spent1 + RESUMED_SECONDS
    rc = run_campaign(budget=budget)
    expect(rc == 1, "the resumed campaign on vanilla ends with findings (exit 1, got %d)" % rc)
    st = read_state()
    expect(st["sessions"] == "2" and int(st["spent"]) >= budget,
           "the second session resumed: 2 sessions, %s s spent of %d" % (st["spent"], budget))
    expect(corpus1 <= set(os.listdir(os.path.join(OUT, "corpus"))), "no corpus input was lost")
    expect(crashes1 <= set(os.listdir(os.path.join(OUT, "crashes"))), "no crash was lost")
    logs = sorted(os.listdir(os.path.join(OUT, "logs")))
    expect(any(n.startswith("libfuzzer-1-") for n in logs) and any(n.startswith("libfuzzer-2-") for n in logs),
           "both sessions' engine logs are kept: %s" % logs)


def check_json(r):
    for key in ("schema", "config", "time", "engine", "history", "machines", "findings", "coverage", "checks",
                "plots", "unreproduced"):
        expect(key in r, "report.json has %s" % key)
    for key in ("engine", "target", "oracles", "jobs", "budget_seconds", "build"):
        expect(key in r["config"], "report.json config has %s" % key)
    expect(r["config"]["target"] == "vanilla" and r["config"]["jobs"] == 2, "the configuration is the campaign's")
    text = json.dumps(r)
    expect(".seen-" not in text and ".tmp-" not in text,
           "no marker or temporary the target leaves in crashes/ is named in the report")
    # the recorded runs equal the engine's own last status line, run by run
    runs = {}
    for name in os.listdir(os.path.join(OUT, "logs")):
        m = re.match(r"libfuzzer-(\d+)-(\d+)\.log$", name)
        status = m and last_status(os.path.join(OUT, "logs", name))
        if status:
            runs[(int(m.group(1)), int(m.group(2)))] = status
    recorded = [(x["execs"], x["coverage"], x["features"], x["corpus"], x["execs_per_sec"])
                for x in r["engine"]["runs"]]
    expect(recorded == [runs[k][:5] for k in sorted(runs)],
           "every run's statistics equal the engine's last status line (%d runs)" % len(runs))
    # crashes: the violating inputs saved, which the findings replay
    saved = len([n for n in os.listdir(os.path.join(OUT, "crashes")) if n.startswith("crash-")])
    replayed = sum(f["crashes"] for f in r["findings"] if f["kind"] != "sanitizer") + r["unreproduced"]["count"]
    expect(r["engine"]["runs"][-1]["crashes"] == saved == replayed > 0,
           "the last run's crashes (%d) are the inputs saved in crashes/ (%d), which the findings replayed (%d)"
           % (r["engine"]["runs"][-1]["crashes"], saved, replayed))
    expect(r["engine"]["total_execs"] == sum(x[0] for x in runs.values()),
           "total executions %d = the engine's runs added up" % r["engine"]["total_execs"])
    expect(r["engine"]["final"]["coverage"] == runs[max(runs)][1], "the final coverage is the engine's")
    expect(all(c["ok"] for c in r["checks"]) and r["checks"], "the report's own engine checks pass")
    expect(r["time"]["sessions"] == 2 and r["time"]["interrupted_sessions"] == 1, "two sessions, one interrupted")
    elapsed = [row["elapsed"] for row in r["history"]]
    expect(elapsed == sorted(elapsed) and len(elapsed) >= 4, "the history spans both sessions in order")


def check_findings(r):
    expect(len(r["findings"]) >= 1, "vanilla gave findings: %d" % len(r["findings"]))
    keys = [(f["kind"], f["site"]) for f in r["findings"]]
    expect(len(keys) == len(set(keys)), "findings are distinct by kind and site")
    for f in r["findings"]:
        expect(f["program"] and f["trace"] and f["violation"], "%s/%s has program, trace and violation"
               % (f["kind"], f["site"]))
        expect(f["violation"]["kind"] == f["kind"] if "kind" in f["violation"] else True,
               "its violation.json names the kind")
        p = subprocess.run(f["repro_anywhere"], shell=True, cwd="/", capture_output=True, text=True)
        expect(p.returncode == 1 and f["kind"] in p.stdout, "its repro command reproduces %s from /" % f["kind"])


def check_files(r, dest):
    html = open(os.path.join(dest, "index.html")).read()
    parser = StrictHTML()
    parser.feed(html)
    parser.close()
    expect(not parser.errors and not parser.stack, "index.html is well formed %s" % parser.errors[:3])
    imgs = [a["src"] for t, a in parser.tags if t == "img"]
    expect(len(imgs) >= 2, "the page shows the plots: %s" % imgs)
    for img in imgs:
        root = ET.parse(os.path.join(dest, img)).getroot()
        lines = root.findall(".//{http://www.w3.org/2000/svg}polyline")
        expect(root.tag.endswith("svg") and lines, "%s parses as SVG with a line" % img)
    for f in r["findings"]:
        expect(f["site"] in html and f["repro_anywhere"] in html.replace("&amp;", "&").replace("&#x27;", "'"),
               "the page lists %s" % f["site"])
    md = open(os.path.join(dest, "summary.md")).read()
    expect(all(f["site"] in md for f in r["findings"]), "summary.md lists every finding")
    head = [ln for ln in md.splitlines() if ln.strip()][1]
    expect(head.startswith("**") and "lines" in head, "summary.md opens with the target's core coverage: " + head)
    for f in r["findings"]:
        for role, rel in f["files"].items():
            expect(os.path.isfile(os.path.join(dest, rel)), "%s's %s is in the report (%s)" % (f["site"], role, rel))


def check_coverage(r, dest):
    c = r["coverage"]
    expect(c.get("available"), "coverage was measured")
    if not c.get("available"):
        return
    hyp = c["hyp"]
    expect(0 < hyp["lines"]["covered"] <= hyp["lines"]["count"] and 0 < hyp["branches"]["covered"] <= hyp["branches"]["count"],
           "hyp/ lines %(covered)d/%(count)d and branches measured" % hyp["lines"])
    table = open(os.path.join(dest, "coverage", "report.txt")).read()
    # the files are listed between the first rule and the first blank line
    rows = table.split("\n-")[1].split("\n\n")[0].splitlines()[1:]
    names = [ln.split()[0] for ln in rows if ln.strip()]
    expect(names and all(os.path.exists(os.path.join(ROOT, "hyp", n)) for n in names),
           "the coverage table holds hyp/ files only (%d files)" % len(names))
    total = [ln for ln in table.splitlines() if ln.startswith("TOTAL")][0].split()
    expect(int(total[7]) == hyp["lines"]["count"], "the table's line total equals report.json's")
    expect(os.path.exists(os.path.join(dest, c["html"])), "llvm-cov's HTML is there")
    check_layers(c)
    check_image(c)
    stats = c["oracle_stats"]
    expect(set(stats) >= {"refinement", "isolation", "TLB discipline", "cache bypass", "lock discipline",
                          "noninterference"}, "oracle statistics for every oracle: %s" % sorted(stats))
    expect(stats.get("refinement", {}).get("steps", 0) > 0 and stats["refinement"]["events"] > 0,
           "the refinement oracle checked steps and events")
    expect(sum(s["violations"] for s in stats.values()) > 0, "the replay found vanilla's violations")


def source_lines(prefix):
    """Files under prefix in the source tree (what a layer may hold)."""
    return {os.path.relpath(os.path.join(d, n), ROOT) for d, _, ns in os.walk(os.path.join(ROOT, prefix))
            for n in ns if n.endswith((".c", ".h"))}


def check_layers(c):
    layers = c["layers"]
    expect(c["headline"] == "vanilla" and c["target"] == layers["vanilla"],
           "on vanilla the headline is the baseline's own code")
    for key in ("kcore", "vanilla", "machine", "harness"):
        part = layers.get(key, {})
        expect(part and 0 <= part["lines"]["covered"] <= part["lines"]["count"] and part["lines"]["count"] > 0,
               "layer %s has its own line total (%s)" % (key, part.get("lines")))
    kc = c["kcore"]
    expect(kc == layers["kcore"] and kc["files"] <= len(source_lines("hyp/kcore")),
           "coverage.kcore counts hyp/kcore's files only (%d)" % kc["files"])
    expect(kc["lines"]["count"] < c["hyp"]["lines"]["count"], "KCore's denominator is smaller than hyp/'s")
    # on vanilla KCore's code never runs on the host: exactly what the layers must show
    expect(layers["vanilla"]["lines"]["covered"] > 0, "the baseline's code ran")
    files = {f["file"] for f in c["files"]}
    expect(files and all(f.startswith("hyp/kcore/") for f in files), "per-file rows are KCore's (%d)" % len(files))
    never = c["never_reached"]
    expect(all(":" in f["where"] and f["where"].startswith("hyp/kcore/") for f in never["functions"]
               + never["branches"]), "never-reached functions and branches carry file:line")


def check_image(c):
    img = c["image"]
    expect(img.get("available"), "the image's coverage was measured (%s)" % img.get("reason", ""))
    if not img.get("available"):
        return
    for k in ("lines", "branches"):
        expect(0 < img[k]["covered"] <= img[k]["count"], "coverage.image %s %s" % (k, img[k]))
    # A kept input whose capacities the image cannot apply is named as not
    # applicable, never dropped.
    ran = img["replay"].get("programs", 0) + img["replay"].get("not_applicable", 0)
    expect(ran == img["inputs"], "replay-qemu ran or named every kept input (%d of %d)" % (ran, img["inputs"]))
    diff = [f for f in c["files"] if f["host_only"] or f["image_only"]]
    expect(diff, "per-file host/image differences are listed (%d files)" % len(diff))
    expect(all(d["reason"] for f in c["files"] for d in f["host_only"]),
           "every line covered on the host and not in the image has a reason")
    over = c["over_time"]
    expect(over and over[0]["elapsed"] == 0 and [p["elapsed"] for p in over] == sorted(p["elapsed"] for p in over)
           and over[-1]["inputs"] > 0 and over[-1]["lines"] > 0, "coverage over time: %d points" % len(over))


def main():
    check_resume()
    p = subprocess.run([sys.executable, os.path.join(ROOT, "reports", "campaign_report.py"), OUT,
                        "--coverage-build", os.path.join(WORK, "coverage-build"),
                        "--real-kvm", "off"], capture_output=True, text=True)
    sys.stdout.write(p.stdout + p.stderr)
    expect(p.returncode == 0, "the report was made")
    dest = os.path.join(OUT, "report")
    r = json.load(open(os.path.join(dest, "report.json")))
    check_json(r)
    check_findings(r)
    check_files(r, dest)
    check_coverage(r, dest)
    print("%d checks failed" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
