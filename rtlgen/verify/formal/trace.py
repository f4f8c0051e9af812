"""Counterexample traces: the first output mismatch with its cycle window, the input sequence from reset
as a table, the differing bits of a bus, and a VCD of both designs (pyvcd).

A trace comes from Yosys ``sat -show`` tables: step 1 is cycle 0 (the forced-reset cycle when
the design has a reset); the miter names the outputs ``gold__<port>`` and ``gate__<port>``.
With ``half=True`` (clk2fflogic miters) each step is half a clock cycle and the trace holds the
clock's value, so steps 1 and 2 are cycle 0.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from vcd import VCDWriter

from rtlgen.spec.model import Port
from rtlgen.verify.result import Mismatch

if TYPE_CHECKING:  # pandas costs ~1 s to import in every bench worker; only counterexamples need it
    import pandas

WINDOW = 10
PERIOD = 10


def format_bits(bits: str) -> str:
    """Verilog-style literal: 1'b0, 8'h3f (binary when an x or z bit is present)."""
    if any(b not in "01" for b in bits):
        return f"{len(bits)}'b{bits}"
    if len(bits) == 1:
        return f"1'b{bits}"
    return f"{len(bits)}'h{int(bits, 2):0{(len(bits) + 3) // 4}x}"


def _value(bits: str | None) -> int | str | None:
    if bits is None:
        return None
    return int(bits, 2) if all(b in "01" for b in bits) else bits


def differs(gold: str, gate: str) -> bool:
    """A defined reference bit that the candidate does not match (an X in the reference is a don't-care)."""
    return len(gold) != len(gate) or any(g in "01" and g != d for g, d in zip(gold, gate))


def cycle_of(step: int, half: bool = False) -> int:
    return (step - 1) // 2 if half else step - 1


def first_mismatch(trace: dict[int, dict[str, str]], inputs: tuple[Port, ...], outputs: tuple[Port, ...],
                   clock: str | None, first_checked_cycle: int, half: bool = False) -> Mismatch | None:
    """The earliest cycle (from ``first_checked_cycle``) where a candidate output differs from the reference."""
    steps = sorted(s for s in trace if s > 0)
    for step in steps:
        cycle = cycle_of(step, half)
        if cycle < first_checked_cycle:
            continue
        row = trace[step]
        for port in outputs:
            gold, gate = row.get(f"gold__{port.name}"), row.get(f"gate__{port.name}")
            if gold is not None and gate is not None and differs(gold, gate):
                window = [_window_row(trace[s], cycle_of(s, half), inputs, outputs, None if half else clock)
                          for s in steps if step - WINDOW < s <= step]
                return Mismatch(cycle=cycle, signal=port.name, expected=format_bits(gold),
                                actual=format_bits(gate), window=window)
    return None


def mismatch_step(trace: dict[int, dict[str, str]], cycle: int, half: bool, signal: str) -> int:
    """The trace step of ``cycle`` at which ``signal`` differs (the last step of the cycle if neither does)."""
    steps = [s for s in sorted(trace) if s > 0 and cycle_of(s, half) == cycle]
    for step in steps:
        gold, gate = trace[step].get(f"gold__{signal}"), trace[step].get(f"gate__{signal}")
        if gold is not None and gate is not None and differs(gold, gate):
            return step
    return steps[-1]


def _window_row(row: dict[str, str], cycle: int, inputs: tuple[Port, ...], outputs: tuple[Port, ...],
                clock: str | None) -> dict:
    out: dict = {"cycle": cycle}
    for port in inputs:
        if port.name != clock:
            out[port.name] = _value(row.get(port.name))
    for port in outputs:
        out[port.name] = _value(row.get(f"gate__{port.name}"))
        out[f"{port.name}_expected"] = _value(row.get(f"gold__{port.name}"))
    return out


def cycle_table(trace: dict[int, dict[str, str]], inputs: tuple[Port, ...], outputs: tuple[Port, ...],
                clock: str | None, half: bool = False) -> pandas.DataFrame:
    """The whole trace from reset, one row per cycle (per half cycle with ``half``): inputs, then each
    output of the candidate and ``<output>_expected`` from the reference. Values are Verilog literals."""
    rows = []
    for step in sorted(s for s in trace if s > 0):
        row = _window_row(trace[step], cycle_of(step, half), inputs, outputs, None if half else clock)
        if half and clock:
            row = {"cycle": row["cycle"], clock: trace[step].get(clock), **{k: v for k, v in row.items()
                                                                           if k not in ("cycle", clock)}}
        rows.append({k: format_bits(v) if isinstance(v, str) else v for k, v in row.items()})
    import pandas  # noqa: PLC0415  (lazy: see the TYPE_CHECKING import)

    table = pandas.DataFrame(rows)
    for port in (*inputs, *outputs):  # literals, so that a 64-bit bus is not a float
        for column in (port.name, f"{port.name}_expected"):
            if column in table and port.width > 1:
                table[column] = [_literal(v, port.width) for v in table[column]]
    return table


def _literal(value: object, width: int) -> object:
    return format_bits(format(value, f"0{width}b")) if isinstance(value, int) else value


def differing_bits(expected: str, actual: str) -> list[int]:
    """Bit indexes (0 = least significant) where a defined reference bit differs from the candidate's."""
    width = len(expected)
    return [width - 1 - i for i, (g, d) in enumerate(zip(expected, actual)) if g in "01" and g != d]


def name_bits(signal: str, bits: list[int], width: int) -> str:
    """``q[7], q[3:0]`` for the differing bits of a bus (runs of adjacent bits as ranges)."""
    if width == 1:
        return signal
    runs: list[list[int]] = []
    for bit in sorted(bits, reverse=True):
        if runs and runs[-1][-1] == bit + 1:
            runs[-1].append(bit)
        else:
            runs.append([bit])
    return ", ".join(f"{signal}[{r[0]}:{r[-1]}]" if len(r) > 1 else f"{signal}[{r[0]}]" for r in runs)


def write_vcd(path: Path, trace: dict[int, dict[str, str]], inputs: tuple[Port, ...], outputs: tuple[Port, ...],
              clock: str | None, half: bool = False) -> Path:
    """A VCD of the trace (pyvcd): inputs at the top, the reference outputs under ``gold``, the candidate's under ``dut``.

    Each cycle lasts PERIOD ns; inputs change at its start and the clock rises half-way through
    (with ``half``, each step lasts PERIOD/2 and the clock is the traced one).
    """
    with path.open("w") as handle, VCDWriter(handle, timescale="1 ns", date="") as writer:
        signals = [(writer.register_var("miter", p.name, "wire", size=p.width), p.name) for p in inputs]
        for scope, prefix in (("miter.gold", "gold__"), ("miter.dut", "gate__")):
            signals += [(writer.register_var(scope, p.name, "wire", size=p.width), prefix + p.name) for p in outputs]
        clock_var = next((var for var, key in signals if key == clock), None)
        for step in sorted(s for s in trace if s > 0):
            row = trace[step]
            time = (step - 1) * (PERIOD // 2 if half else PERIOD)
            for var, key in signals:
                bits = "0" if var is clock_var and not half else row.get(key)
                if bits is not None:
                    writer.change(var, time, bits if len(bits) > 1 else bits[0])
            if clock_var is not None and not half:
                writer.change(clock_var, time + PERIOD // 2, "1")
    return path
