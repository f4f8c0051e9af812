"""What a generation run produced: the chosen candidate, how it was judged, and every attempt on the way.

``GenerationResult`` is the value ``rtlgen.generate(...)`` returns and the CLI prints; it is plain data
(JSON via ``to_dict``/``to_json``, read back by ``from_dict``) so a run can be stored, compared and
re-rendered.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from rtlgen.llm.ledger import LLMUsage
from rtlgen.synth.report import SynthReport
from rtlgen.verify.result import VerifyResult

# Rank levels of a candidate, worst to best (see ``rank_of`` in rtlgen.generate.rank).
LEVELS = ("no_code", "unsafe", "compile_error", "degenerate", "sim_error", "mismatch", "unjudged", "verified")


@dataclass(frozen=True, order=True)
class Rank:
    """How good a candidate is; larger is better.

    Ordering is (level, -mismatches, first mismatch cycle): a verified design beats any other, then a
    design that compiles and simulates, with fewer mismatching comparisons, then the later its first
    mismatch (the longer it agreed with the golden model). ``mismatches`` is None when the testbench
    did not report a count; the first-mismatch cycle then decides alone.
    """

    level: int
    neg_mismatches: int = 0
    first_cycle: int = 0

    @property
    def name(self) -> str:
        return LEVELS[self.level]

    @property
    def mismatches(self) -> int | None:
        return -self.neg_mismatches if self.neg_mismatches else None

    def describe(self) -> str:
        if self.name != "mismatch":
            return self.name
        count = f"{self.mismatches} mismatches, " if self.mismatches else ""
        return f"mismatch ({count}first at cycle {self.first_cycle})"


@dataclass
class Attempt:
    """One version of one candidate lane: a first sample or a repair, and what verification said."""

    lane: int
    round: int
    kind: str  # sample | repair | resample (a repair that handed back the same code) | given (--rtl)
    content_hash: str | None
    rank: str
    verdict: str  # one-line verification summary
    failure_class: str | None = None
    accepted: bool = True
    note: str = ""
    llm_calls: list[str] = field(default_factory=list)
    seconds: float = 0.0


@dataclass(frozen=True)
class LoopBudget:
    """How many first samples and repair rounds a run may spend, and how many requests go at once (None until
    the client that sets it is known)."""

    samples: int
    rounds: int
    concurrency: int | None = None


@dataclass
class StageTime:
    name: str
    seconds: float
    detail: str = ""


@dataclass
class GenerationResult:
    """The outcome of ``rtlgen.generate``: final RTL, its verification and PPA, and the story of the run."""

    spec: str
    top: str
    source: str | None
    verified: bool
    rtl: str | None
    candidate_hash: str | None
    rank: str
    golden: str  # spec model | reference RTL | generated model | none
    interface_from: str  # spec | first candidate
    verify: VerifyResult | None = None
    ppa: SynthReport | None = None
    attempts: list[Attempt] = field(default_factory=list)
    stages: list[StageTime] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    llm: LLMUsage | None = None  # None for --rtl: no LLM asked
    budget: LoopBudget | None = None  # what the loop was allowed (None for --rtl)
    tool_seconds: float = 0.0
    seconds: float = 0.0
    out_dir: str | None = None
    files: list[str] = field(default_factory=list)
    # what a pass is measured against: "spec-only: 5/8 samples + 2/3 models agree" (the witnesses of
    # rtlgen.generate.witnesses), or the user's golden ("against the spec's golden model")
    evidence: str = ""

    @property
    def strength(self) -> str | None:
        return self.verify.strength if self.verify else None

    @property
    def verdict(self) -> str:
        """The strength and its evidence, e.g. ``simulated(2000), spec-only: 5/8 samples + 2/3 models agree``: a
        spec-only pass never reads like one against the user's own model."""
        return ", ".join(filter(None, [str(self.strength or ""), self.evidence])) or "-"

    @property
    def exit_code(self) -> int:
        """0 verified, 1 not verified (the best candidate is still reported)."""
        return 0 if self.verified else 1

    @property
    def rejected_edits(self) -> int:
        return sum(1 for a in self.attempts if not a.accepted)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["verify"] = self.verify.to_dict() if self.verify else None
        data["ppa"] = self.ppa.to_dict() if self.ppa else None
        data["llm"] = self.llm.to_dict() if self.llm else None
        data.update(strength=self.strength, verdict=self.verdict, rejected_edits=self.rejected_edits)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "GenerationResult":
        """Inverse of ``to_dict`` (the derived ``strength``, ``verdict`` and ``rejected_edits`` are recomputed, not
        read)."""
        values = {f.name: data[f.name] for f in fields(cls) if f.name in data}
        values["verify"] = VerifyResult.from_dict(data["verify"]) if data.get("verify") else None
        values["ppa"] = SynthReport.from_dict(data["ppa"]) if data.get("ppa") else None
        values["llm"] = LLMUsage.from_dict(data["llm"]) if data.get("llm") else None
        values["budget"] = LoopBudget(**data["budget"]) if data.get("budget") else None
        values["attempts"] = [Attempt(**a) for a in data.get("attempts", ())]
        values["stages"] = [StageTime(**t) for t in data.get("stages", ())]
        return cls(**values)

    def to_json(self, **kw: Any) -> str:
        return json.dumps(self.to_dict(), **kw)

    def summary_rows(self) -> list[tuple[str, str]]:
        """(field, value) pairs for the final table."""
        ppa, llm, budget = self.ppa, self.llm, self.budget
        if ppa is not None and ppa.area_um2 is not None:
            area = f"{ppa.area_um2:.2f} um2 ({ppa.cell_count} cells)"
        elif ppa is not None and ppa.transistors is not None:
            area = f"{ppa.transistors} transistors (estimate flow, no liberty)"
        else:
            area = "-"
        timing = "-" if ppa is None or ppa.delay_ns is None else (f"{ppa.delay_ns:.3f} ns critical path, "
                                                                  f"slack {ppa.slack_ns or 0:.3f} ns")
        power = "-" if ppa is None or ppa.power_w is None else f"{ppa.power_w:.3e} W"
        rows = [
            ("design", f"{self.spec} (top {self.top})"),
            ("result", "VERIFIED" if self.verified else "NOT VERIFIED (best candidate kept)"),
            ("verdict", self.verdict),
            ("checked against", self.golden),
            ("interface from", self.interface_from),
            ("best candidate", f"{self.candidate_hash or '-'}: {self.rank}"),
            ("attempts", f"{len(self.attempts)} ({self.rejected_edits} rejected edits)"),
            ("loop budget", f"samples {budget.samples}, repair rounds {budget.rounds}, "
                            f"{budget.concurrency} in flight" if budget else "-"),
            ("LLM", f"{llm.model} at {llm.base_url}" if llm else "-"),
            ("LLM calls", "-" if llm is None else
                          f"{llm.calls} ({llm.cached} cached), {llm.prompt_tokens}+{llm.completion_tokens} tokens, "
                          + (f"${llm.cost_usd:.4f}" if llm.cost_known else "cost unknown (no prices configured)")),
            ("area", area),
            ("timing", timing),
            ("power", power),
            ("time", f"{self.seconds:.1f} s wall (tool runs summed: {self.tool_seconds:.1f} s)"),
        ]
        if self.out_dir:
            rows.append(("output", self.out_dir))
        rows.extend(("note", n) for n in self.notes)
        return rows

    def __str__(self) -> str:
        width = max(len(k) for k, _ in self.summary_rows())
        return "\n".join(f"{k:<{width}}  {v}" for k, v in self.summary_rows())
