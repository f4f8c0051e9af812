"""Measuring a design and deciding whether a change is better: the loop's acceptance rule in one place.

A change is better when it improves the goal metric by at least ``min_gain`` (1 %) and worsens no
other metric beyond its tolerance (defaults: area +2 %, delay +5 %, power +5 %). A metric that
one side does not report (a design without timing paths has no delay) is not compared. Under a clock
period the delay is a constraint, not a metric to keep: a change whose critical path still fits in the
period may lengthen it (area recovery, as synthesis itself trades slack for area).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from rtlgen.errors import RtlgenError, SynthLostLogic
from rtlgen.spec.model import Candidate
from rtlgen.synth import SYNTH_TIMEOUT_S
from rtlgen.synth.api import synthesize
from rtlgen.synth.memories import DEFAULT_MACRO_BITS
from rtlgen.synth.target import Target
from rtlgen.synth.liberty import Liberty

GOALS = ("area", "power", "delay")
MIN_GAIN = 0.01
TOLERANCE = {"area": 0.02, "delay": 0.05, "power": 0.05}


@dataclass(frozen=True)
class PPA:
    area: float | None
    delay: float | None
    power: float | None
    flow: str = "yosys"
    power_engine: str | None = None  # who priced ``power``: "gate" (gate-level simulation) or "sta" (OpenSTA)
    memory_macros: tuple[str, ...] = ()  # the memories kept as macros, described (their area is not in ``area``)

    def get(self, metric: str) -> float | None:
        return getattr(self, metric)


@dataclass(frozen=True)
class Criterion:
    """The acceptance rule: ``goal`` must gain ``min_gain``; the others may lose at most ``tolerance``.

    ``clock_ns``: the clock period; a delay within it is accepted whatever its change (None: the
    delay tolerance applies).
    ``origin``: the input design's PPA. The tolerances hold against it too, so steps that each stay
    within them cannot add up to more (two +3 % delays are +6 % of the input, over a +5 % tolerance).
    """

    goal: str = "area"
    min_gain: float = MIN_GAIN
    tolerance: dict[str, float] = field(default_factory=lambda: dict(TOLERANCE))
    clock_ns: float | None = None
    origin: PPA | None = None

    def __post_init__(self) -> None:
        if self.goal not in GOALS:
            raise ValueError(f"unknown goal {self.goal!r}; choose one of {', '.join(GOALS)}")

    def gain(self, before: PPA, after: PPA) -> float | None:
        """Relative improvement of the goal metric (0.05 = 5 % smaller); None when not measurable."""
        b, a = before.get(self.goal), after.get(self.goal)
        if b is None or a is None or b <= 0:
            return None
        return (b - a) / b

    def judge(self, before: PPA, after: PPA) -> tuple[bool, str]:
        """(better?, why): the reason names the metric that decided."""
        gain = self.gain(before, after)
        if gain is None:
            return False, f"{self.goal} not measured"
        if gain < self.min_gain:
            return False, f"{self.goal} {_pct(-gain)} (needs {_pct(-self.min_gain)} or better)"
        for metric, limit in self.tolerance.items():
            if metric == self.goal:
                continue
            a = after.get(metric)
            if metric == "delay" and a is not None and self.clock_ns is not None and a <= self.clock_ns:
                continue  # timing is met: the slack is spent, not lost
            for base, of in ((before, ""), (self.origin, " of the input")):
                b = base.get(metric) if base is not None else None
                if b and a is not None and (a - b) / b > limit:
                    return False, (f"{self.goal} {_pct(-gain)} but {metric} {_pct((a - b) / b)}{of} "
                                   f"(tolerance {_pct(limit)})")
        return True, f"{self.goal} {_pct(-gain)}"


def _pct(x: float) -> str:
    return f"{x * 100:+.1f}%"


Measure = Callable[[Candidate, str], PPA]   # (design, flow name or path) -> PPA


class MeasureError(RtlgenError):
    """A design whose power cannot be priced the way the run's first design was; names the design and why."""


def make_measure(liberty: Liberty | None, clock_ns: float, vcd_for: Callable[[Candidate], Path | None] | None = None,
                 limit: Callable[[], float] = lambda: SYNTH_TIMEOUT_S, power_engine: str = "auto",
                 memory_macro_bits: int | None = DEFAULT_MACRO_BITS) -> Measure:
    """``measure(candidate, flow)`` with ``rtlgen.synthesize``; ``vcd_for`` gives the stimulus VCD (or None),
    whose gate-level simulation prices power (``power_engine``: see ``Target``; ``auto``: rtlgen's gate-level
    engine with a stimulus, so what clock gating saves is counted); ``limit()`` bounds each synthesis (the run's
    time budget shrinks it); memories of at least ``memory_macro_bits`` bits are macros (``Target``). Each (design,
    flow) is synthesized once: the closing checks ask again for what the moves already measured.

    One engine for every design: the first one measured (the run's input) decides whether power comes from a
    simulation, since a ratio between a simulated and a vectorless figure says nothing. A later design without
    waves raises MeasureError (its move is rejected with the reason); with an input without waves every design is
    priced vectorless, and ``power_engine="gate"`` is refused."""
    measured: dict[tuple[str, str], PPA] = {}
    simulated: bool | None = None  # whether the first design measured had waves

    def measure(candidate: Candidate, flow: str = "yosys") -> PPA:
        nonlocal simulated
        key = (candidate.content_hash, flow)
        if key not in measured:
            vcd = vcd_for(candidate) if vcd_for else None
            if simulated is None:
                simulated = vcd is not None
            if simulated and vcd is None:
                raise MeasureError(f"{candidate.top}: its auto testbench gave no waves to replay, so its power cannot "
                                   "be priced as the input's was (gate-level simulation of the same stimulus)")
            if not simulated and power_engine == "gate":
                why = "its auto testbench gave none" if vcd_for else "no liberty, or power from simulation is off"
                raise MeasureError(f"{candidate.top}: --power-engine gate prices power from the design's simulation "
                                   f"and there are no waves of the input ({why}); choose --power-engine auto or sta "
                                   "(OpenSTA vectorless)")
            vcd = vcd if simulated else None
            target = Target(flow=flow, liberty=liberty, clock_ns=clock_ns, power_engine=power_engine if vcd else "auto",
                            memory_macro_bits=memory_macro_bits)
            report = synthesize(candidate, target, vcd=str(vcd) if vcd else None, timeout=limit())
            if report.lost_logic_message:  # a figure of another circuit must never rank a move
                raise SynthLostLogic(report.lost_logic_message)
            area = report.area_um2 if report.area_um2 is not None else report.transistors
            engine = report.power.get("engine") if report.power else None
            measured[key] = PPA(area, report.delay_ns, report.power_w, Path(flow).stem, engine,
                                tuple(f"{m.name} {m.words} x {m.width}" for m in report.memory_macros))
        return measured[key]

    return measure
