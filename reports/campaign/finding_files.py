"""Each finding's files copied into the report directory, so the report
links to them and still works as one directory moved elsewhere, and a
repro command with absolute paths, so it works from any directory."""

import os
import shlex
import shutil

FILES = (("program", "program.txt"), ("trace", "trace.txt"), ("violation", "violation.json"),
         ("repro", "repro.txt"))


def _absolute(path, bases):
    """path as the campaign wrote it (relative to where it ran, usually
    the source root), made absolute."""
    if os.path.isabs(path):
        return path
    for base in bases:
        candidate = os.path.normpath(os.path.join(base, path))
        if os.path.exists(candidate):
            return candidate
    return os.path.abspath(path)


def repro_command(repro, bases):
    """The campaign's repro line with its command and program file made
    absolute."""
    words = shlex.split(repro)
    if not words:
        return repro
    words[0] = _absolute(words[0], bases)
    words[-1] = _absolute(words[-1], bases)
    return " ".join(shlex.quote(w) for w in words)


def copy(findings, out, dest, source_root):
    """Copy into dest/findings/KIND/SITE/; sets f["files"] (report-relative
    links by role) and f["repro_anywhere"]."""
    bases = [os.getcwd(), source_root, os.path.dirname(os.path.abspath(out))]
    for f in findings:
        rel = os.path.join("findings", f["kind"], f["site"])
        target = os.path.join(dest, rel)
        os.makedirs(target, exist_ok=True)
        src = _absolute(f["dir"], bases)
        files = {}
        for role, name in FILES:
            if os.path.exists(os.path.join(src, name)):
                shutil.copyfile(os.path.join(src, name), os.path.join(target, name))
                files[role] = os.path.join(rel, name)
        crash = _absolute(f["crash"], bases)
        if os.path.isfile(crash):
            name = "crash-input.bin"
            shutil.copyfile(crash, os.path.join(target, name))
            files["crash input"] = os.path.join(rel, name)
        f["files"] = files
        f["repro_anywhere"] = repro_command(f["repro"], bases)
    return findings
