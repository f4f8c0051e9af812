"""Unpacked-array ports made packed, without changing the design's meaning.

Yosys (``read_verilog -sv``) does not accept unpacked-array ports (``input [7:0] data [0:7]``), a
common SystemVerilog idiom, and the auto-testbench's harness drives every port as a slice of one
vector. When every use of such a port selects an element, the port means the same as the packed
array with the unpacked dimension moved in front (``input [0:7][7:0] data``): ``data[i]`` and
``data[i][j]`` denote the same bits. Every tool that hands RTL to Yosys (synthesis, formal,
agreement) and the auto-testbench pass it through :func:`packed_ports`, so both sides of a
comparison see the same port layout; the user's RTL itself is never rewritten.
"""
from __future__ import annotations

from typing import Any

from pyslang.syntax import SyntaxKind

from rtlgen.spec.syntax import parse, span, splice, token_span, walk

_PORT_KINDS = (SyntaxKind.ImplicitAnsiPort, SyntaxKind.PortDeclaration)


def packed_ports(rtl: str) -> str:
    """``rtl`` with each element-indexed unpacked-array port of a non-instantiated module made packed.

    Text that does not parse, or has no such port, is returned unchanged (Yosys reports the problem).
    """
    if "[" not in rtl:
        return rtl
    tree = parse(rtl)
    if any(d.isError() for d in tree.diagnostics):
        return rtl
    source = rtl.encode()
    nodes = walk(tree.root)
    instantiated = {n.type.valueText for n in nodes if n.kind == SyntaxKind.HierarchyInstantiation}
    edits: list[tuple[int, int, str]] = []
    for module in (n for n in nodes if n.kind == SyntaxKind.ModuleDeclaration):
        if module.header.name.valueText not in instantiated:
            edits += _module_edits(module, source)
    return splice(source, edits)


def _module_edits(module: Any, source: bytes) -> list[tuple[int, int, str]]:
    nodes = walk(module)
    edits: list[tuple[int, int, str]] = []
    for port in (n for n in nodes if n.kind in _PORT_KINDS):
        data_type = port.header.dataType
        declarators = [port.declarator] if port.kind == SyntaxKind.ImplicitAnsiPort else list(port.declarators)
        if len(declarators) != 1 or not hasattr(data_type, "dimensions"):
            continue  # several names share the packed type: moving one's dimension would change the others
        declarator = declarators[0]
        dims = list(declarator.dimensions)
        packed = _range_text(dims[0], source) if len(dims) == 1 else None
        if packed is None or not _only_indexed(nodes, declarator.name.valueText):
            continue
        start, end = span(dims[0])
        edits.append((start, end, ""))
        at = span(data_type.dimensions[0])[0] if len(data_type.dimensions) else token_span(declarator.name)[0]
        edits.append((at, at, packed + " "))
    return edits


def _range_text(dim: Any, source: bytes) -> str | None:
    """``[a:b]`` for a fixed-size unpacked dimension (``[N]`` becomes ``[0:N-1]``), None for other kinds."""
    spec = dim.specifier
    if spec is None:
        return None
    if spec.kind == SyntaxKind.RangeDimensionSpecifier and spec.selector.kind == SyntaxKind.SimpleRangeSelect:
        lo, hi = span(spec.selector)
        return "[" + source[lo:hi].decode() + "]"
    if spec.kind == SyntaxKind.RangeDimensionSpecifier and spec.selector.kind == SyntaxKind.BitSelect:
        lo, hi = span(spec.selector)
        return "[0:(" + source[lo:hi].decode() + ")-1]"
    return None


def _only_indexed(nodes: list[Any], name: str) -> bool:
    """True when every reference to ``name`` (other than its declaration) is the array of an element select."""
    uses = [n for n in nodes if n.kind == SyntaxKind.IdentifierName and n.identifier.valueText == name]
    if sum(n.kind == SyntaxKind.Declarator and n.name.valueText == name for n in nodes) != 1:
        return False  # also declared as a net or variable: leave the pair alone
    return all(u.parent.kind == SyntaxKind.ElementSelectExpression and span(u.parent.left) == span(u) for u in uses)
