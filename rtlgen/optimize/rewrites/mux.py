"""Mux templates: selects whose condition is a constant, and selects whose branches are the same."""
from __future__ import annotations

from typing import Any

from pyslang.syntax import SyntaxKind

from rtlgen.optimize.rewrites.design import (Design, Site, expression_site, line_of, literal_value, present,
                                             snippet)
from rtlgen.spec.syntax import Edit, span

K = SyntaxKind


def _predicate(node: Any) -> Any | None:
    """The single plain condition of an if or ?: (None for ``&&&`` conditions, pattern matches, unique/priority)."""
    conditions = node.predicate.conditions
    if len(conditions) != 1 or conditions[0].matchesClause is not None:
        return None
    if node.kind == K.ConditionalStatement and present(node.uniqueOrPriority):
        return None
    return conditions[0].expr


def _statement_site(design: Design, node: Any, statement: Any | None, why: str) -> Site:
    """Replace if statement ``node`` by ``statement`` (or an empty block)."""
    text = design.text(statement).strip() if statement is not None else "begin end"
    start, end = span(node)
    return Site((Edit(start, end, node.kind, text, "statement"),), f"line {line_of(design, node)}: {why}")


def constant_condition(design: Design) -> list[Site]:
    """``1'b1 ? a : b`` -> ``a``; ``if (0) S1 else S2`` -> ``S2`` (literal conditions without x/z)."""
    sites = []
    for node in design.nodes:
        if node.kind not in (K.ConditionalExpression, K.ConditionalStatement):
            continue
        pred = _predicate(node)
        value = literal_value(pred) if pred is not None else None
        if value is None:
            continue
        why = f"condition {snippet(design, pred)} is constant"
        if node.kind == K.ConditionalExpression:
            kept = node.left if value else node.right
            sites.append(expression_site(design, node, design.text(kept).strip(), f"line {line_of(design, node)}: {why}"))
        else:
            kept = node.statement if value else (node.elseClause.clause if node.elseClause is not None else None)
            sites.append(_statement_site(design, node, kept, why))
    return sites


def _same(design: Design, a: Any, b: Any) -> bool:
    return "".join(design.text(a).split()) == "".join(design.text(b).split())


def identical_branches(design: Design) -> list[Site]:
    """``c ? a : a`` -> ``a``; ``if (c) S else S`` -> ``S`` (Verilog conditions have no side effects)."""
    sites = []
    for node in design.nodes:
        if node.kind == K.ConditionalExpression and _predicate(node) is not None and _same(design, node.left, node.right):
            sites.append(expression_site(design, node, design.text(node.left).strip(),
                                         f"line {line_of(design, node)}: both branches are "
                                         f"{snippet(design, node.left, 40)}"))
        elif node.kind == K.ConditionalStatement and node.elseClause is not None and _predicate(node) is not None \
                and _same(design, node.statement, node.elseClause.clause):
            sites.append(_statement_site(design, node, node.statement, "if and else do the same"))
    return sites


__all__ = ["constant_condition", "identical_branches"]
