#!/usr/bin/env python3
"""The libFuzzer target and ISOFUZZ_RECORD_DIR (harness/engines/
fuzz_libfuzzer.c).  Without the variable a violation aborts the process,
as ClusterFuzzLite, OSS-Fuzz and a user running the binary expect.  With
it the violating input is written once into that directory under a name
its content gives (the same bytes run again, in the same process or
another, add no file), the violation is still printed, and the process
goes on; one input per finding (violation kind and site) is written,
however many inputs or jobs find it; a clean input writes nothing; a directory it cannot write to
makes it abort, so no violation is lost.

Environment: ISOFUZZ, ISOFUZZ_FUZZER (the libFuzzer build), SOURCE_ROOT, WORK."""

import os
import re
import subprocess
import sys

from campaign_procs import FUZZER, ISOFUZZ, ROOT, WORK, Checks

HERE = os.path.join(WORK, "record-target")
VIOLATION = "kserv-attacks"  # a violation on vanilla


def run(inputs, record=None, target="vanilla"):
    env = dict(os.environ, ISOFUZZ_TARGET=target)
    env.pop("ISOFUZZ_RECORD_DIR", None)
    if record is not None:
        env["ISOFUZZ_RECORD_DIR"] = record
    art = os.path.join(HERE, "artifacts") + "/"
    return subprocess.run([FUZZER, "-artifact_prefix=" + art] + inputs, env=env, cwd=HERE,
                          capture_output=True, text=True)


def files(d, prefix="crash-"):
    return sorted(n for n in os.listdir(d) if n.startswith(prefix)) if os.path.isdir(d) else []


def main():
    subprocess.run(["rm", "-rf", HERE], check=True)
    os.makedirs(os.path.join(HERE, "artifacts"))
    bad = os.path.join(HERE, "violation.bin")
    subprocess.run([ISOFUZZ, "convert", "--to", "binary", os.path.join(ROOT, "corpus", "seeds", VIOLATION + ".txt"),
                    bad], check=True, stdout=subprocess.DEVNULL)
    clean = os.path.join(HERE, "empty.bin")
    open(clean, "wb").close()
    t = Checks()

    p = run([bad])
    t.expect(p.returncode != 0 and "deadly signal" in p.stderr and "==isofuzz== violation" in p.stderr,
             "without the variable a violation aborts (status %d)" % p.returncode)
    t.expect(files(HERE) == [] and files(HERE, ".seen-") == [], "and records nothing itself")

    rec = os.path.join(HERE, "recorded")
    os.makedirs(rec)
    p = run([clean, bad, bad, clean], record=rec)
    t.expect(p.returncode == 0, "with the variable the process goes on past the violation (status %d)\n%s"
             % (p.returncode, p.stderr[-2000:]))
    # (>= : a sanitizer build runs an input again when it saw more mallocs than frees, looking for a leak)
    t.expect(p.stderr.count("==isofuzz== violation") >= 2, "each violating run still prints its violation")
    t.expect(p.stderr.count("Executed ") == 4, "every input ran, the ones after it too")
    names = files(rec)
    t.expect(len(names) == 1 and re.fullmatch(r"crash-[0-9a-f]{32}", names[0]) is not None,
             "the input is written once, named crash-HASH: %s" % names)
    t.expect(names and open(os.path.join(rec, names[0]), "rb").read() == open(bad, "rb").read(),
             "with the input's bytes")
    p = run([bad], record=rec)
    t.expect(p.returncode == 0 and files(rec) == names, "another process with the same input adds nothing")
    seen = files(rec, ".seen-")
    t.expect(seen == [".seen-table-reach-remap_vm_image.kserv-reaches-pfn-held-by"],
             "its finding (kind and site) is marked as recorded: %s" % seen)
    os.unlink(os.path.join(rec, names[0]))
    p = run([bad], record=rec)
    t.expect(p.returncode == 0 and files(rec) == [], "an input of a finding already recorded is not written again")

    quiet = os.path.join(HERE, "quiet")
    os.makedirs(quiet)
    p = run([clean, bad], record=quiet, target="kcore")
    t.expect(p.returncode == 0 and os.listdir(quiet) == [], "inputs without a violation write nothing")

    p = run([bad], record=os.path.join(HERE, "missing"))
    t.expect(p.returncode != 0 and "cannot record" in p.stderr and "deadly signal" in p.stderr,
             "a directory it cannot write to: it aborts, the violation is not lost")
    return t.result()


if __name__ == "__main__":
    sys.exit(main())
