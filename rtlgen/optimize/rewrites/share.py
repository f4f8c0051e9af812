"""Operator sharing across exclusive branches: compute once, select the operands.

An if/else-if chain, a case statement, nested ones, or a tree of ``?:`` whose branches compute
expressions of one shape into one target (``y = a * b`` in one branch, ``y = c * d`` in another)
build one operator per branch, of which only one result is used. Every such branch is rewritten
to compute the same expression, whose differing operands are selected by the branch conditions
(``y = (s ? a : c) * (s ? b : d)``); synthesis then merges the identical copies into one operator.
Adds and subtracts share one adder: ``X - Y`` is ``X + ~Y + 1`` at the expression's width.

Why it is sound: a branch's conditions are evaluated, with nothing assigned in between, right before
its assignment, so re-evaluating them inside the assignment selects that branch's own operands; the
operands selected together have the same width and signedness, so the shared operator sees the
same types; subtracts are folded only on unsigned operands (the carry-in is unsigned).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Union

from pyslang.syntax import SyntaxKind, SyntaxNode

from rtlgen.optimize.rewrites.design import (Design, Site, expression_site, line_of, normalized, paren,
                                             plain_condition, present, single_assignment, snippet)
from rtlgen.spec.syntax import ancestors, is_logic, span, strip_parens

K = SyntaxKind
# operators worth a select on their operands: an adder, multiplier, divider, barrel shifter or comparator
_WORTH_SHARING = {K.AddExpression, K.SubtractExpression, K.MultiplyExpression, K.DivideExpression, K.ModExpression,
                  K.LogicalShiftLeftExpression, K.LogicalShiftRightExpression, K.ArithmeticShiftLeftExpression,
                  K.ArithmeticShiftRightExpression, K.LessThanExpression, K.LessThanEqualExpression,
                  K.GreaterThanExpression, K.GreaterThanEqualExpression}
_ADD_SUB = {K.AddExpression, K.SubtractExpression}
_ATOMS = {K.IdentifierName, K.IdentifierSelectName, K.IntegerLiteralExpression, K.IntegerVectorExpression}
_BRANCH_LINKS = {K.ElseClause, K.StandardCaseItem, K.DefaultCaseItem}


@dataclass(eq=False)
class _Leaf:
    """One branch's value: ``node`` assigned to ``target`` (None inside a ?: tree)."""

    node: Any
    target: tuple[str, Any] | None


@dataclass(eq=False)
class _Cond:
    condition: str
    then: Tree
    other: Tree


@dataclass(eq=False)
class _Case:
    items: list[tuple[str, Tree]]
    default: Tree = None
    exclusive: bool = False  # distinct constant labels: at most one item matches


Tree = Union[_Leaf, _Cond, _Case, None]  # None: a branch that computes nothing shareable


def _case_condition(design: Design, case: Any, item: Any) -> str | None:
    """``sel == L1 || sel == L2`` for a case item; None for a signed select.

    With an unsigned select, the case and each ``==`` compare unsigned, zero-extended: the same values.
    """
    labels = [e for e in item.expressions if isinstance(e, SyntaxNode)]
    info = design.type_of(case.expr)
    if not labels or info is None or info.signed:
        return None
    sel = paren(design.text(case.expr))
    return " || ".join(f"{sel} == {_operand(design, label)}" for label in labels)


def _operand(design: Design, node: Any) -> str:
    text = design.text(node).strip()
    return text if strip_parens(node).kind in _ATOMS else paren(text)


def _distinct_labels(design: Design, case: Any) -> bool:
    values = [design.constant_of(e) for item in case.items if item.kind == K.StandardCaseItem
              for e in item.expressions if isinstance(e, SyntaxNode)]
    return None not in values and len(set(values)) == len(values)


def _statement_tree(design: Design, statement: Any) -> Tree:
    while statement.kind == K.SequentialBlockStatement and len(statement.items) == 1:
        statement = statement.items[0]
    if statement.kind == K.ConditionalStatement:
        condition = plain_condition(statement)
        if condition is None:
            return None
        other = _statement_tree(design, statement.elseClause.clause) if statement.elseClause is not None else None
        return _Cond(design.text(condition).strip(), _statement_tree(design, statement.statement), other)
    if statement.kind == K.CaseStatement:
        if statement.caseKeyword.rawText != "case" or present(statement.uniqueOrPriority):
            return None
        case = _Case([], exclusive=_distinct_labels(design, statement))
        for item in statement.items:
            if item.kind == K.DefaultCaseItem:
                case.default = _statement_tree(design, item.clause)
            elif item.kind == K.StandardCaseItem:
                condition = _case_condition(design, statement, item)
                if condition is None:
                    return None
                case.items.append((condition, _statement_tree(design, item.clause)))
        return case
    assign = single_assignment(statement)
    return _Leaf(assign.right, (normalized(design, assign.left), assign.kind)) if assign is not None else None


def _expression_tree(design: Design, expr: Any) -> Tree:
    plain = strip_parens(expr)
    condition = plain_condition(plain) if plain.kind == K.ConditionalExpression else None
    if condition is None:
        return _Leaf(expr, None)
    return _Cond(design.text(condition).strip(), _expression_tree(design, plain.left),
                 _expression_tree(design, plain.right))


def _leaves(tree: Tree) -> list[_Leaf]:
    if isinstance(tree, _Leaf):
        return [tree]
    if isinstance(tree, _Cond):
        return _leaves(tree.then) + _leaves(tree.other)
    if isinstance(tree, _Case):
        return [leaf for _, sub in tree.items for leaf in _leaves(sub)] + _leaves(tree.default)
    return []


Choice = Union[str, tuple[str, "Choice", "Choice"]]  # a value, or (condition, then, otherwise)


def _pick(tree: Tree, values: dict[int, str], idle: str | None) -> Choice | None:
    """A choice equal to ``values[leaf]`` wherever the branch of a leaf in ``values`` is taken, and to ``idle``
    in every other branch (None: whatever is cheapest there)."""
    if isinstance(tree, _Leaf):
        return values.get(id(tree), idle)
    if isinstance(tree, _Cond):
        return _choose(tree.condition, _pick(tree.then, values, idle), _pick(tree.other, values, idle))
    if isinstance(tree, _Case):
        items = [(condition, _pick(sub, values, idle)) for condition, sub in tree.items]
        chosen = _pick(tree.default, values, idle)
        fallback = chosen if chosen is not None else next((v for _, v in reversed(items) if v is not None), None)
        if tree.exclusive:
            chosen = fallback
        for condition, value in reversed(items):
            if not (tree.exclusive and value == fallback):  # exclusive items giving the fallback go to it
                chosen = _choose(condition, value, chosen)
        return chosen
    return idle


def _choose(condition: str, then: Choice | None, other: Choice | None) -> Choice | None:
    """``condition ? then : other``, where a missing side is never needed (its branch assigns nothing shared)."""
    if then is None or other is None or then == other:
        return other if then is None else then
    if isinstance(other, tuple) and other[1] == then:  # c1 ? x : (c2 ? x : y) is (c1 || c2) ? x : y
        return (f"{paren(condition)} || {paren(other[0])}", then, other[2])
    return (condition, then, other)


def _render(choice: Choice) -> str:
    if isinstance(choice, str):
        return choice
    condition, then, other = choice
    return f"({paren(condition)} ? {_render(then)} : {_render(other)})"


@dataclass
class _Merger:
    """The shared expression of several same-shape branch values; ``select`` picks one text per branch
    (the second argument: the width of the values)."""

    design: Design
    select: Callable[[list[str], int], str]
    shared: list[Any] = field(default_factory=list)  # operators computed once instead of once per branch

    def merge(self, nodes: list[Any]) -> str | None:
        if len({normalized(self.design, n) for n in nodes}) == 1:
            return self.design.text(nodes[0]).strip()
        plain = [strip_parens(n) for n in nodes]
        kinds = {n.kind for n in plain}
        if kinds == _ADD_SUB:
            return self.fold(plain)
        if len(kinds) == 1 and plain[0].kind not in _ATOMS:
            text = self.same_kind(plain)
            if text is not None:
                return text
        return self.choice(nodes)

    def choice(self, nodes: list[Any]) -> str | None:
        """One branch's own subexpression, selected: all must have the same width and signedness."""
        infos = {(i.width, i.signed) if i else None for i in map(self.design.type_of, nodes)}
        if len(infos) != 1 or None in infos:
            return None
        return self.select([paren(self.design.text(n)) for n in nodes], infos.pop()[0])

    def same_kind(self, nodes: list[Any]) -> str | None:
        """The first node's text with each child that differs between the nodes merged in turn."""
        slots = [list(n) for n in nodes]
        if len({len(s) for s in slots}) != 1:
            return None
        start, end = span(nodes[0])
        text = self.design.source[start:end]
        replacements = []
        for children in zip(*slots):
            if all(isinstance(c, SyntaxNode) for c in children):
                merged = self.merge(list(children))
                if merged is None:
                    return None
                replacements.append((span(children[0]), merged))
            elif any(isinstance(c, SyntaxNode) for c in children) \
                    or len({getattr(c, "rawText", None) for c in children}) != 1:
                return None
        for (s, e), merged in sorted(replacements, reverse=True):
            text = text[: s - start] + merged.encode() + text[e - start:]
        if nodes[0].kind in _WORTH_SHARING:
            self.shared.append(nodes[0])
        return text.decode()

    def fold(self, nodes: list[Any]) -> str | None:
        """Adds and subtracts as one adder: ``X + (Y or ~Y) + (0 or 1)``, unsigned operands only."""
        operands = [n.left for n in nodes] + [n.right for n in nodes]
        if any(i is None or i.signed for i in map(self.design.type_of, operands)):
            return None
        left = self.merge([n.left for n in nodes])
        if left is None:
            return None
        subtract = [n.kind == K.SubtractExpression for n in nodes]
        right = self.select([f"~{paren(self.design.text(n.right))}" if sub else paren(self.design.text(n.right))
                             for n, sub in zip(nodes, subtract)], self.design.type_of(nodes[0].right).width)
        carry = self.select(["1'b1" if sub else "1'b0" for sub in subtract], 1)
        self.shared.append(nodes[0])
        return f"{paren(left)} + {right} + {carry}"


def _roots(design: Design) -> list[Tree]:
    """The outermost if/case statements and ?: expressions (a nested one belongs to its enclosing tree)."""
    trees = []
    for node in design.nodes:
        if node.kind in (K.ConditionalStatement, K.CaseStatement) and not _nested_statement(node):
            trees.append(_statement_tree(design, node))
        elif node.kind == K.ConditionalExpression and is_logic(node) and not _nested_expression(node):
            trees.append(_expression_tree(design, node))
    return trees


def _nested_statement(node: Any) -> bool:
    for parent in ancestors(node):
        if parent.kind in (K.ConditionalStatement, K.CaseStatement):
            return True
        if parent.kind not in _BRANCH_LINKS and not (
                parent.kind == K.SequentialBlockStatement and len(parent.items) == 1):
            return False
    return False


def _nested_expression(node: Any) -> bool:
    child = node
    for parent in ancestors(node):
        if parent.kind == K.ConditionalExpression:
            return child is parent.left or child is parent.right
        if parent.kind != K.ParenthesizedExpression:
            return False
        child = parent
    return False


def _groups(tree: Tree) -> list[list[_Leaf]]:
    """Leaves of one target whose top operator is the same (adds and subtracts together), two or more."""
    groups: dict[tuple[Any, Any], list[_Leaf]] = {}
    for leaf in _leaves(tree):
        kind = strip_parens(leaf.node).kind
        if kind not in _ATOMS:
            key = (leaf.target, K.AddExpression if kind in _ADD_SUB else kind)
            groups.setdefault(key, []).append(leaf)
    return [g for g in groups.values() if len(g) > 1]


def _site(design: Design, tree: Tree, group: list[_Leaf], quiet: bool) -> Site | None:
    """One shared expression for ``group``; ``quiet``: its operands are zero in every other branch, so the
    shared operator does not toggle there (a select more, less switching)."""
    def select(texts: list[str], width: int) -> str:
        idle = (f"{{{width}{{1'b0}}}}" if width > 1 else "1'b0") if quiet else None
        chosen = _pick(tree, {id(leaf): text for leaf, text in zip(group, texts)}, idle)
        assert chosen is not None  # every leaf of the group is reachable in its own tree
        return _render(chosen)

    merger = _Merger(design, select)
    shared = merger.merge([leaf.node for leaf in group])
    if shared is None or not merger.shared:
        return None
    last = max(group, key=lambda leaf: span(leaf.node)[0])
    why = (f"line {line_of(design, last.node)}: {len(group)} branches compute "
           f"{snippet(design, merger.shared[0], 40)} once, operands selected"
           + (", held at zero in the other branches" if quiet else ""))
    # the checked edit (the last in the source) first: every other edit lies in front of it (templates._sound)
    sites = [expression_site(design, leaf.node, shared, why) for leaf in [last, *[g for g in group if g is not last]]]
    return Site(tuple(s.edits[0] for s in sites), why, sites[0].checked)


def share_branches(design: Design) -> list[Site]:
    """Same-shape computations in exclusive branches (if/case/?:, nested) as one computation of selected operands."""
    sites = []
    for tree in _roots(design):
        for group in _groups(tree):
            variants = [_site(design, tree, group, quiet) for quiet in (False, True)]
            sites += [site for i, site in enumerate(variants)
                      if site is not None and (i == 0 or variants[0] is None or site.edits != variants[0].edits)]
    return sites


__all__ = ["share_branches"]
