"""Register templates: a register that only ever takes one constant becomes that constant."""
from __future__ import annotations

from collections import defaultdict
from typing import Any

from pyslang.syntax import SyntaxKind, SyntaxNode

from rtlgen.optimize.rewrites.design import Design, Site, line_of, literal_value
from rtlgen.spec.syntax import Edit, ancestors, span

K = SyntaxKind
_ASSIGNMENTS = (K.NonblockingAssignmentExpression, K.AssignmentExpression)
_ALWAYS = (K.AlwaysBlock, K.AlwaysFFBlock, K.AlwaysCombBlock, K.AlwaysLatchBlock)


def _assignments(design: Design) -> dict[str, list[Any]]:
    """Whole-variable assignments by target name (continuous, procedural, for-loop steps alike)."""
    found: dict[str, list[Any]] = defaultdict(list)
    for node in design.nodes:
        if node.kind in _ASSIGNMENTS:
            target = node.left
            name = target.identifier.valueText if target.kind in (K.IdentifierName, K.IdentifierSelectName) else None
            if name is not None:
                found[name].append(node)
    return found


def _declaration(design: Design, name: str) -> Any | None:
    """The module-level ``reg``/``logic`` declaration that declares only ``name`` (no array dimensions)."""
    for node in design.nodes:
        if node.kind != K.DataDeclaration or node.parent is None or node.parent.kind != K.ModuleDeclaration:
            continue
        declarators = [d for d in node.declarators if isinstance(d, SyntaxNode)]
        if len(declarators) == 1 and declarators[0].name.valueText == name:
            if len(declarators[0].dimensions) or not design.text(node.type).split()[0] in ("reg", "logic"):
                return None
            return node
    return None


def constant_register(design: Design) -> list[Site]:
    """``reg r`` assigned only the constant C (or itself) in clocked blocks -> ``wire r = C``.

    After reset the register holds C forever; before the first clock edge it held X or its initial
    value, which the equivalence gate (reset forced in the first cycle) treats as not observable.
    """
    sites = []
    for name, assigns in _assignments(design).items():
        statements = [a.parent for a in assigns]
        if any(a.left.kind != K.IdentifierName or s is None or s.kind != K.ExpressionStatement
               for a, s in zip(assigns, statements)):
            continue
        if not all(any(p.kind in _ALWAYS for p in ancestors(a)) for a in assigns):
            continue
        values = {literal_value(a.right) for a in assigns if _rhs_name(a) != name}
        if len(values) != 1 or None in values:
            continue
        constant = next(a.right for a in assigns if _rhs_name(a) != name)
        declaration = _declaration(design, name)
        if declaration is None:
            continue
        kind_word = design.text(declaration.type).split()[0]
        wire_type = design.text(declaration.type).strip().replace(kind_word, "wire", 1)
        start, end = span(declaration)
        edits = [Edit(start, end, declaration.kind, f"{wire_type} {name} = {design.text(constant).strip()};", "member")]
        for statement in statements:
            s_start, s_end = span(statement)
            edits.append(Edit(s_start, s_end, statement.kind, "begin end", "statement"))
        sites.append(Site(tuple(edits), f"line {line_of(design, declaration)}: register {name} only ever holds "
                                        f"{design.text(constant).strip()}: replaced by the constant"))
    return sites


def _rhs_name(assign: Any) -> str | None:
    right = assign.right
    return right.identifier.valueText if right.kind == K.IdentifierName else None


__all__ = ["constant_register"]
