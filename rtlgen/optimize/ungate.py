"""Clock gating undone for the proof: each integrated clock-gating cell becomes an enable on its flip-flops.

A clock-gating recipe (Yosys ``clockgate``) replaces the enable multiplexer of a group of flip-flops by one
integrated clock-gating cell (ICG) that clocks them only while the enable is 1. The equivalence gate proves
single-clock designs, and a gated clock is a second clock, so before the proof each ICG is taken out again:
its flip-flops go back on the ICG's clock input and each gets ``D' = enable ? D : Q``. That is what the ICG
means (the liberty's ``clock_gating_integrated_cell``: a latch holds the enable while the clock is low, so a
flip-flop sees the edge exactly when the enable was 1 just before it), so the proof of the ungated netlist is
a proof of the gated one.

Anything outside that shape is refused (``UngateError``) rather than guessed: a gated clock that reaches
anything but a clock pin of a flip-flop that captures on the ICG's edge (another ICG, logic, a port, a
falling-edge flip-flop behind a rising-edge ICG, which would sample the enable half a cycle early), a
flip-flop whose next state is not one data pin, a test-enable pin not tied to 0, an enable computed from the
clock. The recipe is then not proven and is dropped.
"""
from __future__ import annotations

import itertools
import re
from typing import Any

from rtlgen.errors import RtlgenError
from rtlgen.synth.liberty import FlopPins, Liberty
from rtlgen.tools.yosys import pin_bits

Bit = int | str  # Yosys JSON: a net number, or "0" / "1" / "x" / "z"
# Yosys's own single-bit flip-flops that a liberty may leave unmapped (e.g. an asynchronous load): plain, async
# reset, set/reset and async load. Not the ones with a synchronous reset or an enable: gating their clock also
# stops the reset, which a multiplexer on D does not model.
_YOSYS_FLOP = re.compile(r"^\$_(?:DFF_(?P<dff>[PN])(?:[PN][01])?|DFFSR_(?P<dffsr>[PN])[PN][PN]"
                         r"|ALDFF_(?P<aldff>[PN])[PN])_$")


class UngateError(RtlgenError):
    """A clock-gated netlist whose gating is not the plain ICG-on-flip-flops shape; names the cell."""


def ungate(netlist: dict[str, Any], top: str, liberty: Liberty) -> int:
    """Undo every ICG of ``top`` in Yosys ``write_json`` form ``netlist``, in place; the number undone."""
    module = netlist["modules"][top]
    cells: dict[str, dict[str, Any]] = module["cells"]
    gates = {name: liberty.cells[c["type"]].clock_gate for name, c in cells.items()
             if c["type"] in liberty.cells and liberty.cells[c["type"]].clock_gate}
    if not gates:
        return 0
    fresh = itertools.count(1 + max((b for c in cells.values() for bits in c["connections"].values() for b in bits
                                     if isinstance(b, int)),
                                    default=1))
    port_bits = {b for port in module["ports"].values() for b in port["bits"]}
    # both indexes are of the netlist as Yosys wrote it, every ICG still in it: a gated clock reaching another
    # ICG is seen whichever of the two is undone first
    drivers = _combinational_drivers(cells, liberty)
    users: dict[Bit, dict[str, None]] = {}  # net bit -> the cells connected to it, in netlist order
    for user_name, user in cells.items():
        for bits in user["connections"].values():
            for bit in bits:
                users.setdefault(bit, {})[user_name] = None
    for name, gate in gates.items():
        pins = cells[name]["connections"]
        clock, gated, enable = pins[gate.clock][0], pins[gate.output][0], pins[gate.enable][0]
        if gated in port_bits:
            raise UngateError(f"clock-gating cell {name} drives a port")
        if any(pins.get(test, ["0"]) != ["0"] for test in gate.test):
            raise UngateError(f"clock-gating cell {name} has a test-enable pin not tied to 0")
        _refuse_clock_in_cone(name, enable, clock, drivers)
        for user_name in (u for u in users.get(gated, {}) if u != name):
            user = cells[user_name]
            used = [pin for pin, bits in user["connections"].items() if gated in bits]
            clock_pin, flop = _flop_pins(user["type"], liberty)
            if flop is None or used != [clock_pin] or flop.edge != gate.edge:
                raise UngateError(f"the gated clock of {name} reaches {user_name} ({user['type']}) pin "
                                  f"{'/'.join(used)}, not the clock pin of a {gate.edge} flip-flop")
            user["connections"][clock_pin] = [clock]
            if enable == "1":
                continue
            state = next((user["connections"][p][0] for p in flop.state if user["connections"].get(p)), None)
            if state is None:
                state = next(fresh)
                user["connections"][flop.state[0]] = [state]
            data, hold = user["connections"][flop.data][0], next(fresh)
            cells[f"$ungate${user_name}"] = {
                "type": "$_MUX_", "port_directions": {"A": "input", "B": "input", "S": "input", "Y": "output"},
                "connections": {"A": [state], "B": [data], "S": [enable], "Y": [hold]}}
            user["connections"][flop.data] = [hold]
    for name in gates:
        del cells[name]
    return len(gates)


def _flop_pins(cell_type: str, liberty: Liberty) -> tuple[str | None, FlopPins | None]:
    """(clock pin, pins) of a flip-flop cell whose next state is its data pin; (None, None) for anything else."""
    yosys = _YOSYS_FLOP.match(cell_type)
    if yosys:
        edge = next(polarity for polarity in yosys.groupdict().values() if polarity)
        return "C", FlopPins("D", ("Q",), "posedge" if edge == "P" else "negedge")
    info = liberty.cells.get(cell_type)
    if info is None or info.flop is None or len(info.clock_pins) != 1:
        return None, None
    return info.clock_pins[0], info.flop


def _combinational_drivers(cells: dict[str, dict[str, Any]], liberty: Liberty) -> dict[Bit, list[Bit]]:
    """Output bit -> the input bits of the combinational cell driving it (flip-flops and ICGs end a cone)."""
    drivers: dict[Bit, list[Bit]] = {}
    for cell in cells.values():
        info = liberty.cells.get(cell["type"])
        if (info and info.sequential) or _YOSYS_FLOP.match(cell["type"]):
            continue  # a flip-flop's output is state: the cone stops there
        ins = pin_bits(cell, "input")
        drivers.update((b, ins) for b in pin_bits(cell, "output"))
    return drivers


def _refuse_clock_in_cone(name: str, enable: Bit, clock: Bit, drivers: dict[Bit, list[Bit]]) -> None:
    """The enable must be a function of state and inputs: a clock in its combinational cone has no cycle value."""
    seen, todo = set(), [enable]
    while todo:
        bit = todo.pop()
        if bit == clock:
            raise UngateError(f"the enable of clock-gating cell {name} depends on its clock")
        if bit in seen or not isinstance(bit, int):
            continue
        seen.add(bit)
        todo.extend(drivers.get(bit, []))
