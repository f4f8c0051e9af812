"""Full adders onto the liberty's full-adder cell: what the portfolio's ``adders`` knob gains, synthesis only.

Each design of the suites (RTL-OPT: the inputs; RTLLM and VerilogEval: the references) is synthesized under the
default flow and under the default recipe with each ``adders`` value (``rtlgen.optimize.portfolio``); the table
gives the area ratio to the default flow, the full-adder cells in the netlist and the delay, for the designs
where a value changes the area or uses the cell. No proof here: the optimizer proves a recipe before it keeps it
(``benchmarks/optimize_suite.py``).

    .venv/bin/python benchmarks/adder_cells.py --liberty nangate45 [--suite verilog-eval --suite rtllm]
"""
from __future__ import annotations

import argparse
import math
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from rtlgen.errors import RtlgenError  # noqa: E402
from rtlgen.optimize.portfolio import KNOBS, Recipe  # noqa: E402
from rtlgen.spec.model import Candidate  # noqa: E402
from rtlgen.spec.suites import load  # noqa: E402
from rtlgen.synth.adders import full_adder_cell  # noqa: E402
from rtlgen.synth.api import synthesize  # noqa: E402
from rtlgen.synth.liberty import Liberty, resolve_liberty  # noqa: E402
from rtlgen.synth.report import SynthReport  # noqa: E402
from rtlgen.synth.target import Target  # noqa: E402

ADDERS = [value for value in KNOBS["adders"] if value != "off"]


def _measure(design: Candidate, flows: dict[str, str], liberty: Liberty) -> dict[str, SynthReport]:
    """The design under each flow; a flow it does not synthesize under is left out."""
    reports = {}
    for key, flow in flows.items():
        try:
            reports[key] = synthesize(design, Target(flow=flow, liberty=liberty))
        except RtlgenError as exc:
            Console(stderr=True).print(f"{design.top} under {key}: {exc}")
    return reports


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--liberty", default="nangate45")
    parser.add_argument("--suite", action="append", help="suite name (repeatable; default verilog-eval)")
    args = parser.parse_args()
    liberty = resolve_liberty(args.liberty)
    cell = full_adder_cell(liberty)
    folder = Path(tempfile.mkdtemp(prefix="adder-cells-"))
    flows = {"default": "yosys", **{value: str(Recipe(adders=value).write(folder)) for value in ADDERS}}
    table = Table(title=f"full adders onto {cell.name if cell else 'no full-adder cell'} ({liberty.name}): area "
                        "ratio to the default flow, full-adder cells, delay ns (default / each value)")
    for column in ("design", "default um2", *ADDERS, "FA cells", "delay"):
        table.add_column(column)
    best: list[float] = []
    for suite in args.suite or ["verilog-eval"]:
        for problem in load(suite).problems:
            if problem.start is None:
                continue
            reports = _measure(problem.start, flows, liberty)
            base = reports.get("default")
            if base is None or not base.area_um2 or len(reports) < len(flows):
                continue
            ratios = {value: reports[value].area_um2 / base.area_um2 for value in ADDERS}
            cells = [reports[value].cells.get(cell.name, 0) if cell else 0 for value in ADDERS]
            best.append(min(1.0, *ratios.values()))
            if max(cells) or min(ratios.values()) < 0.999:
                table.add_row(problem.label, f"{base.area_um2:.1f}", *(f"{ratios[v]:.3f}" for v in ADDERS),
                              " / ".join(map(str, cells)),
                              " / ".join(f"{reports[k].delay_ns or 0:.3f}" for k in flows))
    Console(width=160).print(table)
    if best:
        print(f"{len(best)} designs with cells; geomean of the better value (never above 1): "
              f"{math.exp(sum(map(math.log, best)) / len(best)):.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
