"""The mapped netlist written back from its Yosys JSON with one net per JSON bit, named ``b_<bit>``.

Both the gate-level simulation (whose dump then names every net by the bit the pricing reads) and OpenSTA's
cross-check (whose activities are set by the same names) read this one rendering, so the two see the same
circuit; they differ only in which ports it has.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rtlgen.synth.render import render

_CONSTANT = {"0": "1'b0", "1": "1'b1", "x": "1'bx", "z": "1'bz"}


def net(bit: int | str) -> str:
    """The Verilog net of a JSON bit (constants as Verilog literals)."""
    return f"b_{bit}" if isinstance(bit, int) else _CONSTANT[bit]


def _pin(bits: list[int | str]) -> str:
    """A cell pin's connection: one JSON bit, a constant, or their concatenation (msb first)."""
    names = [net(b) for b in reversed(bits)]
    return names[0] if len(names) == 1 else "{" + ", ".join(names) + "}"


@dataclass(frozen=True)
class Port:
    name: str
    direction: str


def _ports(module: dict[str, Any], directions: tuple[str, ...]) -> tuple[list[Port], list[tuple[str, str]]]:
    """One port per bit of the chosen directions. A bit on several ports (an output that repeats another, or an
    input) stays one net: the first port is ``b_<bit>``, each further one ``b_<bit>_<k>``, assigned from it."""
    ports: list[Port] = []
    aliases: list[tuple[str, str]] = []
    seen: dict[int, int] = {}
    for port in (p for p in module["ports"].values() if p["direction"] in directions):
        for bit in (b for b in port["bits"] if isinstance(b, int)):
            name = net(bit) if bit not in seen else f"{net(bit)}_{seen[bit]}"
            if bit in seen:
                aliases.append((name, net(bit)))
            seen[bit] = seen.get(bit, 0) + 1
            ports.append(Port(name, port["direction"]))
    return ports, aliases


def netlist_bits(module: dict[str, Any]) -> list[int]:
    """Every JSON bit the written netlist has a net for (a cell pin or a port touches it), in ascending order."""
    used = {b for cell in module["cells"].values() for bits in cell["connections"].values() for b in bits}
    used |= {b for port in module["ports"].values() for b in port["bits"]}
    return sorted(b for b in used if isinstance(b, int))


def write_bit_netlist(module: dict[str, Any], name: str, source: str, directions: tuple[str, ...]) -> str:
    """Structural Verilog of the JSON module ``name``d so, one instance per cell, the ports of ``directions`` as
    its ports (every other bit a wire); ``source`` names the JSON file in the header."""
    ports, aliases = _ports(module, directions)
    on_ports = {b for p in module["ports"].values() if p["direction"] in directions for b in p["bits"]}
    cells = [{"type": cell["type"], "pins": [(pin, _pin(bits)) for pin, bits in sorted(cell["connections"].items())
                                             if bits]}
             for _, cell in sorted(module["cells"].items())]
    return render("bit_netlist.v.j2", source=source, module=name, ports=ports, aliases=aliases, cells=cells,
                  wires=[b for b in netlist_bits(module) if b not in on_ports])
