"""``propose()``: the FSM optimizer's moves for the loop (merge, remove unreachable, re-encode)."""
from __future__ import annotations

from dataclasses import dataclass, replace

from rtlgen.errors import RtlgenError
from rtlgen.optimize.fsm.encode import Encoding, activity, encode, keep
from rtlgen.optimize.fsm.evaluate import Unsupported
from rtlgen.optimize.fsm.extract import Sites, analyse
from rtlgen.optimize.fsm.minimize import merge_equivalent, remove_unreachable
from rtlgen.optimize.fsm.model import Fsm
from rtlgen.optimize.fsm.rewrite import render
from rtlgen.optimize.moves import Proposal
from rtlgen.optimize.result import error_detail
from rtlgen.spec.model import Candidate
from rtlgen.synth.api import synthesize
from rtlgen.synth.target import Target

# ids of the rules in the store (rtlgen/optimize/rules/*.yaml) that these moves apply
RULE_MERGE = "fsm-merge-equivalent"
RULE_UNREACHABLE = "fsm-remove-unreachable"
RULE_REENCODE = {"onehot": "fsm-onehot-encoding", "gray": "fsm-gray-encoding", "binary": "fsm-binary-encoding",
                 "custom": "fsm-gray-encoding"}  # the gray rule covers any low-activity code
GOALS = ("area", "power", "delay")


@dataclass(frozen=True)
class _Variant:
    rule: str
    fsm: Fsm
    encoding: Encoding
    description: str


def _variants(fsm: Fsm, goal: str) -> list[_Variant]:
    """Structural moves (same codes), then every re-encoding of the minimal machine.

    The low-activity custom code is offered only for goal ``power``: it exists to save toggles.
    """
    out = []
    live = remove_unreachable(fsm)
    if live.removed:
        out.append(_Variant(RULE_UNREACHABLE, live, keep(live),
                            f"removed unreachable states {', '.join(live.removed)} of FSM {fsm.register}"))
    minimal = merge_equivalent(live)
    if minimal.merged:
        pairs = ", ".join(f"{a} into {b}" for a, b in minimal.merged)
        gone = f" and removed unreachable {', '.join(minimal.removed)}" if minimal.removed else ""
        out.append(_Variant(RULE_MERGE, minimal, keep(minimal),
                            f"merged equivalent states {pairs}{gone} of FSM {fsm.register} "
                            f"({len(fsm.states)} -> {len(minimal.states)} states)"))
    for name, rule in RULE_REENCODE.items():
        if name == "custom" and goal != "power":
            continue
        enc = encode(minimal, name)
        if dict(enc.codes) == dict(zip(minimal.states, minimal.codes)) and enc.width == minimal.width:
            continue  # already so encoded
        note = f", {len(fsm.states)} -> {len(minimal.states)} states" if len(minimal.states) < len(fsm.states) else ""
        out.append(_Variant(rule, minimal, enc, f"re-encoded FSM {fsm.register} as {name} "
                                                f"({enc.width} flip-flops{note})"))
    return out


def _rewrite(candidate: Candidate, fsm: Fsm, sites: Sites, variant: _Variant) -> Candidate | None:
    try:
        rtl = render(candidate.rtl, fsm, sites, variant.fsm, variant.encoding)
    except Unsupported:
        return None
    # rtlgen's own re-encoding of the text: a user's trusted design stays trusted
    new = replace(candidate, rtl=rtl, provenance=candidate.provenance + (variant.rule,))
    # the rewrite must still read as the intended machine: a cheap self-check before any proof
    again = [f for f, _ in analyse(new) if f.register == fsm.register]
    if not again or len(again[0].states) != len(variant.fsm.states):
        return None
    return new


def propose(candidate: Candidate, *, goal: str = "area", liberty: str | None = None,
            clock_ns: float | None = None) -> list[Proposal]:
    """Proposals for every FSM of ``candidate``, most promising first; none when no FSM is recognised.

    Each proposal is a whole rewritten design; nothing here claims it is equivalent: the loop's
    gate proves it. With a ``liberty`` and goal ``area`` (or ``delay``) the re-encodings are
    ranked by measured area (``rtlgen.synthesize``); with goal ``power`` by the expected
    state-register toggles per cycle under random inputs (``encode.activity``).
    """
    if goal not in GOALS:
        raise ValueError(f"unknown goal {goal!r}; expected one of {', '.join(GOALS)}")
    proposals: list[tuple[float, Proposal]] = []
    for fsm, sites in analyse(candidate):
        for variant in _variants(fsm, goal):
            new = _rewrite(candidate, fsm, sites, variant)
            if new is None:
                continue
            score, measured = _score(new, variant, goal, liberty, clock_ns)
            proposals.append((score, Proposal(variant.rule, "fsm", new, variant.description + measured)))
    return [p for _, p in sorted(proposals, key=lambda sp: sp[0])]


def _score(new: Candidate, variant: _Variant, goal: str, liberty: str | None, clock_ns: float | None
           ) -> tuple[float, str]:
    """Sort key (lower first) and a note for the description; structural moves always rank first."""
    structural = variant.rule in (RULE_MERGE, RULE_UNREACHABLE)
    if goal == "power":
        toggles = activity(variant.fsm, variant.encoding)
        return (-1.0 if structural else toggles), f"; {toggles:.3f} state-bit toggles/cycle"
    if liberty is None:
        return (-1.0 if structural else float(variant.encoding.width)), ""
    try:
        report = synthesize(new, Target(liberty=liberty, clock_ns=clock_ns or 10.0))
    except RtlgenError as exc:
        return float("inf"), f"; not synthesized: {error_detail(exc).splitlines()[0]}"
    area = float(report.area_um2 or 0.0)
    return (-1.0 if structural else area), f"; {area:.1f} um2"
