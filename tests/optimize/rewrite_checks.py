"""What every template rewrite's tests check the same way: its proposals, the area it gains, and the gate proving
the rewrite while refusing a planted wrong variant of it (one text replacement in the rewritten RTL)."""
from __future__ import annotations

from pathlib import Path

import rtlgen
from rtlgen.optimize.gate import Gate
from rtlgen.optimize.templates import propose
from rtlgen.spec.model import Candidate, Clock, Reset
from rtlgen.synth.target import Target


def rewritten(rtl: str, top: str, rule: str) -> list[str]:
    """The RTL of each proposal ``rule`` makes on the design."""
    return [p.candidate.rtl for p in propose(Candidate(rtl, top), rule)]


def assert_proven_and_planted_refused(rtl: str, top: str, rule: str, clocked: bool, wrong: tuple[str, str],
                                      workdir: Path) -> None:
    """The one proposal is proven equal to the design; with ``wrong[0]`` replaced by ``wrong[1]`` it is a
    counterexample (clocked designs: clock ``clk``, reset ``rst``)."""
    original = Candidate(rtl, top)
    gate = Gate(original, clock=Clock("clk") if clocked else None, reset=Reset("rst") if clocked else None,
                workdir=workdir, timeout=120)
    (proposal,) = propose(original, rule)
    verdict = gate.check(original, proposal.candidate, "right")
    assert verdict.status == "proven", verdict.message
    assert wrong[0] in proposal.candidate.rtl
    planted = Candidate(proposal.candidate.rtl.replace(wrong[0], wrong[1]), top)
    assert gate.check(original, planted, "wrong").status == "counterexample"


def assert_smaller(rtl: str, top: str, rule: str, liberty: str, ratio: float = 0.9) -> None:
    """The first proposal maps to less than ``ratio`` of the design's area (10 ns clock)."""
    target = Target(liberty=liberty, clock_ns=10.0)
    before = rtlgen.synthesize(Candidate(rtl, top), target).area_um2
    after = rtlgen.synthesize(Candidate(rewritten(rtl, top, rule)[0], top), target).area_um2
    assert after < ratio * before, (before, after)
