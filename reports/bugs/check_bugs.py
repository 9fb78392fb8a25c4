#!/usr/bin/env python3
"""Check every planted bug against its program.

For each bug NAME: build the harness with -Dbug=NAME (one build directory
per bug under --root, reused between runs), replay corpus/bugs/NAME.txt
and require exit 1 with one of the violation kinds its '# expect:' line
names.  Then build the clean configuration (bug=none) and require every
program to replay clean (exit 0).  With --oracles-off, also replay each
program with the family of its expected kind turned off and report what,
if anything, still catches the bug (informational: it never fails).

    reports/bugs/check_bugs.py [--root DIR] [--only NAME,...] [--oracles-off]

Exit status: 0 when every check passed, 1 otherwise.
"""
import argparse
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bugcommon  # noqa: E402

# The oracle switch (isofuzz --oracles) behind each violation kind family.
FAMILY_SWITCH = {1: "refine", 2: "isolation", 3: "tlb", 4: "cache", 5: "lock", 6: "ni"}
KIND_FAMILY = {
    "ret-mismatch": 1, "state-mismatch": 1,
    "kserv-reach": 2, "vm-reach": 2, "dma-reach": 2, "table-reach": 2, "mem-type": 2,
    "bbm-missing": 3, "revalidate-early": 3, "tlbi-before-dsb": 3, "tlbi-not-completed": 3,
    "tlbi-missing": 3, "tlbi-wrong-target": 3, "table-freed-unclean": 3, "vmid-reuse": 3,
    "scrub-cached": 4, "scrub-uncached": 4, "dirty-line": 4, "stale-line": 4,
    "lock-not-held": 5, "lock-order": 5, "unlock-not-held": 5, "lock-leaked": 5,
    "noninterference": 6, "integrity": 6,
}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", default=os.path.join(bugcommon.ROOT, "_bugs"),
                    help="scratch directory for the per-bug builds (default _bugs)")
    ap.add_argument("--only", help="comma-separated bug names (default: all)")
    ap.add_argument("--oracles-off", action="store_true",
                    help="also replay with the expected oracle family off")
    args = ap.parse_args()

    names = bugcommon.bug_names()
    if args.only:
        wanted = args.only.split(",")
        unknown = [n for n in wanted if n not in names]
        if unknown:
            sys.exit(f"check_bugs: unknown bug(s): {', '.join(unknown)}")
        names = wanted
    os.makedirs(args.root, exist_ok=True)
    log_path = os.path.join(args.root, "build.log")
    failures = 0
    with open(log_path, "w") as log:
        try:
            clean = bugcommon.build(os.path.join(args.root, "none"), "none", log)
        except subprocess.CalledProcessError:
            sys.exit(f"check_bugs: the clean build failed, see {log_path}")
        print(f"{'bug':<24} {'expected':<18} {'bug build':<22} {'clean':<6}"
              + (" without that oracle" if args.oracles_off else ""))
        for name in names:
            expect = bugcommon.expected_kinds(name)
            program = bugcommon.program_path(name)
            try:
                isofuzz = bugcommon.build(os.path.join(args.root, name), name, log)
                st, kind = bugcommon.replay(isofuzz, program)
                got = kind if st == 1 else f"exit {st}"
            except subprocess.CalledProcessError:
                isofuzz, st, kind, got = None, None, None, "build failed"
            cst, _ = bugcommon.replay(clean, program)
            ok = st == 1 and kind in expect and cst == 0
            failures += not ok
            line = f"{name:<24} {expect[0]:<18} {got:<22} {'ok' if cst == 0 else f'exit {cst}':<6}"
            if args.oracles_off and isofuzz and kind in KIND_FAMILY:
                off = "-" + FAMILY_SWITCH[KIND_FAMILY[kind]]
                ost, okind = bugcommon.replay(isofuzz, program, ["--oracles", off])
                line += f" {off}: {okind if ost == 1 else 'nothing'}"
            print(line + ("" if ok else "   FAIL"), flush=True)
    print(f"{len(names) - failures}/{len(names)} bugs caught by their programs and clean without the bug")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
