"""Counterexample traces: the first output mismatch with its cycle window, and a VCD of the trace.

A trace comes from Yosys ``sat -show`` tables: step 1 is cycle 0 (the forced-reset cycle when
the design has a reset); the miter names the outputs ``gold__<port>`` and ``gate__<port>``.
With ``half=True`` (clk2fflogic miters) each step is half a clock cycle and the trace holds the
clock's value, so steps 1 and 2 are cycle 0.
"""
from __future__ import annotations

from pathlib import Path

from rtlgen.spec.model import Port
from rtlgen.verify.result import Mismatch

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


def write_vcd(path: Path, trace: dict[int, dict[str, str]], inputs: tuple[Port, ...], outputs: tuple[Port, ...],
              clock: str | None, half: bool = False) -> Path:
    """A VCD of the trace: inputs at the top, the reference outputs under ``gold``, the candidate's under ``dut``.

    Each cycle lasts PERIOD ns; inputs change at its start and the clock rises half-way through
    (with ``half``, each step lasts PERIOD/2 and the clock is the traced one).
    """
    signals: list[tuple[str, str, str, int]] = []  # (scope, name, key in trace, width)
    for port in inputs:
        signals.append(("", port.name, port.name, port.width))
    for scope, prefix in (("gold", "gold__"), ("dut", "gate__")):
        for port in outputs:
            signals.append((scope, port.name, prefix + port.name, port.width))
    ids = {key: _vcd_id(i) for i, (_, _, key, _) in enumerate(signals)}
    lines = ["$timescale 1ns $end", "$scope module miter $end"]
    for scope in ("", "gold", "dut"):
        if scope:
            lines.append(f"$scope module {scope} $end")
        for sc, name, key, width in signals:
            if sc == scope:
                lines.append(f"$var wire {width} {ids[key]} {name} $end")
        if scope:
            lines.append("$upscope $end")
    lines += ["$upscope $end", "$enddefinitions $end"]
    for step in sorted(s for s in trace if s > 0):
        row = trace[step]
        lines.append(f"#{(step - 1) * (PERIOD // 2 if half else PERIOD)}")
        for _, _, key, width in signals:
            bits = "0" if clock and key == clock and not half else row.get(key)
            if bits is not None:
                lines.append(_vcd_value(bits, width, ids[key]))
        if clock and not half:
            lines.append(f"#{(step - 1) * PERIOD + PERIOD // 2}")
            lines.append(_vcd_value("1", 1, ids[clock]))
    path.write_text("\n".join(lines) + "\n")
    return path


def _vcd_id(index: int) -> str:
    chars = "".join(chr(c) for c in range(33, 127))
    ident = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, len(chars))
        ident = chars[rem] + ident
    return ident


def _vcd_value(bits: str, width: int, ident: str) -> str:
    return f"{bits}{ident}" if width == 1 else f"b{bits} {ident}"
