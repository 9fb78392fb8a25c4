"""The report as a short markdown summary, for CI logs and job summaries."""


def _pct(c, key):
    return "%s%% (%d of %d)" % (c[key]["percent"], c[key]["covered"], c[key]["count"])


def render(r):
    cfg, eng, t = r["config"], r["engine"], r["time"]
    lines = ["# isofuzz campaign: %s on %s" % (cfg["engine"], cfg["target"]), "",
             "| | |", "| --- | --- |",
             "| oracles | %s |" % cfg["oracles"],
             "| jobs | %s |" % cfg["jobs"],
             "| time | %d s of %d s budget, %d session(s), %d interrupted |"
             % (t["spent_seconds"], cfg["budget_seconds"], t["sessions"], t["interrupted_sessions"]),
             "| executions | %d |" % eng["total_execs"],
             "| execs/s (all executions over wall time) | %d |" % eng["throughput"]["execs_per_sec"],
             "| coverage (%s) | %d |" % (eng["coverage_meaning"], eng["final"].get("coverage", 0)),
             "| corpus | %d |" % eng["final"].get("corpus", 0),
             "| crashes (engine) | %d |" % eng["final"].get("crashes", 0),
             "| findings | %d |" % len(r["findings"])]
    cov = r["coverage"]
    if cov.get("available"):
        lines.append("| hyp/ lines | %s |" % _pct(cov, "lines"))
        lines.append("| hyp/ branches | %s |" % _pct(cov, "branches"))
    lines.append("")
    if r["findings"]:
        lines += ["## Findings", "", "| kind | site | oracle | found by | crashes | steps | repro |",
                  "| --- | --- | --- | --- | --- | --- | --- |"]
        for f in r["findings"]:
            lines.append("| %s | %s | %s | %s | %d | %d | `%s` |" % (f["kind"], f["site"], f["oracle"],
                                                                     f.get("found_by", "-"), f["crashes"],
                                                                     f["steps_after"], f["repro"]))
        lines.append("")
    else:
        lines += ["No violation found.", ""]
    if r["unreproduced"]["count"]:
        lines += ["%d saved crash(es) gave no violation on replay (sanitizer or timeout): first %s"
                  % (r["unreproduced"]["count"], r["unreproduced"]["first"]), ""]
    bad = [c for c in r["checks"] if not c["ok"]]
    lines.append("Engine statistics: %s" % ("all %d run(s) match the engine's own" % len(r["checks"])
                                             if not bad else "; ".join(c["what"] + ": " + c["detail"] for c in bad)))
    return "\n".join(lines) + "\n"
