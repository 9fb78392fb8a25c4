"""HTML tables with escaped cells (Raw for cells that are markup already)."""

from html import escape


class Raw(str):
    """A cell that is HTML already."""


def cell(c):
    return c if isinstance(c, Raw) else escape(str(c))


def table(rows, header=None):
    out = ["<table>"]
    if header:
        out.append("<tr>" + "".join("<th>%s</th>" % escape(str(h)) for h in header) + "</tr>")
    for row in rows:
        out.append("<tr>" + "".join("<td>%s</td>" % cell(c) for c in row) + "</tr>")
    out.append("</table>")
    return "\n".join(out)
