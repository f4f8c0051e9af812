"""What every optimizer move hands to the loop: a proposed design, the rule it applies, and where.

Move providers (template rewrites, the FSM optimizer, the flow portfolio, LLM rewrites) only
propose; the loop measures each proposal and accepts it only through the equivalence gate.
"""
from __future__ import annotations

from dataclasses import dataclass

from rtlgen.spec.model import Candidate

KINDS: tuple[str, ...] = ("flow", "template", "fsm", "prompt")


@dataclass(frozen=True)
class Proposal:
    """One proposed change: ``candidate`` is the whole rewritten design (same top, same ports).

    ``rule`` is the id of the rule in the store that motivated it; ``kind`` one of ``KINDS``;
    ``description`` one line an engineer can read ("merged states S2 and S4 of fsm state").
    A ``flow`` proposal leaves the RTL unchanged and names a synthesis recipe in ``flow``.
    """

    rule: str
    kind: str
    candidate: Candidate
    description: str
    flow: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown move kind {self.kind!r}; expected one of {', '.join(KINDS)}")
