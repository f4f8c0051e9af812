"""Can this machine's OpenSTA measure what clock gating saves? Same gated netlist, five ways of asking.

    .venv/bin/python benchmarks/sta_clock_gating.py [--liberty PATH] [--clock 10] [--enable-rate 0.2] [DESIGN.v ...]

Each design (default: RTLLM's ``instr_reg`` and ``multi_16bit`` in ``../shared/benchmarks``) is synthesized
with the optimizer portfolio's clock-gating recipe (Yosys ``clockgate``: integrated clock-gating cells, ICGs,
instead of enable multiplexers), then OpenSTA times and powers that one netlist, vectorless as rtlgen does
without a VCD, five ways:

1. ``rtlgen``: rtlgen's own script (the clock propagates through each ICG to its flip-flops);
2. ``gck=r``: the same, each gated-clock pin given the activity of a clock that runs ``--enable-rate`` of the
   cycles (``2 × rate`` transitions per cycle): what gating is for. If the power equals row 1, the activity
   set on a clock-network pin is ignored;
3. ``stop, gck=2``: clock propagation stopped at the ICG outputs (``set_sense -type clock -stop_propagation``),
   gated-clock pins at the full clock's activity (2 transitions, duty 0.5): physically the same circuit as row
   1, so any difference is an artefact of the model, not a saving;
4. ``stop, gck=r``: stopped, at the enable rate;
5. ``ungated``: the default flow (enable multiplexers, no ICG), for scale.

Why (OpenSTA 2.0.17, Debian's ``opensta`` 0~20191111, ``search/Power.cc``): ``Power::findActivity`` returns 2
transitions per period for every pin of the clock network, whatever was set on it, and a pin of an instance
with no clock gets ``findClkedActivity``'s fallback, the default input activity, instead of its own. Current
OpenSTA (``power/Power.cc``) computes a gated clock's activity from the ICG's enable and honours annotated
clock pins; that version is not packaged for Debian 12 or PyPI.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rtlgen.config import benchmarks_dir  # noqa: E402
from rtlgen.optimize.portfolio import Recipe  # noqa: E402
from rtlgen.spec.model import Candidate  # noqa: E402
from rtlgen.spec.frontend import top_modules  # noqa: E402
from rtlgen.synth.flows import load_flow  # noqa: E402
from rtlgen.synth.liberty import Liberty, resolve_liberty  # noqa: E402
from rtlgen.synth.sta import clock_ports, run_sta  # noqa: E402
from rtlgen.synth.yosys import run_flow  # noqa: E402
from rtlgen.tools.rundir import run_directory  # noqa: E402

DEFAULT_DESIGNS = ("instr_reg", "multi_16bit")


def gated_clocks(netlist: dict, top: str, liberty: Liberty) -> list[str]:
    """The clock-gating cells (ICG instances) of the mapped netlist."""
    return [name for name, cell in netlist["modules"][top]["cells"].items()
            if cell["type"] in liberty.cells and liberty.cells[cell["type"]].clock_gate]


def variant(stop: bool, activity: float | None, output_pin: str) -> str:
    """Tcl put before the power report: optionally stop the clock at the ICG outputs (every ``*/<output_pin>``
    pin), set the gated clocks' activity; prints how many pins it touched, so a name that matches nothing shows."""
    lines = [f"set gck [get_pins */{output_pin}]", 'puts "GATED_CLOCK_PINS [llength $gck]"']
    if stop:
        lines.append("set_sense -type clock -stop_propagation -clock [get_clocks rtlgen_clk] $gck")
    if activity is not None:
        lines.append(f"foreach pin [get_pins -of_objects [get_nets -of_objects $gck]] "
                     f"{{ sta::set_power_pin_activity $pin {activity:g} {activity / 4:g} }}")
    return "\n".join(lines)


def measure(design: Candidate, liberty: Liberty, clock_ns: float, rate: float, workdir: Path) -> list[dict]:
    recipe = Recipe(clock_gating=True)
    gated = run_flow(design.rtl, design.top, load_flow(str(recipe.write(workdir / "flows"))), liberty, clock_ns,
                     workdir / "gated")
    plain = run_flow(design.rtl, design.top, load_flow("yosys"), liberty, clock_ns, workdir / "plain")
    netlist = json.loads(gated.netlist_json.read_text())
    found = gated_clocks(netlist, design.top, liberty)
    if not found:
        return [{"design": design.top, "variant": "no ICG inserted by the recipe"}]
    output_pin = liberty.cells[netlist["modules"][design.top]["cells"][found[0]]["type"]].clock_gate.output
    clocks = clock_ports(netlist, design.top, liberty)
    rows = []
    for label, ys, extra in (("rtlgen", gated, ""),
                             (f"gck={2 * rate:g}", gated, variant(False, 2 * rate, output_pin)),
                             ("stop, gck=2", gated, variant(True, 2.0, output_pin)),
                             (f"stop, gck={2 * rate:g}", gated, variant(True, 2 * rate, output_pin)),
                             ("ungated", plain, "")):
        sta = run_sta(liberty, ys.netlist, design.top, clock_ns, clocks, power_setup=extra)
        touched = re.search(r"^GATED_CLOCK_PINS (\d+)", sta.log, re.MULTILINE)
        if extra and (not touched or int(touched.group(1)) != len(found)):
            raise SystemExit(f"{design.top} {label}: the script found {touched and touched.group(1)} gated-clock "
                             f"pins, the netlist has {len(found)} clock-gating cells")
        rows.append({"design": design.top, "variant": label, "ICGs": len(found),
                     "area_um2": float(ys.stat.get("area", 0.0)), "internal_uW": sta.internal_w * 1e6,
                     "switching_uW": sta.switching_w * 1e6, "total_uW": sta.total_w * 1e6})
    base = rows[0]["total_uW"]
    for row in rows:
        row["total / rtlgen"] = row["total_uW"] / base
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("designs", nargs="*", help="Verilog files, each with its top module last (default: RTLLM designs)")
    ap.add_argument("--liberty", default="nangate45_typ.lib.gz")
    ap.add_argument("--clock", type=float, default=10.0, help="clock period, ns")
    ap.add_argument("--enable-rate", type=float, default=0.2, help="fraction of cycles the gated clock runs")
    args = ap.parse_args()
    liberty = resolve_liberty(args.liberty)
    if liberty is None:
        raise SystemExit(f"liberty {args.liberty} not found (give a path)")
    paths = [Path(p) for p in args.designs]
    if not paths:
        bench = benchmarks_dir()
        if bench is None:
            raise SystemExit("no designs given and ../shared/benchmarks not found (set RTLGEN_BENCHMARKS)")
        paths = [next((bench / "rtllm").rglob(f"{name}/verified_{name}.v")) for name in DEFAULT_DESIGNS]
    rows = []
    with run_directory("sta-clock-gating") as workdir:
        for path in paths:
            rtl = path.read_text()
            top = top_modules(rtl)[-1]
            rows += measure(Candidate(rtl, top, origin=str(path)), liberty, args.clock, args.enable_rate,
                            workdir / top)
    print(f"OpenSTA on one clock-gated netlist per design, vectorless, {liberty.name}, {args.clock:g} ns; "
          f"gck = activity set on the gated-clock pins (transitions per cycle)")
    print(pd.DataFrame(rows).to_string(index=False, float_format=lambda v: f"{v:.4g}"))


if __name__ == "__main__":
    main()
