"""SynthReport: the PPA of one design under one flow, liberty and clock (schema in docs/synth.md).

The ``to_dict()`` keys are a stable interface (reports, bench --ppa read them); add keys, never
rename them. Units are in the key names: ``_um2``, ``_ns``, ``_mhz``, ``_w``.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

from rtlgen.synth.memories import MemoryMacro

SCHEMA = "rtlgen.synth.report/1"


class DesignWarning(UserWarning):
    """A design problem Yosys's ``check`` found (logic loop, multiple drivers, undriven net): the PPA of such
    a design describes what synthesis made of it, not necessarily what simulation does."""


@dataclass(frozen=True)
class LostLogic:
    """One way the mapped netlist lost logic: ``kind`` is ``output`` (``name`` is the port and its bits),
    ``unmapped`` (``name`` is the cell type) or ``empty`` (``name`` is the top: no cell left at all)."""

    kind: str
    name: str
    reason: str

    def to_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "name": self.name, "reason": self.reason}

    def __str__(self) -> str:
        return f"{self.kind} {self.name}: {self.reason}"


@dataclass(frozen=True)
class SynthReport:
    top: str
    design_hash: str
    flow: str
    clock_ns: float
    area_kind: str                                  # "um2" (liberty cells) or "transistors" (estimate flow)
    # {name, path, sha256, dont_use: {lists, patterns, cells_excluded, patterns_absent}}
    liberty: dict[str, Any] | None = None
    area_um2: float | None = None                   # chip area from the liberty; None for the estimate flow
    transistors: int | None = None                  # estimated transistor count (estimate flow only)
    sequential_area_um2: float | None = None
    combinational_area_um2: float | None = None
    cell_count: int = 0
    cells: dict[str, int] = field(default_factory=dict)
    delay_ns: float | None = None                   # clock_ns - slack_ns: shortest period the worst path allows
    arrival_ns: float | None = None                 # data arrival time of the worst path
    slack_ns: float | None = None                   # at clock_ns (negative: violated)
    fmax_mhz: float | None = None                   # 1000 / delay_ns
    critical_path: dict[str, str | None] = field(default_factory=dict)   # {startpoint, endpoint, path_group}
    clock_ports: tuple[str, ...] = ()               # empty: combinational, timed with a virtual clock
    power_w: float | None = None                    # total power
    power: dict[str, Any] | None = None             # {internal_w, switching_w, leakage_w, total_w, engine, ...}
    # {source, ...}: "gate-sim(<stimulus>)" or "vectorless(...)"
    activity: dict[str, Any] | None = None
    tool_versions: dict[str, str] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)   # per step: yosys, activity, sta, total
    cached: bool = False
    warnings: tuple[str, ...] = ()
    design_issues: tuple[dict[str, str], ...] = ()  # Yosys `check`: {kind: comb_loop|multi_driven|undriven, message}
    lost_logic: tuple[LostLogic, ...] = ()          # non-empty: the mapped netlist lost logic, not a success
    # memories kept as macros: their estimated area is theirs alone, in neither area_um2 nor timing or power
    memory_macros: tuple[MemoryMacro, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["clock_ports"] = list(self.clock_ports)
        data["warnings"] = list(self.warnings)
        data["design_issues"] = [dict(i) for i in self.design_issues]
        data["lost_logic"] = [i.to_dict() for i in self.lost_logic]
        data["memory_macros"] = [m.to_dict() for m in self.memory_macros]
        return {"schema": SCHEMA, **data}

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, sort_keys=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "SynthReport":
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        values["clock_ports"] = tuple(values.get("clock_ports", ()))
        values["warnings"] = tuple(values.get("warnings", ()))
        values["design_issues"] = tuple(dict(i) for i in values.get("design_issues", ()))
        values["lost_logic"] = tuple(LostLogic(**i) for i in values.get("lost_logic", ()))
        values["memory_macros"] = tuple(MemoryMacro.from_dict(m) for m in values.get("memory_macros", ()))
        return cls(**values)

    def with_(self, **changes: Any) -> "SynthReport":
        return replace(self, **changes)

    @property
    def lost_logic_message(self) -> str | None:
        """One line naming what the mapped netlist lost, or None when nothing was: every caller that would report
        these figures as a success (synth, bench, run, optimize) refuses them with this line instead."""
        if not self.lost_logic:
            return None
        return f"synthesis lost logic of {self.top}: " + "; ".join(str(item) for item in self.lost_logic)

    @property
    def area_label(self) -> str:
        if self.area_kind == "transistors":
            return f"{self.transistors} transistors (estimate, not an area)"
        return f"{self.area_um2:.4f} µm²" if self.area_um2 is not None else "n/a"

    def to_markdown(self) -> str:
        lib = self.liberty["name"] if self.liberty else "none"
        rows = [
            ("flow", self.flow), ("liberty", lib), ("clock", f"{self.clock_ns:g} ns"
                                                    + (" (virtual)" if self.power and not self.clock_ports else "")),
            ("area", self.area_label),
        ]
        if self.liberty and "dont_use" in self.liberty:
            rows.insert(2, ("dont use", _dont_use_row(self.liberty["dont_use"])))
        if self.area_kind == "um2":
            rows += [("sequential / combinational", f"{_fmt(self.sequential_area_um2)} / "
                                                     f"{_fmt(self.combinational_area_um2)} µm²")]
        rows += [(f"memory macro {m.name}", str(m)) for m in self.memory_macros]
        rows += [("cells", str(self.cell_count))]
        if self.delay_ns is not None:
            rows += [("critical path", f"{self.delay_ns:.4f} ns ({self.critical_path.get('startpoint')} -> "
                                       f"{self.critical_path.get('endpoint')}), slack {self.slack_ns:.4f} ns"),
                     ("max frequency", f"{self.fmax_mhz:.1f} MHz" if self.fmax_mhz else "n/a")]
        if self.power:
            engine = f", engine {self.power['engine']}" if self.power.get("engine") else ""
            rows += [("power", f"{_split(self.power)}{engine}, activity {(self.activity or {}).get('source')}")]
            rows += [(f"power: {name}", _split(split)) for name, split in self.power.get("groups", {}).items()]
        rows += [("tools", ", ".join(f"{k} {v}" for k, v in self.tool_versions.items())),
                 ("seconds", ", ".join(f"{k} {v:.2f}" for k, v in self.seconds.items())
                  + (" (cached result)" if self.cached else ""))]
        out = [f"### {self.top}", ""]
        if self.lost_logic:
            out += ["**SYNTHESIS LOST LOGIC: these figures do not describe the design**", ""]
            out += [f"- {item}" for item in self.lost_logic] + [""]
        out += ["| metric | value |", "|---|---|"] + [f"| {k} | {v} |" for k, v in rows]
        if self.cells:
            out += ["", "| cell | count |", "|---|---|"] + [f"| {c} | {n} |" for c, n in sorted(self.cells.items())]
        out += [f"\n> warning: {w}" for w in self.warnings]
        return "\n".join(out) + "\n"

    def __str__(self) -> str:
        return self.to_markdown()


def _dont_use_row(dont: dict[str, Any]) -> str:
    """The cells kept out and the patterns that matched them; a pattern of the list that matches no cell of this
    liberty is named apart, so the count and the names listed agree."""
    if not dont["patterns"]:
        return "none"
    absent = dont.get("patterns_absent", [])  # a cached report may not record it: then every pattern is listed
    matched = [p for p in dont["patterns"] if p not in absent]
    row = f"{dont['cells_excluded']} cells excluded ({' + '.join(dont['lists'])}: {', '.join(matched) or 'none'})"
    return row + (f"; not in this liberty: {', '.join(absent)}" if absent else "")


def _split(power: dict[str, Any]) -> str:
    return (f"{power['total_w']:.4e} W (internal {power['internal_w']:.3e}, switching {power['switching_w']:.3e}, "
            f"leakage {power['leakage_w']:.3e})")


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.4f}"
