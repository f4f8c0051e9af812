"""What clock gating saves, counted by rtlgen's gate-level power and missed by OpenSTA on the same activity.

    .venv/bin/python benchmarks/gate_clock_gating.py [--liberty nangate45] [--cycles 2000] [--clock 10] [NAME ...]

Each RTLLM design (default: ``instr_reg`` and ``multi_16bit`` in ``../shared/benchmarks``) is simulated by its
auto testbench (``--cycles`` cycles, one VCD), then synthesized twice: the default flow (enable multiplexers) and
the optimizer portfolio's clock-gating recipe (integrated clock-gating cells, ICGs). Each mapped netlist is
simulated under the same inputs (``rtlgen.synth.power.gatesim``) and priced twice on that one activity: by
rtlgen (``energy.price``) and by OpenSTA (``sta_power``). Columns:

- ``ICGs``: clock-gating cells in the netlist; ``flops``: flip-flops and latches;
- ``clock pin toggles``: the toggles of every flip-flop clock pin, summed, as simulated (ungated: 2 per cycle
  each; behind a closed gate: none), and ``of ungated``: that over ``flops × 2 × cycles``;
- ``gate uW`` / ``sta uW``: total power by each engine, ``clock uW``: rtlgen's clock-network group;
- ``saved gate`` / ``saved sta``: the gated netlist's power against the ungated one's, per engine.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rtlgen.optimize.portfolio import Recipe  # noqa: E402
from rtlgen.spec.suites import load_suite, reference_candidate  # noqa: E402
from rtlgen.synth.flows import load_flow  # noqa: E402
from rtlgen.synth.liberty import Liberty, resolve_liberty  # noqa: E402
from rtlgen.synth.power import GateActivity  # noqa: E402
from rtlgen.synth.power.energy import price  # noqa: E402
from rtlgen.synth.power.gatesim import Stimulus, simulate  # noqa: E402
from rtlgen.synth.power.library import read_power_library  # noqa: E402
from rtlgen.synth.power.sta_power import sta_power  # noqa: E402
from rtlgen.synth.sta import clock_ports  # noqa: E402
from rtlgen.synth.yosys import run_flow  # noqa: E402
from rtlgen.tools.rundir import run_directory  # noqa: E402
from rtlgen.verify.autotb import run_autotb  # noqa: E402

DEFAULT_DESIGNS = ("instr_reg", "multi_16bit")


def clock_pin_toggles(netlist: dict, top: str, liberty: Liberty, activity: GateActivity) -> tuple[int, int, int]:
    """(ICGs, flip-flops and latches, toggles summed over their clock pins) of the mapped netlist."""
    icgs = flops = toggles = 0
    for cell in netlist["modules"][top]["cells"].values():
        info = liberty.cells.get(cell["type"])
        if info is None or not info.sequential:
            continue
        if info.clock_gate:
            icgs += 1
            continue
        flops += 1
        toggles += sum(activity.bits[bit].toggles for pin in info.clock_pins
                       for bit in cell["connections"].get(pin, []) if isinstance(bit, int))
    return icgs, flops, toggles


def measure(name: str, liberty: Liberty, cycles: int, clock_ns: float, workdir: Path) -> list[dict]:
    spec = next(s for s in load_suite("rtllm") if Path(s.source).parent.name == name)
    candidate = reference_candidate(spec)
    check = run_autotb(candidate, spec, workdir / "autotb", cycles=cycles, waves=True)
    if check.verdict != "pass" or "vcd" not in check.artifacts:
        raise SystemExit(f"{name}: the auto testbench did not pass ({check.verdict}): {check.message}")
    library = read_power_library(liberty)
    rows = []
    for variant, flow in (("ungated", load_flow("yosys")),
                          ("gated", load_flow(str(Recipe(clock_gating=True).write(workdir / "flows"))))):
        ys = run_flow(candidate.rtl, candidate.top, flow, liberty, clock_ns, workdir / variant)
        netlist = json.loads(ys.netlist_json.read_text())
        clocks = clock_ports(netlist, candidate.top, liberty)
        stimulus = Stimulus(Path(check.artifacts["vcd"]), "dut", clocks[0] if clocks else None, clock_ns)
        activity = simulate(ys.netlist_json, candidate.top, library, stimulus, workdir / f"{variant}-sim",
                            timeout=600)
        gate = price(activity, library, netlist)
        sta = sta_power(activity, liberty, netlist, clock_ns, workdir / f"{variant}-sta", timeout=600)
        icgs, flops, toggles = clock_pin_toggles(netlist, candidate.top, liberty, activity)
        rows.append({"design": name, "variant": variant, "ICGs": icgs, "flops": flops,
                     "clock pin toggles": toggles, "of ungated": toggles / max(1, flops * 2 * activity.cycles),
                     "gate uW": gate.total.total_w * 1e6, "clock uW": gate.groups["clock"].total_w * 1e6,
                     "sta uW": sta.total_w * 1e6})
    for engine in ("gate", "sta"):
        rows[1][f"saved {engine}"] = 1 - rows[1][f"{engine} uW"] / rows[0][f"{engine} uW"]
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("designs", nargs="*", default=list(DEFAULT_DESIGNS), help="RTLLM design names")
    ap.add_argument("--liberty", default="nangate45")
    ap.add_argument("--cycles", type=int, default=2000)
    ap.add_argument("--clock", type=float, default=10.0, help="clock period, ns")
    args = ap.parse_args()
    liberty = resolve_liberty(args.liberty)
    if liberty is None:
        raise SystemExit(f"liberty {args.liberty} not found (give a path or a PDK name)")
    rows = []
    with run_directory("gate-clock-gating") as workdir:
        for name in args.designs:
            rows += measure(name, liberty, args.cycles, args.clock, workdir / name)
    print(f"gate-level power of one auto-testbench stimulus ({args.cycles} cycles), {liberty.name}, "
          f"{args.clock:g} ns: rtlgen (gate) and OpenSTA (sta) on the same simulated activity")
    print(pd.DataFrame(rows).to_string(index=False, float_format=lambda v: f"{v:.4g}", na_rep=""))


if __name__ == "__main__":
    main()
