#!/usr/bin/env python3
"""Boot an isofuzz bare-metal image in qemu-system-aarch64 and turn its own
verdict into this process's exit status.

The image reads its command line (the test name, then key=value options)
through semihosting and ends the run through semihosting with a status,
printing "isofuzz-hyp: exit <status>" first.  A run passes only if QEMU
exits with the expected status (--expect-exit, 0 by default) *and* that
line says the same, within the time limit.  With
--max-boot-ms the wall-clock time from starting QEMU to the host's
"ready" line must also stay under that bound.
"""

import argparse
import queue
import re
import subprocess
import sys
import threading
import time

READY = "isofuzz-host: ready"
EL2_TEST = "isofuzz-hyp: EL2 test"
VERDICT = re.compile(r"isofuzz-hyp: exit (\d+)")


def qemu_command(args):
    return [
        args.qemu,
        "-M", "virt,virtualization=on,gic-version=3",
        "-cpu", args.cpu,
        "-smp", str(args.smp),
        "-m", args.memory,
        "-display", "none",
        "-monitor", "none",
        "-serial", "stdio",
        "-nic", "none",  # the default NIC needs an option ROM (ipxe-qemu)
        "-no-reboot",
        "-semihosting-config", "enable=on,target=native",
        "-kernel", args.image,
        "-append", " ".join(args.words),
    ]


def pump(stream, lines):
    for raw in iter(stream.readline, b""):
        lines.put((time.monotonic(), raw.decode("utf-8", "replace").rstrip("\r\n")))
    lines.put((time.monotonic(), None))


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--qemu", default="qemu-system-aarch64")
    ap.add_argument("--image", required=True)
    ap.add_argument("--cpu", default="max")
    ap.add_argument("--smp", type=int, default=4)
    ap.add_argument("--memory", default="128M")
    ap.add_argument("--timeout", type=float, default=120.0,
                    help="seconds; a guard against a hung image, not a speed test")
    ap.add_argument("--max-boot-ms", type=float, default=None)
    ap.add_argument("--expect-exit", type=int, default=0,
                    help="the status the image must end with (non-zero to test failure paths)")
    ap.add_argument("words", nargs="+", help="test name, then key=value options")
    args = ap.parse_args()

    cmd = qemu_command(args)
    print("run_qemu:", " ".join(cmd), flush=True)
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    lines = queue.Queue()
    threading.Thread(target=pump, args=(proc.stdout, lines), daemon=True).start()

    boot_ms = None
    verdict = None
    timed_out = False
    deadline = start + args.timeout
    while True:
        try:
            when, line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            timed_out = True
            proc.kill()
            break
        if line is None:
            break
        print(line, flush=True)
        if boot_ms is None and (line.startswith(READY) or line.startswith(EL2_TEST)):
            boot_ms = (when - start) * 1000.0
        m = VERDICT.match(line)
        if m:
            verdict = int(m.group(1))
    status = proc.wait()

    if boot_ms is not None:
        print(f"run_qemu: boot to host {boot_ms:.0f} ms", flush=True)
    problems = []
    if timed_out:
        problems.append(f"no verdict within {args.timeout:.0f} s")
    if verdict is None:
        problems.append("the image printed no verdict")
    elif verdict != args.expect_exit:
        problems.append(f"the image's verdict is {verdict}, expected {args.expect_exit}")
    if status != args.expect_exit and not timed_out:
        problems.append(f"QEMU exited with status {status}, expected {args.expect_exit}")
    if args.max_boot_ms is not None:
        if boot_ms is None:
            problems.append("the host never became ready")
        elif boot_ms > args.max_boot_ms:
            problems.append(f"boot took {boot_ms:.0f} ms, limit {args.max_boot_ms:.0f} ms")
    for p in problems:
        print("run_qemu: FAIL:", p, flush=True)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
