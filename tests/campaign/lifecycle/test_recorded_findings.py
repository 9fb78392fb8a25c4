#!/usr/bin/env python3
"""A libFuzzer campaign on vanilla, where violations are everywhere: its
target records each violating input in crashes/ (crash-HASH) and goes on
instead of dying, and the campaign reads those exactly as libFuzzer's
crash artifacts: each replays to a finding with its violation kind, and
each is re-run under the --recheck build, which itself does not record
(there a violation aborts as it always did).

The --recheck build here is a stand-in that behaves as libFuzzer does on
files and says whether it was asked to record."""

import os
import re
import sys

from campaign_procs import WORK, Campaign, Checks, write_stand_in

FAKE = r'''#!/usr/bin/env python3
import os, sys
for path in [a for a in sys.argv[1:] if not a.startswith("-")]:
    print("Running: " + path, flush=True)
    if os.environ.get("ISOFUZZ_RECORD_DIR"):
        print("==1== ERROR: recording in the recheck", flush=True)
    print("Executed %s in 1 ms" % path, flush=True)
'''
RECORDED = re.compile(r"crash-[0-9a-f]{32}")


def main():
    fake = os.path.join(WORK, "recorded-fakebuild", "harness", "isofuzz-libfuzzer")
    write_stand_in(fake, FAKE)

    c, t = Campaign("recorded", 8, target="vanilla", jobs=1), Checks()
    c.fresh()
    c.extra = ["--recheck", fake]
    c.start()
    rc, out = c.finish()
    sys.stdout.write(out)
    crashes = os.path.join(c.out, "crashes")
    names = sorted(os.listdir(crashes))
    recorded = [n for n in names if RECORDED.fullmatch(n)]
    t.expect(recorded, "the target recorded violating inputs (%d)" % len(recorded))
    t.expect(not [n for n in names if n.startswith(".tmp-")], "no half-written file is left")
    rows = [line.split("\t") for line in open(os.path.join(c.out, "findings.tsv")).read().splitlines()]
    head, rows = rows[0], rows[1:]
    col = {k: i for i, k in enumerate(head)}
    from_recorded = [r for r in rows if RECORDED.fullmatch(os.path.basename(r[col["crash"]]))]
    t.expect(from_recorded, "a recorded input is a finding (%d of %d)" % (len(from_recorded), len(rows)))
    t.expect(all(r[0] not in ("unreproduced", "sanitizer") and r[col["oracle"]] != "-" for r in from_recorded),
             "with its violation kind: %s" % sorted({r[0] for r in from_recorded}))
    t.expect(not [r for r in rows if r[0] == "unreproduced"], "every recorded input replays to its violation")
    t.expect(rc == 1, "the campaign's status says it found violations (%d)" % rc)
    done = set(open(os.path.join(c.out, "rechecked")).read().split())
    t.expect(all(os.path.join(crashes, n) in done for n in recorded),
             "every recorded input was re-run under the recheck build")
    log = "".join(open(os.path.join(c.out, "logs", n)).read() for n in os.listdir(os.path.join(c.out, "logs"))
                  if n.startswith("recheck"))
    t.expect("recording in the recheck" not in log, "which does not record (it aborts on a violation)")
    return t.result()


if __name__ == "__main__":
    sys.exit(main())
