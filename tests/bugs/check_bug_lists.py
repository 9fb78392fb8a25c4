#!/usr/bin/env python3
"""The planted bugs are declared in several places; they must agree.

    check_bug_lists.py CONFIG_HEADER SELECTED NAME...

NAME... are the bugs tests/bugs/meson.build knows, SELECTED the build's
'bug' option, CONFIG_HEADER the header meson generated for it.  Checks:
the option's choices, bugs.h's list, corpus/bugs/*.txt, the table in
reports/bugs/BUGS.md and NAME... hold the same names; every bug has a site
in hyp/kcore and every site names a bug; every program names known
violation kinds; and the generated header defines KCORE_BUG_<SELECTED>
alone, or nothing at all when SELECTED is none.
"""
import glob
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "reports", "bugs"))
import bugcommon  # noqa: E402

ROOT = bugcommon.ROOT
KINDS = {"ret-mismatch", "state-mismatch", "kserv-reach", "vm-reach", "dma-reach",
         "table-reach", "bbm-missing", "revalidate-early", "tlbi-before-dsb",
         "tlbi-not-completed", "tlbi-missing", "tlbi-wrong-target", "table-freed-unclean",
         "vmid-reuse", "scrub-cached", "scrub-uncached", "dirty-line", "lock-not-held",
         "lock-order", "unlock-not-held", "lock-leaked", "noninterference", "panic",
         "mem-type", "stale-line", "integrity"}


def read(*parts):
    with open(os.path.join(ROOT, *parts), encoding="utf-8") as f:
        return f.read()


def main():
    header, selected, meson_names = sys.argv[1], sys.argv[2], sys.argv[3:]
    errors = []
    option = bugcommon.bug_names()
    lists = {
        "meson_options.txt": option,
        "hyp/kcore/base/bugs.h": [n.lower() for n in
                                  re.findall(r"defined\(KCORE_BUG_([A-Z0-9_]+)\)",
                                             read("hyp", "kcore", "base", "bugs.h"))],
        "corpus/bugs": sorted(os.path.basename(p)[:-4]
                              for p in glob.glob(os.path.join(ROOT, "corpus", "bugs", "*.txt"))),
        "reports/bugs/BUGS.md": re.findall(r"^\| `([a-z0-9_]+)` \|", read("reports", "bugs", "BUGS.md"), re.M),
        "tests/bugs/meson.build": meson_names,
    }
    for where, names in lists.items():
        if sorted(names) != sorted(option):
            errors.append(f"{where} lists {sorted(names)}, meson_options.txt {sorted(option)}")
        if len(set(names)) != len(names):
            errors.append(f"{where} names a bug twice")

    sites = {}
    kcore = os.path.join(ROOT, "hyp", "kcore")
    for path in glob.glob(os.path.join(kcore, "**", "*.c"), recursive=True):
        with open(path, encoding="utf-8") as f:
            for n in re.findall(r"KCORE_BUG\(([A-Z0-9_]+)\)", f.read()):
                sites.setdefault(n.lower(), []).append(os.path.relpath(path, kcore))
    for n in option:
        if n not in sites:
            errors.append(f"bug {n} has no KCORE_BUG({n.upper()}) site in hyp/kcore")
    for n in sites:
        if n not in option:
            errors.append(f"{sites[n][0]}: KCORE_BUG({n.upper()}) names no bug of the option")

    for n in option:
        try:
            bad = [k for k in bugcommon.expected_kinds(n) if k not in KINDS]
        except (OSError, SystemExit) as e:
            errors.append(str(e))
            continue
        if bad:
            errors.append(f"corpus/bugs/{n}.txt expects unknown kind(s) {bad}")

    with open(header, encoding="utf-8") as f:
        defined = re.findall(r"#\s*define\s+(KCORE_BUG_\w+)", f.read())
    want = [] if selected == "none" else ["KCORE_BUG_" + selected.upper()]
    if defined != want:
        errors.append(f"{header} defines {defined}, expected {want} for bug={selected}")

    for e in errors:
        print(e)
    print(f"{len(option)} planted bugs, {sum(len(s) for s in sites.values())} sites, "
          f"{len(errors)} problem(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
