"""Coverage of the bare-metal image: `isofuzz replay-qemu` runs the
campaign's kept inputs in the image with the TCG plugin in its coverage
mode (qemu-plugins/coverage.c), which logs the EL2 blocks that ran and
which way each conditional branch went.  Binutils' objdump disassembles
the image with its DWARF line table (-l), which ties every instruction
to a source line, and llvm-symbolizer adds the call sites of inlined
code; a line is covered when one of its instructions ran, a conditional
branch has two ways, each covered when seen."""

import json
import os
import re
import shutil
import subprocess

from reports.coverage import coverage

OBJDUMP = "aarch64-linux-gnu-objdump"
CONDITIONAL = re.compile(r"^(b\.\w+|cbn?z|tbn?z)$")
INSN = re.compile(r"^\s+([0-9a-f]+):\s+(\S+)")
WHERE = re.compile(r"^(/\S+):(\d+)(?: \(discriminator \d+\))?$")
SUMMARY = re.compile(r"^replay-qemu: (\d+) programs, (\d+) steps: (\d+) match, (\d+) mismatch, "
                     r"(\d+) cache-dependent, (\d+) device \(not compared\), "
                     r"(\d+) fetch \(read in the image, not compared\), (\d+) not compared, (\d+) not run, "
                     r"(\d+) machine events skipped; (\d+) programs not applicable")
SUMMARY_FIELDS = ("programs", "steps", "matched", "mismatched", "cache_dependent", "device", "fetch_as_read",
                  "not_compared", "not_run", "machine_events_skipped", "not_applicable")


SYMBOL = re.compile(r"^[0-9a-f]+ <([\w.]+)>:$")
REFERENCE = re.compile(r"<([\w.]+)(?:\+0x[0-9a-f]+)?>")


def reachable(refs, files, prefix):
    """The symbols the image's own code outside prefix (boot, traps, the
    platform: its entry points) reaches through calls, branches and
    addresses taken."""
    todo = [sym for sym, f in files.items() if not (f or "").startswith(prefix)]
    seen = set(todo)
    while todo:
        for name in refs.get(todo.pop(), ()):
            if name not in seen:
                seen.add(name)
                todo.append(name)
    return seen


def disassemble(image, source_root, graph=None, prefix="hyp/kcore/"):
    """{address: (file relative to the source root, line, conditional
    branch?)} for every instruction of the image's code; graph, if given,
    gets "symbols" (the image's functions) and "reachable" (those its
    entry points reach, reachable())."""
    if not shutil.which(OBJDUMP):
        raise RuntimeError("%s is not installed (Debian package binutils-aarch64-linux-gnu)" % OBJDUMP)
    text = subprocess.run([OBJDUMP, "-d", "-l", "--no-show-raw-insn", image],
                          capture_output=True, text=True, check=True).stdout
    root = os.path.normpath(os.path.abspath(source_root))
    insns, where, symbol = {}, (None, 0), None
    refs, files = {}, {}
    for raw in text.splitlines():
        m = SYMBOL.match(raw)
        if m:
            symbol, where = m.group(1), (None, 0)   # its first line comes next
            refs.setdefault(symbol, set())
            continue
        m = WHERE.match(raw)
        if m:
            path = os.path.normpath(m.group(1))
            where = (os.path.relpath(path, root) if path.startswith(root + os.sep) else None, int(m.group(2)))
            continue
        m = INSN.match(raw)
        if m:
            insns[int(m.group(1), 16)] = (where[0], where[1], bool(CONDITIONAL.match(m.group(2))))
            if symbol:
                files.setdefault(symbol, where[0])
                refs[symbol].update(name for name in REFERENCE.findall(raw) if name != symbol)
    if graph is not None:
        graph["symbols"] = set(refs)
        graph["reachable"] = reachable(refs, files, prefix)
    return insns


def symbolize(image, addresses, source_root):
    """{address: [(file, line), ...]}: every source line an instruction
    stands for, the inlined frames' call sites included (llvm-symbolizer
    --inlines reads the image's DWARF), files relative to the source root."""
    p = subprocess.run([coverage.tool("llvm-symbolizer"), "--obj=" + image, "--inlines", "--output-style=JSON"],
                       input="\n".join("%#x" % a for a in addresses), capture_output=True, text=True, check=True)
    root = os.path.normpath(os.path.abspath(source_root))
    frames = {}
    for raw in p.stdout.splitlines():
        entry = json.loads(raw)
        where = []
        for f in entry.get("Symbol", []):
            path = os.path.normpath(f.get("FileName") or "")
            if f.get("Line") and path.startswith(root + os.sep):
                where.append((os.path.relpath(path, root), f["Line"]))
        frames[int(entry["Address"], 16)] = where
    return frames


def read_log(path):
    """The plugin's log: the addresses that ran, and each conditional
    branch's (taken, fell through) counts, summed over every boot."""
    ran, branches = set(), {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) == 3 and parts[0] == "block":
                start, n = int(parts[1], 16), int(parts[2])
                ran.update(start + 4 * i for i in range(n))
            elif len(parts) == 4 and parts[0] == "branch":
                addr = int(parts[1], 16)
                t, f_ = branches.get(addr, (0, 0))
                branches[addr] = (t + int(parts[2]), f_ + int(parts[3]))
    return ran, branches


def kept_inputs(out):
    """Every input the campaign kept, as `isofuzz run --replay` finds them."""
    dirs = [os.path.join(out, d) for d in ("seeds", "corpus", "crashes")]
    afl = os.path.join(out, "afl")
    if os.path.isdir(afl):
        for inst in sorted(os.listdir(afl)):
            dirs += [os.path.join(afl, inst, "queue"), os.path.join(afl, inst, "crashes")]
    files = []
    for d in dirs:
        if os.path.isdir(d):
            files += [os.path.join(d, n) for n in sorted(os.listdir(d))
                      if os.path.isfile(os.path.join(d, n)) and not n.startswith(".") and n != "README.txt"]
    return files


def per_file(insns, ran, branches, prefix, frames=None):
    """{file: {"lines": {line: ran?}, "branches": {(line, address): (taken,
    fell)}}} for the files under prefix.  An instruction stands for its
    line in the line table and, given frames (symbolize()), for the call
    sites it was inlined at too."""
    files = {}
    for addr, (path, line, cond) in insns.items():
        where = set((frames or {}).get(addr, ())) | ({(path, line)} if path else set())
        for fpath, fline in where:
            if fpath.startswith(prefix):
                rec = files.setdefault(fpath, {"lines": {}, "branches": {}})
                rec["lines"][fline] = rec["lines"].get(fline, False) or addr in ran
        if cond and path and path.startswith(prefix):
            files[path]["branches"][(line, addr)] = branches.get(addr, (0, 0))
    return files


def totals(files):
    lines = [v for f in files.values() for v in f["lines"].values()]
    ways = [n for f in files.values() for tf in f["branches"].values() for n in tf]
    t = {"lines": {"covered": sum(lines), "count": len(lines)},
         "branches": {"covered": sum(1 for n in ways if n), "count": len(ways)}}
    for part in t.values():
        part["percent"] = round(100.0 * part["covered"] / part["count"], 2) if part["count"] else 0.0
    return t


def run(isofuzz, image, plugin, inputs, log_path, console):
    """replay-qemu over the inputs with the coverage plugin; its totals."""
    if os.path.exists(log_path):
        os.remove(log_path)
    p = subprocess.run([isofuzz, "replay-qemu", "--image", image, "--plugin", plugin, "--coverage", log_path]
                       + inputs, stdout=console, stderr=subprocess.STDOUT)
    if p.returncode not in (0, 1):   # 1: a mismatch, which the comparison test is about, not coverage
        raise RuntimeError("replay-qemu failed (exit %d): see %s" % (p.returncode, console.name))
    return p.returncode


def run_parallel(isofuzz, image, plugin, inputs, dest, jobs):
    """replay-qemu in `jobs` processes, each over a contiguous share of the
    inputs with its own log; returns (logs, summed totals, any mismatch).
    The console output of all goes to dest/replay-qemu.txt, in order."""
    for name in os.listdir(dest):   # an earlier report's logs
        if re.match(r"^image-coverage(-\d+)?\.log$", name):
            os.remove(os.path.join(dest, name))
    share = -(-len(inputs) // jobs) if inputs else 1
    parts = [inputs[i:i + share] for i in range(0, len(inputs), share)] or [[]]
    procs = []
    for k, part in enumerate(parts):
        log = os.path.join(dest, "image-coverage-%d.log" % k)
        console = open(os.path.join(dest, "replay-qemu-%d.txt" % k), "w", encoding="utf-8")
        cmd = [isofuzz, "replay-qemu", "--image", image, "--plugin", plugin, "--coverage", log] + part
        procs.append((subprocess.Popen(cmd, stdout=console, stderr=subprocess.STDOUT) if part else None,
                      console, log))
    totals_, worst, logs = dict.fromkeys(SUMMARY_FIELDS, 0), 0, []
    with open(os.path.join(dest, "replay-qemu.txt"), "w", encoding="utf-8") as whole:
        for p, console, log in procs:
            rc = p.wait() if p else 0
            console.close()
            with open(console.name, encoding="utf-8", errors="replace") as f:
                for line in f:
                    whole.write(line)
                    m = SUMMARY.match(line)
                    if m:
                        for key, value in zip(SUMMARY_FIELDS, map(int, m.groups())):
                            totals_[key] += value
            os.remove(console.name)
            if rc not in (0, 1):   # 1: a mismatch, which the comparison test is about, not coverage
                raise RuntimeError("replay-qemu failed (exit %d): see %s" % (rc, whole.name))
            worst = max(worst, rc)
            if p:
                logs.append(log)
    return logs, totals_, worst == 1


def spread(inputs, most):
    """At most `most` of the inputs, evenly spread over the sorted list (the
    seeds come first, so they stay); all of them when most is 0."""
    if not most or len(inputs) <= most:
        return inputs
    return [inputs[i * len(inputs) // most] for i in range(most)]


def measure(out, source_root, isofuzz, image, plugin, dest, prefix="hyp/kcore/", jobs=None, most=0):
    """Image coverage of the files under prefix, or {"available": False}.
    jobs: replay-qemu processes at once (default: one per CPU); most: replay
    at most this many of the kept inputs (0: all; QEMU replays a few a
    second, so a short campaign's report may want fewer)."""
    for what, path in (("image", image), ("plugin", plugin), ("isofuzz", isofuzz)):
        if not path or not os.path.exists(path):
            return {"available": False, "reason": "no %s at %s" % (what, path)}, {}, None
    os.makedirs(dest, exist_ok=True)
    kept = kept_inputs(out)
    inputs = spread(kept, most)
    logs, replay, mismatch = run_parallel(isofuzz, image, plugin, inputs, dest, jobs or os.cpu_count() or 1)
    ran, branches = set(), {}
    for log in logs:
        r, b = read_log(log)
        ran |= r
        for addr, (t, f_) in b.items():
            t0, f0 = branches.get(addr, (0, 0))
            branches[addr] = (t0 + t, f0 + f_)
    graph = {}
    insns = disassemble(image, source_root, graph)
    files = per_file(insns, ran, branches, prefix, symbolize(image, sorted(insns), source_root))
    summary = dict(totals(files), available=True, scope=prefix, inputs=len(inputs), kept_inputs=len(kept),
                   replay=replay,
                   mismatch=mismatch, log="coverage/image/replay-qemu.txt")
    return summary, files, graph
