"""Synthesis sanity: a mapped netlist that lost the design's logic is never reported as a success.

Yosys turns what nothing drives (a hierarchical reference read as an implicit wire, a submodule output left
unassigned) into undefined values and then optimises the logic reading them away, down to an empty netlist of
area zero. Two Yosys ``write_json`` dumps of the same run are compared: the elaborated RTL (flattened before
any optimisation) and the mapped design (before tie cells). An output is lost when the mapped netlist drives
it with a constant or nothing while the RTL drives it from logic that reads an undriven signal, or when the
mapped netlist leaves undriven an output the RTL drives. An output the RTL ties to a constant or leaves
undriven itself, or logic that optimises to a constant from defined signals (a register a parameter disables,
an unreachable state), is a legitimate result. Cells left unmapped onto the liberty are lost logic too: area,
timing and power leave them out.
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Any

from rtlgen.synth.liberty import Liberty
from rtlgen.synth.memories import MACRO_CELL
from rtlgen.synth.report import LostLogic
from rtlgen.tools.yosys import pin_bits

_NAMES_SHOWN = 4


@dataclass(frozen=True)
class _Module:
    """A flattened module of a Yosys ``write_json`` dump, indexed by net bit."""

    outputs: dict[str, list[int | str]]
    driver: dict[int, dict[str, Any]]   # bit -> the cell driving it
    inputs: frozenset[int]
    names: dict[int, tuple[str, int, int]]  # bit -> (net name, its width, the bit's HDL index), public first
    cell_count: int
    nets: dict[str, dict[str, Any]]     # net name -> its ``write_json`` entry (offset, upto)

    def port_label(self, port: str, positions: list[int]) -> str:
        """``port`` with the bits at ``positions`` (0 = its first bit in ``write_json`` order) as HDL indices."""
        net = self.nets.get(port, {})
        width = len(self.outputs[port])
        return _bits_label(port, width, sorted(_hdl_index(net, i) for i in positions))

    @classmethod
    def of(cls, dump: dict[str, Any], top: str) -> "_Module":
        module = dump["modules"][top]
        ports = module["ports"]
        driver = {bit: cell for cell in module["cells"].values() for bit in pin_bits(cell, "output")
                  if isinstance(bit, int)}
        inputs = frozenset(b for p in ports.values() if p["direction"] == "input" for b in p["bits"]
                           if isinstance(b, int))
        names: dict[int, tuple[str, int, int]] = {}
        for name, net in sorted(module["netnames"].items(), key=lambda item: item[0].startswith("$")):
            for i, bit in enumerate(net["bits"]):
                if isinstance(bit, int):
                    names.setdefault(bit, (name, len(net["bits"]), _hdl_index(net, i)))
        outputs = {n: p["bits"] for n, p in ports.items() if p["direction"] == "output"}
        return cls(outputs, driver, inputs, names, len(module["cells"]), module["netnames"])

    def driven(self, bit: int | str) -> bool:
        return isinstance(bit, str) or bit in self.inputs or bit in self.driver

    def undriven_in_cone(self, bit: int) -> list[int]:
        """The undriven net bits the logic driving ``bit`` reads (through registers too)."""
        seen, found, todo = {bit}, [], deque([bit])
        while todo:
            current = todo.popleft()
            cell = self.driver.get(current)
            if cell is None:
                if current not in self.inputs:
                    found.append(current)
                continue
            for source in pin_bits(cell, "input"):
                if isinstance(source, int) and source not in seen:
                    seen.add(source)
                    todo.append(source)
        return found


def _hdl_index(net: dict[str, Any], position: int) -> int:
    """The Verilog index of the bit at ``position`` of a ``write_json`` net (``[7:0]``, ``[8:1]`` or ``[0:7]``)."""
    offset = net.get("offset", 0)
    return offset + len(net["bits"]) - 1 - position if net.get("upto") else offset + position


def _bits_label(port: str, width: int, indices: list[int]) -> str:
    """``port[3:0]``, ``port[6,2:1]`` for sorted ``indices``; the bare name for a 1-bit net."""
    if width == 1:
        return port
    runs: list[str] = []
    start = prev = indices[0]
    for i in [*indices[1:], None]:
        if i is not None and i == prev + 1:
            prev = i
            continue
        runs.append(f"{prev}:{start}" if prev != start else f"{start}")
        if i is not None:
            start = prev = i
    return f"{port}[{','.join(reversed(runs))}]"


def _net_labels(module: _Module, bits: list[int]) -> list[str]:
    """``bits`` named by their nets, each net once with the bits concerned (``s.w[3:0]``)."""
    nets: dict[tuple[str, int], list[int]] = {}
    for bit in bits:
        name, width, index = module.names.get(bit, (f"net {bit}", 1, 0))
        nets.setdefault((name, width), []).append(index)
    return sorted(_bits_label(name, width, sorted(idx)) for (name, width), idx in nets.items())


def _lost_bit_reason(rtl: _Module, mapped_bit: int | str, rtl_bit: int | str) -> str | None:
    """Why one output bit counts as lost, or None when the mapped netlist keeps it (or the RTL ties it)."""
    if isinstance(rtl_bit, str) or not rtl.driven(rtl_bit):
        return None  # the RTL itself ties it to a constant or leaves it undriven (Yosys's `check` says so)
    mapped_has_no_driver = not isinstance(mapped_bit, str)
    undriven = rtl.undriven_in_cone(rtl_bit)
    if undriven:
        names = _net_labels(rtl, undriven)
        shown = ", ".join(names[:_NAMES_SHOWN]) + (f" and {len(names) - _NAMES_SHOWN} more"
                                                   if len(names) > _NAMES_SHOWN else "")
        return f"the RTL drives it from logic that reads {shown}, which nothing drives"
    return "the RTL drives it from logic" if mapped_has_no_driver else None


def lost_outputs(rtl_dump: dict[str, Any], mapped_dump: dict[str, Any], top: str) -> list[LostLogic]:
    """Outputs of ``top`` that the mapped netlist drives with a constant or nothing while the RTL drives
    them from logic reading an undriven signal (or, mapped undriven, from any logic); grouped per port."""
    rtl, mapped = _Module.of(rtl_dump, top), _Module.of(mapped_dump, top)
    lost: list[LostLogic] = []
    for port, bits in mapped.outputs.items():
        rtl_bits = rtl.outputs.get(port, [])
        by_reason: dict[str, list[int]] = {}
        for i, (mapped_bit, rtl_bit) in enumerate(zip(bits, rtl_bits)):
            if isinstance(mapped_bit, int) and mapped.driven(mapped_bit):
                continue
            reason = _lost_bit_reason(rtl, mapped_bit, rtl_bit)
            if reason is not None:
                kind = f"constant {mapped_bit}" if isinstance(mapped_bit, str) else "nothing"
                by_reason.setdefault(f"the mapped netlist drives it with {kind}; {reason}", []).append(i)
        lost += [LostLogic("output", mapped.port_label(port, idx), why) for why, idx in by_reason.items()]
    if lost and mapped.cell_count == 0:
        lost.insert(0, LostLogic("empty", top, f"the mapped netlist has no cells (area zero); the RTL has "
                                               f"{rtl.cell_count} cells"))
    return lost


def unmapped_logic(cells: dict[str, int], liberty: Liberty) -> list[LostLogic]:
    """Cell types the flow left unmapped onto ``liberty``: their area, timing and power are not counted. A memory
    macro is not among them: the report lists it with its estimated area (``SynthReport.memory_macros``)."""
    return [LostLogic("unmapped", cell, f"{count} cells not mapped onto the liberty {liberty.name}: area, timing "
                                        "and power leave them out")
            for cell, count in cells.items() if cell not in liberty.cells and cell != MACRO_CELL]
