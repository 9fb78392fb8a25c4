"""Everything the report says about coverage, in one place: the host's
source coverage per layer (coverage.py), the image's (image_coverage.py),
the two side by side for KCore (coverage_compare.py), and KCore's lines
over the campaign's time (coverage_time.py)."""

import os
import subprocess

from reports.coverage import coverage
from reports.coverage import coverage_compare
from reports.coverage import coverage_time
from reports.coverage import image_coverage
from reports.draw import svg_plot

IMAGE = "tests/baremetal/isofuzz-hyp.elf"
PLUGIN = "tests/replay_qemu/libisofuzz-insn-watch.so"


def ensure_image(source_root, cross_build, host_build, log):
    """The bare-metal image and the plugin, built if their build
    directories can make them; returns (isofuzz, image, plugin)."""
    if not os.path.exists(os.path.join(cross_build, "build.ninja")):
        subprocess.run(["meson", "setup", cross_build, source_root, "--cross-file",
                        os.path.join(source_root, "hyp", "arch", "aarch64", "cross-aarch64.ini")],
                       check=False, stdout=log, stderr=log)
    subprocess.run(["ninja", "-C", cross_build, IMAGE], check=False, stdout=log, stderr=log)
    subprocess.run(["ninja", "-C", host_build, "harness/isofuzz", PLUGIN], check=False, stdout=log, stderr=log)
    return (os.path.join(host_build, "harness", "isofuzz"), os.path.join(cross_build, IMAGE),
            os.path.join(host_build, PLUGIN))


def measure(out, state, history, args, dest):
    """The report's "coverage" section; dest is the report directory."""
    cov_dest = os.path.join(dest, "coverage")
    summary, records, cov_isofuzz = coverage.measure(out, args.coverage_build, args.source_root, state["target"],
                                                     state["oracles"], cov_dest)
    image_dest = os.path.join(cov_dest, "image")
    os.makedirs(image_dest, exist_ok=True)
    with open(os.path.join(image_dest, "build.log"), "w", encoding="utf-8") as log:
        isofuzz, image, plugin = ensure_image(args.source_root, args.cross_build, args.host_build, log)
    try:
        image, image_files, graph = image_coverage.measure(out, args.source_root, isofuzz, image, plugin, image_dest,
                                                               most=getattr(args, "image_inputs", 0))
    except (RuntimeError, OSError, subprocess.CalledProcessError) as e:
        image, image_files, graph = {"available": False, "reason": str(e)}, {}, None
    summary["image"] = image
    summary.update(coverage_compare.compare(records, image_files, graph))
    summary["over_time"] = coverage_time.measure(out, history, cov_isofuzz, args.source_root, state["target"],
                                                 state["oracles"], os.path.join(cov_dest, "time"),
                                                 summary["target"]["directory"])
    return summary


def plots(r, dest):
    """KCore's lines over the campaign's time, drawn beside the engine's
    own counter (render_html pairs them)."""
    points = r["coverage"].get("over_time") or []
    if not points:
        return []
    layer = r["coverage"]["target"]
    name = layer["directory"].rstrip("/")
    title = "%s lines covered by the kept inputs (of %d)" % (name, layer["lines"]["count"])
    with open(os.path.join(dest, "core-coverage.svg"), "w", encoding="utf-8") as f:
        f.write(svg_plot.line_chart(title, [(name, [(p["elapsed"], p["lines"]) for p in points])],
                                    name + " lines"))
    return [{"file": "core-coverage.svg", "title": title, "field": "lines"}]
