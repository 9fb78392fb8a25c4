#!/usr/bin/env python3
"""The plugin's coverage mode, read the way the campaign report reads it
(reports/coverage/image_coverage.py): a program that maps a device page into a VM
covers KCore's ioremap code in the image and leaves its SMMU mapping code
alone; adding a program that maps pages for DMA covers that too.  Exit 77
when the image is not built.

    test_image_coverage.py ISOFUZZ PLUGIN IMAGE SOURCE_ROOT WORK"""

import os
import sys

ISOFUZZ, PLUGIN, IMAGE, ROOT, WORK = sys.argv[1:6]
sys.path.insert(0, ROOT)

from reports.coverage import image_coverage  # noqa: E402

failures = []


def expect(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def function_lines(path, name):
    """The lines of a C function: from its definition to its closing brace."""
    lines = open(os.path.join(ROOT, path)).read().splitlines()
    first = next(i for i, ln in enumerate(lines) if name + "(" in ln and not ln.startswith((" ", "\t")))
    last = next(i for i in range(first, len(lines)) if lines[i] == "}")
    return set(range(first + 1, last + 2))


def covered(files, path, name):
    wanted = function_lines(path, name)
    return sum(1 for ln, ran in files.get(path, {"lines": {}})["lines"].items() if ran and ln in wanted)


def measure(programs, tag):
    out = os.path.join(WORK, "image-coverage-" + tag)
    os.makedirs(out, exist_ok=True)
    log = os.path.join(out, "coverage.log")
    with open(os.path.join(out, "console.txt"), "w") as console:
        rc = image_coverage.run(ISOFUZZ, IMAGE, PLUGIN, [os.path.join(ROOT, "corpus", "seeds", p) for p in programs],
                                log, console)
    expect(rc == 0, "replay-qemu with the coverage plugin ran %s (exit %d)" % (programs, rc))
    ran, branches = image_coverage.read_log(log)
    graph = {}
    insns = image_coverage.disassemble(IMAGE, ROOT, graph)
    frames = image_coverage.symbolize(IMAGE, sorted(insns), ROOT)
    files = image_coverage.per_file(insns, ran, branches, "hyp/kcore/", frames)
    alone = image_coverage.per_file(insns, ran, branches, "hyp/kcore/")
    expect(sum(len(f["lines"]) for f in files.values()) > sum(len(f["lines"]) for f in alone.values()),
           "inlined frames' call sites add KCore lines to the line table's own")
    expect({"kcore_host_call", "kcore_view_region"} <= graph["symbols"] and "kcore_host_call" in graph["reachable"]
           and "kcore_view_region" not in graph["reachable"],
           "the image reaches KCore's dispatcher and never the state view the oracles read KCore through")
    return files


def main():
    if not os.path.exists(IMAGE):
        print("skipped: no image at " + IMAGE)
        return 77
    files = measure(["ioremap.txt"], "ioremap")
    t = image_coverage.totals(files)
    expect(t["lines"]["count"] > 500 and 0 < t["lines"]["covered"] < t["lines"]["count"],
           "KCore lines in the image: %(covered)d of %(count)d covered" % t["lines"])
    expect(t["branches"]["count"] > 100 and 0 < t["branches"]["covered"] < t["branches"]["count"],
           "conditional branch ways: %(covered)d of %(count)d seen" % t["branches"])
    expect(covered(files, "hyp/kcore/pages/ioremap.c", "kcore_op_ioremap") > 0, "ioremap's code ran in the image")
    expect(covered(files, "hyp/kcore/smmu/smmu.c", "smmu_map") == 0, "the SMMU mapping code did not")
    both = measure(["ioremap.txt", "smmu-kserv.txt"], "smmu")
    expect(covered(both, "hyp/kcore/smmu/smmu.c", "smmu_map") > 0, "with an SMMU program it did")
    print("%d checks failed" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
