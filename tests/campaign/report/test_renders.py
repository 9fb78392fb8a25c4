#!/usr/bin/env python3
"""The campaign report opened in headless Chromium, as a reader sees it:
the screenshot is a PNG of the window's size that is not blank; in the
DOM Chromium rendered, the findings are the first section; every link and
image resolves to a file inside the report directory (the report works
offline as one directory, nothing is fetched).

The report is the one the campaign-report test made; without it, a small
campaign directory is written here (one finding, two statistics rows) and
its report made without coverage, so this test never depends on another
having run.  Chromium is required (Debian package chromium): a missing
browser fails the test rather than skipping it."""

import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib
from html.parser import HTMLParser
from urllib.parse import unquote, urlparse

WORK = os.environ["WORK"]
ROOT = os.environ["SOURCE_ROOT"]
REPORT = os.path.join(WORK, "report-campaign", "report")
SHOT = os.path.join(WORK, "report-screenshot.png")
WIDTH, HEIGHT = 1000, 2000
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars"]
failures = []


def expect(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


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


FINDING_PROGRAM = "config cpus=1\ncpu0 register_vm\n"


def fixture_report(base):
    """A campaign directory as `isofuzz run` leaves it, reduced to what the
    report reads, and its report (no coverage)."""
    out = os.path.join(base, "campaign")
    fdir = os.path.join(out, "findings", "kserv-reach", "kserv_read.read")
    os.makedirs(fdir)
    os.makedirs(os.path.join(out, "crashes"))
    with open(os.path.join(out, "state"), "w") as f:
        f.write("engine libfuzzer\ntarget vanilla\noracles all\njobs 2\nbudget 60\nspent 60\nsessions 1\n"
                "execs_before 0\ninterrupted 0\nfuzzer -\n")
    cols = ("session,elapsed,session_seconds,execs,total_execs,execs_per_sec,coverage,features,corpus,crashes,"
            "engine_seconds,final")
    with open(os.path.join(out, "stats.csv"), "w") as f:
        f.write(cols + "\n1,30,30,1000,1000,33,100,200,10,0,30,0\n1,60,60,2000,2000,33,120,240,12,1,60,1\n")
    for name, text in (("program.txt", FINDING_PROGRAM), ("trace.txt", "   0  cpu0 register_vm -> OK 0x1\n"),
                       ("violation.json", '{"kind":"kserv-reach"}\n'), ("repro.txt", "isofuzz repro x\n")):
        with open(os.path.join(fdir, name), "w") as f:
            f.write(text)
    crash = os.path.join(out, "crashes", "crash-0")
    open(crash, "wb").write(b"\x01\x02")
    with open(os.path.join(out, "findings.tsv"), "w") as f:
        f.write("kind\tsite\toracle\tcrashes\tsteps_before\tsteps_after\tcrash\tdir\trepro\n")
        f.write("kserv-reach\tkserv_read.read\tisolation\t1\t9\t2\t%s\t%s\tisofuzz repro --target vanilla %s\n"
                % (crash, fdir, os.path.join(fdir, "program.txt")))
    p = subprocess.run([sys.executable, os.path.join(ROOT, "reports", "campaign_report.py"), out,
                        "--real-kvm", "off"],  # the kvm suite boots the kernels
                       capture_output=True, text=True)
    sys.stdout.write(p.stdout + p.stderr)
    return os.path.join(out, "report")


class Page(HTMLParser):
    """The rendered DOM's section headings in order, and every reference."""

    def __init__(self):
        super().__init__()
        self.h2, self.refs, self._in_h2 = [], [], False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "h2":
            self._in_h2 = True
            self.h2.append("")
        for key in ("href", "src"):
            if a.get(key) is not None and tag in ("a", "img", "link", "script", "iframe", "source"):
                self.refs.append((tag, a[key]))

    def handle_endtag(self, tag):
        if tag == "h2":
            self._in_h2 = False

    def handle_data(self, data):
        if self._in_h2:
            self.h2[-1] += data


def browser_run(browser, args, profile):
    return subprocess.run([browser] + FLAGS + ["--user-data-dir=" + profile] + args,
                          capture_output=True, text=True, timeout=120)


def bad_links(report, refs):
    """The references that do not resolve to a file in the report directory."""
    root = os.path.realpath(report)
    bad = []
    for tag, ref in refs:
        u = urlparse(ref)
        if u.scheme not in ("", "file") or u.netloc:
            bad.append("%s %s is not a file of the report" % (tag, ref))
            continue
        if not u.path:   # a link within the page (#id)
            continue
        path = unquote(u.path) if u.scheme == "file" else os.path.join(report, unquote(u.path))
        real = os.path.realpath(path)
        if not real.startswith(root + os.sep) or not os.path.isfile(real):
            bad.append("%s %s does not resolve to a file in the report directory" % (tag, ref))
    return bad


def rendered(browser, page, profile):
    parsed = Page()
    dom = browser_run(browser, ["--dump-dom", "file://" + page], profile).stdout
    parsed.feed(dom)
    return parsed, dom


def checks_can_fail(browser, report, base):
    """The same checks on a doctored copy of the page: a section before the
    findings, a link off the machine and an image that is not there."""
    page = os.path.join(report, "doctored-copy.html")
    html = open(os.path.join(report, "index.html"), encoding="utf-8").read()
    html = html.replace("<body>", '<body>\n<h2>Configuration</h2><a href="https://example.org/x">x</a>'
                        '<img src="missing.svg" alt="missing">', 1)
    with open(page, "w", encoding="utf-8") as f:
        f.write(html)
    try:
        parsed, _ = rendered(browser, page, os.path.join(base, "profile-doctored"))
    finally:
        os.remove(page)
    bad = bad_links(report, parsed.refs)
    expect(parsed.h2[0].strip() != "Findings" and len(bad) == 2,
           "the checks catch a doctored page: first section %r, %d bad links" % (parsed.h2[0].strip(), len(bad)))


def main():
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    expect(browser is not None, "Chromium is installed (Debian package chromium)")
    if not browser:
        return 1
    with tempfile.TemporaryDirectory() as base:
        report = REPORT if os.path.exists(os.path.join(REPORT, "index.html")) else fixture_report(base)
        page = os.path.join(report, "index.html")
        print("report: " + page)
        expect(os.path.exists(page), "the report exists")
        if os.path.exists(SHOT):
            os.remove(SHOT)
        browser_run(browser, ["--window-size=%d,%d" % (WIDTH, HEIGHT), "--screenshot=" + SHOT, "file://" + page],
                    os.path.join(base, "profile-shot"))
        expect(os.path.exists(SHOT), "Chromium took a screenshot")
        if os.path.exists(SHOT):
            width, height, distinct = png_rows(SHOT)
            expect((width, height) == (WIDTH, HEIGHT) and distinct > 100,
                   "the report renders: %dx%d, %d distinct rows (%s)" % (width, height, distinct, SHOT))
        parsed, dom = rendered(browser, page, os.path.join(base, "profile-dom"))
        expect(parsed.h2 and parsed.h2[0].strip() == "Findings",
               "the findings are the first section (sections: %s)" % [h.strip() for h in parsed.h2[:4]])
        bad = bad_links(report, parsed.refs)
        expect(parsed.refs and not bad, "all %d links and images resolve to files in the report directory %s"
               % (len(parsed.refs), bad[:3]))
        expect(any(ref.startswith("findings/") for _, ref in parsed.refs) or "No violation found" in dom,
               "each finding links to its files")
        checks_can_fail(browser, report, base)
    print("%d checks failed" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
