"""Per-net toggle rates from a VCD of the design's own simulation, for activity-based power.

Only the signals declared directly in the design's scope (``dut`` by default, found anywhere in
the hierarchy) are read; each bit becomes one net name as Yosys writes it (``q[3]``, ``en``).
Rates are transitions per clock cycle (OpenSTA's unit), counted between 0 and 1 only.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from vcd.reader import TokenKind, VCDParseError, tokenize

from rtlgen.errors import RtlgenError

_UNIT_NS = {"s": 1e9, "ms": 1e6, "us": 1e3, "ns": 1.0, "ps": 1e-3, "fs": 1e-6}
_RANGE = re.compile(r"^\[(-?\d+)(?::(-?\d+))?\]$")
_NET_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_$]*(\[\d+\])?$")


class VcdError(RtlgenError):
    """A VCD file is missing, malformed or lacks the requested scope; names the file and the scope."""


@dataclass
class BitStats:
    toggles: int = 0
    high_time: int = 0
    rises: int = 0
    value: str = "x"
    since: int = 0


@dataclass(frozen=True)
class NetActivity:
    activity: float  # transitions per clock cycle
    duty: float      # fraction of time at 1


@dataclass(frozen=True)
class ActivityProfile:
    """Toggle rates of every bit in the design scope of one VCD."""

    source: str
    scope: str
    cycles: float
    cycle_basis: str            # "clock <name> rising edges" or "duration / <clock_ns> ns"
    duration_ns: float
    nets: dict[str, NetActivity] = field(default_factory=dict)


def _bit_names(ref: str, width: int, rng: str | None) -> list[str]:
    """Net names of each character of a value string, most significant first."""
    if width == 1 and not rng:
        return [ref]
    m = _RANGE.match(rng or "")
    if m and m.group(2) is not None:
        msb, lsb = int(m.group(1)), int(m.group(2))
    elif m:
        msb = lsb = int(m.group(1))
    else:
        msb, lsb = width - 1, 0
    step = -1 if msb >= lsb else 1
    return [f"{ref}[{i}]" for i in range(msb, lsb + step, step)][:width]


def _change(stats: dict[str, BitStats], names: list[str], value: int | str, time: int) -> None:
    """Apply one value change (pyvcd: an int when every bit is 0/1, else a string) to the bits it covers."""
    bits = format(value, "b") if isinstance(value, int) else value.lower()
    bits = bits.rjust(len(names), "0" if bits[:1] in "01" else bits[:1])[-len(names):]
    for name, bit in zip(names, bits):
        st = stats[name]
        if bit == st.value:
            continue
        if st.value == "1":
            st.high_time += time - st.since
        if st.value in "01" and bit in "01":
            st.toggles += 1
            if bit == "1":
                st.rises += 1
        st.value, st.since = bit, time


def parse_vcd(path: str | Path, scope: str = "dut", clock: str | None = None,
              clock_ns: float | None = None) -> ActivityProfile:
    """Measure toggle rates for every bit declared in ``scope``.

    Cycles are the rising edges of ``clock`` when it is in the scope and toggles, else the dump's
    duration divided by ``clock_ns`` (combinational designs).
    """
    path = Path(path)
    if not path.is_file():
        raise VcdError(f"VCD file not found: {path}")
    stack: list[str] = []
    target: tuple[str, ...] | None = None
    ids: dict[str, list[str]] = {}         # id code -> bit names (msb first)
    stats: dict[str, BitStats] = {}
    unit_ns = 1.0
    header_done = False
    time = 0
    start: int | None = None
    with path.open("rb") as fh:
        try:
            for token in tokenize(fh):
                kind, data = token.kind, token.data
                if kind is TokenKind.TIMESCALE:
                    unit_ns = int(data.magnitude) * _UNIT_NS[data.unit.value]
                elif kind is TokenKind.SCOPE:
                    stack.append(data.ident)
                    if target is None and data.ident == scope:
                        target = tuple(stack)
                elif kind is TokenKind.UPSCOPE:
                    stack.pop()
                elif kind is TokenKind.VAR and target is not None and tuple(stack) == target:
                    index = data.bit_index
                    rng = None if index is None else (f"[{index[0]}:{index[1]}]" if isinstance(index, tuple)
                                                      else f"[{index}]")
                    names = [n for n in _bit_names(data.reference, data.size, rng) if _NET_NAME.match(n)]
                    if len(names) == data.size:
                        ids.setdefault(data.id_code, names)
                        for n in names:
                            stats.setdefault(n, BitStats())
                elif kind is TokenKind.ENDDEFINITIONS:
                    header_done = True
                    if target is None:
                        raise VcdError(f"{path}: no scope named '{scope}' in the VCD; pass vcd_scope= with the "
                                       "instance name of the design under test")
                elif kind is TokenKind.CHANGE_TIME:
                    time = data
                    if start is None:
                        start = time
                elif kind in (TokenKind.CHANGE_SCALAR, TokenKind.CHANGE_VECTOR):
                    names = ids.get(data.id_code)
                    if names is not None:
                        _change(stats, names, data.value, time)
        except VCDParseError as exc:
            raise VcdError(f"{path}: cannot read the VCD: {exc}") from exc
    if not header_done:
        raise VcdError(f"{path}: truncated VCD (no $enddefinitions)")
    start = start or 0
    span = max(time - start, 0)
    for st in stats.values():
        if st.value == "1":
            st.high_time += time - st.since
    duration_ns = span * unit_ns
    if clock and clock in stats and stats[clock].rises > 0:
        cycles, basis = float(stats[clock].rises), f"clock {clock} rising edges"
    elif clock_ns and duration_ns > 0:
        cycles, basis = duration_ns / clock_ns, f"duration / {clock_ns:g} ns"
    else:
        raise VcdError(f"{path}: cannot count clock cycles (no toggling clock '{clock}' in scope '{scope}' and "
                       "no clock period given)")
    nets = {name: NetActivity(st.toggles / cycles, (st.high_time / span) if span else 0.0)
            for name, st in stats.items() if name != clock}
    return ActivityProfile(str(path), scope, cycles, basis, duration_ns, nets)
