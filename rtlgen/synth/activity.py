"""Per-net toggle rates from a VCD of the design's own simulation, for activity-based power.

Only the signals declared directly in the design's scope (``dut`` by default, found anywhere in
the hierarchy) are read; each bit becomes one net name as Yosys writes it (``q[3]``, ``en``).
Rates are transitions per clock cycle (OpenSTA's unit), counted between 0 and 1 only.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from rtlgen.errors import RtlgenError

_TIMESCALE = re.compile(r"^\s*(\d+)\s*(s|ms|us|ns|ps|fs)\s*$")
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
    with path.open(errors="replace") as fh:
        lines = iter(fh)
        for line in lines:
            line = line.strip()
            if not line:
                continue
            if not header_done:
                if line.startswith("$timescale"):
                    text = line[len("$timescale"):].replace("$end", "").strip()
                    while not text and "$end" not in line:
                        line = next(lines).strip()
                        text = line.replace("$end", "").strip()
                    m = _TIMESCALE.match(text)
                    if not m:
                        raise VcdError(f"{path}: cannot read $timescale {text!r}")
                    unit_ns = int(m.group(1)) * _UNIT_NS[m.group(2)]
                elif line.startswith("$scope"):
                    parts = line.split()
                    stack.append(parts[2] if len(parts) > 2 else "")
                    if target is None and stack[-1] == scope:
                        target = tuple(stack)
                elif line.startswith("$upscope"):
                    stack.pop()
                elif line.startswith("$var"):
                    parts = line.split()
                    # $var wire 4 ! q [3:0] $end   |   $var wire 1 " en $end
                    if target is not None and tuple(stack) == target and len(parts) >= 5:
                        width, code, ref = int(parts[2]), parts[3], parts[4]
                        rng = parts[5] if len(parts) > 6 and parts[5].startswith("[") else None
                        if "[" in ref and rng is None:
                            ref, rng = ref[: ref.index("[")], ref[ref.index("["):]
                        names = [n for n in _bit_names(ref, width, rng) if _NET_NAME.match(n)]
                        if len(names) == width:
                            ids.setdefault(code, names)
                            for n in names:
                                stats.setdefault(n, BitStats())
                elif line.startswith("$enddefinitions"):
                    header_done = True
                    if target is None:
                        raise VcdError(f"{path}: no scope named '{scope}' in the VCD; pass vcd_scope= with the "
                                       "instance name of the design under test")
                continue
            if line[0] == "#":
                time = int(line[1:])
                if start is None:
                    start = time
                continue
            if line[0] == "$":  # $dumpvars / $end / $dumpall: the values inside are ordinary changes
                continue
            if line[0] in "bBrR":
                value, _, code = line[1:].partition(" ")
                code = code.strip()
            else:
                value, code = line[0], line[1:].strip()
            names = ids.get(code)
            if names is None or line[0] in "rR":
                continue
            value = value.lower().rjust(len(names), "0" if value[:1] in "01" else value[:1])[-len(names):]
            for name, bit in zip(names, value):
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
