#!/usr/bin/env python3
"""A libFuzzer campaign's crash figure is the violating inputs it saved:
libFuzzer's crash artifacts and the inputs the target recorded itself
(which the engine's own count, of jobs that died, leaves out).  The
progress line, every stats.csv reading and the findings (each saved input
replayed once) agree on it.  What the target leaves beside its inputs is
no finding and no litter: its .seen-KEY markers are listed nowhere, and
the temporary of a write a kill cut is gone when the session ends (as is
one an earlier writer left among the crashes).

The engine is a stand-in (fake/fake_libfuzzer.py): 2 artifacts, which its
status lines count, and 3 recorded inputs, which they do not."""

import os
import re
import subprocess
import sys

from campaign_procs import ISOFUZZ, Campaign, Checks, parse_stats

ARTIFACTS, RECORDS = 2, 3
LINE = re.compile(r"\| crashes (\d+) \|")


def main():
    c, t = Campaign("crash-counts", 3, target="vanilla", jobs=1), Checks()
    c.fresh()
    crashes = os.path.join(c.out, "crashes")
    os.makedirs(crashes)
    with open(os.path.join(crashes, ".tmp-crash-left-by-an-earlier-kill-1"), "wb") as f:
        f.write(b"\x01")
    os.environ.update(FAKE_ARTIFACTS=str(ARTIFACTS), FAKE_RECORDS=str(RECORDS))
    c.start()
    rc, out = c.finish(timeout=120)
    sys.stdout.write(out)
    names = os.listdir(crashes)
    saved = sorted(n for n in names if n.startswith("crash-"))
    t.expect(len(saved) == ARTIFACTS + RECORDS, "the stand-in saved %d inputs (%d)" % (ARTIFACTS + RECORDS, len(saved)))

    shown = [int(m.group(1)) for m in map(LINE.search, out.splitlines()) if m]
    t.expect(shown and shown[-1] == len(saved), "the last progress line's crashes are the inputs saved: %s" % shown)
    rows = parse_stats(os.path.join(c.out, "stats.csv"))
    t.expect(rows and rows[-1]["final"] == 1 and rows[-1]["crashes"] == len(saved),
             "the run's final reading counts them (%s)" % (rows[-1]["crashes"] if rows else None))
    t.expect(all(a["crashes"] <= b["crashes"] for a, b in zip(rows, rows[1:])) and max(r["crashes"] for r in rows
                                                                                  if not r["final"]) > ARTIFACTS,
             "every reading counts the recorded inputs as they come: %s" % [r["crashes"] for r in rows])

    tsv = [line.split("\t") for line in open(os.path.join(c.out, "findings.tsv")).read().splitlines()]
    col = {k: i for i, k in enumerate(tsv[0])}
    replayed = sum(int(r[col["crashes"]]) for r in tsv[1:] if r[0] != "sanitizer")
    t.expect(replayed == len(saved), "the findings replayed each of them once (%d)" % replayed)
    t.expect(rc == (1 if tsv[1:] else 0), "the status says what the findings say (%d)" % rc)
    named = [r[col["crash"]] for r in tsv[1:]]
    t.expect(all(os.path.basename(n).startswith("crash-") for n in named), "no finding is a marker: %s" % named)

    t.expect([n for n in names if n.startswith(".seen-")], "the target's markers are there")
    left = [n for n in names if n.startswith(".tmp-")]
    left += [n for n in os.listdir(os.path.join(c.out, "tmp")) if n.startswith(".tmp-")]
    t.expect(not left, "no temporary of a cut write is left: %s" % left)
    replay = subprocess.run([ISOFUZZ, "run", "--replay", "--target", "vanilla", "--out", c.out],
                            capture_output=True, text=True)
    kept = len(os.listdir(os.path.join(c.out, "seeds"))) + len(os.listdir(os.path.join(c.out, "corpus")))
    m = re.search(r"replayed (\d+) inputs", replay.stdout)
    t.expect(m and int(m.group(1)) == kept + len(saved),
             "the replay of what the campaign kept runs its seeds, corpus and saved inputs only (%s of %d)"
             % (m and m.group(1), kept + len(saved)))
    return t.result()


if __name__ == "__main__":
    sys.exit(main())
