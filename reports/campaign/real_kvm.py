"""The report's "against real KVM" section: every finding on the baseline
(vanilla, the model of unmodified KVM) replayed on Debian's arm64 kernel
with KVM in nVHE and in protected mode (`isofuzz repro --target
linux-kvm|linux-pkvm`, one boot per mode for all findings), with the
isolation breaks each kernel showed beside the baseline's verdict.

A finding's outcome on a kernel is what `harness/compare/compare_outcome.h`
judges from its observations: host read of a VM's page, host write into
one, residue after teardown; none; or not applicable when no step of the
program has a KVM meaning (README, "Real KVM and pKVM")."""

import os
import re
import subprocess
from html import escape

MODES = (("kvm", "linux-kvm", "KVM nVHE"), ("pkvm", "linux-pkvm", "pKVM"))
BREAKS = {"host-read": "host read of a VM page", "host-write": "host write into a VM page",
          "residue": "residue after teardown"}
HEAD = re.compile(r"^# (.+) on (linux-\w+), (\d+) steps, (\d+) with a KVM meaning$")
VERDICT = re.compile(r"^breaks on (linux-\w+): ([\w,-]+) \(the baseline's model: ([\w,-]+)\)"
                     r"(; the VMM did not finish this program)?$")
SETUP_SKIPPED = 77


def _breaks(text):
    return [] if text == "none" else text.split(",")


def parse_repro(text):
    """`isofuzz repro --target linux-*` output: {path: {"steps", "kvm_steps",
    "breaks", "model", "finished"}}."""
    cases, path = {}, None
    for line in text.splitlines():
        m = HEAD.match(line)
        if m:
            path = m.group(1)
            cases[path] = {"steps": int(m.group(3)), "kvm_steps": int(m.group(4))}
            continue
        m = VERDICT.match(line)
        if m and path in cases:
            cases[path].update(breaks=_breaks(m.group(2)), model=_breaks(m.group(3)), finished=not m.group(4))
            path = None
    return {p: c for p, c in cases.items() if "breaks" in c}


def outcome(case, finding):
    """One kernel's outcome for one finding, as a sentence."""
    if case["kvm_steps"] == 0:
        return "not applicable: none of its %d steps has a KVM meaning" % case["steps"]
    if case["breaks"]:
        text = ", ".join(BREAKS.get(b, b) for b in case["breaks"])
    elif case["model"]:
        text = ("none: the baseline's model shows %s here, which rests on steps with no KVM meaning"
                % ", ".join(BREAKS.get(b, b) for b in case["model"]))
    else:
        text = ("none, nor on the baseline's model: the finding is the %s oracle's, about state beyond "
                "the host's reads and writes of a VM's pages" % finding["oracle"])
    return text if case["finished"] else text + "; the VMM did not finish this program"


def _tail(text, n=3):
    lines = [l for l in (text or "").splitlines() if l.strip()]
    return " / ".join(lines[-n:])


def _program_file(f, dest):
    rel = f.get("files", {}).get("program")
    if rel and os.path.exists(os.path.join(dest, rel)):
        return os.path.abspath(os.path.join(dest, rel))
    path = os.path.join(f["dir"], "program.txt")
    return os.path.abspath(path) if os.path.exists(path) else None


def _setup(args):
    """None when the kernel is ready, else why not (a sentence)."""
    isofuzz = os.path.join(args.host_build, "harness", "isofuzz")
    vmm = os.path.join(args.host_build, "hyp", "linux", "isofuzz-vmm")
    for path in (isofuzz, vmm):
        if not os.path.exists(path):
            return "%s is missing: build the plain build first (make build)" % path
    script = os.path.join(args.source_root, "hyp", "linux", "setup.sh")
    p = subprocess.run([script, args.linux, vmm], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if p.returncode == SETUP_SKIPPED:
        return "the Linux setup cannot run (%s)" % _tail(p.stdout, 1)
    if p.returncode != 0:
        return "the Linux setup failed with status %d (%s)" % (p.returncode, _tail(p.stdout))
    return None


def _replay(args, mode, files):
    """({path: case}, None) or (None, why)."""
    cmd = [os.path.join(args.host_build, "harness", "isofuzz"), "repro", "--target", mode,
           "--linux", args.linux] + files
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                           timeout=args.real_kvm_timeout)
    except subprocess.TimeoutExpired:
        return None, "%s did not finish in %d s" % (mode, args.real_kvm_timeout)
    if p.returncode != 0:
        return None, "isofuzz repro --target %s failed with status %d (%s)" % (mode, p.returncode, _tail(p.stdout))
    return parse_repro(p.stdout), None


def section(vanilla_findings, args, dest):
    """The section's data, or None when there is no finding on vanilla."""
    if not vanilla_findings:
        return None
    rows = [{"kind": f["kind"], "site": f["site"], "oracle": f["oracle"], "leg": f.get("leg", "campaign"),
             "program": _program_file(f, dest), "model": "-", "outcomes": {}} for f in vanilla_findings]
    s = {"available": False, "reason": None, "findings": rows}
    if args.real_kvm == "off":
        s["reason"] = "not run (--real-kvm off)"
        return s
    args.linux = os.path.abspath(args.linux or os.path.join(args.host_build, "linux"))
    s["reason"] = _setup(args)
    if s["reason"]:
        return s
    s["available"] = True
    files = sorted({r["program"] for r in rows if r["program"]})
    for key, mode, _ in MODES:
        cases, why = _replay(args, mode, files) if files else ({}, None)
        for r, f in zip(rows, vanilla_findings):
            if not r["program"]:
                r["outcomes"][key] = "not applicable: the finding has no program file (a sanitizer report)"
            elif why:
                r["outcomes"][key] = "not run: " + why
            elif r["program"] not in cases:
                r["outcomes"][key] = "not run: the VMM reported nothing for this program"
            else:
                case = cases[r["program"]]
                r["outcomes"][key] = outcome(case, f)
                r["model"] = ", ".join(BREAKS.get(b, b) for b in case["model"]) or "none"
    return s


def _verdict(r):
    leg = "" if r["leg"] == "campaign" else ", " + r["leg"]
    return "%s at %s (%s)%s" % (r["kind"], r["site"], r["oracle"], leg)


def markdown(s):
    """Lines of summary.md; [] without the section."""
    if not s:
        return []
    out = ["## Against real KVM", ""]
    if not s["available"]:
        return out + ["The %d finding(s) on vanilla were not replayed on real KVM: %s." % (len(s["findings"]),
                                                                                         s["reason"]), ""]
    out += ["Each finding on vanilla replayed on Debian's kernel (`isofuzz repro --target linux-kvm|linux-pkvm`).",
            "", "| vanilla finding | breaks on the baseline's model | %s |" % " | ".join(n for _, _, n in MODES),
            "| --- | --- |" + " --- |" * len(MODES)]
    out += ["| %s | %s | %s |" % (_verdict(r), r["model"], " | ".join(r["outcomes"][k] for k, _, _ in MODES))
            for r in s["findings"]]
    return out + [""]


def html(s, table):
    """The HTML section ('' without it); table is html_table.table."""
    if not s:
        return ""
    head = '<h2 id="real-kvm">Against real KVM</h2>\n'
    if not s["available"]:
        return head + '<p class="bad">The %d finding(s) on vanilla were not replayed on real KVM: %s.</p>' % (
            len(s["findings"]), escape(s["reason"]))
    rows = [(_verdict(r), r["model"]) + tuple(r["outcomes"][k] for k, _, _ in MODES) for r in s["findings"]]
    return (head + "<p>Each finding on vanilla (the model of unmodified KVM) replayed on Debian's arm64 kernel "
            "with KVM in nVHE and in protected mode, one boot per mode.</p>\n"
            + table(rows, ("vanilla finding", "breaks on the baseline's model") + tuple(n for _, _, n in MODES)))
