"""Template rewrites alone, rule by rule: how many designs each changes and what it gains, every change proven.

For every design of the suites (RTL-OPT: the suboptimal inputs, next to the experts' designs; RTLLM
and VerilogEval: the reference designs) each ``template`` rule is applied greedily on its own: all
its sites are proposed and synthesized, the smallest one at least 1 % below the current area is
proven by the equivalence gate (the optimizer's ``Gate``, with the design's clock and reset) and
kept, until none is. Then all rules together the same way. No flow portfolio, no FSM optimizer, no
LLM: this isolates what the template rules contribute (the full optimizer is
``benchmarks/optimize_suite.py``). Tables: per rule and suite (designs with a site, designs changed,
geomean area ratio of the changed designs, µm² saved, proposals the gate refused), then the RTL-OPT
designs with all rules together against the experts.

    .venv/bin/python benchmarks/template_rewrites.py --liberty nangate45 [--suite rtl-opt --suite rtllm
        --suite verilog-eval] [--rule RULE ...] [--design NAME ...]
"""
from __future__ import annotations

import argparse
import math
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from rich.console import Console
from rich.table import Table

import rtlgen
from rtlgen.errors import RtlgenError
from rtlgen.optimize.gate import Gate
from rtlgen.optimize.templates import implemented, propose
from rtlgen.spec.model import Candidate
from rtlgen.spec.suites import Problem, load
from rtlgen.synth.liberty import resolve_liberty
from rtlgen.synth.target import Target
from rtlgen.tools.run import unwind_on_sigterm

SKIP = {"divider_32bit": "its input alone takes more than 900 s to synthesize"}
GAIN = 0.99       # a change is kept when it is at least 1 % smaller
MAX_STEPS = 8     # changes kept per design and rule set
FAMILY = {  # the structural family of each rule (issue 26's families; the other rules are simple local forms)
    "share-operator-across-branches": "compute once + fold",
    "share-mux-before-arith": "compute once",
    "alu-shared-adder": "compute once + fold",
    "share-add-sub": "subtract folded",
    "absolute-difference": "compute once + fold",
    "compare-from-borrow": "compare from subtract",
    "register-range-narrowing": "narrow to range",
    "constant-register-removal": "narrow to range",
    "operand-isolation": "power",
}


@dataclass
class Greedy:
    """What one rule set did to one design: its final area, the rules applied, the proposals the gate refused."""

    area: float
    applied: list[str] = field(default_factory=list)
    sites: int = 0
    refused: int = 0


@dataclass
class Row:
    design: str
    base: float
    expert: float | None
    per_rule: dict[str, Greedy]
    together: Greedy


def greedy(problem: Problem, rules: Iterable[str], base: float, area: Callable[[Candidate], float],
           workdir: Path) -> Greedy:
    """Apply the smallest proven proposal of ``rules`` while one is at least 1 % smaller."""
    current, outcome, tried = problem.start, Greedy(base), set()
    gate = Gate(problem.start, clock=problem.spec.clock, reset=problem.spec.reset, workdir=workdir, timeout=300)
    for _ in range(MAX_STEPS):
        proposals = [p for rule in rules for p in propose(current, rule)]
        outcome.sites = outcome.sites or len(proposals)
        ranked = sorted((area(p.candidate), i, p) for i, p in enumerate(proposals) if p.candidate.rtl not in tried)
        for new_area, _, proposal in ranked:
            if new_area >= outcome.area * GAIN:
                return outcome
            tried.add(proposal.candidate.rtl)
            if gate.check(current, proposal.candidate, proposal.rule).proven:
                current, outcome.area = proposal.candidate, new_area
                outcome.applied.append(proposal.rule)
                break
            outcome.refused += 1
        else:
            return outcome
    return outcome


def measure(problem: Problem, rules: list[str], target: Target) -> Row | None:
    def area(candidate: Candidate) -> float:
        return rtlgen.synthesize(candidate, target).area_um2

    base = area(problem.start)
    if base <= 0:
        return None  # no cells (a design of constants or wires): nothing a rewrite could gain
    expert = area(problem.reference) if problem.judged == "expert" and problem.reference else None
    with tempfile.TemporaryDirectory(prefix="rtlgen-templates-") as tmp:
        per_rule = {rule: greedy(problem, [rule], base, area, Path(tmp) / rule) for rule in rules}
        together = greedy(problem, rules, base, area, Path(tmp) / "all") \
            if sum(bool(g.applied) for g in per_rule.values()) > 1 else \
            next((g for g in per_rule.values() if g.applied), Greedy(base))
    return Row(problem.label, base, expert, per_rule, together)


def _geomean(values: list[float]) -> float:
    return math.exp(sum(map(math.log, values)) / len(values)) if values else float("nan")


def rule_table(suite: str, rows: list[Row], rules: list[str], library: str) -> Table:
    table = Table(title=f"{suite}: template rules one at a time ({library}, default flow, 10 ns; "
                        f"{len(rows)} designs)")
    for col in ("rule", "family", "designs with a site", "changed", "area ratio (changed)", "µm² saved",
                "refused by the gate"):
        table.add_column(col, justify="left" if col in ("rule", "family") else "right")
    for rule in rules:
        outcomes = [(row, row.per_rule[rule]) for row in rows]
        changed = [(row, g) for row, g in outcomes if g.applied]
        table.add_row(rule, FAMILY.get(rule, ""), str(sum(g.sites > 0 for _, g in outcomes)), str(len(changed)),
                      f"{_geomean([g.area / row.base for row, g in changed]):.3f}" if changed else "",
                      f"{sum(row.base - g.area for row, g in changed):.1f}",
                      str(sum(g.refused for _, g in outcomes)))
    together = [row.together.area / row.base for row in rows]
    table.add_row("[bold]all together", "", "", str(sum(r < 1 for r in together)),
                  f"{_geomean([r for r in together if r < 1]):.3f}" if any(r < 1 for r in together) else "",
                  f"{sum(row.base - row.together.area for row in rows):.1f}",
                  str(sum(row.together.refused for row in rows)))
    return table


def expert_table(rows: list[Row], library: str) -> Table:
    table = Table(title=f"RTL-OPT, all template rules together against the expert ({library}, 10 ns)")
    for col in ("design", "input µm²", "templates µm²", "expert µm²", "ratio", "expert ratio", "rules applied"):
        table.add_column(col, justify="left" if col in ("design", "rules applied") else "right")
    for row in rows:
        expert = f"{row.expert / row.base:.3f}" if row.expert else ""
        table.add_row(row.design, f"{row.base:.1f}", f"{row.together.area:.1f}",
                      f"{row.expert:.1f}" if row.expert else "", f"{row.together.area / row.base:.3f}", expert,
                      ", ".join(row.together.applied))
    experts = [row for row in rows if row.expert]
    table.add_row("[bold]geomean", "", "", "", f"{_geomean([r.together.area / r.base for r in experts]):.3f}",
                  f"{_geomean([r.expert / r.base for r in experts]):.3f}",
                  f"{len(experts)} designs; at or below the expert: "
                  f"{sum(r.together.area <= r.expert for r in experts)}")
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--liberty", default="nangate45", help="liberty file or PDK name")
    parser.add_argument("--suite", action="append", help="rtl-opt (default), rtllm, verilog-eval (repeatable)")
    parser.add_argument("--rule", action="append", help="only these template rules (repeatable)")
    parser.add_argument("--design", action="append", help="only these designs (repeatable)")
    args = parser.parse_args()
    target = Target(liberty=resolve_liberty(args.liberty), clock_ns=10.0)
    rules = sorted(args.rule or implemented())
    console = Console(width=160)
    for name in args.suite or ["rtl-opt"]:
        rows = []
        for problem in load(name).problems:
            if (args.design and problem.label not in args.design) or problem.label in SKIP or problem.start is None:
                continue
            try:
                row = measure(problem, rules, target)
            except RtlgenError as exc:
                console.print(f"{problem.label}: {type(exc).__name__}: {str(exc).splitlines()[0]}")
                continue
            rows += [row] if row else []
        console.print(rule_table(name, rows, rules, args.liberty))
        if any(row.expert for row in rows):
            console.print(expert_table(rows, args.liberty))
    for design, why in SKIP.items():
        print(f"skipped {design}: {why}")


if __name__ == "__main__":
    unwind_on_sigterm()
    main()
