"""The report as one HTML page (plots as SVG files beside it)."""

from html import escape

STYLE = """
body { font-family: sans-serif; max-width: 980px; margin: 2em auto; color: #222; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
td, th { border: 1px solid #ccc; padding: 4px 10px; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
pre { background: #f7f7f7; padding: 8px; overflow-x: auto; font-size: 12px; }
code { background: #f3f3f3; padding: 1px 4px; }
.ok { color: #1a7f37; } .bad { color: #c62828; font-weight: bold; }
.finding { border-left: 4px solid #c62828; padding-left: 12px; margin-bottom: 2em; }
"""


def _table(rows, header=None):
    out = ["<table>"]
    if header:
        out.append("<tr>" + "".join("<th>%s</th>" % escape(str(h)) for h in header) + "</tr>")
    for row in rows:
        out.append("<tr>" + "".join("<td>%s</td>" % escape(str(c)) for c in row) + "</tr>")
    out.append("</table>")
    return "\n".join(out)


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


def _plots(r):
    imgs = "".join('<p><img src="%s" alt="%s"></p>\n' % (escape(p["file"]), escape(p["title"])) for p in r["plots"])
    return "<h2>Over time</h2>\n" + imgs


def _finding(f):
    v = f["violation"] or {}
    return ('<div class="finding"><h3>%s at %s</h3>\n' % (escape(f["kind"]), escape(f["site"]))
            + _table([("oracle", f["oracle"]), ("found by (build)", f.get("found_by", "-")),
                      ("crashes with this kind and site", f["crashes"]),
                      ("steps", "%d (minimized from %d)" % (f["steps_after"], f["steps_before"])),
                      ("detail", v.get("detail", "")), ("first crash", f["crash"])])
            + "<p>Reproduce: <code>%s</code></p>\n" % escape(f["repro"])
            + "<h4>Program</h4>\n<pre>%s</pre>\n" % escape(f["program"] or "")
            + "<details><summary>Trace</summary>\n<pre>%s</pre></details>\n</div>" % escape(f["trace"] or ""))


def _findings(r):
    out = ["<h2>Findings</h2>"]
    if not r["findings"]:
        out.append('<p class="ok">No violation found.</p>')
    out += [_finding(f) for f in r["findings"]]
    u = r["unreproduced"]
    if u["count"]:
        out.append('<p class="bad">%d saved crash(es) gave no violation on replay (a sanitizer report or a '
                   'timeout: see the engine log); first: %s</p>' % (u["count"], escape(u["first"])))
    return "\n".join(out)


def _coverage(r):
    c = r["coverage"]
    if not c.get("available"):
        return "<h2>Source coverage of hyp/</h2>\n<p>Not measured: %s</p>" % escape(c.get("reason", ""))
    rows = [(k, c[k]["covered"], c[k]["count"], "%.2f%%" % c[k]["percent"])
            for k in ("lines", "branches", "functions", "regions")]
    return ("<h2>Source coverage of hyp/</h2>\n<p>%d inputs of the campaign replayed on a coverage build; "
            '%d files. <a href="%s">Line and branch coverage (llvm-cov)</a>, '
            '<a href="%s">table</a>.</p>\n' % (c["inputs_replayed"], c["files"], escape(c["html"]), escape(c["table"]))
            + _table(rows, ("", "covered", "total", "percent")))


def _checks(r):
    rows = [(c["what"], "ok" if c["ok"] else "MISMATCH", c["detail"]) for c in r["checks"]]
    return "<h2>Recorded statistics against the engine's own</h2>\n" + _table(rows, ("run", "", ""))


def render(r):
    title = "isofuzz campaign: %s on %s" % (r["config"]["engine"], r["config"]["target"])
    body = "\n".join([_config(r), _numbers(r), _plots(r), _findings(r), _coverage(r), _checks(r)])
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>%s</title>\n"
            "<style>%s</style>\n</head>\n<body>\n<h1>%s</h1>\n%s\n</body>\n</html>\n"
            % (escape(title), STYLE, escape(title), body))
