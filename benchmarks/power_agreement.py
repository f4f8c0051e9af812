"""rtlgen's gate-level power against OpenSTA's report_power, design by design.

    .venv/bin/python benchmarks/power_agreement.py --suite rtllm --liberty nangate45 [--only a,b] [--force]

Per reference design: synthesize (Yosys), simulate the mapped netlist under the auto testbench's stimulus (the
RTL simulation's dump replayed on the gates), then

- ``gate_w``: rtlgen's price of that gate-level activity (``rtlgen.synth.power.energy.price``);
- ``sta_w``: OpenSTA 2.0.17's ``report_power`` given the same activity on every pin (``sta_power``). 2.0.17
  re-derives every combinational output's activity from its inputs (independent-input propagation) and gives
  clock-network pins 2 transitions per period, so the two see different activities inside the logic;
- ``priced_w``: rtlgen's price of the activity OpenSTA actually used (read back from every pin after its
  report), so ``priced_w`` against ``sta_w`` differs only in the internal-power rule and the leakage states;
- ``rule_w``: that same activity priced with rtlgen's loads, slews, tables and probabilities but OpenSTA
  2.0.17's internal-power rule (``opensta_2017_power``) and its leakage (``cell_leakage_power``):
  ``rule_pct`` (rule_w against sta_w) checks that the two compute the same thing once the rule is the same.
  2.0.17 charges every arc of an output pin rise + fall energy times the *output's* activity times a duty
  (P(``when``); a ratio of activities for a ``when`` inferred from the function; 1 on a clock pin; 1/2
  otherwise), so a transition is paid once per related pin; upstream replaced it with one mean energy per
  transition shared among the related pins (2bcd61a5 and ba28f7e9, May 2020), which rtlgen prices;
- ``rtl_vcd_w``: OpenSTA with the RTL simulation's VCD (``run_sta`` with ``rtl_profile``'s rates: ports and
  registers annotated by name, the rest propagated), the power figure rtlgen gave before the gate engine;
- seconds: gate simulation + pricing (``gate_s``, of which ``price_s`` pricing) against OpenSTA's power run
  given that activity (``sta_s``, timing report included); the same in CPU seconds of this process and its tools
  (``gate_cpu_s``, ``sta_cpu_s``), which a machine shared with other jobs inflates far less than wall time.

Results are appended to ``--results`` (JSON lines, one per design and liberty) and reused unless ``--force``.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pandas as pd  # noqa: E402

from rtlgen.config import cache_dir  # noqa: E402
from rtlgen.spec.suites import Problem, load  # noqa: E402
from rtlgen.synth.flows import load_flow  # noqa: E402
from rtlgen.synth.liberty import Liberty, resolve_liberty  # noqa: E402
from rtlgen.synth.power import BitActivity, GateActivity  # noqa: E402
from rtlgen.synth.power import energy  # noqa: E402
from rtlgen.synth.power.energy import price  # noqa: E402
from rtlgen.synth.power.expr import Expr, parse_expr, probability  # noqa: E402
from rtlgen.synth.power.gatesim import Stimulus, simulate  # noqa: E402
from rtlgen.synth.power.library import PowerLibrary, read_power_library  # noqa: E402
from rtlgen.synth.power.sta_power import rtl_profile, sta_power  # noqa: E402
from rtlgen.synth.power.waves import Dump  # noqa: E402
from rtlgen.synth.sta import clock_ports, run_sta  # noqa: E402
from rtlgen.synth.yosys import run_flow  # noqa: E402
from rtlgen.tools.run import unwind_on_sigterm  # noqa: E402
from rtlgen.verify.api import verify  # noqa: E402

SIM_TIMEOUT_S = 300
READ_BACK_PERIODS = 10**6  # OpenSTA's rates become toggle counts over this many clock periods
# After a first report (activities propagated): every instance pin's activity, then per-arc energies.
READ_BACK = """report_power > /dev/null
foreach rtlgen_pin [get_pins */*] {
  puts "RTLGEN_PIN [get_full_name $rtlgen_pin] [get_property $rtlgen_pin activity]"
}"""
_PIN = re.compile(r"^RTLGEN_PIN c_(\d+)/(\S+) (\S+) (\S+) \S+$", re.MULTILINE)


def stimulus_dump(problem: Problem, workdir: Path) -> Path:
    """The auto testbench's RTL dump of the reference design (its stimulus drives the gate simulation)."""
    result = verify(problem.reference, problem.spec, checks=("autotb",), waves=True, workdir=workdir)
    check = next(c for c in result.checks if c.check == "autotb")
    if check.verdict != "pass" or "vcd" not in check.artifacts:
        raise RuntimeError(f"auto testbench {check.verdict}: {check.failure_class or check.message[:200]}")
    return Path(check.artifacts["vcd"])


def _inferred_when(function: Expr, port: str) -> Expr | None:
    """OpenSTA 2.0.17's ``Power::inferedWhen``: the condition under which ``port`` drives the function."""
    kind = function[0]
    if kind == "var":
        return ("const", True) if function[1] == port else None
    if kind == "not":
        return _inferred_when(function[1], port)
    for mine, other in ((function[1], function[2]), (function[2], function[1])) if kind in ("and", "or", "xor") else ():
        if mine in (("var", port), ("not", ("var", port))):
            return other if kind == "and" else ("not", other)
    return None


def _duty_2017(group: Any, function: Expr | None, bits: tuple[Any, Any], toggles: Any, high: dict[str, float],
               clocks: set[int]) -> float:
    """The duty OpenSTA 2.0.17 weights an internal-power arc with (``Power::findInternalPower``)."""
    from_bit, to_bit = bits
    inferred = _inferred_when(function, group.related_pin) if function and group.related_pin and not group.when \
        else None
    if inferred is not None:
        to = toggles(to_bit)
        return toggles(from_bit) / to * probability(inferred, high) if to else 0.0
    if group.when:
        return energy._p(group.when, high)
    return 1.0 if from_bit in clocks else 0.5


def opensta_2017_power(activity: GateActivity, library: PowerLibrary, netlist: dict[str, Any],
                       clocks: set[int]) -> tuple[float, float, float]:
    """(internal, switching, leakage) watts with OpenSTA 2.0.17's rule (see the module docstring) on rtlgen's
    loads, slews and tables: the pricing half of the cross-check, reading rtlgen's internals on purpose."""
    view = energy._read_netlist(netlist, activity.top, library)
    loads = energy._loads(view, library)
    ctx = energy._Context(energy._Activity(activity), library, loads, energy._slews(view, loads))
    seconds = activity.duration_ns * 1e-9
    internal = sum(_internal_2017(inst, ctx, clocks) for inst in view.instances) * library.units.energy
    switching = sum(energy._switching_j(inst, ctx) for inst in view.instances)
    leakage = sum(inst.cell.leakage * library.units.leakage_power if inst.cell.leakage is not None
                  else energy._leakage_w(inst, ctx) for inst in view.instances)
    return internal / seconds, switching / seconds, leakage


def _internal_2017(inst: Any, ctx: Any, clocks: set[int]) -> float:
    high = energy._pin_high(inst, ctx.activity)
    total = 0.0
    for pin in inst.cell.pins.values():
        to_bit = inst.bits.get(pin.name)
        load = ctx.loads.get(to_bit, 0.0) if pin.direction == "output" else 0.0
        function = parse_expr(pin.function) if pin.function else None
        for group in pin.internal_power if to_bit is not None else ():
            from_bit = inst.bits.get(group.related_pin or pin.name)
            if from_bit is None:
                continue
            rise, fall = ctx.slew(from_bit)
            duty = _duty_2017(group, function, (from_bit, to_bit), ctx.activity.toggles, high, clocks)
            tables = sum(t.at(s, load) for t, s in ((group.rise, rise), (group.fall, fall)) if t is not None)
            total += tables * duty * ctx.activity.toggles(to_bit)
    return total


def _clock_bits(netlist: dict[str, Any], top: str, lib: Liberty, library: PowerLibrary) -> set[int]:
    """Bits OpenSTA treats as clock network: from the clock ports through combinational arcs (clock gates
    included, flip-flops not), where it prices every pin at 2 transitions per period, duty 1/2."""
    module = netlist["modules"][top]
    bits = {module["ports"][p]["bits"][0] for p in clock_ports(netlist, top, lib)}
    cells = [(library.cells[c["type"]], c["connections"]) for c in module["cells"].values()
             if c["type"] in library.cells]
    grew = True
    while grew:
        grew = False
        for cell, conns in cells:
            for pin in cell.pins.values():
                out = conns.get(pin.name, [None])[0]
                if out in bits or pin.direction != "output":
                    continue
                if any(a.timing_type.startswith("combinational") and conns.get(a.related_pin, [None])[0] in bits
                       for a in pin.timing):
                    bits.add(out)
                    grew = True
    return bits


def sta_activity(log: str, netlist: dict[str, Any], gate: GateActivity, clock_ns: float,
                 clocks: set[int]) -> GateActivity:
    """The activity OpenSTA priced, per JSON bit (from a driving pin when it has one), as a GateActivity.
    OpenSTA keeps rates per second (``set_power_activity`` gives them per clock period)."""
    cells = list(netlist["modules"][gate.top]["cells"].values())
    per_bit: dict[int, tuple[bool, float, float]] = {}
    for m in _PIN.finditer(log):
        bits = cells[int(m.group(1))]["connections"].get(m.group(2))
        if not bits or not isinstance(bits[0], int):
            continue
        driver = cells[int(m.group(1))].get("port_directions", {}).get(m.group(2)) == "output"
        if driver or bits[0] not in per_bit:
            per_bit[bits[0]] = (driver, float(m.group(3)), float(m.group(4)))
    duration = READ_BACK_PERIODS * clock_ns
    activity = {bit: BitActivity(round(rate * clock_ns * 1e-9 * READ_BACK_PERIODS), duty * duration)
                for bit, (_, rate, duty) in per_bit.items()}
    activity.update({bit: BitActivity(2 * READ_BACK_PERIODS, duration / 2) for bit in clocks})
    return GateActivity(gate.netlist_json, gate.top, duration, READ_BACK_PERIODS, "opensta-propagated", activity)


def measure(problem: Problem, lib: Liberty, clock_ns: float, workdir: Path) -> dict[str, Any]:
    """One design on one liberty: every column of the table."""
    top = problem.reference.top
    library = read_power_library(lib)
    ys = run_flow(problem.reference.rtl, top, load_flow("yosys"), lib, clock_ns, workdir / "synth")
    netlist = json.loads(ys.netlist_json.read_text())
    clocks = clock_ports(netlist, top, lib)
    dump = stimulus_dump(problem, workdir)
    start, cpu = time.monotonic(), _cpu_s()
    gate = simulate(ys.netlist_json, top, library, Stimulus(dump, "dut", clocks[0] if clocks else None, clock_ns),
                    workdir / "gatesim", timeout=SIM_TIMEOUT_S)
    sim_s = time.monotonic() - start
    ours = price(gate, library, netlist)
    gate_s, gate_cpu_s = time.monotonic() - start, _cpu_s() - cpu
    cpu = _cpu_s()
    sta = sta_power(gate, lib, netlist, clock_ns, workdir / "sta")
    sta_cpu_s = _cpu_s() - cpu
    probe = sta_power(gate, lib, netlist, clock_ns, workdir / "sta-probe", power_setup=READ_BACK)
    clock_bits = _clock_bits(netlist, top, lib, library)
    used = sta_activity(probe.log, netlist, gate, clock_ns, clock_bits)
    priced = price(used, library, netlist)
    rule = opensta_2017_power(used, library, netlist, clock_bits)
    rtl = json.loads(ys.rtl_json.read_text())["modules"][top]
    rtl_rates = rtl_profile(Dump(dump), "dut", rtl, clocks[0] if clocks else None, clock_ns)
    today = run_sta(lib, ys.netlist, top, clock_ns, clocks, activity=rtl_rates)
    return {"cells": len(netlist["modules"][top]["cells"]), "cycles": gate.cycles, "gate_w": ours.total.total_w,
            "gate_internal_w": ours.total.internal_w, "gate_switching_w": ours.total.switching_w,
            "gate_leakage_w": ours.total.leakage_w, "gate_clock_w": ours.groups["clock"].total_w,
            "sta_w": sta.total_w, "sta_internal_w": sta.internal_w, "sta_switching_w": sta.switching_w,
            "sta_leakage_w": sta.leakage_w, "priced_w": priced.total.total_w, "rule_w": sum(rule),
            "rule_internal_w": rule[0], "rule_switching_w": rule[1], "rule_leakage_w": rule[2],
            "priced_internal_w": priced.total.internal_w, "priced_switching_w": priced.total.switching_w,
            "priced_leakage_w": priced.total.leakage_w, "rtl_vcd_w": today.total_w, "gate_s": gate_s,
            "price_s": gate_s - sim_s,
            "sta_s": sta.seconds, "gate_cpu_s": gate_cpu_s, "sta_cpu_s": sta_cpu_s, "unpriced": list(ours.unpriced)}


def _cpu_s() -> float:
    """CPU seconds of this process and of its finished tool runs."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def _pct(a: float | None, b: float | None) -> float | None:
    return None if a is None or not b else 100.0 * (a - b) / b


def table(rows: list[dict[str, Any]]) -> pd.DataFrame:
    df = pd.DataFrame(rows)
    if df.empty or "gate_w" not in df:
        return df
    df["gate_vs_sta_pct"] = [_pct(a, b) for a, b in zip(df["gate_w"], df["sta_w"])]
    df["rule_pct"] = [_pct(a, b) for a, b in zip(df["rule_w"], df["sta_w"])]
    df["priced_pct"] = [_pct(a, b) for a, b in zip(df["priced_w"], df["sta_w"])]
    df["rtl_vcd_vs_gate_pct"] = [_pct(a, b) for a, b in zip(df["rtl_vcd_w"], df["gate_w"])]
    df["speed_ratio"] = df["gate_s"] / df["sta_s"]
    return df


def _load_results(path: Path) -> dict[tuple[str, str, str], dict[str, Any]]:
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()] if path.is_file() else []
    return {(r["suite"], r["design"], r["liberty"]): r for r in rows}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--suite", default="rtllm", help="verilog-eval, rtllm, rtl-opt or a suite folder")
    parser.add_argument("--liberty", default="nangate45")
    parser.add_argument("--clock-period", dest="clock_ns", type=float, default=10.0)
    parser.add_argument("--only", default=None, help="comma-separated design names")
    parser.add_argument("--results", default="out/power_agreement.jsonl")
    parser.add_argument("--force", action="store_true", help="measure designs that already have a result again")
    args = parser.parse_args()
    suite, lib = load(args.suite), resolve_liberty(args.liberty)
    results_path = Path(args.results)
    results_path.parent.mkdir(parents=True, exist_ok=True)
    done = _load_results(results_path)
    wanted = set(args.only.split(",")) if args.only else None
    rows = []
    for problem in suite.problems:
        key = (suite.name, problem.label, lib.name)
        if problem.reference is None or (wanted and problem.label not in wanted):
            continue
        if args.force or key not in done:
            with tempfile.TemporaryDirectory(prefix="power-agreement-", dir=cache_dir()) as tmp:
                try:
                    row = measure(problem, lib, args.clock_ns, Path(tmp))
                except Exception as exc:  # noqa: BLE001 -- a failed design is a row of the table, not the end
                    row = {"error": f"{type(exc).__name__}: {str(exc).strip().splitlines()[0][:200]}"}
            done[key] = {"suite": key[0], "design": key[1], "liberty": key[2], "clock_ns": args.clock_ns, **row}
            with results_path.open("a") as fh:
                fh.write(json.dumps(done[key]) + "\n")
        rows.append(done[key])
        print(f"{problem.label}: {rows[-1].get('error') or 'ok'}", flush=True)
    df = table(rows)
    columns = [c for c in ("design", "cells", "cycles", "gate_w", "sta_w", "gate_vs_sta_pct", "rule_w", "rule_pct",
                           "priced_w", "priced_pct", "rtl_vcd_w", "rtl_vcd_vs_gate_pct", "gate_s", "sta_s",
                           "gate_cpu_s", "sta_cpu_s", "error") if c in df]
    with pd.option_context("display.width", 250, "display.max_columns", 30, "display.float_format", "{:.4g}".format):
        print(f"\nrtlgen gate-level power vs OpenSTA 2.0.17 on {suite.name}, {lib.label}, clock {args.clock_ns:g} ns")
        print(df[columns].to_string(index=False))
    if "rule_pct" in df:
        ok = df.dropna(subset=["rule_pct"])
        print(f"\nsame rule within ±5 %: {(ok['rule_pct'].abs() <= 5).sum()}/{len(ok)}; gate vs OpenSTA within "
              f"±5 %: {(ok['gate_vs_sta_pct'].abs() <= 5).sum()}/{len(ok)}; median seconds: gate sim + pricing "
              f"{statistics.median(ok['gate_s']):.3f}, OpenSTA power run {statistics.median(ok['sta_s']):.3f}")
        cpu = ok.dropna(subset=["gate_cpu_s"]) if "gate_cpu_s" in ok else ok.iloc[0:0]
        if len(cpu):
            print(f"median CPU seconds ({len(cpu)} designs): gate sim + pricing "
                  f"{statistics.median(cpu['gate_cpu_s']):.3f}, OpenSTA power run "
                  f"{statistics.median(cpu['sta_cpu_s']):.3f}")
    return 0


if __name__ == "__main__":
    unwind_on_sigterm()
    sys.exit(main())
