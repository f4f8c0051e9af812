"""The power view of a liberty library: what gate-level simulation and pricing need, parsed once and cached.

The file is parsed by ``lln-libparse`` (Yosys's own liberty parser, wrapped): on the shared Nangate45 and sky130hd
libraries it takes 0.13 s / 27 MB and 0.19 s / 37 MB, where the pure-Python ``liberty-parser`` takes 2.5 s / 107 MB
and 9.8 s / 132 MB. The typed ``PowerLibrary`` built from its tree is pickled in the cache beside the decompressed
liberty (``<cache>/liberty/<sha256>.power-v<N>.pickle``), keyed by the liberty's content hash, so a run reads it in
milliseconds.

Values keep the liberty's own units; ``Units`` converts them to SI. The internal-power energy unit is not named
in liberty: like OpenSTA, it is voltage unit squared times capacitance unit (1 V and 1 fF give fJ).
"""
from __future__ import annotations

import bisect
import pickle
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import libparse

from rtlgen.config import cache_dir
from rtlgen.store import atomic_write
from rtlgen.synth.liberty import Liberty, LibertyError

PARSE_VERSION = 1
SLEW_VARIABLES = ("input_transition_time", "input_net_transition", "related_pin_transition")
LOAD_VARIABLES = ("total_output_net_capacitance",)
_SI = {"": 1.0, "m": 1e-3, "u": 1e-6, "n": 1e-9, "p": 1e-12, "f": 1e-15, "k": 1e3}
_UNIT = re.compile(r"^\s*([0-9.eE+-]*)\s*([a-zA-Z]*)\s*$")
_SEQUENTIAL_ATTRS = ("clocked_on", "next_state", "clear", "preset", "enable", "data_in",
                     "clear_preset_var1", "clear_preset_var2")


@dataclass(frozen=True)
class Table:
    """An NLDM lookup table: ``values[i][j]`` at ``index[0][i]`` (first variable), ``index[1][j]`` (second).

    A scalar table has no variables and one value; a 1-D table one row."""

    variables: tuple[str, ...]
    index: tuple[tuple[float, ...], ...]
    values: tuple[tuple[float, ...], ...]

    def at(self, slew: float, load: float) -> float:
        """The value at this input slew and output load, interpolated (bi)linearly; outside the index the edge
        segment is extended, as OpenSTA does (no clamping)."""
        point = [slew if v in SLEW_VARIABLES else load if v in LOAD_VARIABLES else 0.0 for v in self.variables]
        if not point:
            return self.values[0][0]
        i0, i1, t = _segment(self.index[0], point[0])
        if len(point) == 1:
            row = self.values[0]
            return row[i0] + (row[i1] - row[i0]) * t
        j0, j1, u = _segment(self.index[1], point[1])
        low, high = self.values[i0], self.values[i1]
        at_low = low[j0] + (low[j1] - low[j0]) * u
        return at_low + (high[j0] + (high[j1] - high[j0]) * u - at_low) * t


def _segment(index: tuple[float, ...], x: float) -> tuple[int, int, float]:
    """The index segment (i, i + 1) holding ``x`` (the first or last one beyond the ends) and x's position in it."""
    if len(index) == 1:
        return 0, 0, 0.0
    i = min(max(bisect.bisect_right(index, x) - 1, 0), len(index) - 2)
    return i, i + 1, (x - index[i]) / (index[i + 1] - index[i])


@dataclass(frozen=True)
class InternalPower:
    """One ``internal_power`` group of a pin: energy per rise and per fall of that pin (``related_pin`` names the
    input whose transition causes it, none for an input pin's own power), valid when ``when`` holds."""

    related_pin: str | None
    when: str | None
    rise: Table | None
    fall: Table | None


@dataclass(frozen=True)
class TimingArc:
    """The output-slew side of one ``timing`` group: transition tables over (input slew, output load)."""

    related_pin: str | None
    timing_type: str
    timing_sense: str | None
    rise_transition: Table | None
    fall_transition: Table | None


@dataclass(frozen=True)
class PowerPin:
    """A cell pin: direction, logic function, capacitance, limits, clock-gating role, power and slew tables."""

    name: str
    direction: str
    function: str | None
    capacitance: float
    rise_capacitance: float
    fall_capacitance: float
    max_transition: float | None
    clock: bool
    clock_gate_role: str | None  # "clock", "enable", "test" or "out" in a clock_gating_integrated_cell
    related_power_pin: str | None
    internal_power: tuple[InternalPower, ...] = ()
    timing: tuple[TimingArc, ...] = ()


@dataclass(frozen=True)
class Sequential:
    """An ``ff`` or ``latch`` group: its state variables and the expressions that drive them."""

    kind: str  # "ff" or "latch"
    state: str
    state_inverted: str | None
    clocked_on: str | None = None
    next_state: str | None = None
    clear: str | None = None
    preset: str | None = None
    enable: str | None = None
    data_in: str | None = None
    clear_preset_var1: str | None = None
    clear_preset_var2: str | None = None


@dataclass(frozen=True)
class Statetable:
    """A ``statetable``: each row is (input levels, current internal levels, next internal levels) as written
    (``L``, ``H``, ``-``, ``R``, ``F``, ``N``, ...)."""

    inputs: tuple[str, ...]
    internal: tuple[str, ...]
    rows: tuple[tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]], ...]


@dataclass(frozen=True)
class LeakageState:
    """Leakage power while ``when`` holds (``when`` None: unconditional)."""

    when: str | None
    value: float


@dataclass(frozen=True)
class PowerCell:
    name: str
    area: float
    pins: dict[str, PowerPin]
    sequentials: tuple[Sequential, ...] = ()
    clock_gating: str | None = None  # the clock_gating_integrated_cell kind, e.g. "latch_posedge"
    statetable: Statetable | None = None
    leakage: float | None = None  # cell_leakage_power
    leakage_states: tuple[LeakageState, ...] = ()

    @property
    def is_sequential(self) -> bool:
        return bool(self.sequentials or self.statetable or self.clock_gating)


@dataclass(frozen=True)
class Units:
    """The library's units in SI: seconds, farads, volts, watts (leakage), amperes per liberty unit."""

    time: float
    capacitance: float
    voltage: float
    leakage_power: float
    current: float

    @property
    def energy(self) -> float:
        """Joules per internal-power table unit: voltage unit squared times capacitance unit, as OpenSTA derives it."""
        return self.voltage * self.voltage * self.capacitance


@dataclass(frozen=True)
class WireLoad:
    """A ``wire_load`` model: net length from fanout (table, then ``slope`` beyond it), capacitance per length."""

    name: str
    capacitance: float
    resistance: float
    slope: float
    fanout_length: tuple[tuple[float, float], ...]

    def wire_capacitance(self, fanout: int) -> float:
        """The net's wire capacitance for this fanout, in the library's capacitance unit (OpenSTA's
        ``Wireload::findWireload``: interpolated inside the table, extended by ``slope`` outside it)."""
        return self.length(fanout) * self.capacitance

    def length(self, fanout: float) -> float:
        table = self.fanout_length
        if not table:
            return 0.0
        (low, low_len), (high, high_len) = table[0], table[-1]
        if fanout < low:
            return max(low_len - (low - fanout) * self.slope, 0.0)
        if fanout >= high:
            return high_len + (fanout - high) * self.slope
        i = bisect.bisect_right([f for f, _ in table], fanout) - 1
        (f1, l1), (f2, l2) = table[i], table[i + 1]
        return l1 + (l2 - l1) * (fanout - f1) / (f2 - f1)


@dataclass(frozen=True)
class PowerLibrary:
    """The power view of one liberty file (``sha256``: the liberty's content hash it was built from)."""

    name: str
    sha256: str
    units: Units
    nom_voltage: float
    voltage: float  # the default operating condition's voltage (nom_voltage when it has none)
    supply_voltages: dict[str, float]
    cells: dict[str, PowerCell]
    wire_loads: dict[str, WireLoad] = field(default_factory=dict)
    default_wire_load: str | None = None
    default_wire_load_mode: str | None = None
    wire_load_selection: dict[str, tuple[tuple[float, float, str], ...]] = field(default_factory=dict)
    default_wire_load_selection: str | None = None
    default_max_transition: float | None = None

    @property
    def wire_load(self) -> WireLoad | None:
        """The library's default wire-load model (the one OpenSTA applies when the design sets none)."""
        return self.wire_loads.get(self.default_wire_load or "")


def read_power_library(lib: Liberty) -> PowerLibrary:
    """The power view of ``lib``, from the cache when this liberty content was parsed before."""
    return _cached_library(lib.sha256, lib.plain_path)


@lru_cache(maxsize=4)
def _cached_library(sha256: str, plain_path: str) -> PowerLibrary:
    """One process reads a library's pickle once (0.1-0.4 s for the shared libraries)."""
    target = cache_dir() / "liberty" / f"{sha256}.power-v{PARSE_VERSION}.pickle"
    if target.is_file():
        try:
            return pickle.loads(target.read_bytes())
        except (pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            target.unlink(missing_ok=True)  # written by an older layout of these classes: parse again
    library = parse_power_library(Path(plain_path), sha256)
    atomic_write(target, pickle.dumps(library, protocol=pickle.HIGHEST_PROTOCOL))
    return library


def parse_power_library(path: Path, sha256: str) -> PowerLibrary:
    """Parse a plain liberty file (no cache)."""
    try:
        with path.open(errors="replace") as fh:
            root = libparse.LibertyParser(fh).ast
    except (OSError, RuntimeError) as exc:
        raise LibertyError(f"cannot parse liberty file {path}: {exc}; check that it is a complete liberty file")
    return _library(root, sha256)


# ---- the parser's tree: nodes with id, args, value and children --------------------------------------------

def _text(value: str) -> str:
    return value.strip().strip('"').replace("\\\n", " ").strip()


def _attrs(node: Any) -> dict[str, str]:
    """The simple attributes of a group (``name : value;``), unquoted."""
    return {c.id: _text(c.value) for c in node.children if not c.children and c.value != ""}


def _groups(node: Any, kind: str) -> list[Any]:
    return [c for c in node.children if c.id == kind]


def _arg(node: Any, i: int = 0) -> str:
    args = list(node.args)
    return _text(args[i]) if len(args) > i else ""


def _numbers(text: str) -> tuple[float, ...]:
    return tuple(float(v) for v in _text(text).replace(",", " ").split())


def _float(attrs: dict[str, str], key: str, default: float | None = None) -> float | None:
    return float(attrs[key]) if key in attrs else default


# ---- tables ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Template:
    variables: tuple[str, ...]
    index: tuple[tuple[float, ...], ...]


def _templates(root: Any) -> dict[str, _Template]:
    found = {}
    for node in root.children:
        if node.id in ("lu_table_template", "power_lut_template"):
            attrs = _attrs(node)
            variables = tuple(attrs[f"variable_{i}"] for i in (1, 2, 3) if f"variable_{i}" in attrs)
            found[_arg(node)] = _Template(variables, _indices(node))
    return found


def _indices(node: Any) -> tuple[tuple[float, ...], ...]:
    found = {c.id: _numbers(_arg(c)) for c in node.children if c.id.startswith("index_")}
    return tuple(found[f"index_{i}"] for i in (1, 2, 3) if f"index_{i}" in found)


def _table(node: Any | None, templates: dict[str, _Template]) -> Table | None:
    if node is None:
        return None
    values_node = next((c for c in node.children if c.id == "values"), None)
    if values_node is None:
        return None
    rows = tuple(_numbers(a) for a in values_node.args)
    template = templates.get(_arg(node))
    if template is None or not rows or len(rows[0]) == 1 and len(rows) == 1:
        return Table((), (), rows[:1] or ((0.0,),))
    index = _indices(node) or template.index
    variables = template.variables[:len(index)]
    return Table(variables, index, rows if len(variables) == 2 else (tuple(v for row in rows for v in row),))


def _child(node: Any, kind: str) -> Any | None:
    return next((c for c in node.children if c.id == kind), None)


# ---- cells ----------------------------------------------------------------------------------------------------

def _internal_power(node: Any, templates: dict[str, _Template]) -> InternalPower:
    attrs = _attrs(node)
    return InternalPower(attrs.get("related_pin"), attrs.get("when"), _table(_child(node, "rise_power"), templates),
                         _table(_child(node, "fall_power"), templates))


def _timing(node: Any, templates: dict[str, _Template]) -> TimingArc:
    attrs = _attrs(node)
    return TimingArc(attrs.get("related_pin"), attrs.get("timing_type", "combinational"), attrs.get("timing_sense"),
                     _table(_child(node, "rise_transition"), templates),
                     _table(_child(node, "fall_transition"), templates))


def _gate_role(attrs: dict[str, str]) -> str | None:
    return next((role for role in ("clock", "enable", "test", "out")
                 if attrs.get(f"clock_gate_{role}_pin", "").lower() == "true"), None)


def _pins(node: Any, templates: dict[str, _Template]) -> dict[str, PowerPin]:
    pins = {}
    for pin in _groups(node, "pin"):
        attrs = _attrs(pin)
        cap = _float(attrs, "capacitance", 0.0)
        for name in _arg(pin).split(","):
            pins[name.strip()] = PowerPin(
                name.strip(), attrs.get("direction", "input"), attrs.get("function"), cap,
                _float(attrs, "rise_capacitance", cap), _float(attrs, "fall_capacitance", cap),
                _float(attrs, "max_transition"), attrs.get("clock", "").lower() == "true", _gate_role(attrs),
                attrs.get("related_power_pin"),
                tuple(_internal_power(g, templates) for g in _groups(pin, "internal_power")),
                tuple(_timing(g, templates) for g in _groups(pin, "timing")))
    return pins


def _sequentials(node: Any) -> tuple[Sequential, ...]:
    found = []
    for group in node.children:
        if group.id in ("ff", "latch"):
            attrs = _attrs(group)
            found.append(Sequential(group.id, _arg(group, 0), _arg(group, 1) or None,
                                    **{k: attrs.get(k) for k in _SEQUENTIAL_ATTRS}))
    return tuple(found)


def _statetable(node: Any) -> Statetable | None:
    group = _child(node, "statetable")
    if group is None:
        return None
    rows = []
    for row in _text(_attrs(group).get("table", "")).replace("\\", " ").split(","):
        parts = [tuple(part.split()) for part in row.split(":")]
        if len(parts) == 3:
            rows.append((parts[0], parts[1], parts[2]))
    return Statetable(tuple(_arg(group, 0).split()), tuple(_arg(group, 1).split()), tuple(rows))


def _cell(node: Any, templates: dict[str, _Template]) -> PowerCell:
    attrs = _attrs(node)
    leakage = tuple(LeakageState(_attrs(g).get("when"), float(_attrs(g)["value"]))
                    for g in _groups(node, "leakage_power") if "value" in _attrs(g))
    return PowerCell(_arg(node), _float(attrs, "area", 0.0), _pins(node, templates), _sequentials(node),
                     attrs.get("clock_gating_integrated_cell"), _statetable(node),
                     _float(attrs, "cell_leakage_power"), leakage)


# ---- the library ----------------------------------------------------------------------------------------------

def _scale(text: str, base: str) -> float:
    """SI factor of a unit string such as ``1ns`` or ``1nW`` whose base unit is ``base``."""
    m = _UNIT.match(text)
    if not m or not m.group(2).lower().endswith(base.lower()):
        raise LibertyError(f"liberty unit {text!r} is not a multiple of {base}")
    prefix = m.group(2)[: -len(base)]
    return float(m.group(1) or 1) * _SI[prefix if prefix in _SI else prefix.lower()]


def _units(root: Any, attrs: dict[str, str]) -> Units:
    cap_node = _child(root, "capacitive_load_unit")
    cap = float(_arg(cap_node, 0)) * _SI[_arg(cap_node, 1).lower()[0]] if cap_node is not None else 1e-12
    return Units(_scale(attrs.get("time_unit", "1ns"), "s"), cap, _scale(attrs.get("voltage_unit", "1V"), "V"),
                 _scale(attrs.get("leakage_power_unit", "1nW"), "W"), _scale(attrs.get("current_unit", "1mA"), "A"))


def _wire_loads(root: Any) -> dict[str, WireLoad]:
    found = {}
    for node in _groups(root, "wire_load"):
        attrs = _attrs(node)
        table = tuple(sorted((float(_arg(c, 0)), float(_arg(c, 1))) for c in _groups(node, "fanout_length")))
        found[_arg(node)] = WireLoad(_arg(node), _float(attrs, "capacitance", 0.0),
                                     _float(attrs, "resistance", 0.0), _float(attrs, "slope", 0.0), table)
    return found


def _wire_load_selection(root: Any) -> dict[str, tuple[tuple[float, float, str], ...]]:
    return {_arg(node): tuple((float(_arg(c, 0)), float(_arg(c, 1)), _arg(c, 2))
                              for c in _groups(node, "wire_load_from_area"))
            for node in _groups(root, "wire_load_selection")}


def _operating_voltage(root: Any, attrs: dict[str, str]) -> float | None:
    chosen = attrs.get("default_operating_conditions")
    for node in _groups(root, "operating_conditions"):
        if chosen is None or _arg(node) == chosen:
            return _float(_attrs(node), "voltage")
    return None


def _library(root: Any, sha256: str) -> PowerLibrary:
    if root.id != "library":
        raise LibertyError(f"not a liberty library (top group is {root.id!r}); pass a .lib file")
    attrs = _attrs(root)
    templates = _templates(root)
    nom = _float(attrs, "nom_voltage", 0.0)
    supplies = {_arg(n, 0): float(_arg(n, 1)) for n in _groups(root, "voltage_map")}
    cells = {_arg(n): _cell(n, templates) for n in _groups(root, "cell")}
    return PowerLibrary(_arg(root), sha256, _units(root, attrs), nom, _operating_voltage(root, attrs) or nom,
                        supplies, cells, _wire_loads(root), attrs.get("default_wire_load"),
                        attrs.get("default_wire_load_mode"), _wire_load_selection(root),
                        attrs.get("default_wire_load_selection"), _float(attrs, "default_max_transition"))
