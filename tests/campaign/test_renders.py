#!/usr/bin/env python3
"""The report the campaign-report test made, opened in headless Chromium:
the screenshot must be a PNG of the window's size that is not blank.
Skipped (exit 77) when Chromium is not installed (`make test-report-render`
installs it) or there is no report yet."""

import os
import shutil
import struct
import subprocess
import sys
import zlib

WORK = os.environ["WORK"]
PAGE = os.path.join(WORK, "report-campaign", "report", "index.html")
SHOT = os.path.join(WORK, "report-screenshot.png")
WIDTH, HEIGHT = 1000, 2000


def png_rows(path):
    """(width, height, distinct scanlines) of a PNG, by its chunks."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, width, height = 8, b"", 0, 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height = struct.unpack(">II", body[:8])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = len(raw) // height
    return width, height, len({raw[i * stride + 1:(i + 1) * stride] for i in range(height)})


def main():
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if not browser or not os.path.exists(PAGE):
        print("skipped: %s" % ("no chromium" if not browser else "no report at " + PAGE))
        return 77
    if os.path.exists(SHOT):
        os.remove(SHOT)
    subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                    "--window-size=%d,%d" % (WIDTH, HEIGHT), "--screenshot=" + SHOT, "file://" + PAGE],
                   capture_output=True, timeout=120)
    if not os.path.exists(SHOT):
        print("FAIL no screenshot")
        return 1
    width, height, distinct = png_rows(SHOT)
    print("screenshot %dx%d, %d distinct rows: %s" % (width, height, distinct, SHOT))
    ok = (width, height) == (WIDTH, HEIGHT) and distinct > 100
    print("ok   the report renders" if ok else "FAIL the screenshot is blank or the wrong size")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
