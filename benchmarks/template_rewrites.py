"""Template rewrites alone on RTL-OPT: area of each suboptimal design before and after, next to the expert's.

Every site of every ``template`` rule is tried greedily (a change is kept when it cuts area by at
least 1 %, until none does), each kept change proven equivalent to the design before it. No flow
portfolio, no FSM optimizer, no LLM: this isolates what the template rules contribute; the full
optimizer is ``benchmarks/optimize_suite.py``.

    .venv/bin/python benchmarks/template_rewrites.py --liberty nangate45
"""
from __future__ import annotations

import argparse
import math
import tempfile
from pathlib import Path

from rich.console import Console
from rich.table import Table

import rtlgen
from rtlgen.config import benchmarks_dir
from rtlgen.errors import RtlgenError
from rtlgen.optimize.templates import implemented, propose
from rtlgen.spec.model import Candidate
from rtlgen.synth.liberty import resolve_liberty
from rtlgen.synth.target import Target
from rtlgen.verify.formal.pairwise import prove_equivalent
from rtlgen.tools.run import unwind_on_sigterm

SKIP = {"divider_32bit": "takes minutes to synthesize", "mux_encode": "unpacked array ports (SystemVerilog)"}


def improve(candidate: Candidate, area: float, liberty: object, workdir: Path) -> tuple[Candidate, float, list[str]]:
    """Greedy: apply the first proposal that is at least 1 % smaller and proven, until none is."""
    applied: list[str] = []
    while True:
        for rule in sorted(implemented()):
            best = None
            for proposal in propose(candidate, rule):
                new_area = rtlgen.synthesize(proposal.candidate, Target(liberty=liberty)).area_um2
                if new_area < area * 0.99:
                    best = (proposal, new_area)
                    break
            if best is None:
                continue
            proof = prove_equivalent(candidate, best[0].candidate, clock=None, reset=None,
                                     workdir=workdir / f"step{len(applied)}")
            if proof.verdict == "proven":
                candidate, area = best[0].candidate, best[1]
                applied.append(rule)
                break
        else:
            return candidate, area, applied


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--liberty", default="nangate45", help="liberty file or PDK name")
    parser.add_argument("--design", action="append", help="only these designs (repeatable)")
    args = parser.parse_args()
    liberty = resolve_liberty(args.liberty)
    root = benchmarks_dir() / "rtl-opt"
    table = Table(title=f"RTL-OPT, template rewrites only ({args.liberty}, default flow, 10 ns)")
    for col in ("design", "input µm²", "templates µm²", "expert µm²", "ratio", "expert ratio", "rules applied"):
        table.add_column(col, justify="left" if col in ("design", "rules applied") else "right")
    ratios, expert_ratios = [], []
    for design in (root / "designs.txt").read_text().split():
        if (args.design and design not in args.design) or design in SKIP:
            continue
        source = next((root / design).glob(f"{design}.*v"))
        expert_src = next((root / design).glob(f"{design}_ref.*v"))
        try:
            candidate = Candidate(source.read_text(), design, origin=str(source))
            base = rtlgen.synthesize(candidate, Target(liberty=liberty)).area_um2
            expert_design = Candidate(expert_src.read_text(), f"{design}_ref")
            expert = rtlgen.synthesize(expert_design, Target(liberty=liberty)).area_um2
            with tempfile.TemporaryDirectory(prefix="rtlgen-templates-", dir=Path.cwd()) as tmp:
                _, area, applied = improve(candidate, base, liberty, Path(tmp))
        except RtlgenError as exc:
            table.add_row(design, "", "", "", "", "", f"error: {str(exc).splitlines()[0]}")
            continue
        ratios.append(area / base)
        expert_ratios.append(expert / base)
        table.add_row(design, f"{base:.1f}", f"{area:.1f}", f"{expert:.1f}", f"{area / base:.3f}",
                      f"{expert / base:.3f}", ", ".join(applied))
    if ratios:
        geo = math.exp(sum(map(math.log, ratios)) / len(ratios))
        expert_geo = math.exp(sum(map(math.log, expert_ratios)) / len(expert_ratios))
        table.add_row("[bold]geomean", "", "", "", f"{geo:.3f}", f"{expert_geo:.3f}", f"{len(ratios)} designs")
    Console(width=140).print(table)
    for design, why in SKIP.items():
        print(f"skipped {design}: {why}")


if __name__ == "__main__":
    unwind_on_sigterm()
    main()
