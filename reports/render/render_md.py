"""The report as a short markdown summary, for CI logs and job summaries:
KCore's coverage first, then the findings (and the findings on vanilla
replayed on real KVM), then how the campaign ran."""

from reports.campaign import real_kvm


def _pct(part):
    share = 100.0 * part["covered"] / part["count"] if part["count"] else 0.0
    return "%.1f%% (%d of %d)" % (share, part["covered"], part["count"])


def _coverage(cov):
    if not cov.get("available"):
        return ["Coverage not measured: %s" % cov.get("reason", ""), ""]
    head = cov["layers"][cov["headline"]]
    out = ["**%s: lines %s, branches %s**" % (head["title"], _pct(head["lines"]), _pct(head["branches"]))]
    img = cov.get("image", {})
    if cov["headline"] == "kcore" and img.get("available"):
        out += ["", "KCore in the bare-metal image: lines %s, branch ways %s" % (_pct(img["lines"]),
                                                                                _pct(img["branches"]))]
    out += ["", "| layer | lines | branches |", "| --- | --- | --- |"]
    out += ["| %s | %s | %s |" % (l["title"], _pct(l["lines"]), _pct(l["branches"])) for l in cov["layers"].values()]
    never = cov.get("never_reached", {})
    if never.get("functions"):
        out += ["", "KCore functions never reached: " + ", ".join(
            "%s (%s)" % (f["function"], f["where"]) for f in never["functions"][:12])
            + (" and %d more" % (len(never["functions"]) - 12) if len(never["functions"]) > 12 else "")]
    stats = cov.get("oracle_stats") or {}
    if stats:
        out += ["", "| oracle | steps checked | events checked | violations |", "| --- | --- | --- | --- |"]
        out += ["| %s | %d | %d | %d |" % (name, s["steps"], s["events"], s["violations"]) for name, s in stats.items()]
    return out + [""]


def render(r):
    cfg, eng, t = r["config"], r["engine"], r["time"]
    lines = ["# isofuzz campaign: %s on %s" % (cfg["engine"], cfg["target"]), ""]
    lines += _coverage(r["coverage"])
    if r["findings"]:
        lines += ["## Findings", "", "| kind | site | oracle | found by | crashes | steps | repro |",
                  "| --- | --- | --- | --- | --- | --- | --- |"]
        for f in r["findings"]:
            lines.append("| %s | %s | %s | %s | %d | %d | `%s` |" % (f["kind"], f["site"], f["oracle"],
                                                                     f.get("found_by", "-"), f["crashes"],
                                                                     f["steps_after"], f.get("repro_anywhere", f["repro"])))
        lines.append("")
    else:
        lines += ["No violation found.", ""]
    lines += real_kvm.markdown(r.get("real_kvm"))
    if r["unreproduced"]["count"]:
        lines += ["%d saved crash(es) gave no violation on replay (sanitizer or timeout): first %s"
                  % (r["unreproduced"]["count"], r["unreproduced"]["first"]), ""]
    lines += ["| | |", "| --- | --- |",
              "| oracles | %s |" % cfg["oracles"],
              "| jobs | %s |" % cfg["jobs"],
              "| time | %d s of %d s budget, %d session(s), %d interrupted |"
              % (t["spent_seconds"], cfg["budget_seconds"], t["sessions"], t["interrupted_sessions"]),
              "| executions | %d |" % eng["total_execs"],
              "| execs/s (all executions over wall time) | %d |" % eng["throughput"]["execs_per_sec"],
              "| coverage (%s) | %d |" % (eng["coverage_meaning"], eng["final"].get("coverage", 0)),
              "| corpus | %d |" % eng["final"].get("corpus", 0),
              "| crashes (engine) | %d |" % eng["final"].get("crashes", 0),
              "| findings | %d |" % len(r["findings"]), ""]
    bad = [c for c in r["checks"] if not c["ok"]]
    lines.append("Engine statistics: %s" % ("all %d run(s) match the engine's own" % len(r["checks"])
                                             if not bad else "; ".join(c["what"] + ": " + c["detail"] for c in bad)))
    return "\n".join(lines) + "\n"
