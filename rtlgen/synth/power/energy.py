"""Price a gate-level activity: the average power of a mapped netlist from its liberty's tables.

Per cell instance, the way OpenSTA's ``report_power`` does in averaged mode, but from the simulated toggles and
times at 1 of every bit of the netlist (so a flip-flop behind a closed clock gate costs nothing on its clock pin):

- **internal**: each ``internal_power`` group's table at the input pin's slew and, for output pins, the output's
  load; a transition's energy is the mean of the rise and fall tables (a net rises and falls equally often).
  An input pin's groups are paid per toggle of that pin (weighted by P(``when``)); an output pin's groups per
  toggle of the output, shared among its related pins by how often each one toggles and how often the output is
  sensitive to it (the Boolean difference of the pin's ``function``; P(``when``) without one; else 1/2), as
  current OpenSTA shares them.
- **switching**: ½·C·V²·toggles on every net a cell drives. C is the load: the capacitance of every pin on the
  net (the larger of the rise and fall sums) plus the default wire-load model's wire capacitance for the net's
  fanout (input pins and output ports), where the library has one. Nets driven by a primary input are not
  counted (their driver is outside the design), as in OpenSTA.
- **leakage**: the ``leakage_power`` states weighted by the probability of their ``when``, the uncovered rest at
  ``cell_leakage_power``; a cell without states leaks its ``cell_leakage_power``.

Approximations (stated because they are not what a sign-off tool does with a full waveform): a ``when`` or a
Boolean difference over several pins is evaluated with the pins independent, each at 1 for its simulated share
of the time (``expr.probability``); a state variable in a ``when`` (``IQ``) takes the time at 1 of the output pin
whose ``function`` is that variable. Slews are propagated through the transition tables in topological order
(the larger over a pin's arcs, unateness respected) from 0 at the primary inputs: rtlgen's OpenSTA script sets
no input transition, so OpenSTA's primary-input slew is 0 as well; a combinational loop is cut at its back edge
(slew 0 there). Bits the activity does not cover are taken as constant 0.

Groups follow report_power: ``clock`` (integrated clock-gating cells and the buffers and inverters between a
clock pin and its root), ``register`` (flip-flops and latches), ``combinational`` (the rest).
"""
from __future__ import annotations

import heapq
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from rtlgen.synth.power import BitActivity, GateActivity
from rtlgen.synth.power.expr import Expr, expr_inputs, parse_expr, probability
from rtlgen.synth.power.library import InternalPower, PowerCell, PowerLibrary, PowerPin

GROUPS = ("clock", "register", "combinational")
TOP = 10
_CONSTANT_HIGH = {"0": 0.0, "1": 1.0, "x": 0.0, "z": 0.0}
_NO_ACTIVITY = BitActivity(0, 0.0)
_SENSES = {"positive_unate": ("same",), "negative_unate": ("opposite",)}

Bit = int | str


@dataclass(frozen=True)
class PowerSplit:
    """Average power in watts, split as report_power splits it."""

    internal_w: float = 0.0
    switching_w: float = 0.0
    leakage_w: float = 0.0

    @property
    def total_w(self) -> float:
        return self.internal_w + self.switching_w + self.leakage_w

    def plus(self, other: "PowerSplit") -> "PowerSplit":
        return PowerSplit(self.internal_w + other.internal_w, self.switching_w + other.switching_w,
                          self.leakage_w + other.leakage_w)

    def to_dict(self) -> dict[str, float]:
        return {"internal_w": self.internal_w, "switching_w": self.switching_w, "leakage_w": self.leakage_w,
                "total_w": self.total_w}


@dataclass(frozen=True)
class CellPower:
    instance: str
    cell: str
    group: str
    power: PowerSplit

    def to_dict(self) -> dict[str, Any]:
        return {"instance": self.instance, "cell": self.cell, "group": self.group, **self.power.to_dict()}


@dataclass(frozen=True)
class NetPower:
    net: str
    toggles: int
    load_f: float
    switching_w: float

    def to_dict(self) -> dict[str, Any]:
        return {"net": self.net, "toggles": self.toggles, "load_f": self.load_f, "switching_w": self.switching_w}


@dataclass(frozen=True)
class GatePower:
    """Average power of a mapped netlist over a simulation: totals, report_power's groups, the costliest cells
    and nets, and what the activity was (``source``, ``duration_ns``, ``cycles``). ``unpriced`` lists cell types
    of the netlist the liberty does not define (they cost nothing here)."""

    total: PowerSplit
    groups: dict[str, PowerSplit]
    top_cells: tuple[CellPower, ...]
    top_nets: tuple[NetPower, ...]
    duration_ns: float
    cycles: int
    source: str
    unpriced: tuple[str, ...] = ()
    engine: str = "gate"

    def to_dict(self) -> dict[str, Any]:
        return {"engine": self.engine, "source": self.source, "duration_ns": self.duration_ns,
                "cycles": self.cycles, **self.total.to_dict(),
                "groups": {name: split.to_dict() for name, split in self.groups.items()},
                "top_cells": [c.to_dict() for c in self.top_cells], "top_nets": [n.to_dict() for n in self.top_nets],
                "unpriced": list(self.unpriced)}


# ---- the netlist as the pricing sees it ---------------------------------------------------------------------

@dataclass(frozen=True)
class _Instance:
    name: str
    cell: PowerCell
    bits: dict[str, Bit]  # pin -> the one bit it connects


@dataclass
class _Netlist:
    instances: list[_Instance] = field(default_factory=list)
    driver: dict[Bit, tuple[_Instance, PowerPin]] = field(default_factory=dict)
    pins: dict[Bit, list[tuple[_Instance, PowerPin]]] = field(default_factory=lambda: defaultdict(list))
    output_ports: dict[Bit, int] = field(default_factory=lambda: defaultdict(int))
    names: dict[Bit, str] = field(default_factory=dict)
    unpriced: set[str] = field(default_factory=set)


def _read_netlist(netlist: dict[str, Any], top: str, library: PowerLibrary) -> _Netlist:
    module = netlist["modules"][top]
    view = _Netlist(names=_bit_names(module))
    for name, port in module["ports"].items():
        if port["direction"] == "output":
            for bit in port["bits"]:
                view.output_ports[bit] += 1
    for name, cell in module["cells"].items():
        kind = library.cells.get(cell["type"])
        if kind is None:
            view.unpriced.add(cell["type"])
            continue
        inst = _Instance(name, kind, {p: bits[0] for p, bits in cell["connections"].items() if bits and p in kind.pins})
        view.instances.append(inst)
        for pin_name, bit in inst.bits.items():
            pin = kind.pins[pin_name]
            view.pins[bit].append((inst, pin))
            if pin.direction == "output":
                view.driver[bit] = (inst, pin)
    return view


def _bit_names(module: dict[str, Any]) -> dict[Bit, str]:
    """A readable name per bit: visible names before Yosys's generated ones."""
    names: dict[Bit, str] = {}
    for name, net in sorted(module.get("netnames", {}).items(), key=lambda kv: (kv[1].get("hide_name", 0), kv[0])):
        bits = net["bits"]
        for i, bit in enumerate(bits):
            names.setdefault(bit, name if len(bits) == 1 else f"{name}[{i}]")
    return names


# ---- activity, load and slew --------------------------------------------------------------------------------

class _Activity:
    """Toggles and the share of time at 1 per bit (constants: never toggle, at their value)."""

    def __init__(self, activity: GateActivity) -> None:
        self.bits, self.duration = activity.bits, activity.duration_ns

    def toggles(self, bit: Bit) -> int:
        return 0 if isinstance(bit, str) else self.bits.get(bit, _NO_ACTIVITY).toggles

    def high(self, bit: Bit) -> float:
        if isinstance(bit, str):
            return _CONSTANT_HIGH.get(bit, 0.0)
        return self.bits.get(bit, _NO_ACTIVITY).high_ns / self.duration if self.duration else 0.0


def _loads(view: _Netlist, library: PowerLibrary) -> dict[Bit, float]:
    """Load capacitance (library units) of every driven net: pin capacitances plus wire-load capacitance."""
    wire = library.wire_load
    loads = {}
    for bit in view.driver:
        pins = view.pins[bit]
        rise = sum(p.rise_capacitance for _, p in pins)
        fall = sum(p.fall_capacitance for _, p in pins)
        fanout = sum(1 for _, p in pins if p.direction == "input") + view.output_ports.get(bit, 0)
        loads[bit] = max(rise, fall) + (wire.wire_capacitance(fanout) if wire else 0.0)
    return loads


def _arc_inputs(inst: _Instance, pin: PowerPin) -> list[Bit]:
    return [inst.bits[a.related_pin] for a in pin.timing if a.related_pin in inst.bits]


def _slew_order(view: _Netlist) -> list[Bit]:
    """Driven bits, each after the bits its timing arcs start from (a loop is cut at its back edge)."""
    order: list[Bit] = []
    state: dict[Bit, int] = {}  # 1 on the stack, 2 done
    for root in view.driver:
        if root in state:
            continue
        state[root] = 1
        stack = [(root, iter(_arc_inputs(*view.driver[root])))]
        while stack:
            bit, inputs = stack[-1]
            nxt = next((b for b in inputs if b in view.driver and b not in state), None)
            if nxt is None:
                stack.pop()
                state[bit] = 2
                order.append(bit)
            else:
                state[nxt] = 1
                stack.append((nxt, iter(_arc_inputs(*view.driver[nxt]))))
    return order


def _slews(view: _Netlist, loads: dict[Bit, float]) -> dict[Bit, tuple[float, float]]:
    """(rise, fall) slew of every driven bit from its driver's transition tables; 0 for the others."""
    slews: dict[Bit, tuple[float, float]] = {}
    for bit in _slew_order(view):
        inst, pin = view.driver[bit]
        rise = fall = 0.0
        for arc in pin.timing:
            source = slews.get(inst.bits.get(arc.related_pin, "0"), (0.0, 0.0))
            for sense in _SENSES.get(arc.timing_sense or "", ("same", "opposite")):
                from_rise, from_fall = source if sense == "same" else source[::-1]
                if arc.rise_transition:
                    rise = max(rise, arc.rise_transition.at(from_rise, loads[bit]))
                if arc.fall_transition:
                    fall = max(fall, arc.fall_transition.at(from_fall, loads[bit]))
        slews[bit] = (rise, fall)
    return slews


# ---- per instance ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Context:
    activity: _Activity
    library: PowerLibrary
    loads: dict[Bit, float]
    slews: dict[Bit, tuple[float, float]]

    def slew(self, bit: Bit) -> tuple[float, float]:
        return self.slews.get(bit, (0.0, 0.0))


def _pin_high(inst: _Instance, activity: _Activity) -> dict[str, float]:
    """Share of time at 1 of each pin name an expression of this cell may read (state variables included)."""
    high = {name: activity.high(bit) for name, bit in inst.bits.items()}
    for pin in inst.cell.pins.values():
        function = parse_expr(pin.function) if pin.function and pin.name in inst.bits else None
        if function and function[0] == "var":  # Q: "IQ" -- the state variable is at 1 when Q is
            high.setdefault(function[1], high[pin.name])
    return high


def _p(text: str | None, high: dict[str, float]) -> float:
    """P(text) with unknown names at 1/2."""
    return 1.0 if text is None else probability(parse_expr(text), high)


@lru_cache(maxsize=4096)
def _difference(function: str, pin: str) -> Expr:
    """The Boolean difference of ``function`` with respect to ``pin``: 1 where the pin decides the value."""
    expr = parse_expr(function)
    return ("xor", _substitute(expr, pin, True), _substitute(expr, pin, False))


def _substitute(expr: Expr, name: str, value: bool) -> Expr:
    if expr[0] == "var":
        return ("const", value) if expr[1] == name else expr
    if expr[0] == "const":
        return expr
    return (expr[0], *(_substitute(child, name, value) for child in expr[1:]))


def _mean_energy(group: InternalPower, rise_slew: float, fall_slew: float, load: float) -> float:
    """Energy of one transition: the mean of the rise and fall tables (library energy units)."""
    tables = [(t, s) for t, s in ((group.rise, rise_slew), (group.fall, fall_slew)) if t is not None]
    return sum(t.at(s, load) for t, s in tables) / len(tables) if tables else 0.0


def _input_pin_energy(inst: _Instance, pin: PowerPin, ctx: _Context, high: dict[str, float]) -> float:
    bit = inst.bits[pin.name]
    rise, fall = ctx.slew(bit)
    per_toggle = sum(_mean_energy(g, rise, fall, 0.0) * _p(g.when, high) for g in pin.internal_power)
    return per_toggle * ctx.activity.toggles(bit)


def _related_duty(pin: PowerPin, group: InternalPower, high: dict[str, float]) -> float:
    """How often the output is sensitive to the group's related pin: P(Boolean difference) when the pin is in the
    output's function, else P(``when``), else 1/2 (current OpenSTA's ``findInputDuty``)."""
    if pin.function and group.related_pin in expr_inputs(parse_expr(pin.function)):
        return probability(_difference(pin.function, group.related_pin), high)
    return _p(group.when, high) if group.when else 0.5


def _output_pin_energy(inst: _Instance, pin: PowerPin, ctx: _Context, high: dict[str, float]) -> float:
    bit = inst.bits[pin.name]
    toggles = ctx.activity.toggles(bit)
    if not toggles:
        return 0.0
    shares = []
    for group in pin.internal_power:
        from_bit = inst.bits.get(group.related_pin or "", bit)
        weight = ctx.activity.toggles(from_bit) * _related_duty(pin, group, high)
        rise, fall = ctx.slew(from_bit)
        if _negative(pin, group.related_pin):
            rise, fall = fall, rise
        shares.append((weight, _mean_energy(group, rise, fall, ctx.loads.get(bit, 0.0))))
    total_weight = sum(w for w, _ in shares)
    if not total_weight:
        return 0.0
    return toggles * sum(w * e for w, e in shares) / total_weight


def _negative(pin: PowerPin, related: str | None) -> bool:
    """True when the arc from ``related`` to ``pin`` inverts (an output rise follows an input fall)."""
    return any(a.related_pin == related and a.timing_sense == "negative_unate" for a in pin.timing)


def _internal_j(inst: _Instance, ctx: _Context) -> float:
    high = _pin_high(inst, ctx.activity)
    energy = 0.0
    for pin in inst.cell.pins.values():
        if not pin.internal_power or pin.name not in inst.bits:
            continue
        priced = _output_pin_energy if pin.direction == "output" else _input_pin_energy
        energy += priced(inst, pin, ctx, high)
    return energy * ctx.library.units.energy


def _net_switching_j(bit: Bit, pin: PowerPin, ctx: _Context) -> float:
    """½·C·V²·toggles of the net ``pin`` drives, V the pin's supply (the operating voltage without one)."""
    library = ctx.library
    volts = library.supply_voltages.get(pin.related_power_pin or "", library.voltage) * library.units.voltage
    farads = ctx.loads.get(bit, 0.0) * library.units.capacitance
    return 0.5 * farads * volts * volts * ctx.activity.toggles(bit)


def _switching_j(inst: _Instance, ctx: _Context) -> float:
    return sum(_net_switching_j(inst.bits[p.name], p, ctx) for p in inst.cell.pins.values()
               if p.direction == "output" and p.name in inst.bits)


def _leakage_w(inst: _Instance, ctx: _Context) -> float:
    cell = inst.cell
    states = [s for s in cell.leakage_states if s.when]
    if not states:
        plain = [s.value for s in cell.leakage_states]
        value = sum(plain) if plain and cell.leakage is None else cell.leakage or 0.0
        return value * ctx.library.units.leakage_power
    high = _pin_high(inst, ctx.activity)
    duties = [_p(s.when, high) for s in states]
    value = sum(s.value * d for s, d in zip(states, duties)) + (cell.leakage or 0.0) * max(0.0, 1.0 - sum(duties))
    return value * ctx.library.units.leakage_power


# ---- groups -------------------------------------------------------------------------------------------------

def _clock_pins(cell: PowerCell) -> set[str]:
    names = {p.name for p in cell.pins.values() if p.clock_gate_role == "clock"}
    for seq in cell.sequentials:
        for text in (seq.clocked_on, seq.enable):
            names.update(expr_inputs(parse_expr(text)) if text else ())
    return names


def _clock_tree(view: _Netlist) -> set[str]:
    """Instances between a clock pin and its root: clock gates, and single-input cells feeding clock pins."""
    tree: set[str] = set()
    todo = [inst.bits[p] for inst in view.instances for p in _clock_pins(inst.cell) if p in inst.bits]
    seen: set[Bit] = set()
    while todo:
        bit = todo.pop()
        if bit in seen or bit not in view.driver:
            continue
        seen.add(bit)
        inst, _ = view.driver[bit]
        gate_clock = [inst.bits[p.name] for p in inst.cell.pins.values()
                      if p.clock_gate_role == "clock" and p.name in inst.bits]
        inputs = [inst.bits[p.name] for p in inst.cell.pins.values() if p.direction == "input" and p.name in inst.bits]
        if inst.cell.clock_gating or len(inputs) == 1:
            tree.add(inst.name)
            todo.extend(gate_clock if inst.cell.clock_gating else inputs)
    return tree


def _group(inst: _Instance, tree: set[str]) -> str:
    if inst.name in tree or inst.cell.clock_gating:
        return "clock"
    return "register" if inst.cell.sequentials else "combinational"


# ---- the price --------------------------------------------------------------------------------------------------

def price(activity: GateActivity, library: PowerLibrary, netlist: dict[str, Any]) -> GatePower:
    """Average power of ``netlist`` (Yosys JSON of the mapped, flattened top) under ``activity``."""
    view = _read_netlist(netlist, activity.top, library)
    loads = _loads(view, library)
    ctx = _Context(_Activity(activity), library, loads, _slews(view, loads))
    seconds = activity.duration_ns * 1e-9
    tree = _clock_tree(view)
    cells = [CellPower(inst.name, inst.cell.name, _group(inst, tree), _cell_power(inst, ctx, seconds))
             for inst in view.instances]
    groups = {name: PowerSplit() for name in GROUPS}
    for cell in cells:
        groups[cell.group] = groups[cell.group].plus(cell.power)
    total = PowerSplit()
    for split in groups.values():
        total = total.plus(split)
    return GatePower(total, groups, tuple(heapq.nlargest(TOP, cells, key=lambda c: c.power.total_w)),
                     _top_nets(view, ctx, seconds), activity.duration_ns, activity.cycles, activity.source,
                     tuple(sorted(view.unpriced)))


def _cell_power(inst: _Instance, ctx: _Context, seconds: float) -> PowerSplit:
    """One instance's power; a run of no duration (a design without inputs) has leakage only."""
    if seconds <= 0:
        return PowerSplit(leakage_w=_leakage_w(inst, ctx))
    return PowerSplit(_internal_j(inst, ctx) / seconds, _switching_j(inst, ctx) / seconds, _leakage_w(inst, ctx))


def _top_nets(view: _Netlist, ctx: _Context, seconds: float) -> tuple[NetPower, ...]:
    nets = [NetPower(view.names.get(bit, str(bit)), ctx.activity.toggles(bit),
                     ctx.loads[bit] * ctx.library.units.capacitance, _net_switching_j(bit, pin, ctx) / seconds)
            for bit, (_, pin) in view.driver.items()] if seconds > 0 else []
    return tuple(heapq.nlargest(TOP, nets, key=lambda n: n.switching_w))
