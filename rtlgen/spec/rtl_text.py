"""Source-level edits of RTL text that keep everything else byte for byte (pyslang tokens)."""
from __future__ import annotations

from pyslang.syntax import SyntaxKind

from rtlgen.spec.syntax import parse


def rename_modules(rtl: str, mapping: dict[str, str]) -> str:
    """Rename module declarations and instantiations per ``mapping`` (old name -> new name).

    Only module names in declaration headers and instantiation types are touched, so a signal
    that happens to share a module's name is left alone.
    """
    tree = parse(rtl)
    spots: list[tuple[int, str, str]] = []

    def visit(node: object) -> None:
        kind = getattr(node, "kind", None)
        token = None
        if kind == SyntaxKind.ModuleDeclaration:
            token = node.header.name
        elif kind == SyntaxKind.HierarchyInstantiation:
            token = node.type
        if token is not None and token.valueText in mapping:
            spots.append((token.location.offset, token.valueText, mapping[token.valueText]))

    tree.root.visit(visit)
    data = rtl.encode()
    for offset, old, new in sorted(spots, reverse=True):
        if data[offset:offset + len(old.encode())] == old.encode():
            data = data[:offset] + new.encode() + data[offset + len(old.encode()):]
    return data.decode()


def prefix_modules(rtl: str, prefix: str, names: list[str]) -> tuple[str, dict[str, str]]:
    """Give every module in ``names`` a ``prefix`` so two designs can be compiled side by side."""
    mapping = {name: prefix + name for name in names}
    return rename_modules(rtl, mapping), mapping
