"""Running `isofuzz repro` and reading what it prints, for the corpus tests."""
import re
import subprocess

# "  12  cpu1 kserv_read pa=0x400e1008        -> read 0x5ec2e75ec2e70001"
STEP_LINE = re.compile(r"^\s*(\d+)  (\S.*?)\s* -> (.*)$")


def repro(isofuzz, path, target="kcore", oracles="all", json_out=False, timeout=120):
    """Replay path; returns (exit status, stdout)."""
    cmd = [isofuzz, "repro", path, "--target", target, "--oracles", oracles]
    if json_out:
        cmd.append("--json")
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    if p.stderr:
        print(p.stderr, end="")
    return p.returncode, p.stdout


def step_lines(out):
    """[(index, step text, result)] of a printed trace, in program order."""
    steps = []
    for line in out.splitlines():
        m = STEP_LINE.match(line)
        if m:
            steps.append((int(m.group(1)), m.group(2), m.group(3)))
    return steps


def step_results(out):
    return {i: res for i, _, res in step_lines(out)}


def read_directives(path):
    """The "#! kcore|vanilla STEP RESULT", "#! ni STEP" and
    "#! verdict ORACLES KIND STEP" lines of a program."""
    d = {"kcore": [], "vanilla": [], "ni": [], "verdict": []}
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.startswith("#!"):
                continue
            words = line[2:].split()
            if words and words[0] == "verdict":
                if len(words) != 4 or not words[3].isdigit():
                    raise SystemExit(f"{path}:{n}: expected '#! verdict ORACLES KIND STEP'")
                d["verdict"].append((words[1], words[2], int(words[3])))
                continue
            words = line[2:].split(None, 2)
            if len(words) < 2 or words[0] not in d or not words[1].isdigit():
                raise SystemExit(f"{path}:{n}: expected '#! kcore|vanilla STEP RESULT' or '#! ni STEP'")
            if words[0] == "ni":
                d["ni"].append(int(words[1]))
            elif len(words) == 3:
                d[words[0]].append((int(words[1]), words[2].strip()))
            else:
                raise SystemExit(f"{path}:{n}: no result after the step")
    return d
