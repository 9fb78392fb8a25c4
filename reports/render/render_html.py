"""The report as one HTML page, in the order a user reads it: findings
first, then coverage, then how the campaign ran; plots as SVG files and
every finding's files beside it, so the directory works offline."""

from html import escape

from reports.draw import html_table
from reports.campaign import real_kvm
from reports.render import render_coverage

STYLE = """
body { font-family: sans-serif; max-width: 1100px; margin: 2em auto; color: #222; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
td, th { border: 1px solid #ccc; padding: 4px 10px; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
pre { background: #f7f7f7; padding: 8px; overflow-x: auto; font-size: 12px; }
code { background: #f3f3f3; padding: 1px 4px; }
.ok { color: #1a7f37; } .bad { color: #c62828; font-weight: bold; }
.finding { border-left: 4px solid #c62828; padding-left: 12px; margin-bottom: 2em; }
.pair img { max-width: 49%; }
"""

_table = html_table.table
Raw = html_table.Raw


def _config(r):
    cfg, t, b = r["config"], r["time"], r["config"]["build"]
    rows = [("engine", cfg["engine"]), ("target", cfg["target"]), ("oracles", cfg["oracles"]),
            ("jobs", cfg["jobs"]), ("budget", "%d s" % cfg["budget_seconds"]),
            ("time spent", "%d s in %d session(s), %d interrupted"
             % (t["spent_seconds"], t["sessions"], t["interrupted_sessions"])),
            ("machines", ", ".join(m["name"] for m in r["machines"]))]
    rows += [("build: " + k, v) for k, v in sorted(b.items())]
    return "<h2>Configuration</h2>\n" + _table(rows)


def _numbers(r):
    f, eng = r["engine"]["final"], r["engine"]
    rows = [("executions (all runs)", eng["total_execs"]),
            ("execs/s (all executions over wall time)", eng["throughput"]["execs_per_sec"]),
            ("coverage (%s)" % eng["coverage_meaning"], f.get("coverage", 0)), ("features / map size", f.get("features", 0)),
            ("corpus", f.get("corpus", 0)), ("crashes (engine's count, last run)", f.get("crashes", 0)),
            ("findings (kind and site)", len(r["findings"]))]
    return "<h2>Engine statistics</h2>\n" + _table(rows)


def _img(p):
    return '<img src="%s" alt="%s">' % (escape(p["file"]), escape(p["title"]))


def _plots(r):
    by_file = {p["file"]: p for p in r["plots"]}
    out = ["<h2>Over time</h2>"]
    kcore, engine = by_file.pop("core-coverage.svg", None), by_file.pop("coverage.svg", None)
    if kcore:
        out.append("<p>Coverage: the target's core source lines (hyp/kcore, or hyp/vanilla on the baseline) reached by the inputs the campaign had kept by then "
                   "(replayed on the coverage build), beside the engine's own counter, which counts "
                   "edges of the whole fuzz target.</p>")
    if kcore or engine:
        out.append('<p class="pair">%s</p>' % " ".join(_img(p) for p in (kcore, engine) if p))
    out += ["<p>%s</p>" % _img(p) for p in by_file.values()]
    return "\n".join(out)


def _links(f):
    files = f.get("files", {})
    return " · ".join('<a href="%s">%s</a>' % (escape(path), escape(role)) for role, path in files.items())


def _finding(f):
    v = f["violation"] or {}
    return ('<div class="finding"><h3>%s at %s</h3>\n' % (escape(f["kind"]), escape(f["site"]))
            + "<p>%s</p>\n" % _links(f)
            + "<p>Reproduce (from any directory): <code>%s</code></p>\n" % escape(f.get("repro_anywhere", f["repro"]))
            + _table([("oracle", f["oracle"]), ("found by (build)", f.get("found_by", "-")),
                      ("crashes with this kind and site", f["crashes"]),
                      ("steps", "%d (minimized from %d)" % (f["steps_after"], f["steps_before"])),
                      ("detail", v.get("detail", "")), ("first crash", f["crash"])])
            + "<h4>Program</h4>\n<pre>%s</pre>\n" % escape(f["program"] or "")
            + "<details><summary>Trace</summary>\n<pre>%s</pre></details>\n</div>" % escape(f["trace"] or ""))


def _findings(r):
    out = ['<h2 id="findings">Findings</h2>']
    if not r["findings"]:
        out.append('<p class="ok">No violation found.</p>')
    out += [_finding(f) for f in r["findings"]]
    u = r["unreproduced"]
    if u["count"]:
        out.append('<p class="bad">%d saved crash(es) gave no violation on replay (a sanitizer report or a '
                   'timeout: see the engine log); first: %s</p>' % (u["count"], escape(u["first"])))
    return "\n".join(out)


def _oracles(r):
    stats = r["coverage"].get("oracle_stats") if r["coverage"].get("available") else None
    if not stats:
        return "<h2>Oracles</h2>\n<p>Not measured (the replay on the coverage build gives these).</p>"
    rows = [(name, s["steps"], s["events"], s["violations"]) for name, s in stats.items()]
    return ("<h2>Oracles</h2>\n<p>What each oracle checked while the %d kept inputs were replayed: the steps "
            "after which it ran a check, the machine events it was fed, and the inputs whose first violation "
            "was its own.</p>\n" % r["coverage"]["inputs_replayed"]
            + _table(rows, ("oracle", "steps checked", "events checked", "violations")))


def _checks(r):
    rows = [(c["what"], "ok" if c["ok"] else "MISMATCH", c["detail"]) for c in r["checks"]]
    return "<h2>Recorded statistics against the engine's own</h2>\n" + _table(rows, ("run", "", ""))


def render(r):
    title = "isofuzz campaign: %s on %s" % (r["config"]["engine"], r["config"]["target"])
    body = "\n".join([_findings(r), real_kvm.html(r.get("real_kvm"), _table), render_coverage.section(r["coverage"]), _oracles(r), _plots(r), _numbers(r),
                      _config(r), _checks(r)])
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>%s</title>\n"
            "<style>%s</style>\n</head>\n<body>\n<h1>%s</h1>\n%s\n</body>\n</html>\n"
            % (escape(title), STYLE, escape(title), body))
