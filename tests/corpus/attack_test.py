#!/usr/bin/env python3
"""One check of one attacker program (corpus/attacks/*.txt).

    attack_test.py ISOFUZZ FILE kcore|vanilla|isolation|ni

kcore      KCore with every oracle: no violation, and each "#! kcore STEP
           RESULT" line of FILE holds (the attack is refused).
vanilla    the baseline with the oracles off: each "#! vanilla STEP
           RESULT" line holds (the attack gets through).
isolation  the baseline with every oracle but refinement (the model
           disagrees with the baseline from its first remap on): an
           isolation violation.
ni         the baseline with only the noninterference oracle: a
           noninterference violation at the step "#! ni STEP" names.
verdicts   for each "#! verdict ORACLES KIND STEP" line, the baseline with
           those oracles: violation KIND at STEP (skipped, exit 77, for a
           program without such lines).
"""
import json
import sys

from trace_io import read_directives, repro, step_results

ISOLATION_KINDS = {"table-reach", "kserv-reach", "vm-reach", "dma-reach"}


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def check_results(isofuzz, path, target, oracles, expected):
    if not expected:
        fail(f"{path} has no '#! {target}' lines")
    rc, out = repro(isofuzz, path, target, oracles)
    print(out)
    if rc != 0:
        fail(f"{target} with oracles {oracles}: exit {rc}, expected 0")
    got = step_results(out)
    for step, want in expected:
        have = got.get(step)
        if have != want:
            fail(f"step {step} on {target}: '{have}', expected '{want}'")
    print(f"ok: {len(expected)} expected results on {target}")


def violation(isofuzz, path, oracles):
    rc, out = repro(isofuzz, path, "vanilla", oracles, json_out=True)
    print(out)
    if rc != 1:
        fail(f"vanilla with oracles {oracles}: exit {rc}, expected 1 (violation)")
    return json.loads(out)


def main():
    if len(sys.argv) != 4:
        print(__doc__)
        sys.exit(2)
    isofuzz, path, mode = sys.argv[1:]
    d = read_directives(path)
    if mode == "kcore":
        check_results(isofuzz, path, "kcore", "all", d["kcore"])
    elif mode == "vanilla":
        check_results(isofuzz, path, "vanilla", "none", d["vanilla"])
    elif mode == "isolation":
        v = violation(isofuzz, path, "-refine")
        if v["kind"] not in ISOLATION_KINDS:
            fail(f"violation {v['kind']}, expected one of {sorted(ISOLATION_KINDS)}")
        print(f"ok: {v['kind']} at step {v['step']}")
    elif mode == "ni":
        if len(d["ni"]) != 1:
            fail(f"{path} needs exactly one '#! ni STEP' line")
        v = violation(isofuzz, path, "ni")
        if v["kind"] != "noninterference":
            fail(f"violation {v['kind']}, expected noninterference")
        if v["step"] != d["ni"][0]:
            fail(f"noninterference at step {v['step']}, expected step {d['ni'][0]}")
        print(f"ok: noninterference at step {v['step']}")
    elif mode == "verdicts":
        if not d["verdict"]:
            print("no '#! verdict' lines: skipped")
            sys.exit(77)
        for oracles, kind, step in d["verdict"]:
            v = violation(isofuzz, path, oracles)
            if v["kind"] != kind or v["step"] != step:
                fail(f"with oracles {oracles}: {v['kind']} at step {v['step']}, expected {kind} at step {step}")
            print(f"ok: {kind} at step {step} with oracles {oracles}")
    else:
        print(__doc__)
        sys.exit(2)


if __name__ == "__main__":
    main()
