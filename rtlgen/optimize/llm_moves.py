"""LLM moves: a retrieved ``prompt`` rule, the design and its PPA go to the LLM, which proposes a rewrite.

The reply is only a proposal: the loop measures it and accepts it only through the equivalence
gate, so a wrong rewrite costs one rejected move, never a wrong design. Calls go through the
project's one client (``rtlgen.llm.LLMClient``: cache, ledger, retries).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Sequence

from rtlgen.errors import LLMError
from rtlgen.llm.extract import extract_verilog
from rtlgen.optimize.moves import Proposal
from rtlgen.optimize.ppa import PPA
from rtlgen.spec.model import Candidate
from rtlgen.optimize.render import render

# The reply the prompt asks for when the rule does not apply: a CPU model answers it in seconds, where repeating the
# design (or a wrong rewrite of it) takes minutes.
SKIP = "SKIP"

if TYPE_CHECKING:
    from rtlgen.llm.client import LLMClient  # openai: ~0.4 s, paid only by runs with an LLM


def rule_view(rule: Any) -> dict[str, Any]:
    """The fields of a rule the prompt shows (rules are another module's value; read by attribute)."""
    example = getattr(rule, "example", None)
    before = getattr(example, "before", None) if example is not None else None
    after = getattr(example, "after", None) if example is not None else None
    if isinstance(example, dict):
        before, after = example.get("before"), example.get("after")
    risks = getattr(rule, "risks", ()) or ()
    goal = getattr(rule, "goal", "area")
    return {"id": rule.id, "title": getattr(rule, "title", rule.id),
            "goal": goal if isinstance(goal, str) else ", ".join(goal),
            "description": getattr(rule, "description", ""), "before": before or "", "after": after or "",
            "risks": [risks] if isinstance(risks, str) else list(risks)}


def ppa_text(ppa: PPA) -> str:
    def fmt(value: float | None, unit: str, spec: str) -> str:
        return "n/a" if value is None else f"{value:{spec}} {unit}"

    return (f"area {fmt(ppa.area, 'um2', '.2f')}, critical path {fmt(ppa.delay, 'ns', '.3f')}, "
            f"power {fmt(ppa.power, 'W', '.4g')} (flow {ppa.flow})")


def messages(candidate: Candidate, rules: Sequence[Any], ppa: PPA, goal: str) -> list[dict[str, str]]:
    context = dict(top=candidate.top, rtl=candidate.rtl, ppa=ppa_text(ppa), goal=goal,
                   rules=[rule_view(r) for r in rules], skip=SKIP)
    return [{"role": role, "content": render(f"optimize.{role}.j2", **context).strip() + "\n"}
            for role in ("system", "user")]


def propose(candidate: Candidate, rule: Any, ppa: PPA, client: LLMClient, *, goal: str = "area"
            ) -> tuple[list[Proposal], str]:
    """One LLM call for ``rule``; (proposals, note). A reply without usable code gives no proposal and a note."""
    replies = client.complete(messages(candidate, [rule], ppa, goal), tag=f"optimize:{rule.id}")
    proposals, notes = [], []
    for reply in replies:
        if reply.text.strip().strip(".").upper() == SKIP:
            notes.append("the LLM says the rule does not apply to this design")
            continue
        try:
            code = extract_verilog(reply.text, candidate.top)
        except LLMError as exc:
            notes.append(f"no usable code in the reply ({exc})")
            continue
        if code.strip() == candidate.rtl.strip():
            notes.append("the reply repeats the design unchanged")
            continue
        # the LLM wrote this text: untrusted (scanned before any tool runs) even when the input is the user's own
        proposals.append(Proposal(rule=rule.id, kind="prompt", description=f"LLM rewrite: {rule_view(rule)['title']}",
                                  candidate=Candidate(code, candidate.top, origin="llm",
                                                      provenance=(*candidate.provenance, reply.call_id))))
    return proposals, "; ".join(notes)
