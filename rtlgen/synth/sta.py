"""Timing and power of a mapped netlist with OpenSTA (``sta``), from a rendered Tcl script.

Sequential designs get a clock on the ports that drive flip-flop clock pins; combinational ones a
virtual clock, so input-to-output paths are timed. Activity: measured per-net rates from a VCD when
given, else the documented vectorless default on every input (propagated through the logic).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from pathlib import Path

from rtlgen.errors import SynthError, ToolFailed
from rtlgen.synth.liberty import Liberty
from rtlgen.synth.render import render
from rtlgen.tools.registry import find
from rtlgen.tools.run import run
from rtlgen.tools.yosys import pin_bits

DEFAULT_ACTIVITY = 0.1  # transitions per clock cycle on each input without a measured rate
DEFAULT_DUTY = 0.5
SCRIPT_FILE = "sta.tcl"

_ARRIVAL = re.compile(r"^\s*(-?[\d.]+)\s+data arrival time", re.MULTILINE)
_SLACK = re.compile(r"^\s*(-?[\d.]+)\s+slack \((MET|VIOLATED)\)", re.MULTILINE)
_POINT = re.compile(r"^(Startpoint|Endpoint|Path Group): (\S+)", re.MULTILINE)
_TOTAL = re.compile(r"^Total\s+([-\d.eE+]+)\s+([-\d.eE+]+)\s+([-\d.eE+]+)\s+([-\d.eE+]+)", re.MULTILINE)
_MATCHED = re.compile(r"^RTLGEN_ACTIVITY (\d+) (\d+)", re.MULTILINE)
_UNDERFLOW = re.compile(r"^RTLGEN_UNDERFLOW \d+ ?(.*)$", re.MULTILINE)


@dataclass(frozen=True)
class NetActivity:
    activity: float  # transitions per clock period
    duty: float      # fraction of the time at 1


@dataclass(frozen=True)
class ActivityProfile:
    """Measured activity OpenSTA is given, by the netlist's net names (``set_power_pin_activity`` on each of the
    net's pins, ``set_power_input_port_activity`` on an input port); OpenSTA propagates the rest."""

    nets: dict[str, NetActivity] = field(default_factory=dict)


@dataclass(frozen=True)
class StaResult:
    arrival_ns: float | None
    slack_ns: float | None
    startpoint: str | None
    endpoint: str | None
    path_group: str | None
    internal_w: float
    switching_w: float
    leakage_w: float
    total_w: float
    nets_annotated: int
    nets_given: int
    seconds: float
    log: str
    # cells whose internal power OpenSTA 2.0.17 made Inf or NaN (an output activity that underflowed), each priced
    # from its finite arcs: that output makes under 1e-38 transitions a period (see templates/sta.tcl.j2)
    underflow_cells: tuple[str, ...] = ()


def clock_ports(netlist: dict[str, Any], top: str, liberty: Liberty) -> list[str]:
    """Top-level inputs that reach a flip-flop or latch clock pin (by the liberty's ``clocked_on``), directly or
    through single-input cells (the inverter a falling-edge flip-flop gets in a library without one) and
    integrated clock-gating cells (from their clock pin to their gated clock).

    ``netlist`` is Yosys's ``write_json`` of the mapped design: ports and cell connections as bit numbers.
    """
    module = netlist["modules"][top]
    inputs = {bit: name for name, port in module["ports"].items() if port["direction"] == "input"
              for bit in port["bits"]}
    driver_input: dict[int, int] = {}  # output bit of a single-input cell or clock gate -> its (clock) input bit
    for cell in module["cells"].values():
        gate = liberty.cells[cell["type"]].clock_gate if cell["type"] in liberty.cells else None
        if gate and cell["connections"].get(gate.clock) and cell["connections"].get(gate.output):
            driver_input[cell["connections"][gate.output][0]] = cell["connections"][gate.clock][0]
            continue
        ins = pin_bits(cell, "input")
        if len(ins) == 1:
            driver_input.update({b: ins[0] for b in pin_bits(cell, "output")})
    found: dict[str, None] = {}
    for cell in module["cells"].values():
        info = liberty.cells.get(cell["type"])
        if not info or not info.sequential or info.clock_gate:
            continue
        for pin, bits in cell["connections"].items():
            if pin not in info.clock_pins:
                continue
            for bit in bits:
                for _ in range(8):  # a buffer/inverter chain, never a loop
                    if bit in inputs or bit not in driver_input:
                        break
                    bit = driver_input[bit]
                if bit in inputs:
                    found[inputs[bit]] = None
    return list(found)


def render_sta(liberty: Liberty, netlist: Path, top: str, clock_ns: float, clocks: list[str],
               activity: ActivityProfile | None, power_setup: str = "") -> str:
    rates = []
    if activity is not None:
        rates = [(name, a.activity, a.duty) for name, a in sorted(activity.nets.items()) if name not in clocks]
    return render("sta.tcl.j2", liberty=liberty.plain_path, netlist=netlist.name, top=top, clock_ns=clock_ns,
                  clock_ports=clocks, default_activity=DEFAULT_ACTIVITY, default_duty=DEFAULT_DUTY,
                  activities=rates, power_setup=power_setup)


def _section(log: str, name: str) -> str:
    start = log.find(f"RTLGEN_SECTION {name}")
    end = log.find("RTLGEN_SECTION", start + 1) if start >= 0 else -1
    return log[start:end if end >= 0 else None] if start >= 0 else ""


def _worst_path(timing: str) -> dict:
    """The path with the least slack among those report_checks printed (one per path group:
    the clock's setup paths and the asynchronous recovery/removal checks)."""
    worst: dict = {}
    for block in re.split(r"(?m)^(?=Startpoint: )", timing):
        arrival, slack = _ARRIVAL.search(block), _SLACK.search(block)
        if not slack:
            continue
        path = {**dict(_POINT.findall(block)), "slack": float(slack.group(1)),
                "arrival": float(arrival.group(1)) if arrival else None}
        if not worst or path["slack"] < worst["slack"]:
            worst = path
    return worst


def parse_sta(log: str, seconds: float, nets_given: int) -> StaResult:
    timing, power = _section(log, "timing"), _section(log, "power")
    worst = _worst_path(timing)
    total = _TOTAL.search(power)
    if not total:
        raise ValueError("OpenSTA printed no power report")
    matched, underflow = _MATCHED.search(log), _UNDERFLOW.search(power)
    return StaResult(worst.get("arrival"), worst.get("slack"), worst.get("Startpoint"), worst.get("Endpoint"),
                     worst.get("Path Group"), *(float(total.group(i)) for i in range(1, 5)),
                     int(matched.group(1)) if matched else 0, nets_given, seconds, log,
                     tuple(underflow.group(1).split()) if underflow else ())


def run_sta(liberty: Liberty, netlist: Path, top: str, clock_ns: float, clocks: list[str], *,
            activity: ActivityProfile | None = None, power_setup: str = "", timeout: float = 120) -> StaResult:
    """Time and power ``netlist`` with a clock on ``clocks`` (virtual if empty). Raises SynthError(stage='sta').

    ``power_setup`` is Tcl run just before the power report, for studies of OpenSTA's power model
    (benchmarks/sta_clock_gating.py); what it prints is in the result's ``log``.
    """
    script = render_sta(liberty, netlist, top, clock_ns, clocks, activity, power_setup)
    workdir = netlist.parent
    (workdir / SCRIPT_FILE).write_text(script)
    cmd = [find("sta"), "-no_splash", "-exit", SCRIPT_FILE]
    try:
        res = run(cmd, timeout=timeout, cwd=workdir)
    except ToolFailed as exc:
        raise SynthError(list(exc.cmd), exc.returncode, exc.stdout, exc.stderr, exc.error_lines, stage="sta") from None
    errors = [ln for ln in res.output.splitlines() if ln.startswith("Error")]
    nets_given = 0 if activity is None else sum(1 for n in activity.nets if n not in clocks)
    try:
        if errors:
            raise ValueError("OpenSTA reported errors")
        return parse_sta(res.output, res.seconds, nets_given)
    except ValueError as exc:
        raise SynthError(cmd, res.returncode, res.stdout, res.stderr, errors or [str(exc)], stage="sta") from None
