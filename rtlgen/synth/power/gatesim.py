"""Gate-level simulation of a mapped netlist under the inputs of the design's own RTL simulation.

The RTL dump (the auto testbench's, or any VCD/FST with the design's instance) gives each input port's value
changes; they are replayed, at the same times, on the mapped netlist written back from its Yosys JSON with
one wire per JSON bit (``b_<bit>``) and the liberty cells modelled from their own groups (``cells.py``).
Icarus (4-state: a flip-flop is x until its reset, and x is neither 0 nor 1) runs the replay; the bench writes
every net's settled value once per input change (what a VCD dumper records at the end of each time step, without
a value-change callback per net) and numpy counts the toggles and the time at 1 of every column at once into a
``GateActivity`` keyed by the JSON's bit numbers, the value the pricing reads. Zero-delay: each cell switches at
most once per input change, glitches are not simulated.
"""
from __future__ import annotations

import json
import re
import statistics
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from rtlgen.errors import ConfigError, SynthError, ToolFailed
from rtlgen.spec.model import Candidate, Spec
from rtlgen.synth.power import BitActivity, GateActivity
from rtlgen.synth.power.cells import cell_models
from rtlgen.synth.power.library import PowerLibrary
from rtlgen.synth.power.netlist import netlist_bits, write_bit_netlist
from rtlgen.synth.power.waves import Dump, Value, WaveError, bit_value, last_change, rising_edges
from rtlgen.synth.render import render
from rtlgen.tools.registry import find
from rtlgen.tools.run import run
from rtlgen.verify.autotb import run_autotb
from rtlgen.verify.lint import check_interface
from rtlgen.verify.simulators import Build, Icarus

MODULE = "rtlgen_gates"
BENCH = "rtlgen_gatesim"
SAMPLES = "samples.txt"  # every net's value at each input change, one line per step
DELAY_BITS = 64
BENCH_UNIT, PS_PER_NS = "1ps", 1000  # the replay bench's time unit
NS_PER_PS = 1 / PS_PER_NS
_PORT_BIT = re.compile(r"^(?P<base>.+)\[\d+\]$")


@dataclass(frozen=True)
class Stimulus:
    """The RTL simulation whose inputs are replayed: its dump, the design's instance in it, the clock port
    (None: combinational; cycles are then the duration over ``clock_ns``) and what the user knows it as, shown
    beside every power figure (None: the dump's path; a dump the user never saw needs a name, e.g. the spec's
    auto testbench)."""

    dump: Path
    scope: str
    clock: str | None
    clock_ns: float
    label: str | None = None


@dataclass(frozen=True)
class InputBit:
    """One input bit of the netlist: its JSON bit number, the RTL port it comes from and its place in that port
    counted from the lsb (plus the port's start offset)."""

    bit: int
    port: str
    index: int


def input_bits(module: dict[str, Any]) -> list[InputBit]:
    """The top's input bits. ``splitnets -ports`` names each bit of a vector port ``name[index]`` by its declared
    index, which counts from the msb for an ascending range (``[0:7]``: ``a[0]`` is the msb); its ``offset`` is
    the bit's place from the lsb plus the vector's start offset whichever way the range runs, the order in which
    a dumped value's digits are read."""
    found = []
    for name, port in module["ports"].items():
        if port["direction"] != "input":
            continue
        match = _PORT_BIT.match(name)
        base, first = match["base"] if match else name, port.get("offset", 0)
        found += [InputBit(bit, base, first + i) for i, bit in enumerate(port["bits"]) if isinstance(bit, int)]
    return found


@dataclass(frozen=True)
class Replay:
    """The input vector at every time an input changes (first input bit last), the end of the run, in picoseconds
    after rescaling to the target's clock period, and the clock cycles it covers. Picoseconds, not the dump's own
    unit: a coarse dump unit (Icarus's default 1 s) would round every rescaled time to 0."""

    steps: list[tuple[int, str]]
    end: int
    cycles: int


def _segments(changes: list[tuple[int, Value]], width: int, bits: list[InputBit], lsb: int) -> list[tuple[int, str]]:
    """A port's value at each change as the string of its netlist input bits, last bit first."""
    return [(time, "".join(bit_value(value, width, b.index - lsb) for b in reversed(bits))) for time, value in changes]


def _replay(dump: Dump, stimulus: Stimulus, inputs: list[InputBit]) -> Replay:
    """The stimulus' input changes; a clocked run's times are scaled so that its clock period (the median gap
    between rising edges) becomes ``stimulus.clock_ns``: the same cycles, priced at the target's frequency."""
    found = dump.scope(stimulus.scope)
    ports = {b.port: [i for i in inputs if i.port == b.port] for b in inputs}  # in the order of ``inputs``
    missing = sorted(set(ports) - set(found))
    if missing:
        raise WaveError(f"{dump.path}: scope '{stimulus.scope}' has no signal {', '.join(missing)}: the dump must "
                        "hold the design's instance with its ports (dump it with $dumpvars(0, <instance>))")
    changes = {port: Dump.changes(found[port]) for port in ports}
    end = last_change(map(Dump.changes, found.values()))
    rises = rising_edges(changes[stimulus.clock]) if stimulus.clock in changes else None
    scale = dump.unit_ns * PS_PER_NS  # dump units to picoseconds
    if rises and len(rises) > 1:
        scale = stimulus.clock_ns * PS_PER_NS / statistics.median(b - a for a, b in zip(rises, rises[1:]))
    events = sorted((time, slot, text) for slot, (port, bits) in enumerate(ports.items())
                    for time, text in _segments(changes[port], found[port].bitwidth, bits,
                                                min(b.index for b in bits)))
    current = ["x" * len(bits) for bits in ports.values()]
    steps: list[tuple[int, str]] = []
    for i, (time, slot, text) in enumerate(events):
        current[slot] = text
        if i + 1 == len(events) or events[i + 1][0] != time:
            steps.append((round(time * scale), "".join(reversed(current))))
    cycles = len(rises) if rises is not None else max(1, round(end * dump.unit_ns / stimulus.clock_ns))
    return Replay(steps, round(end * scale), cycles)


def _write_bench(workdir: Path, replay: Replay, source: str, inputs: list[InputBit], nets: list[int]) -> None:
    lines, previous = [], 0
    for time, vector in replay.steps:
        lines.append(format(time - previous, f"0{DELAY_BITS}b") + vector)
        previous = time
    (workdir / "steps.mem").write_text("\n".join(lines) + "\n")
    (workdir / "bench.v").write_text(render(
        "gatesim_bench.v.j2", source=source, steps="steps.mem", delay_bits=DELAY_BITS, unit=BENCH_UNIT,
        bench=BENCH, width=len(inputs), count=len(replay.steps), module=MODULE, inputs=[b.bit for b in inputs],
        nets=nets, samples=SAMPLES, tail=max(0, replay.end - previous)))


def sampled_activity(samples: Path, replay: Replay, nets: list[int]) -> dict[int, BitActivity]:
    """Per net, its 0<->1 transitions between consecutive samples and its time at 1. Sample k holds the values
    from the previous input change (or time 0) until step k's; the last one until the end of the run. A sample
    before the last that lasted no time (a step at time 0, or two steps rounded to the same picosecond) is one a
    VCD would not hold either: its values were replaced within the same time step."""
    starts = [0] + [time for time, _ in replay.steps]
    ends = starts[1:] + [replay.end]
    rows = np.frombuffer(samples.read_bytes(), dtype=np.uint8).reshape(len(starts), len(nets) + 1)[:, :-1]
    lasted = np.array(ends, dtype=np.int64) - np.array(starts, dtype=np.int64)
    held = lasted > 0
    held[-1] = True  # the values the run ends with, however briefly
    rows, lasted = rows[held], lasted[held]
    low, high = rows == ord("0"), rows == ord("1")
    toggles = ((low[:-1] & high[1:]) | (high[:-1] & low[1:])).sum(axis=0)
    high_ps = (high * lasted[:, None]).sum(axis=0)
    return {bit: BitActivity(int(t), int(h) * NS_PER_PS) for bit, t, h in zip(nets, toggles, high_ps)}


def simulate(netlist_json: Path, top: str, library: PowerLibrary, stimulus: Stimulus, workdir: Path, *,
             timeout: float) -> GateActivity:
    """Simulate the mapped netlist under ``stimulus``'s inputs; per JSON bit its toggles and time at 1.

    Raises WaveError for an unusable RTL dump, CellModelError for a cell that cannot be modelled,
    SynthError(stage='gatesim') when Icarus fails.
    """
    module = json.loads(netlist_json.read_text())["modules"][top]
    inputs = input_bits(module)  # none: the netlist runs on its own for the stimulus' duration
    rtl = Dump(stimulus.dump)
    replay = _replay(rtl, stimulus, inputs)
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "gates.v").write_text(write_bit_netlist(module, MODULE, netlist_json.name, ("input",)))
    (workdir / "cells.v").write_text(cell_models(library, {cell["type"] for cell in module["cells"].values()}))
    nets = netlist_bits(module)
    _write_bench(workdir, replay, stimulus.dump.name, inputs, nets)
    _run_icarus(workdir, timeout)
    activity = sampled_activity(workdir / SAMPLES, replay, nets)
    return GateActivity(str(netlist_json), top, replay.end / PS_PER_NS, replay.cycles,
                        f"gate-sim({stimulus.label or stimulus.dump})", activity)


@dataclass(frozen=True)
class SpecStimulus:
    """A spec's auto-testbench waves: the dump, and the name to show for it (the dump lives in a run folder)."""

    dump: Path
    label: str


def spec_stimulus(candidate: Candidate, spec: Spec, workdir: Path, *, seed: int = 1,
                  timeout: float = 300) -> SpecStimulus:
    """The waves of ``candidate`` under the auto testbench of ``spec`` (its golden, stimulus ``seed``): the stimulus
    of gate-level power when the user gives a spec instead of a dump. Raises ConfigError when the candidate's ports
    are not the spec's (its testbench would leave them undriven or cut), WaveError when no dump was written."""
    interface = check_interface(candidate, spec)
    if not interface.passed:
        raise ConfigError(f"{candidate.top}: the auto testbench of {spec.source or spec.label} cannot drive this "
                          f"design: {interface.message}\nGive a spec whose ports are this design's "
                          "(-P may have changed their widths) or a dump of the design's own simulation with --vcd.")
    check = run_autotb(candidate, spec, workdir, seed=seed, waves=True, timeout=timeout)
    dump = check.artifacts.get("vcd")
    label = autotb_label(spec, seed)
    if not dump:
        raise WaveError(f"{candidate.top}: the {label} wrote no waves "
                        f"({check.verdict}: {check.message.splitlines()[0] if check.message else 'no message'})")
    return SpecStimulus(Path(dump), label)


def autotb_label(spec: Spec, seed: int) -> str:
    """The name of the waves of ``spec``'s auto testbench under stimulus ``seed``, shown beside the power priced
    from them: the user knows the spec and the seed, not the temporary folder the dump was written in."""
    return f"auto testbench of {spec.source or spec.label}, seed {seed}"


def _run_icarus(workdir: Path, timeout: float) -> None:
    sim = Icarus()
    build = Build((workdir / "bench.v", workdir / "gates.v", workdir / "cells.v"), BENCH, workdir)
    try:
        sim.build(build, timeout=timeout)
        run([find("vvp"), "-n", str(sim.sim_file(build))], timeout=timeout, cwd=workdir)
    except ToolFailed as exc:
        raise SynthError(list(exc.cmd), exc.returncode, exc.stdout, exc.stderr, exc.error_lines,
                         stage="gatesim") from None
