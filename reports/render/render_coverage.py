"""The coverage sections of the HTML report: KCore's headline, every
layer with its own denominator, KCore per file and per function on the
host and in the image, the lines covered on one and not the other, and
what the campaign never reached."""

from html import escape

from reports.coverage import coverage_compare
from reports.draw import html_table as t


def pct(part):
    return "%.1f%% (%d of %d)" % (100.0 * part["covered"] / part["count"] if part["count"] else 0.0,
                                 part["covered"], part["count"])


def headline(c):
    """One sentence on KCore (or the baseline's code for vanilla)."""
    if not c.get("available"):
        return "<p>Coverage not measured: %s</p>" % escape(c.get("reason", ""))
    layer = c["layers"][c["headline"]]
    img = c.get("image", {})
    out = "<p><b>%s</b>: lines %s, branches %s on the host model" % (
        escape(layer["title"]), pct(layer["lines"]), pct(layer["branches"]))
    if c["headline"] == "kcore" and img.get("available"):
        out += "; in the bare-metal image: lines %s, branch ways %s" % (pct(img["lines"]), pct(img["branches"]))
    return out + ".</p>"


def layers_table(c):
    rows = [(l["title"], pct(l["lines"]), pct(l["branches"]), pct(l["functions"]), l["files"])
            for l in c["layers"].values()]
    return ("<h3>Per layer, each with its own denominator</h3>\n"
            + t.table(rows, ("layer", "lines", "branches", "functions", "files"))
            + '<p>%d kept inputs replayed on a clang coverage build. <a href="%s">Line and branch coverage of hyp/ '
              '(llvm-cov)</a>, <a href="%s">its table</a>.</p>' % (c["inputs_replayed"], escape(c["html"]),
                                                                   escape(c["table"])))


def files_table(c):
    img = c.get("image", {})
    rows = []
    for f in c.get("files", []):
        rows.append((t.Raw("<code>%s</code>" % escape(f["file"])), pct(f["host"]["lines"]), pct(f["image"]["lines"]),
                     pct(f["host"]["branches"]), pct(f["image"]["branches"]), len(f["host_only"]),
                     len(f["image_only"])))
    note = ("<p>Image: %d inputs (of %d kept, spread evenly) run by <code>isofuzz replay-qemu</code> with the TCG "
            "plugin's coverage mode; lines from the image's DWARF line table, branch ways from its conditional "
            'branches. <a href="%s">replay-qemu output</a>.</p>'
            % (img["inputs"], img.get("kept_inputs", img["inputs"]), escape(img["log"]))
            if img.get("available") else "<p>Image coverage not measured: %s</p>" % escape(img.get("reason", "")))
    return ("<h3>KCore per file: host model beside the bare-metal image</h3>\n" + note
            + t.table(rows, ("file", "host lines", "image lines", "host branches", "image branch ways",
                             "host only", "image only")))


def functions_table(c):
    rows = [(t.Raw("<code>%s:%d</code>" % (escape(f["file"]), f["line"])), f["function"],
             pct(f["host"]), pct(f["image"]))
            for f in c.get("functions", []) if f["host"]["covered"] < f["host"]["count"]
            or f["image"]["covered"] < f["image"]["count"]]
    return ("<details><summary>KCore functions not fully covered on the host or in the image (%d)</summary>\n"
            % len(rows) + t.table(rows, ("where", "function", "host lines", "image lines")) + "</details>")


def differences(c):
    """Host-only lines grouped by why (unreached in the image first), then
    image-only lines."""
    groups, image_rows = {}, []
    for f in c.get("files", []):
        for d in f["host_only"]:
            groups.setdefault(d["kind"], []).append(
                (t.Raw("<code>%s:%d</code>" % (escape(f["file"]), d["line"])), d["function"] or "", d["reason"]))
        image_rows += [(t.Raw("<code>%s:%d</code>" % (escape(f["file"]), d["line"])), d["function"] or "")
                       for d in f["image_only"]]
    out = ["<h3>Covered on one side only</h3>"]
    for kind, _templates in coverage_compare.REASON_KINDS:
        rows = groups.get(kind, [])
        out.append("<details%s><summary>Covered on the host, not in the image: %s (%d lines)</summary>\n"
                   % (" open" if kind == "not reached in the image" and rows else "", escape(kind), len(rows))
                   + t.table(rows, ("line", "function", "why")) + "</details>")
    out.append("<details><summary>Covered in the image, not on the host (%d lines)</summary>\n" % len(image_rows)
               + t.table(image_rows, ("line", "function")) + "</details>")
    return "\n".join(out)


def never_reached(c):
    n = c.get("never_reached", {"functions": [], "branches": []})
    fns = [(t.Raw("<code>%s</code>" % escape(f["where"])), f["function"]) for f in n["functions"]]
    brs = [(t.Raw("<code>%s</code>" % escape(b["where"])), b["function"] or "", b["what"]) for b in n["branches"]]
    return ("<h3>Never reached: what a new seed should drive</h3>\n"
            "<p>%d KCore functions never entered, %d branch conditions not seen both ways.</p>\n"
            % (len(fns), len(brs)) + t.table(fns, ("where", "function"))
            + "<details><summary>Branches</summary>\n" + t.table(brs, ("where", "function", "what"))
            + "</details>")


def section(c):
    if not c.get("available"):
        return "<h2>Coverage</h2>\n" + headline(c)
    return "\n".join(["<h2>Coverage</h2>", headline(c), layers_table(c), files_table(c), functions_table(c),
                      differences(c), never_reached(c)])
