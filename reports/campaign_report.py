#!/usr/bin/env python3
"""Make a campaign's report: OUT/report/index.html (with SVG plots),
summary.md for CI logs and report.json for machines, and the source
coverage of hyp/ that the campaign's inputs reach.

    reports/campaign_report.py OUT [--coverage-build DIR] [--print-summary]
                               [--vanilla-leg DIR] [--real-kvm on|off]

Findings on vanilla (the campaign's own when it fuzzed vanilla, and those
of its vanilla leg) are replayed on real KVM and pKVM (campaign/real_kvm.py).
"""

import argparse
import json
import os
import sys

# The report's modules are imported as the package reports.* from the
# source root above this file.
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from reports.campaign import campaign_data, engine_check, finding_files, real_kvm  # noqa: E402
from reports.coverage import coverage_report  # noqa: E402
from reports.draw import svg_plot  # noqa: E402
from reports.render import render_html, render_md  # noqa: E402

SCHEMA = "isofuzz-campaign-report/1"


def machine_execs(engine, machine):
    """libFuzzer counts each run from zero; AFL++ carries its count over
    (and the campaign adds what a kill -9 took from it: total_execs)."""
    finals = machine["finals"]
    if not finals:
        return 0
    return finals[-1]["total_execs"] if engine == "afl" else sum(r["execs"] for r in finals)


# --- statistics: totals and the campaign's own throughput -------------

def throughput(engine, machines, spent):
    """Every execution of every machine, job and session over the wall
    time the campaign took (the leader's): the rate the campaign achieved,
    not any one engine job's own figure."""
    execs = sum(machine_execs(engine, m) for m in machines)
    return {"execs": execs, "wall_seconds": spent, "execs_per_sec": execs // spent if spent else 0}


def campaign_rate(row):
    """The campaign's throughput as of one reading."""
    return row["total_execs"] // row["elapsed"] if row["elapsed"] else 0


def coverage_meaning(engine):
    """What the engine's coverage figure counts."""
    if engine == "afl":
        return "AFL++ edges_found: entries of its coverage map hit (hyp/ only)"
    return ("libFuzzer cov: its count of coverage counters reached over all fork jobs "
            "(not the binary's edges; may exceed them and jump after a resume)")


def plots(machines, dest):
    leader = machines[0]["stats"]
    # where a session ended and the next began
    last = max((r["session"] for r in leader), default=0)
    marks = [r["elapsed"] for r in leader if r["final"] and r["session"] < last]
    specs = [("execs.svg", "Executions per second (all executions over wall time)", "execs/s", "campaign_rate"),
             ("coverage.svg", "The engine's coverage counter (whole fuzz target)",
              "map edges" if machines[0]["state"].get("engine") == "afl" else "libFuzzer cov", "coverage"),
             ("corpus.svg", "Corpus size", "inputs", "corpus")]
    out = []
    for name, title, unit, field in specs:
        series = [(m["name"], [(r["elapsed"], campaign_rate(r) if field == "campaign_rate" else r[field])
                               for r in m["stats"]]) for m in machines if m["stats"]]
        with open(os.path.join(dest, name), "w", encoding="utf-8") as f:
            f.write(svg_plot.line_chart(title, series, unit, marks=sorted(set(marks))))
        out.append({"file": name, "title": title, "field": field})
    return out


def vanilla_leg(leg, dest, source_root):
    """The findings of the campaign's short leg on vanilla (its own output
    directory), their files copied under dest/vanilla-leg/."""
    if not leg or not os.path.exists(os.path.join(leg, "state")):
        return {"dir": leg, "ran": False, "findings": []}
    state = campaign_data.read_state(os.path.join(leg, "state"))
    findings, _ = campaign_data.read_findings(leg)
    finding_files.copy(findings, leg, os.path.join(dest, "vanilla-leg"), source_root)
    for f in findings:
        f["leg"] = "vanilla leg"
        f["files"] = {role: os.path.join("vanilla-leg", path) for role, path in f["files"].items()}
    return {"dir": leg, "ran": True, "spent_seconds": state.get("spent", 0), "findings": findings}


def build(out, args):
    machines = campaign_data.read_machines(out)
    state = machines[0]["state"]
    if not state:
        raise SystemExit("campaign_report: %s holds no campaign (no state file)" % out)
    engine = state["engine"]
    findings, unreproduced = campaign_data.read_findings(out)
    finals = machines[0]["finals"]
    final = {k: finals[-1][k] for k in campaign_data.STAT_FIELDS} if finals else {}
    dest = os.path.join(out, "report")
    os.makedirs(dest, exist_ok=True)
    finding_files.copy(findings, out, dest, args.source_root)
    r = {
        "schema": SCHEMA,
        "config": {"engine": engine, "target": state["target"], "oracles": state["oracles"],
                   "jobs": state["jobs"], "budget_seconds": state["budget"],
                   "build": campaign_data.build_info(state.get("fuzzer"))},
        "time": {"spent_seconds": state["spent"], "sessions": state["sessions"],
                 "interrupted_sessions": state["interrupted"]},
        "engine": {"final": final, "total_execs": sum(machine_execs(engine, m) for m in machines),
                   "runs": finals, "throughput": throughput(engine, machines, state["spent"]),
                   "coverage_meaning": coverage_meaning(engine)},
        "history": machines[0]["stats"],
        "machines": [{"name": m["name"], "spent_seconds": m["state"].get("spent", 0),
                      "execs": machine_execs(engine, m), "runs": len(m["finals"])} for m in machines],
        "findings": findings,
        "unreproduced": unreproduced,
        "checks": engine_check.check(engine, machines, out),
        "plots": plots(machines, dest),
    }
    r["vanilla_leg"] = vanilla_leg(args.vanilla_leg, dest, args.source_root)
    ours = findings if state["target"] == "vanilla" else []
    r["real_kvm"] = real_kvm.section(ours + r["vanilla_leg"]["findings"], args, dest)
    if args.coverage_build:
        r["coverage"] = coverage_report.measure(out, state, machines[0]["stats"], args, dest)
        r["plots"] += coverage_report.plots(r, dest)
    else:
        r["coverage"] = {"available": False, "reason": "no coverage build given (--coverage-build)"}
    return r, dest


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", help="the campaign's output directory")
    ap.add_argument("--coverage-build", help="build directory for the coverage build (set up if missing)")
    ap.add_argument("--source-root", default=os.path.dirname(here))
    ap.add_argument("--host-build", help="the plain build with replay-qemu and the TCG plugin "
                    "(default SOURCE_ROOT/build)")
    ap.add_argument("--cross-build", help="the bare-metal image's build (default SOURCE_ROOT/build-aarch64, "
                    "set up if missing)")
    ap.add_argument("--print-summary", action="store_true", help="print summary.md when done")
    ap.add_argument("--image-inputs", type=int, default=0, metavar="N",
                    help="image coverage replays at most N kept inputs, spread evenly (default 0: all)")
    ap.add_argument("--vanilla-leg", metavar="DIR", help="the output directory of the campaign's short leg "
                    "on vanilla, whose findings join the real-KVM section")
    ap.add_argument("--real-kvm", choices=("on", "off"), default="on",
                    help="replay the findings on vanilla on real KVM and pKVM (default on)")
    ap.add_argument("--linux", help="the real-KVM kernel's directory (default HOST_BUILD/linux, set up if missing)")
    ap.add_argument("--real-kvm-timeout", type=int, default=1800, metavar="SECONDS",
                    help="for each kernel's replay of all findings")
    args = ap.parse_args()
    args.source_root = os.path.abspath(args.source_root)
    args.host_build = os.path.abspath(args.host_build or os.path.join(args.source_root, "build"))
    args.cross_build = os.path.abspath(args.cross_build or os.path.join(args.source_root, "build-aarch64"))
    r, dest = build(args.out, args)
    with open(os.path.join(dest, "report.json"), "w", encoding="utf-8") as f:
        json.dump(r, f, indent=1, sort_keys=True)
    summary = render_md.render(r)
    with open(os.path.join(dest, "summary.md"), "w", encoding="utf-8") as f:
        f.write(summary)
    with open(os.path.join(dest, "index.html"), "w", encoding="utf-8") as f:
        f.write(render_html.render(r))
    if args.print_summary:
        sys.stdout.write(summary)
    print("report: %s" % os.path.join(dest, "index.html"))
    return 0 if all(c["ok"] for c in r["checks"]) else 1


if __name__ == "__main__":
    sys.exit(main())
