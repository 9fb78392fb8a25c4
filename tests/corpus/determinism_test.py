#!/usr/bin/env python3
"""Every corpus program replays bit for bit: twice with this build's
isofuzz, and once with the isofuzz of each other build of the project
(the plain and the ASan/UBSan build of `make test`), whose traces must be
the same text, trace hash included.

    determinism_test.py ISOFUZZ BUILD_ROOT SOURCE_ROOT --peers DIR... --dirs DIR...

Peers are build directories relative to SOURCE_ROOT (ISOFUZZ_PEER_BUILDS,
colon separated, overrides them).  A peer that is missing, or whose
isofuzz is out of date (ninja has work to do for it), is skipped and
named: comparing against an old binary would blame this one for changes
made since.  KCore runs every program with all oracles; attacker programs
also run on the baseline, where the violation report must repeat too.
"""
import argparse
import os
import re
import subprocess
import sys

from list_programs import listing
from trace_io import repro

HASH_LINE = re.compile(r"^events: \d+, trace hash: ([0-9a-f]{16})$", re.M)


def runs_of(path):
    runs = [("kcore", "all")]
    if os.sep + "attacks" + os.sep in path:
        runs += [("vanilla", "-refine"), ("vanilla", "ni")]
    return runs


def replay(isofuzz, path, target, oracles):
    rc, out = repro(isofuzz, path, target, oracles)
    if rc not in (0, 1):
        raise SystemExit(f"FAIL: {isofuzz} repro {path} --target {target}: exit {rc}\n{out}")
    return rc, out


def first_difference(a, b):
    for n, (x, y) in enumerate(zip(a.splitlines(), b.splitlines()), 1):
        if x != y:
            return f"line {n}:\n  {x}\n  {y}"
    return "one output is a prefix of the other"


def check_twice(isofuzz, progs):
    """Replays each run twice; returns {(path, target, oracles): (rc, out)}."""
    seen, bad = {}, 0
    for path in progs:
        for target, oracles in runs_of(path):
            a = replay(isofuzz, path, target, oracles)
            b = replay(isofuzz, path, target, oracles)
            if a != b:
                bad += 1
                print(f"FAIL: {path} on {target} ({oracles}) differs between two replays: "
                      + first_difference(a[1], b[1]))
            m = HASH_LINE.search(a[1])
            if not m:
                bad += 1
                print(f"FAIL: {path} on {target}: no trace hash in the output")
            elif a[0] == 0:
                js = repro(isofuzz, path, target, oracles, json_out=True)[1]
                if f'"trace_hash":"{m.group(1)}"' not in js:
                    bad += 1
                    print(f"FAIL: {path}: --json gives another trace hash than the trace: {js.strip()}")
            seen[(path, target, oracles)] = a
    return seen, bad


def peer_binary(source_root, build_root, peer):
    """The peer's isofuzz, or None with the reason it is skipped."""
    root = os.path.realpath(os.path.join(source_root, peer))
    if root == os.path.realpath(build_root):
        return None, "this build"
    exe = os.path.join(root, "harness", "isofuzz")
    if not os.access(exe, os.X_OK):
        return None, "no isofuzz built there"
    p = subprocess.run(["ninja", "-C", root, "-n", "harness/isofuzz"],
                       capture_output=True, text=True, timeout=120)
    if p.returncode != 0 or "no work to do" not in p.stdout:
        return None, "its isofuzz is out of date"
    return exe, None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("isofuzz")
    ap.add_argument("build_root")
    ap.add_argument("source_root")
    ap.add_argument("--peers", nargs="*", default=[])
    ap.add_argument("--dirs", nargs="+", required=True)
    a = ap.parse_args()
    env_peers = os.environ.get("ISOFUZZ_PEER_BUILDS")
    peers = [p for p in env_peers.split(":") if p] if env_peers is not None else a.peers

    progs = listing(a.dirs)
    if not progs:
        raise SystemExit("FAIL: no corpus programs found")
    seen, bad = check_twice(a.isofuzz, progs)
    print(f"{len(seen)} runs of {len(progs)} programs replayed twice")

    for peer in peers:
        exe, why = peer_binary(a.source_root, a.build_root, peer)
        if not exe:
            print(f"peer {peer}: skipped ({why})")
            continue
        differ = 0
        for (path, target, oracles), mine in seen.items():
            theirs = replay(exe, path, target, oracles)
            if theirs != mine:
                differ += 1
                print(f"FAIL: {path} on {target} ({oracles}): {peer} gives another trace: "
                      + first_difference(mine[1], theirs[1]))
        print(f"peer {peer}: {len(seen) - differ} of {len(seen)} runs identical")
        bad += differ
    if bad:
        print(f"FAIL: {bad} differences")
        sys.exit(1)
    print("ok")


if __name__ == "__main__":
    main()
