#!/usr/bin/env python3
"""The campaign report's "against real KVM" section (reports/campaign/real_kvm.py).

  test_report_real_kvm.py boot SOURCE_ROOT HOST_BUILD WORK
      A campaign on KCore without findings and its vanilla leg (what
      `make campaign` runs) with three known findings: an attack that
      reads and writes a VM's page (corpus/attacks/kserv-reads-vm-page.txt),
      one that reads a reclaimed VM's page (read-after-reclaim.txt) and a
      program with no step KVM has (kserv faults only).  The report replays
      them on KVM and pKVM and lists each with the kernel's outcome.  Exit
      77 when Debian's archive cannot be reached (hyp/linux/setup.sh).
  test_report_real_kvm.py offline SOURCE_ROOT HOST_BUILD WORK
      A campaign on vanilla with the same findings, apt-get and apt-cache
      failing and no kernel cached: the section says the setup cannot run
      and the report still completes.  A campaign on KCore with a finding
      and no vanilla leg has no such section (no boot).
"""

import json
import os
import shutil
import subprocess
import sys

SKIP = 77
NO_KVM_STEP = "config cpus=1\ncpu0 kserv_fault pa=0x400e1000\ncpu0 kserv_fault pa=0x40200000\n"
failures = []


def expect(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def campaign(out, target, programs):
    """A campaign directory as `isofuzz run` leaves it, reduced to what the
    report reads: programs is [(kind, site, oracle, text)]."""
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(os.path.join(out, "crashes"))
    with open(os.path.join(out, "state"), "w") as f:
        f.write("engine libfuzzer\ntarget %s\noracles all\njobs 2\nbudget 60\nspent 60\nsessions 1\n"
                "execs_before 0\ninterrupted 0\nfuzzer -\n" % target)
    with open(os.path.join(out, "stats.csv"), "w") as f:
        f.write("session,elapsed,session_seconds,execs,total_execs,execs_per_sec,coverage,features,corpus,"
                "crashes,engine_seconds,final\n1,60,60,2000,2000,33,120,240,12,1,60,1\n")
    rows = ["kind\tsite\toracle\tcrashes\tsteps_before\tsteps_after\tcrash\tdir\trepro"]
    for k, (kind, site, oracle, text) in enumerate(programs):
        fdir = os.path.join(out, "findings", kind, site)
        os.makedirs(fdir)
        with open(os.path.join(fdir, "program.txt"), "w") as f:
            f.write(text)
        crash = os.path.join(out, "crashes", "crash-%d" % k)
        open(crash, "wb").write(b"\x01")
        rows.append("%s\t%s\t%s\t1\t9\t2\t%s\t%s\tisofuzz repro --target %s %s"
                    % (kind, site, oracle, crash, fdir, target, os.path.join(fdir, "program.txt")))
    with open(os.path.join(out, "findings.tsv"), "w") as f:
        f.write("\n".join(rows) + "\n")


def report(root, host_build, out, extra=(), env=None):
    p = subprocess.run([sys.executable, os.path.join(root, "reports", "campaign_report.py"), out,
                        "--host-build", host_build] + list(extra),
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    print(p.stdout, end="")
    expect(p.returncode == 0, "the report completes (exit %d)" % p.returncode)
    dest = os.path.join(out, "report")
    if p.returncode != 0:
        sys.exit(1)
    with open(os.path.join(dest, "report.json")) as f:
        r = json.load(f)
    with open(os.path.join(dest, "summary.md")) as f:
        md = f.read()
    with open(os.path.join(dest, "index.html")) as f:
        page = f.read()
    return r, md, page


def vanilla_findings(root):
    attacks = os.path.join(root, "corpus", "attacks")
    return [("kserv-reach", "kserv_read.read", "isolation",
             open(os.path.join(attacks, "kserv-reads-vm-page.txt")).read()),
            ("scrub", "clear_vm.page", "refinement", open(os.path.join(attacks, "read-after-reclaim.txt")).read()),
            ("kserv-map", "kserv_fault.map", "refinement", NO_KVM_STEP)]


def setup(root, host_build):
    p = subprocess.run([os.path.join(root, "hyp", "linux", "setup.sh"), os.path.join(host_build, "linux"),
                        os.path.join(host_build, "hyp", "linux", "isofuzz-vmm")],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    print(p.stdout, end="")
    return p.returncode


def boot(root, host_build, work):
    rc = setup(root, host_build)
    if rc != 0:
        return SKIP if rc == SKIP else 1
    out = os.path.join(work, "real-kvm-campaign")
    campaign(out, "kcore", [])
    campaign(os.path.join(out, "vanilla-leg"), "vanilla", vanilla_findings(root))
    r, md, page = report(root, host_build, out, ["--vanilla-leg", os.path.join(out, "vanilla-leg")])
    s = r.get("real_kvm") or {}
    expect(s.get("available") is True, "the section ran both kernels: %s" % s.get("reason"))
    rows = {f["kind"]: f["outcomes"] for f in s.get("findings", [])}
    expect(len(rows) == 3, "each finding has a row")
    for key, name in (("kvm", "KVM nVHE"), ("pkvm", "pKVM")):
        o = rows.get("kserv-reach", {}).get(key, "")
        expect(o.startswith("host read of a VM page, host write into a VM page"),
               "%s: the host reads and writes the VM's page: %s" % (name, o))
        o = rows.get("scrub", {}).get(key, "")
        expect(o.startswith("residue after teardown"), "%s: residue after teardown: %s" % (name, o))
        o = rows.get("kserv-map", {}).get(key, "")
        expect(o.startswith("not applicable: none of its 2 steps has a KVM meaning"),
               "%s: kserv faults alone are not applicable: %s" % (name, o))
    model = {f["kind"]: f["model"] for f in s.get("findings", [])}
    expect(model.get("scrub") == "residue after teardown", "the baseline's model shows the residue too")
    expect("## Against real KVM" in md and "| kserv-reach at kserv_read.read (isolation), vanilla leg | host read "
           "of a VM page" in md, "summary.md lists the findings with their outcomes")
    leg_programs = [f["files"].get("program", "-") for f in r["vanilla_leg"]["findings"]]
    expect(len(leg_programs) == 3 and all(os.path.exists(os.path.join(out, "report", p)) for p in leg_programs),
           "the leg's finding files are copied into the report: %s" % leg_programs)
    expect('id="real-kvm"' in page and "residue after teardown" in page, "index.html has the section")
    return 1 if failures else 0


def offline(root, host_build, work):
    fake = os.path.join(work, "offline-bin")
    shutil.rmtree(fake, ignore_errors=True)
    os.makedirs(fake)
    for tool, body in (("apt-get", 'echo "E: cannot reach the archive" >&2\nexit 100'),
                       ("apt-cache", 'echo "E: cannot reach the archive" >&2\nexit 100'),
                       ("dpkg", '[ "$1" = --print-foreign-architectures ] && echo arm64 && exit 0\nexit 2')):
        with open(os.path.join(fake, tool), "w") as f:
            f.write("#!/bin/sh\n" + body + "\n")
        os.chmod(os.path.join(fake, tool), 0o755)
    env = dict(os.environ, PATH=fake + os.pathsep + os.environ["PATH"])
    linux = os.path.join(work, "offline-linux")
    shutil.rmtree(linux, ignore_errors=True)

    out = os.path.join(work, "real-kvm-offline")
    campaign(out, "vanilla", vanilla_findings(root))
    r, md, page = report(root, host_build, out, ["--linux", linux], env)
    s = r.get("real_kvm") or {}
    expect(s.get("available") is False and "the Linux setup cannot run" in (s.get("reason") or ""),
           "without the archive the section says the setup cannot run: %s" % s.get("reason"))
    expect("The 3 finding(s) on vanilla were not replayed on real KVM: the Linux setup cannot run" in md,
           "summary.md says so plainly")
    expect("were not replayed on real KVM" in page, "index.html says so too")
    expect(not os.path.exists(os.path.join(linux, "vmlinuz")), "no kernel appeared")

    # Near miss: a campaign on KCore with a finding has no vanilla finding.
    out = os.path.join(work, "real-kvm-kcore")
    campaign(out, "kcore", vanilla_findings(root)[:1])
    r, md, page = report(root, host_build, out, ["--linux", linux], env)
    expect(r.get("real_kvm") is None and "Against real KVM" not in md and 'id="real-kvm"' not in page,
           "a campaign on KCore has no real-KVM section")
    return 1 if failures else 0


def main():
    mode, root, host_build, work = sys.argv[1:5]
    os.makedirs(work, exist_ok=True)
    return (boot if mode == "boot" else offline)(os.path.abspath(root), os.path.abspath(host_build),
                                                 os.path.abspath(work))


if __name__ == "__main__":
    sys.exit(main())
