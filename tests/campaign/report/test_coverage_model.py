#!/usr/bin/env python3
"""The report's coverage arithmetic on hand-made inputs: LCOV records per
layer, KCore's host and image lines side by side, the reason each
host-only line gets, and what was never reached.

    test_coverage_model.py SOURCE_ROOT"""

import os
import sys

sys.path.insert(0, sys.argv[1])

from reports.coverage import coverage, image_coverage, lcov  # noqa: E402
from reports.coverage import coverage_compare as cc  # noqa: E402

failures = []


def expect(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


LCOV = """SF:/src/hyp/kcore/vm/vm.c
FN:10,vm.c:helper
FN:20,kcore_op
FN:30,kcore_view
FNDA:0,vm.c:helper
FNDA:5,kcore_op
FNDA:2,kcore_view
DA:10,0
DA:11,0
DA:20,5
DA:21,5
DA:22,5
DA:23,0
DA:30,2
DA:31,2
BRDA:21,0,0,5
BRDA:21,0,1,0
BRDA:22,0,0,-
BRDA:22,0,1,-
BRDA:31,0,0,2
BRDA:31,0,1,1
end_of_record
SF:/src/hyp/kcore/vm/percpu.h
FN:5,percpu.h:in_guest
FNDA:1,percpu.h:in_guest
FN:5,percpu.h:in_guest
FNDA:0,percpu.h:in_guest
DA:5,1
end_of_record
SF:/src/hyp/vanilla/vm/v.c
FN:1,v
FNDA:0,v
DA:1,0
DA:2,0
end_of_record
SF:/src/hyp/arch/sim/m.c
DA:1,3
end_of_record
"""


def records():
    out = {}
    for path, rec in lcov.parse(LCOV).items():
        rec["path"] = os.path.relpath(path, "/src")
        out[rec["path"]] = rec
    return out


def main():
    recs = records()
    vm = recs["hyp/kcore/vm/vm.c"]
    expect(lcov.totals(vm)["lines"] == {"covered": 5, "count": 8}, "vm.c lines 5 of 8")
    expect(lcov.totals(vm)["branches"] == {"covered": 3, "count": 6}, "branches: taken sides only, '-' uncovered")
    expect(recs["hyp/kcore/vm/percpu.h"]["functions"] == [(5, "in_guest", 1)],
           "a header function listed per including file is one function")
    kcore = coverage.layer_totals(recs, "kcore")
    expect("vanilla" not in kcore and kcore["kcore"]["lines"] == {"covered": 6, "count": 9, "percent": 66.67},
           "on KCore the baseline has no layer, and KCore's denominator is its own: %s" % kcore["kcore"]["lines"])
    vanilla = coverage.layer_totals(recs, "vanilla")
    expect(vanilla["vanilla"]["lines"]["count"] == 2 and vanilla["machine"]["lines"]["covered"] == 1,
           "on vanilla the baseline is a layer of its own")
    image = {"hyp/kcore/vm/vm.c": {"lines": {10: True, 20: True, 21: False, 30: False, 31: False},
                                "branches": {(21, 0x100): (3, 0)}}}
    graph = {"symbols": {"kcore_op", "kcore_view"}, "reachable": {"kcore_op"}}
    r = cc.compare(recs, image, graph)
    vmf = [f for f in r["files"] if f["file"] == "hyp/kcore/vm/vm.c"][0]
    why = {d["line"]: d["reason"] for d in vmf["host_only"]}
    expect(why.get(21, "").startswith("the image ran kcore_op but not this line"), "21: the function ran, not the line")
    expect(why.get(22) == cc.NO_CODE, "22: no instructions in the image")
    expect(why.get(30, "").startswith("host-only code path: nothing in the image calls kcore_view"),
           "30: unreachable in the image: a host-only path")
    expect(20 not in why and 23 not in why, "lines covered on both, or on neither, are no difference")
    expect([d["line"] for d in vmf["image_only"]] == [10], "10: the image ran what the host never did")
    expect(vmf["image"]["branches"] == {"covered": 1, "count": 2}, "image branch ways: one of two seen")
    never = r["never_reached"]
    expect([f["where"] for f in never["functions"]] == ["hyp/kcore/vm/vm.c:10"], "never entered: helper at vm.c:10")
    expect([(b["where"], b["what"]) for b in never["branches"]] == [("hyp/kcore/vm/vm.c:21", "1 of 2 ways never taken"),
                                                                  ("hyp/kcore/vm/vm.c:22", "never evaluated")],
           "branches not seen both ways, with file:line")
    expect(all(d["kind"] != "other" for f in r["files"] for d in f["host_only"]), "every reason has its group")
    kept = ["seeds/%02d" % i for i in range(10)]
    picked = image_coverage.spread(kept, 4)
    expect(image_coverage.spread(kept, 0) == kept and image_coverage.spread(kept, 10) == kept,
           "the image replays every kept input unless told fewer")
    expect(picked == sorted(set(picked)) and len(picked) == 4 and picked[0] == kept[0] and picked[-1] >= kept[6],
           "a smaller share is spread over the whole list, the first seed kept: %s" % picked)
    print("%d checks failed" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
