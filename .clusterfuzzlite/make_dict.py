#!/usr/bin/env python3
"""A libFuzzer dictionary from binary seed programs: every distinct 6-byte
step record they hold (harness/program/PROGRAM.md, "Binary form"), so mutations
can splice whole, meaningful steps.

    make_dict.py OUT.dict SEED.bin...
"""

import sys

HEADER, RECORD, LITERAL = 5, 6, 8


def records(data):
    head = data[:HEADER] + bytes(HEADER - min(len(data), HEADER))
    nlit = min(int.from_bytes(head[1:3], "little"), 2048)
    nsched = min(int.from_bytes(head[3:5], "little"), 4096)
    end = len(data) - min(nsched, max(len(data) - HEADER, 0))
    end -= min(nlit, max(end - HEADER, 0) // LITERAL) * LITERAL
    body = data[HEADER:end]
    return [body[i:i + RECORD] for i in range(0, len(body) - RECORD + 1, RECORD)]


def main():
    seen = []
    for path in sys.argv[2:]:
        with open(path, "rb") as f:
            for rec in records(f.read()):
                if rec not in seen:
                    seen.append(rec)
    with open(sys.argv[1], "w", encoding="ascii") as out:
        out.write("# step records of the seed programs\n")
        for i, rec in enumerate(seen):
            out.write('step_%d="%s"\n' % (i, "".join("\\x%02x" % b for b in rec)))
    return 0 if seen else 1


if __name__ == "__main__":
    sys.exit(main())
