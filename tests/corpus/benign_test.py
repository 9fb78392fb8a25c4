#!/usr/bin/env python3
"""Differential test of a benign program (corpus/benign/*.txt): the host
follows the protocol, so KCore and the baseline must agree on everything
it and its guests see.

    benign_test.py ISOFUZZ FILE

KCore must replay FILE with no violation; then both targets replay it with
the oracles off, and every step must give the same result on both: each
hypercall's return code, each guest read's value or fault, each KServ and
device access.
"""
import sys

from trace_io import repro, step_lines


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def trace(isofuzz, path, target, oracles):
    rc, out = repro(isofuzz, path, target, oracles)
    if rc != 0:
        print(out)
        fail(f"{target} with oracles {oracles}: exit {rc}, expected 0")
    steps = step_lines(out)
    if not steps:
        fail(f"no steps in the trace on {target}")
    return steps


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        sys.exit(2)
    isofuzz, path = sys.argv[1:]
    kcore = trace(isofuzz, path, "kcore", "all")
    vanilla = trace(isofuzz, path, "vanilla", "none")
    if [s[:2] for s in kcore] != [s[:2] for s in vanilla]:
        fail("the two traces list different steps")
    diffs = [(k, v) for k, v in zip(kcore, vanilla) if k[2] != v[2]]
    for k, v in diffs:
        print(f"step {k[0]:3}  {k[1]}\n        kcore:   {k[2]}\n        vanilla: {v[2]}")
    for i, text, res in kcore:
        print(f"{i:4}  {text} -> {res}")
    if diffs:
        fail(f"{len(diffs)} of {len(kcore)} steps differ")
    if not any(text.split()[1] == "guest_read" and res.startswith("read ") for _, text, res in kcore):
        fail("no guest read a value: nothing of the guests' view was compared")
    print(f"ok: {len(kcore)} steps agree")


if __name__ == "__main__":
    main()
