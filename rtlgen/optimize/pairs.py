"""Optimize a suite of (input, expert) pairs: per pair the input, optimized and expert PPA and the proof.

A problem judged against an expert (RTL-OPT, ``rtlgen.spec.suites``) starts from the suboptimal
design and has the expert's design as reference; a suite without experts (RTLLM, VerilogEval)
starts from the reference and has no expert figures. Used by ``rtlgen bench SUITE --optimize`` and
``benchmarks/optimize_suite.py``; pairs run through the one executor interface.
"""
from __future__ import annotations

import functools
import time
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Callable, Sequence

from rtlgen.executor import get_executor
from rtlgen.optimize.loop import Limits, Search, optimize
from rtlgen.spec.suites import Problem
from rtlgen.synth.api import synthesize
from rtlgen.synth.target import Target


@dataclass(frozen=True)
class PairRecord:
    design: str
    suite: str | None = None
    input_area: float | None = None
    rtl_area: float | None = None           # RTL changes only (the input's flow)
    final_area: float | None = None         # with the flow portfolio
    expert_area: float | None = None
    input_delay: float | None = None
    final_delay: float | None = None
    expert_delay: float | None = None
    power_before: float | None = None
    power_after: float | None = None
    expert_power: float | None = None
    equivalence: str = "error"              # final vs input, end to end
    autotb: str = "absent"
    flow: str = "yosys"
    rules: tuple[str, ...] = ()             # accepted RTL steps, in order
    tried: int = 0
    accepted: int = 0
    cex: int = 0
    inconclusive: int = 0
    # moves the gate turned down (counterexample, inconclusive, unsafe, error), one line each: why a design kept
    # its area is readable from the record ("not better" moves are only counted, in ``tried``)
    refused: tuple[str, ...] = ()
    seconds: float = 0.0
    providers: dict[str, str] = field(default_factory=dict)
    error: str = ""

    def ratio(self, what: str) -> float | None:
        """``rtl``, ``final`` or ``expert`` area over the input area; ``power`` and ``delay`` after over before."""
        num, den = {"power": (self.power_after, self.power_before),
                    "delay": (self.final_delay, self.input_delay)}.get(what) or (getattr(self, f"{what}_area"),
                                                                            self.input_area)
        return num / den if num is not None and den else None

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "rules": list(self.rules), "refused": list(self.refused)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "PairRecord":
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        values["rules"] = tuple(values.get("rules", ()))
        values["refused"] = tuple(values.get("refused", ()))
        return cls(**values)


def optimize_pair(problem: Problem, target: Target, *, budget: int = 8, llm: bool = False,
                  workdir: Path | None = None, synth_timeout: float = 300.0, spend_slack: bool = True,
                  goal: str = "area") -> PairRecord:
    """Optimize the problem's starting RTL for ``goal`` onto ``target`` and measure its expert design (RTL-OPT)
    the same way."""
    start = time.monotonic()
    if problem.start is None:
        return PairRecord(problem.label, problem.spec.suite, error="the problem has no RTL to optimize")
    result = optimize(problem.start, target,
                      Search(goal, budget, llm=llm, spend_slack=spend_slack), Limits(synth_timeout=synth_timeout),
                      spec=problem.spec, workdir=workdir)
    expert = None
    if problem.judged == "expert" and problem.reference is not None:
        # no stimulus for the expert's design: its power is OpenSTA's vectorless whatever engine the target asks
        expert = synthesize(problem.reference, replace(target, power_engine="auto"), timeout=synth_timeout)
    return PairRecord(
        design=problem.label, suite=problem.spec.suite, input_area=result.area_before_um2,
        rtl_area=result.area_rtl_um2, final_area=result.area_after_um2,
        expert_area=expert.area_um2 if expert else None, input_delay=result.delay_before_ns,
        final_delay=result.delay_after_ns, expert_delay=expert.delay_ns if expert else None,
        power_before=result.power_before_w, power_after=result.power_after_w,
        expert_power=expert.power_w if expert else None, equivalence=result.equivalence, autotb=result.autotb,
        flow=result.flow_after, rules=tuple(s.rule for s in result.steps if s.kind != "flow"), tried=result.tried,
        accepted=len(result.steps), cex=result.count("counterexample"), inconclusive=result.count("inconclusive"),
        refused=tuple(f"{r.rule} ({r.kind}): {r.reason}: {r.detail.splitlines()[0] if r.detail else ''}"
                      for r in result.rejected if r.reason != "not better"),
        seconds=round(time.monotonic() - start, 1),
        providers={k: v for k, v in result.providers.items() if v != "ok"})


def run_pairs(problems: Sequence[Problem], target: Target, *, budget: int = 8, llm: bool = False, jobs: int = 1,
              executor: str = "process", progress: Callable[[PairRecord], None] | None = None) -> list[PairRecord]:
    """Every pair onto ``target`` (the value itself goes to the workers: its liberty is not found or parsed
    again), ``jobs`` at a time; a pair whose worker failed is a record with ``error``. Problem order."""
    work = functools.partial(optimize_pair, target=target, budget=budget, llm=llm)
    done: dict[str, PairRecord] = {}
    for outcome in get_executor(executor, jobs).map(work, list(problems)):
        record = outcome.result if outcome.ok else PairRecord(
            outcome.item.label, outcome.item.spec.suite, error=f"{type(outcome.error).__name__}: {outcome.error}")
        done[record.design] = record
        if progress:
            progress(record)
    return [done[p.label] for p in problems]
