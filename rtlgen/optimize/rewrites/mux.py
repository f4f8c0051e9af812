"""Mux templates: constant conditions, identical branches, and AND-OR selects written as select chains."""
from __future__ import annotations

from typing import Any

from pyslang.syntax import SyntaxKind

from rtlgen.optimize.rewrites.design import (Design, Site, expression_site, line_of, literal_value, paren,
                                             plain_condition, snippet)
from rtlgen.spec.syntax import Edit, span, strip_parens

K = SyntaxKind


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
        pred = plain_condition(node)
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
        if node.kind == K.ConditionalExpression and plain_condition(node) is not None and _same(design, node.left, node.right):
            sites.append(expression_site(design, node, design.text(node.left).strip(),
                                         f"line {line_of(design, node)}: both branches are "
                                         f"{snippet(design, node.left, 40)}"))
        elif node.kind == K.ConditionalStatement and node.elseClause is not None and plain_condition(node) is not None \
                and _same(design, node.statement, node.elseClause.clause):
            sites.append(_statement_site(design, node, node.statement, "if and else do the same"))
    return sites



def _or_leaves(node: Any) -> list[Any]:
    node = strip_parens(node)
    if node.kind == K.BinaryOrExpression:
        return _or_leaves(node.left) + _or_leaves(node.right)
    return [node]


def _gated_term(design: Design, leaf: Any) -> tuple[str, int, str] | None:
    """(select text, constant, data text) for ``(sel == K) ? data : 0``, seen directly or through a wire."""
    if leaf.kind == K.IdentifierName and leaf.identifier.valueText in design.drivers:
        driver = design.drivers[leaf.identifier.valueText]
        info = design.type_of(driver)
        if info is None or info.width != info.delivered:
            return None  # the wire truncates or extends its driver: inlining would change the value
        leaf = strip_parens(driver)
    if leaf.kind != K.ConditionalExpression or plain_condition(leaf) is None:
        return None
    pred = strip_parens(plain_condition(leaf))
    if pred.kind != K.EqualityExpression or design.constant_of(leaf.right) != 0:
        return None
    constant = design.constant_of(pred.right)
    if constant is None:
        return None
    return "".join(design.text(pred.left).split()), constant, design.text(leaf.left).strip()


def andor_to_select(design: Design) -> list[Site]:
    """``((s == 0) ? a : 0) | ((s == 1) ? b : 0) | ...`` -> ``(s == 0) ? a : (s == 1) ? b : ... : 0``.

    The terms test one select against distinct constants, so at most one is non-zero and the OR is
    that term; when the constants cover every select value the final zero is never reached and the
    last data input takes its place.
    """
    sites = []
    for node in design.nodes:
        if node.kind != K.BinaryOrExpression or _inside_or(node):
            continue  # only the whole OR tree
        leaves = _or_leaves(node)
        terms = [_gated_term(design, leaf) for leaf in leaves]
        if len(terms) < 2 or None in terms or len({t[0] for t in terms}) != 1 or len({t[1] for t in terms}) != len(terms):
            continue
        sel_node = strip_parens(plain_condition(_term_node(design, leaves[0]))).left
        sel_info = design.type_of(sel_node)
        zero = design.text(_term_node(design, leaves[0]).right).strip()
        full = sel_info is not None and not sel_info.signed and sel_info.width <= 16 \
            and {t[1] for t in terms} == set(range(1 << sel_info.width))
        sel = paren(design.text(sel_node))
        chain = [f"({sel} == {k}) ? {paren(data)}" for _, k, data in terms]
        last = paren(terms[-1][2]) if full else zero
        text = " :\n    ".join((chain[:-1] if full else chain) + [last])
        sites.append(expression_site(design, node, text, f"line {line_of(design, node)}: AND-OR select of "
                                     f"{len(terms)} inputs on {sel} as a select chain"))
    return sites


def _inside_or(node: Any) -> bool:
    parent = node.parent
    while parent is not None and parent.kind == K.ParenthesizedExpression:
        parent = parent.parent
    return parent is not None and parent.kind == K.BinaryOrExpression


def _term_node(design: Design, leaf: Any) -> Any:
    if leaf.kind == K.IdentifierName and leaf.identifier.valueText in design.drivers:
        return strip_parens(design.drivers[leaf.identifier.valueText])
    return leaf


__all__ = ["andor_to_select", "constant_condition", "identical_branches"]
