"""KCore's coverage on the host (the machine model, llvm-cov) beside its
coverage in the bare-metal image (QEMU, the TCG plugin), per file and per
function, with the lines covered on one and not the other, and what the
campaign never reached at all."""

from reports.coverage import lcov

NO_CODE = ("no instructions of its own in the image: a brace, a return the optimiser merged with another, "
           "or code folded into other lines")
HOST_ONLY = ("host-only code path: nothing in the image calls %s (on the host the oracles and the harness do, "
             "to read KCore's state)")
NOT_CALLED = "the image never ran %s: no replayed program drove it in QEMU"
NOT_THIS_LINE = "the image ran %s but not this line: no program took this path in QEMU"
# How the report groups them, most telling first.
REASON_KINDS = (("not reached in the image", (NOT_CALLED, NOT_THIS_LINE)),
                ("host-only code paths", (HOST_ONLY,)),
                ("no code of their own in the image", (NO_CODE,)))


def reason_kind(reason):
    for kind, templates in REASON_KINDS:
        if any(reason.startswith(t.split("%s")[0]) for t in templates):
            return kind
    return "other"


def _ranges(rec):
    """[(name, first line, last line)] of a file's functions by LCOV start lines."""
    fns = rec["functions"]
    last = max(list(rec["lines"]) + [0])
    return [(name, start, (fns[i + 1][0] - 1) if i + 1 < len(fns) else last)
            for i, (start, name, _c) in enumerate(fns)]


def _image_lines(img, first, last):
    return {ln: ran for ln, ran in img.get("lines", {}).items() if first <= ln <= last}


def functions(rel, rec, img):
    out = []
    for name, first, last in _ranges(rec):
        host = {ln: c for ln, c in rec["lines"].items() if first <= ln <= last}
        image = _image_lines(img, first, last)
        out.append({"file": rel, "function": name, "line": first,
                    "host": {"covered": sum(1 for c in host.values() if c), "count": len(host)},
                    "image": {"covered": sum(image.values()), "count": len(image)}})
    return out


def _why(line, fn, img, fn_ran, graph):
    """Why a line the host covered did not run in the image.  graph: the
    image's functions and those its entry points reach, when known."""
    if graph and fn and not fn_ran.get(fn):
        if fn in graph["symbols"] and fn not in graph["reachable"]:
            return HOST_ONLY % fn
    if line not in img.get("lines", {}):
        return NO_CODE
    return (NOT_THIS_LINE if fn_ran.get(fn) else NOT_CALLED) % (fn or "its function")


def differences(rel, rec, img, graph=None):
    """Lines the host covered and the image did not (with a reason), and
    lines the image covered that the host counts and never ran.
    graph: image_coverage.disassemble's call graph, when known."""
    host_only, image_only = [], []
    fn_ran = {}
    for name, first, last in _ranges(rec):
        lines = _image_lines(img, first, last)
        fn_ran[name] = any(lines.values())
    for line, count in sorted(rec["lines"].items()):
        ran = img.get("lines", {}).get(line, False)
        fn = lcov.function_of(rec, line)
        if count and not ran:
            reason = _why(line, fn, img, fn_ran, graph)
            host_only.append({"line": line, "function": fn, "reason": reason, "kind": reason_kind(reason)})
        elif ran and not count:
            image_only.append({"line": line, "function": fn})
    return host_only, image_only


def never_reached(records, prefix="hyp/kcore/"):
    """KCore functions the host never entered and branch conditions it
    never saw go one way or either, with file:line."""
    fns, branches = [], []
    for rel in sorted(records):
        if not rel.startswith(prefix):
            continue
        rec = records[rel]
        fns += [{"where": "%s:%d" % (rel, start), "function": name} for start, name, count in rec["functions"]
                if not count]
        by_line = {}
        for line, taken in rec["branches"]:
            by_line.setdefault(line, []).append(taken)
        for line, outcomes in sorted(by_line.items()):
            if all(o is None for o in outcomes):
                what = "never evaluated"
            elif any(not o for o in outcomes):
                what = "%d of %d ways never taken" % (sum(1 for o in outcomes if not o), len(outcomes))
            else:
                continue
            branches.append({"where": "%s:%d" % (rel, line), "function": lcov.function_of(rec, line),
                             "what": what})
    return {"functions": fns, "branches": branches}


def compare(records, image_files, graph=None, prefix="hyp/kcore/"):
    """Per file: host and image totals side by side and the differences;
    per function: the same; plus what was never reached."""
    files, fns = [], []
    for rel in sorted(records):
        if not rel.startswith(prefix):
            continue
        rec, img = records[rel], image_files.get(rel, {})
        host_only, image_only = differences(rel, rec, img, graph)
        t = lcov.totals(rec)
        ways = [n for tf in img.get("branches", {}).values() for n in tf]
        files.append({
            "file": rel,
            "host": {"lines": t["lines"], "branches": t["branches"]},
            "image": {"lines": {"covered": sum(img.get("lines", {}).values()), "count": len(img.get("lines", {}))},
                      "branches": {"covered": sum(1 for n in ways if n), "count": len(ways)}},
            "host_only": host_only, "image_only": image_only})
        fns += functions(rel, rec, img)
    return {"files": files, "functions": fns, "never_reached": never_reached(records, prefix)}
