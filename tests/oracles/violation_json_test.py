#!/usr/bin/env python3
"""The JSON printer's output, parsed by Python's json module.

usage: violation_json_test.py EMITTER CASE
EMITTER is violation-json-emit; CASE is one of its samples.  Every line
it prints must parse on its own and hold exactly the values the sample
was built with.
"""
import json
import subprocess
import sys

KINDS = [
    "none", "ret-mismatch", "state-mismatch", "kserv-reach", "vm-reach",
    "dma-reach", "table-reach", "mem-type", "bbm-missing", "revalidate-early",
    "tlbi-before-dsb", "tlbi-not-completed", "tlbi-missing",
    "tlbi-wrong-target", "table-freed-unclean", "vmid-reuse", "scrub-cached",
    "scrub-uncached", "dirty-line", "stale-line", "lock-not-held", "lock-order",
    "unlock-not-held", "lock-leaked", "noninterference", "integrity", "panic",
]

FIELDS = ["kind", "oracle", "oracle_name", "step", "cpu", "vm", "page",
          "expected", "actual", "detail", "recent"]


def objects(emitter, case):
    out = subprocess.run([emitter, case], check=True, stdout=subprocess.PIPE).stdout
    # Strict: the bytes must be UTF-8 and each line one JSON value.
    lines = out.decode("utf-8").splitlines()
    objs = [json.loads(line) for line in lines]
    for o in objs:
        assert isinstance(o, dict), o
        assert list(o.keys()) == FIELDS, list(o.keys())
    return objs


def expect(got, want, what):
    if got != want:
        raise AssertionError(f"{what}: got {got!r}, want {want!r}")


def check_full(objs):
    (o,) = objs
    expect(o["kind"], "bbm-missing", "kind")
    expect(o["oracle"], 3, "oracle")
    expect(o["oracle_name"], "TLB discipline", "oracle_name")
    expect(o["step"], 12, "step")
    expect(o["cpu"], 1, "cpu")
    expect(o["vm"], 3, "vm")
    expect(o["page"], "0x40012", "page")
    expect(int(o["expected"], 16), 0x40000000000074f, "expected")
    expect(int(o["actual"], 16), 0xfffffffffffffff0, "actual")
    expect(o["detail"], "valid entry replaced; vmid 7", "detail")
    expect(len(o["recent"]), 3, "recent events")
    for i, ev in enumerate(o["recent"]):
        expect(ev["seq"], 40 + i, "event seq")
        expect(ev["kind"], ["pte-write", "tlbi-ipa", "tlbi-vmid"][i], "event kind")
        expect(ev["cpu"], i, "event cpu")
        expect(int(ev["a"], 16), 0x40010000 + i, "event a")
        expect(int(ev["b"], 16), i, "event b")
        expect(int(ev["c"], 16), 2**64 - 1, "event c")
        expect(int(ev["d"], 16), 0, "event d")


def check_hostile(objs):
    (o,) = objs
    expect(o["kind"], "lock-order", "kind")
    # Each byte comes back as the code point of its value; the detail has
    # no terminator, so all 192 bytes are there.
    start = b'q"b\\s/\n\t\x01\x7f\xff\xc3('
    raw = start + bytes(i % 255 + 1 for i in range(len(start), 192))
    expect(o["detail"], raw.decode("latin-1"), "detail")


def check_corrupt(objs):
    (o,) = objs
    expect(o["kind"], "invalid", "kind")
    expect(o["oracle"], 0, "oracle")
    expect(o["cpu"], None, "cpu")
    expect(len(o["recent"]), 16, "recent events (clamped)")


def check_none(objs):
    (o,) = objs
    expect(o["kind"], "panic", "kind")
    expect(o["oracle"], 7, "oracle")
    for field in ("step", "cpu", "page"):
        expect(o[field], None, field)
    expect(o["vm"], 0, "vm")
    expect(o["detail"], "", "detail")
    expect(o["recent"], [], "recent")


def check_kinds(objs):
    expect([o["kind"] for o in objs], KINDS + ["invalid"], "kind names")


CHECKS = {
    "full": check_full,
    "hostile": check_hostile,
    "corrupt": check_corrupt,
    "none": check_none,
    "kinds": check_kinds,
}


def main():
    if len(sys.argv) != 3 or sys.argv[2] not in CHECKS:
        print(__doc__, file=sys.stderr)
        return 2
    CHECKS[sys.argv[2]](objects(sys.argv[1], sys.argv[2]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
