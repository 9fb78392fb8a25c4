#!/usr/bin/env python3
"""The sanitizer re-run of a libFuzzer campaign: every corpus input and
crash the fast build kept is run once under the --recheck build, an input
that makes it print a sanitizer report becomes a finding (kind sanitizer,
found by that build), an input that ends its process does not stop the
others, and a resumed campaign re-runs only what is new.

The --recheck build here is a stand-in that behaves as libFuzzer does on
files (Running:/Executed lines) and reports UBSan on a known subset."""

import json
import os
import subprocess
import sys

from campaign_procs import ROOT, WORK, Campaign, Checks, write_stand_in

FAKE = r'''#!/usr/bin/env python3
import sys
for path in [a for a in sys.argv[1:] if not a.startswith("-")]:
    data = open(path, "rb").read()
    print("Running: " + path, flush=True)
    if sum(data) % 4 == 1:
        print("/src/hyp/kcore/x.c:12:5: runtime error: signed integer overflow: 1 + 2147483647", flush=True)
    if sum(data) % 4 == 2:
        print("==1== ERROR: libFuzzer: deadly signal", flush=True)
        sys.exit(1)
    print("Executed %s in 1 ms" % path, flush=True)
'''


def inputs(out):
    found = [os.path.join(out, "corpus", n) for n in os.listdir(os.path.join(out, "corpus"))]
    return found + [os.path.join(out, "crashes", n) for n in os.listdir(os.path.join(out, "crashes"))
                    if n.startswith("crash-")]


def main():
    fake = os.path.join(WORK, "recheck-fakebuild", "harness", "isofuzz-libfuzzer")
    write_stand_in(fake, FAKE)

    c, t = Campaign("recheck", 6, jobs=1), Checks()
    c.fresh()
    c.extra = ["--recheck", fake]
    c.start()
    rc, out = c.finish()
    sys.stdout.write(out)
    kept = inputs(c.out)
    done = open(os.path.join(c.out, "rechecked")).read().split()
    t.expect(kept and sorted(done) == sorted(kept), "every kept input was re-run once (%d of %d)"
             % (len(done), len(kept)))
    flagged = sorted(p for p in kept if sum(open(p, "rb").read()) % 4 == 1)
    san = os.path.join(c.out, "sanitizer")
    saved = sorted(n for n in os.listdir(san) if not n.endswith(".txt")) if os.path.isdir(san) else []
    t.expect(saved == sorted(os.path.basename(p) for p in flagged),
             "exactly the inputs it reported on are kept (%d)" % len(saved))
    t.expect(all(os.path.exists(os.path.join(san, n + ".txt")) for n in saved), "each with its report")
    rows = [line.split("\t") for line in open(os.path.join(c.out, "findings.tsv")).read().splitlines()]
    t.expect(rows[0][-1] == "found_by", "findings.tsv says which build found what")
    sanitizer = [r for r in rows[1:] if r[0] == "sanitizer"]
    t.expect(bool(flagged) == bool(sanitizer), "a sanitizer report is a finding")
    t.expect(all(r[1] == "signed-integer-overflow.x.c:12" and r[-1] == "recheck-fakebuild" for r in sanitizer),
             "named by kind and site, found by the sanitizer build: %s" % [(r[1], r[-1]) for r in sanitizer])
    t.expect(rc == (1 if sanitizer else 0), "the exit status counts it (%d)" % rc)
    program = [os.path.join(r[7], "program.txt") for r in sanitizer]
    t.expect(all(os.path.exists(p) for p in program), "each sanitizer finding has its program")
    p = subprocess.run([sys.executable, os.path.join(ROOT, "reports", "campaign_report.py"), c.out],
                       capture_output=True, text=True)
    r = json.load(open(os.path.join(c.out, "report", "report.json")))
    shown = [(f["kind"], f["found_by"]) for f in r["findings"]]
    t.expect(p.returncode == 0 and all(("sanitizer", "recheck-fakebuild") in shown for _ in sanitizer[:1]),
             "the report says which build found what: %s" % shown)
    t.expect(all("runtime error" in (f["trace"] or "") for f in r["findings"] if f["kind"] == "sanitizer"),
             "and shows the sanitizer's report")

    before = set(done)
    spent = int(c.state()["spent"])
    c.budget = spent + 6
    c.start()
    c.finish()
    done = open(os.path.join(c.out, "rechecked")).read().split()
    t.expect(len(done) == len(set(done)) and sorted(done) == sorted(inputs(c.out)),
             "the resumed campaign re-ran only the new inputs (%d new, %d in all)"
             % (len(set(done) - before), len(done)))
    return t.result()


if __name__ == "__main__":
    sys.exit(main())
