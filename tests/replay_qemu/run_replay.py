#!/usr/bin/env python3
"""Run `isofuzz replay-qemu` on programs when the bare-metal image exists.

The image comes from the cross build (build-aarch64, see
hyp/arch/aarch64/README.md), which a host build does not make: without it
the test is skipped (exit 77), saying so.  --expect-exit checks the
command's status (1 for a run that must find a mismatch); --expect-text
requires a line of its output to contain the text.
"""

import argparse
import glob
import os
import subprocess
import sys

SKIP = 77


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--isofuzz", required=True)
    ap.add_argument("--image", required=True)
    ap.add_argument("--expect-exit", type=int, default=0)
    ap.add_argument("--expect-text", action="append", default=[])
    ap.add_argument("args", nargs="+",
                    help="replay-qemu options and program files; a directory means its *.txt")
    a = ap.parse_args()

    image = os.environ.get("ISOFUZZ_IMAGE") or a.image
    if not os.path.exists(image):
        print(f"run_replay: no image at {image}: build the cross build first "
              "(meson setup build-aarch64 --cross-file hyp/arch/aarch64/cross-aarch64.ini)")
        return SKIP
    args = []
    for x in a.args:
        args += sorted(glob.glob(os.path.join(x, "*.txt"))) if os.path.isdir(x) else [x]
    cmd = [a.isofuzz, "replay-qemu", "--image", image] + args
    print("run_replay:", " ".join(cmd), flush=True)
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    print(p.stdout, end="")
    problems = []
    if p.returncode != a.expect_exit:
        problems.append(f"exit status {p.returncode}, expected {a.expect_exit}")
    for t in a.expect_text:
        if not any(t in line for line in p.stdout.splitlines()):
            problems.append(f"no line says {t!r}")
    for m in problems:
        print("run_replay: FAIL:", m)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
