"""Gate-level simulation of a mapped netlist under the inputs of the design's own RTL simulation.

The RTL dump (the auto testbench's, or any VCD/FST with the design's instance) gives each input port's value
changes; they are replayed, at the same times, on the mapped netlist written back from its Yosys JSON with
one wire per JSON bit (``b_<bit>``) and the liberty cells modelled from their own groups (``cells.py``).
Icarus (4-state: a flip-flop is x until its reset, and x is neither 0 nor 1) dumps every wire of the
netlist; pywellen reads the dump back into a ``GateActivity`` keyed by the JSON's bit numbers, the value the
pricing reads. Zero-delay: each cell switches at most once per input change, glitches are not simulated.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rtlgen.errors import SynthError, ToolFailed
from rtlgen.synth.power import GateActivity
from rtlgen.synth.power.cells import cell_models
from rtlgen.synth.power.library import PowerLibrary
from rtlgen.synth.power.waves import Dump, Value, WaveError, bit_activity
from rtlgen.synth.render import render
from rtlgen.tools.registry import find
from rtlgen.tools.run import run
from rtlgen.verify.simulators import Build, Icarus

MODULE = "rtlgen_gates"
BENCH = "rtlgen_gatesim"
DUMP_SCOPE = "dut"
DELAY_BITS = 64
_PORT_BIT = re.compile(r"^(?P<base>.+)\[(?P<index>\d+)\]$")
_CONSTANT = {"0": "1'b0", "1": "1'b1", "x": "1'bx", "z": "1'bz"}


@dataclass(frozen=True)
class Stimulus:
    """The RTL simulation whose inputs are replayed: its dump, the design's instance in it, the clock port
    (None: combinational; cycles are then the duration over ``clock_ns``)."""

    dump: Path
    scope: str
    clock: str | None
    clock_ns: float


@dataclass(frozen=True)
class InputBit:
    """One input bit of the netlist: its JSON bit number and the RTL port bit it comes from."""

    bit: int
    port: str
    index: int


def input_bits(module: dict[str, Any]) -> list[InputBit]:
    """The top's input bits; ``splitnets -ports`` names each bit of a vector port ``name[index]``."""
    found = []
    for name, port in module["ports"].items():
        if port["direction"] != "input":
            continue
        match = _PORT_BIT.match(name)
        base, first = (match["base"], int(match["index"])) if match else (name, port.get("offset", 0))
        found += [InputBit(bit, base, first + i) for i, bit in enumerate(port["bits"]) if isinstance(bit, int)]
    return found


def _net(bits: list[int | str]) -> str:
    """A cell pin's connection as Verilog: one JSON bit, a constant, or their concatenation (msb first)."""
    names = [f"b_{b}" if isinstance(b, int) else _CONSTANT[b] for b in reversed(bits)]
    return names[0] if len(names) == 1 else "{" + ", ".join(names) + "}"


def write_netlist(module: dict[str, Any], top: str, source: str, inputs: list[InputBit]) -> str:
    """The netlist as Verilog with one wire per JSON bit; the inputs are the module's ports."""
    ports = [b.bit for b in inputs]
    used = {b for cell in module["cells"].values() for bits in cell["connections"].values() for b in bits
            if isinstance(b, int)}
    used |= {b for port in module["ports"].values() for b in port["bits"] if isinstance(b, int)}
    cells = [{"type": cell["type"], "pins": [(pin, _net(bits)) for pin, bits in sorted(cell["connections"].items())]}
             for _, cell in sorted(module["cells"].items())]
    return render("gatesim_netlist.v.j2", source=source, top=top, module=MODULE, inputs=ports,
                  wires=sorted(used - set(ports)), cells=cells)


def _bit_value(value: Value, width: int, offset: int) -> str:
    """Bit ``offset`` (0 = lsb) of a dumped value as '0', '1', 'x' or 'z'."""
    if isinstance(value, int):
        return str((value >> offset) & 1)
    text = value.lower()
    text = text.rjust(width, "0" if text[:1] in "01" else text[:1])  # VCD left-extension
    return text[width - 1 - offset] if offset < width else "x"


def _steps(dump: Dump, scope: str, inputs: list[InputBit]) -> tuple[list[tuple[int, str]], int]:
    """Every time an input changes, with the whole input vector then (first input bit last), and the dump's end."""
    found = dump.scope(scope)
    missing = sorted({b.port for b in inputs} - set(found))
    if missing:
        raise WaveError(f"{dump.path}: scope '{scope}' has no signal {', '.join(missing)}: the dump must hold the "
                        "design's instance with its ports (dump it with $dumpvars(0, <instance>))")
    lsb = {port: min(b.index for b in inputs if b.port == port) for port in {b.port for b in inputs}}
    changes = {port: Dump.changes(found[port]) for port in lsb}
    end = max((c[-1][0] for c in map(Dump.changes, found.values()) if c), default=0)
    times = sorted({time for cs in changes.values() for time, _ in cs})
    current: dict[str, Value] = {port: "x" for port in lsb}
    cursor = dict.fromkeys(lsb, 0)
    steps = []
    for time in times:
        for port, cs in changes.items():
            while cursor[port] < len(cs) and cs[cursor[port]][0] <= time:
                current[port] = cs[cursor[port]][1]
                cursor[port] += 1
        vector = "".join(_bit_value(current[b.port], found[b.port].bitwidth, b.index - lsb[b.port])
                         for b in reversed(inputs))
        steps.append((time, vector))
    return steps, end


def _write_bench(workdir: Path, steps: list[tuple[int, str]], end: int, unit: str, source: str,
                 inputs: list[InputBit]) -> None:
    lines, previous = [], 0
    for time, vector in steps:
        lines.append(format(time - previous, f"0{DELAY_BITS}b") + vector)
        previous = time
    (workdir / "steps.mem").write_text("\n".join(lines) + "\n")
    (workdir / "bench.v").write_text(render(
        "gatesim_bench.v.j2", source=source, steps="steps.mem", delay_bits=DELAY_BITS, unit=unit, bench=BENCH,
        width=len(inputs), count=len(steps), module=MODULE, inputs=[b.bit for b in inputs], dump="gates.vcd",
        tail=max(0, end - previous)))


def _cycles(dump: Dump, stimulus: Stimulus, end_ns: float) -> int:
    """Rising edges of the clock port in the RTL dump; a combinational design's duration over the period."""
    if stimulus.clock is None:
        return max(1, round(end_ns / stimulus.clock_ns))
    var = dump.scope(stimulus.scope).get(stimulus.clock)
    values = [v for _, v in Dump.changes(var)] if var is not None else []
    return sum(1 for a, b in zip(values, values[1:]) if a == 0 and b == 1)


def simulate(netlist_json: Path, top: str, library: PowerLibrary, stimulus: Stimulus, workdir: Path, *,
             timeout: float) -> GateActivity:
    """Simulate the mapped netlist under ``stimulus``'s inputs; per JSON bit its toggles and time at 1.

    Raises WaveError for an unusable RTL dump, SynthError(stage='gatesim') when Icarus fails.
    """
    module = json.loads(netlist_json.read_text())["modules"][top]
    inputs = input_bits(module)
    if not inputs:
        raise WaveError(f"{top}: the netlist has no input to replay the stimulus on")
    rtl = Dump(stimulus.dump)
    steps, end = _steps(rtl, stimulus.scope, inputs)
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "gates.v").write_text(write_netlist(module, top, netlist_json.name, inputs))
    (workdir / "cells.v").write_text(cell_models(library, {cell["type"] for cell in module["cells"].values()}))
    _write_bench(workdir, steps, end, rtl.timescale, stimulus.dump.name, inputs)
    _run_icarus(workdir, timeout)
    gates = Dump(workdir / "gates.vcd")
    wires = gates.scope(DUMP_SCOPE)
    bits = {int(name[2:]): bit_activity(Dump.changes(var), end, gates.unit_ns)
            for name, var in wires.items() if name.startswith("b_")}
    duration_ns = end * rtl.unit_ns
    return GateActivity(str(netlist_json), top, duration_ns, _cycles(rtl, stimulus, duration_ns),
                        f"gate-sim({stimulus.dump})", bits)


def _run_icarus(workdir: Path, timeout: float) -> None:
    sim = Icarus()
    build = Build((workdir / "bench.v", workdir / "gates.v", workdir / "cells.v"), BENCH, workdir)
    try:
        sim.build(build, timeout=timeout)
        run([find("vvp"), "-n", str(sim.sim_file(build))], timeout=timeout, cwd=workdir)
    except ToolFailed as exc:
        raise SynthError(list(exc.cmd), exc.returncode, exc.stdout, exc.stderr, exc.error_lines,
                         stage="gatesim") from None
