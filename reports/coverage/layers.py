"""The layers of isofuzz as coverage counts them, each with its own
denominator: a campaign on KCore is judged by KCore's lines, not by the
baseline's or the machine model's."""

# (key, title, directory relative to the source root)
LAYERS = (
    ("kcore", "KCore (hyp/kcore)", "hyp/kcore/"),
    ("vanilla", "vanilla, the baseline's own code (hyp/vanilla)", "hyp/vanilla/"),
    ("kserv", "KServ side and guest images (hyp/kserv)", "hyp/kserv/"),
    ("machine", "machine model (hyp/arch/sim)", "hyp/arch/sim/"),
    ("oracles", "oracles and reference model (oracles/)", "oracles/"),
    ("harness", "harness (harness/)", "harness/"),
)


def layer_of(rel):
    for key, _title, prefix in LAYERS:
        if rel.startswith(prefix):
            return key
    return None


def target_layer(target):
    """The code a campaign on this target is about."""
    return "vanilla" if target == "vanilla" else "kcore"


def shown_layers(target):
    """The baseline's code is never run on KCore: it has no place in a
    KCore campaign's figures."""
    return [l for l in LAYERS if l[0] != "vanilla" or target == "vanilla"]
