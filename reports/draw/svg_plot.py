"""Line charts as standalone SVG documents, drawn here so the report needs
nothing but Python."""

import math
from xml.sax.saxutils import escape

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 28, 40
COLORS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd")


def nice_ticks(lo, hi, count=5):
    """Round tick values covering [lo, hi]: steps of 1, 2 or 5 times a
    power of ten."""
    if hi <= lo:
        hi = lo + 1
    raw = (hi - lo) / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.floor(lo / step) * step
    ticks, t = [], first
    while t <= hi + step * 1e-9:
        ticks.append(t)
        t += step
    if ticks[-1] < hi:
        ticks.append(ticks[-1] + step)
    return ticks


# Steps a reader counts time in: seconds, then minutes, then hours.
TIME_STEPS = (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400)


def time_ticks(hi, count=5):
    """Ticks at round times (0:30, 1:00, 5:00, 1:00:00 ...) covering [0, hi]."""
    hi = max(hi, 1)
    step = next((s for s in TIME_STEPS if s * count >= hi), 86400 * math.ceil(hi / (86400 * count)))
    ticks = list(range(0, int(math.ceil(hi / step)) * step + 1, step))
    return ticks if len(ticks) > 1 else [0, step]


def _label(v):
    if v >= 1e6:
        return "%gM" % (v / 1e6)
    if v >= 1e4:
        return "%gk" % (v / 1e3)
    return "%g" % v


def _time_label(seconds):
    seconds = int(seconds)
    return "%d:%02d" % (seconds // 60, seconds % 60) if seconds < 3600 else \
        "%d:%02d:%02d" % (seconds // 3600, seconds // 60 % 60, seconds % 60)


def line_chart(title, series, y_label, marks=(), x_label="campaign time (m:ss)"):
    """series: [(name, [(x seconds, y), ...])]; marks: x positions drawn as
    dashed lines (where a session began)."""
    points = [p for _, pts in series for p in pts]
    xs = [p[0] for p in points] or [0, 1]
    ys = [p[1] for p in points] or [0, 1]
    xt = time_ticks(max(xs))
    yt = nice_ticks(0, max(ys))
    pw, ph = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def px(x):
        return LEFT + pw * (x - xt[0]) / (xt[-1] - xt[0])

    def py(y):
        return TOP + ph - ph * (y - yt[0]) / (yt[-1] - yt[0])

    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" '
           'font-family="sans-serif" font-size="11">' % (WIDTH, HEIGHT, WIDTH, HEIGHT),
           '<title>%s</title>' % escape(title),
           '<rect width="100%" height="100%" fill="white"/>',
           '<text x="%d" y="16" font-size="13" font-weight="bold">%s</text>' % (LEFT, escape(title))]
    for y in yt:
        out.append('<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="#ddd"/>' % (LEFT, LEFT + pw, py(y), py(y)))
        out.append('<text x="%d" y="%.1f" text-anchor="end">%s</text>' % (LEFT - 6, py(y) + 4, _label(y)))
    for x in xt:
        out.append('<text x="%.1f" y="%d" text-anchor="middle">%s</text>' % (px(x), TOP + ph + 16, _time_label(x)))
    for x in marks:
        out.append('<line x1="%.1f" x2="%.1f" y1="%d" y2="%d" stroke="#999" stroke-dasharray="4 3"/>'
                   % (px(x), px(x), TOP, TOP + ph))
    out.append('<line x1="%d" x2="%d" y1="%d" y2="%d" stroke="black"/>' % (LEFT, LEFT + pw, TOP + ph, TOP + ph))
    out.append('<line x1="%d" x2="%d" y1="%d" y2="%d" stroke="black"/>' % (LEFT, LEFT, TOP, TOP + ph))
    out.append('<text x="%d" y="%d" text-anchor="middle">%s</text>' % (LEFT + pw // 2, HEIGHT - 6, escape(x_label)))
    out.append('<text transform="translate(14 %d) rotate(-90)" text-anchor="middle">%s</text>'
               % (TOP + ph // 2, escape(y_label)))
    for i, (name, pts) in enumerate(series):
        color = COLORS[i % len(COLORS)]
        if pts:
            path = " ".join("%.1f,%.1f" % (px(x), py(y)) for x, y in pts)
            out.append('<polyline fill="none" stroke="%s" stroke-width="1.8" points="%s"/>' % (color, path))
        if len(series) > 1:
            lx = LEFT + pw - 140
            ly = TOP + 12 + 14 * i
            out.append('<line x1="%d" x2="%d" y1="%d" y2="%d" stroke="%s" stroke-width="2"/>'
                       % (lx, lx + 16, ly - 4, ly - 4, color))
            out.append('<text x="%d" y="%d">%s</text>' % (lx + 20, ly, escape(name)))
    out.append("</svg>")
    return "\n".join(out) + "\n"
