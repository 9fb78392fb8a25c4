#!/usr/bin/env python3
"""A campaign killed with kill -9 and resumed ends as it would have:
session 1 loses only its main process (its engine and fork jobs must die
with it), session 2 loses its whole process tree at once, session 3 runs
to the end.  Then: exit 0 on KCore, a report whose engine checks pass,
totals that count the killed sessions' executions, no process of the
campaign alive and no libFuzzer temporary directory left anywhere."""

import json
import os
import signal
import subprocess
import sys

from campaign_procs import ROOT, Campaign, Checks

BUDGET = 30


def main():
    c, t = Campaign("kill-resume", BUDGET), Checks()
    c.fresh()

    c.start()
    t.expect(c.wait_rows(1), "session 1 recorded a reading")
    t.expect(any(True for _ in c.temp_dirs()) and not os.listdir(c.systmp),
             "libFuzzer's temporary directory is inside the campaign's, not in $TMPDIR")
    os.kill(c.proc.pid, signal.SIGKILL)
    c.finish()
    t.expect(c.gone_within(2), "after kill -9 of the campaign alone, its engine and jobs die within 2 s "
             "(left: %s)" % c.describe(c.alive()))
    t.expect(not os.listdir(c.systmp), "nothing was left in $TMPDIR")

    c.start()
    t.expect(c.wait_rows(2), "session 2 recorded a reading")
    c.kill_tree()
    c.finish()
    t.expect(c.gone_within(2), "after kill -9 of the whole tree nothing is left (left: %s)" % c.describe(c.alive()))

    c.start()
    rc, out = c.finish()
    sys.stdout.write(out)
    t.expect(rc == 0, "the resumed campaign on KCore ends clean (exit 0, got %d)" % rc)
    t.expect(c.gone_within(2), "no process of the campaign outlives it (left: %s)" % c.describe(c.alive()))
    t.expect(not c.temp_dirs(), "no libFuzzer temporary directory is left: %s" % c.temp_dirs())

    rows = c.rows()
    finals = [r for r in rows if r["final"]]
    killed = [r for r in finals if r["final"] == 2]
    t.expect([r["session"] for r in killed] == [1, 2],
             "the killed sessions are closed with their last reading: %s" % [r["session"] for r in killed])
    p = subprocess.run([sys.executable, os.path.join(ROOT, "reports", "campaign_report.py"), c.out],
                       capture_output=True, text=True)
    sys.stdout.write(p.stdout + p.stderr)
    t.expect(p.returncode == 0, "the report is green (exit %d)" % p.returncode)
    r = json.load(open(os.path.join(c.out, "report", "report.json")))
    t.expect(r["checks"] and all(x["ok"] for x in r["checks"]),
             "every engine check passes: %s" % [x["detail"] for x in r["checks"]])
    total = sum(x["execs"] for x in finals)
    t.expect(r["engine"]["total_execs"] == total and all(x["execs"] > 0 for x in killed),
             "the total (%d) counts every session, the killed ones' %s included"
             % (r["engine"]["total_execs"], [x["execs"] for x in killed]))
    st = c.state()
    t.expect(int(st["execs_before"]) == total, "the state's count agrees (%s)" % st["execs_before"])
    return t.result()


if __name__ == "__main__":
    sys.exit(main())
