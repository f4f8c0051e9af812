"""Read a module's interface from RTL (pyslang), and infer its clock and reset."""
from __future__ import annotations

import re

from pyslang.ast import ArgumentDirection, Compilation
from pyslang.syntax import SyntaxKind, SyntaxTree

from rtlgen.errors import SpecError
from rtlgen.spec.model import Clock, Port, Reset

_DIRECTIONS = {ArgumentDirection.In: "input", ArgumentDirection.Out: "output", ArgumentDirection.InOut: "inout"}
CLOCK_NAMES = ("clk", "clock", "clk_i", "i_clk", "clk_in", "CLK", "aclk")
_RESET_RE = re.compile(r"^(a?resetn?|a?rstn?|rst_n|reset_n|arst_n|areset_n|rst_b|nreset|nrst|i_rst|rst_i|aresetn|rstn)$",
                       re.IGNORECASE)


def module_names(rtl: str) -> list[str]:
    """Names of the modules declared in ``rtl``, in source order."""
    names: list[str] = []

    def visit(node: object) -> None:
        if getattr(node, "kind", None) == SyntaxKind.ModuleDeclaration:
            names.append(node.header.name.valueText)

    SyntaxTree.fromText(rtl).root.visit(visit)
    return names


def read_ports(rtl: str, top: str, source: str = "<rtl>") -> tuple[Port, ...]:
    """The ports of module ``top`` with direction, width and signedness."""
    compilation = Compilation()
    compilation.addSyntaxTree(SyntaxTree.fromText(rtl, name=source))
    root = compilation.getRoot()
    instances = {inst.name: inst for inst in root.topInstances}
    if top not in instances:
        found = ", ".join(module_names(rtl)) or "none"
        raise SpecError(f"module '{top}' is not declared (modules found: {found})", path=source, field="top")
    ports = []
    for port in instances[top].body.portList:
        direction = _DIRECTIONS.get(port.direction)
        if direction is None:
            raise SpecError(f"port '{port.name}' has unsupported direction {port.direction}", path=source)
        ports.append(Port(port.name, direction, max(1, int(port.type.bitWidth)), bool(port.type.isSigned)))
    return tuple(ports)


def infer_clock(ports: tuple[Port, ...]) -> Clock | None:
    for p in ports:
        if p.direction == "input" and p.width == 1 and p.name in CLOCK_NAMES:
            return Clock(p.name)
    return None


def infer_reset(ports: tuple[Port, ...], rtl: str = "") -> Reset | None:
    """A reset port by name; polarity from its name (``_n``, ``n`` suffix), async if RTL has it in a sensitivity list."""
    for p in ports:
        if p.direction != "input" or p.width != 1 or not _RESET_RE.match(p.name):
            continue
        low = p.name.lower()
        active_low = low.endswith("n") and not low.endswith("reset") or low.endswith("_b") or low.startswith("n")
        edge = "negedge" if active_low else "posedge"
        is_async = bool(re.search(rf"\b{edge}\s+{re.escape(p.name)}\b", rtl))
        return Reset(p.name, active_low=active_low, kind="async" if is_async else "sync")
    return None
