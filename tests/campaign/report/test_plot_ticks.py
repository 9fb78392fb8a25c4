#!/usr/bin/env python3
"""The plots' time axis: ticks fall on round times a reader counts in
(0:30, 1:00, 2:00, 5:00, 15:00, 1:00:00), start at zero and cover the
campaign.

    test_plot_ticks.py SOURCE_ROOT"""

import sys

sys.path.insert(0, sys.argv[1])

from reports.draw import svg_plot  # noqa: E402

ROUND = {1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400}
failures = []

for end in (1, 7, 24, 59, 150, 250, 600, 610, 1000, 3600, 5000, 7300, 86400, 3 * 86400):
    ticks = svg_plot.time_ticks(end)
    step = ticks[1] - ticks[0]
    ok = (ticks[0] == 0 and ticks[-1] >= end and len(ticks) <= 7
          and all(b - a == step for a, b in zip(ticks, ticks[1:])) and (step in ROUND or step % 86400 == 0))
    print(("ok   " if ok else "FAIL ") + "%d s: %s" % (end, " ".join(svg_plot._time_label(t) for t in ticks)))
    if not ok:
        failures.append(end)
# the old axis (0:50, 1:40, 2:30 for 150 s) is what this must not give
labels = [svg_plot._time_label(t) for t in svg_plot.time_ticks(150)]
print(("ok   " if "0:50" not in labels else "FAIL ") + "150 s is not split in 50 s steps: %s" % labels)
if "0:50" in labels:
    failures.append(150)
sys.exit(1 if failures else 0)
