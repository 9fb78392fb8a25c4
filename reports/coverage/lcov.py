"""LCOV tracefiles (what `llvm-cov export -format=lcov` writes) read into
one record per source file: line counts, branch outcomes and functions."""

import os


def _new(path):
    return {"path": path, "lines": {}, "branches": [], "functions": []}


def parse(text, normalize=os.path.normpath):
    """{normalized path: {"lines": {line: count}, "branches": [(line, taken
    or None)], "functions": [(line, name, count)]}}.  A branch taken None
    is a condition that was never evaluated ("-" in LCOV)."""
    files, cur, fn_lines = {}, None, {}
    for raw in text.splitlines():
        key, _, value = raw.partition(":")
        if key == "SF":
            cur = files.setdefault(normalize(value), _new(normalize(value)))
            fn_lines = {}
        elif cur is None:
            continue
        elif key == "DA":
            line, count = value.split(",")[:2]
            cur["lines"][int(line)] = cur["lines"].get(int(line), 0) + int(count)
        elif key == "BRDA":
            line, _block, _branch, taken = value.split(",")
            cur["branches"].append((int(line), None if taken == "-" else int(taken)))
        elif key == "FN":
            line, name = value.split(",", 1)
            fn_lines[name] = int(line)
        elif key == "FNDA":
            count, name = value.split(",", 1)
            cur["functions"].append((fn_lines.get(name, 0), _plain_name(name), int(count)))
        elif key == "end_of_record":
            cur["functions"] = _merged(cur["functions"])
            cur = None
    return files


def _merged(functions):
    """A function in a header is listed once per file that includes it:
    one entry, its counts added."""
    counts = {}
    for line, name, count in functions:
        counts[(line, name)] = counts.get((line, name), 0) + count
    return sorted((line, name, count) for (line, name), count in counts.items())


def _plain_name(name):
    """llvm-cov names a static function "file.c:name"."""
    return name.rsplit(":", 1)[-1]


def totals(record):
    """Lines, branches and functions of one file: covered and count."""
    lines = record["lines"]
    branches = record["branches"]
    fns = record["functions"]
    return {"lines": {"covered": sum(1 for c in lines.values() if c), "count": len(lines)},
            "branches": {"covered": sum(1 for _, t in branches if t), "count": len(branches)},
            "functions": {"covered": sum(1 for f in fns if f[2]), "count": len(fns)}}


def add(a, b):
    return {k: {"covered": a[k]["covered"] + b[k]["covered"], "count": a[k]["count"] + b[k]["count"]}
            for k in a}


def percent(part):
    return round(100.0 * part["covered"] / part["count"], 2) if part["count"] else 0.0


def function_of(record, line):
    """The function a line belongs to: the last one that starts at or
    before it (LCOV gives no end lines)."""
    best = None
    for start, name, _count in record["functions"]:
        if start <= line:
            best = name
    return best
