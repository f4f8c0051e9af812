"""Gate-level power: average power of a mapped netlist from a simulation of that netlist.

OpenSTA 2.0.17 (the only one packaged here) gives every clock-network pin the full clock activity, so what an
integrated clock-gating cell saves is never counted. This package simulates the mapped netlist itself (each
liberty cell modelled from its ``function``, ``ff``, ``latch`` and clock-gating groups) under the design's own
stimulus, and prices every toggle and every state from the liberty's tables, the way sign-off tools do in
averaged mode. OpenSTA stays the cross-check.

The one value crossing between simulation and pricing is ``GateActivity``: per bit of the mapped netlist's
Yosys JSON (the flattened top module's bit numbers, shared by both sides through the same JSON file), how
often it toggled and how long it was at 1.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class BitActivity:
    """One netlist bit over a whole simulation: 0<->1 transitions and the time it spent at 1."""

    toggles: int
    high_ns: float


@dataclass(frozen=True)
class GateActivity:
    """What a gate-level simulation measured, keyed by the Yosys JSON bit numbers of the mapped top.

    ``duration_ns`` is the simulated time the figures cover (power = energy / duration); ``cycles`` the clock
    cycles in it; ``source`` says which stimulus drove it (shown beside every power figure).
    """

    netlist_json: str
    top: str
    duration_ns: float
    cycles: int
    source: str
    bits: dict[int, BitActivity] = field(default_factory=dict)
