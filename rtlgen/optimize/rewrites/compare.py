"""Comparator templates: logic that computes a word-level comparison (found by its exact truth table), and a
subtraction's borrow written as the comparison it is.

A one-bit expression over two equally wide unsigned inputs X and Y (at most ``MAX_BITS`` input bits
in total, through any chain of single-driver wires) is evaluated for every input value with numpy;
when the table equals X == Y, X != Y, X < Y, X <= Y, X > Y or X >= Y, the expression becomes that
comparison. The evaluator covers bit and part selects, literals, bitwise, logical, reduction,
equality, relational and ?: operators, and refuses anything else (or any width it cannot mirror).
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
from pyslang.syntax import SyntaxKind, SyntaxNode

from rtlgen.optimize.rewrites.design import Design, Site, expression_site, line_of, literal_value, paren, snippet
from rtlgen.spec.interface import read_ports
from rtlgen.spec.syntax import Edit, span, strip_parens, walk

K = SyntaxKind
MAX_BITS = 16
Value = tuple[np.ndarray, int]  # (values for every input combination, width)

_RELATIONS: dict[str, Callable[[np.ndarray, np.ndarray], np.ndarray]] = {
    "==": np.equal, "!=": np.not_equal, "<": np.less, "<=": np.less_equal, ">": np.greater, ">=": np.greater_equal}
_BINARY: dict[SyntaxKind, Callable[[np.ndarray, np.ndarray], np.ndarray]] = {
    K.EqualityExpression: np.equal, K.InequalityExpression: np.not_equal, K.LessThanExpression: np.less,
    K.LessThanEqualExpression: np.less_equal, K.GreaterThanExpression: np.greater,
    K.GreaterThanEqualExpression: np.greater_equal}


class _Unsupported(Exception):
    pass


def _mask(width: int) -> np.uint64:
    return np.uint64((1 << width) - 1) if width < 64 else np.uint64(0xFFFFFFFFFFFFFFFF)


class _Evaluator:
    def __init__(self, design: Design, inputs: dict[str, Value]) -> None:
        self.design, self.inputs = design, inputs
        self.depth = 0

    def wire(self, name: str) -> Value:
        """An input's values, or a single-driver wire's: its driver cut to the wire's width."""
        if name in self.inputs:
            return self.inputs[name]
        if name not in self.design.drivers or self.depth > 16:
            raise _Unsupported(name)
        info = self.design.type_of(self.design.drivers[name])
        if info is None or info.signed:
            raise _Unsupported(name)
        self.depth += 1
        values, _ = self(self.design.drivers[name])
        self.depth -= 1
        return values & _mask(info.delivered), info.delivered

    def __call__(self, node: Any) -> Value:
        kind = node.kind
        if kind == K.ParenthesizedExpression:
            return self(node.expression)
        if kind == K.IdentifierName:
            return self.wire(node.identifier.valueText)
        if kind == K.IdentifierSelectName:
            return self.select(node)
        if kind in (K.IntegerLiteralExpression, K.IntegerVectorExpression):
            value = literal_value(node)
            if value is None:
                raise _Unsupported("x/z literal")
            size = getattr(node, "size", None)
            width = int(size.rawText) if size is not None and size.rawText.isdigit() else 32
            return np.full_like(next(iter(self.inputs.values()))[0], value), width
        if kind in _BINARY:
            (a, _), (b, _) = self(node.left), self(node.right)
            return _BINARY[kind](a, b).astype(np.uint64), 1
        if kind in (K.LogicalAndExpression, K.LogicalOrExpression):
            (a, _), (b, _) = self(node.left), self(node.right)
            op = np.logical_and if kind == K.LogicalAndExpression else np.logical_or
            return op(a != 0, b != 0).astype(np.uint64), 1
        if kind in (K.BinaryAndExpression, K.BinaryOrExpression, K.BinaryXorExpression, K.BinaryXnorExpression):
            return self.bitwise(node)
        if kind == K.UnaryLogicalNotExpression:
            return (self(node.operand)[0] == 0).astype(np.uint64), 1
        if kind == K.UnaryBitwiseNotExpression:
            values, width = self(node.operand)
            self.same_width(node, width)
            return ~values & _mask(width), width
        if kind in (K.UnaryBitwiseAndExpression, K.UnaryBitwiseOrExpression, K.UnaryBitwiseXorExpression):
            return self.reduce(node)
        if kind == K.ConditionalExpression and len(node.predicate.conditions) == 1:
            cond = self(node.predicate.conditions[0].expr)[0] != 0
            (a, wa), (b, wb) = self(node.left), self(node.right)
            return np.where(cond, a, b), max(wa, wb)
        raise _Unsupported(str(kind))

    def same_width(self, node: Any, width: int) -> None:
        """~ and ~^ extend before inverting: only mirror them where the context adds no bits."""
        info = self.design.type_of(node)
        if info is None or info.width != width:
            raise _Unsupported("context-extended inversion")

    def bitwise(self, node: Any) -> Value:
        (a, wa), (b, wb) = self(node.left), self(node.right)
        width = max(wa, wb)
        if node.kind == K.BinaryAndExpression:
            return a & b, width
        if node.kind == K.BinaryOrExpression:
            return a | b, width
        if node.kind == K.BinaryXorExpression:
            return a ^ b, width
        self.same_width(node, width)
        return ~(a ^ b) & _mask(width), width

    def reduce(self, node: Any) -> Value:
        values, width = self(node.operand)
        bits = [(values >> np.uint64(i)) & np.uint64(1) for i in range(width)]
        if node.kind == K.UnaryBitwiseAndExpression:
            out = np.logical_and.reduce(bits)
        elif node.kind == K.UnaryBitwiseOrExpression:
            out = np.logical_or.reduce(bits)
        else:
            out = np.bitwise_xor.reduce(bits)
        return np.asarray(out).astype(np.uint64), 1

    def select(self, node: Any) -> Value:
        selectors = list(node.selectors)
        if len(selectors) != 1:
            raise _Unsupported("multi-dimensional select")
        name = node.identifier.valueText
        values, width = self.wire(name)
        sel = selectors[0].selector
        if sel.kind == K.BitSelect:
            index = literal_value(sel.expr)
            if index is None or index >= width:
                raise _Unsupported("variable bit select")
            return (values >> np.uint64(index)) & np.uint64(1), 1
        if sel.kind == K.SimpleRangeSelect:
            high, low = literal_value(sel.left), literal_value(sel.right)
            if high is None or low is None or not 0 <= low <= high < width:
                raise _Unsupported("range select")
            return (values >> np.uint64(low)) & _mask(high - low + 1), high - low + 1
        raise _Unsupported("indexed part select")


def _names(design: Design, node: Any, seen: set[str]) -> set[str]:
    """Leaf names an expression reads, through single-driver wires."""
    out: set[str] = set()
    for n in walk(node):
        if n.kind not in (K.IdentifierName, K.IdentifierSelectName):
            continue
        name = n.identifier.valueText
        if name in design.drivers and name not in seen:
            seen.add(name)
            out |= _names(design, design.drivers[name], seen)
        elif name not in design.drivers:
            out.add(name)
    return out


def _roots(design: Design) -> list[Any]:
    """Whole right-hand sides of assignments and initializers that are one bit wide."""
    roots = []
    for node in design.nodes:
        if node.kind in (K.AssignmentExpression, K.NonblockingAssignmentExpression):
            rhs = node.right
        elif node.kind == K.EqualsValueClause:
            rhs = node.expr
        else:
            continue
        info = design.type_of(rhs)
        if info is not None and info.width == 1 and not info.signed:
            roots.append(rhs)
    return roots


def _match(design: Design, rhs: Any, ports: dict[str, Any]) -> tuple[str, str, str] | None:
    """(X, op, Y) whose comparison equals ``rhs`` on every input, or None."""
    names = _names(design, rhs, set())
    if len(names) != 2 or not names <= set(ports):
        return None
    x, y = sorted(names, key=lambda n: list(ports).index(n))
    px, py = ports[x], ports[y]
    if px.signed or py.signed or px.width != py.width or px.width + py.width > MAX_BITS:
        return None
    width = px.width
    index = np.arange(1 << (2 * width), dtype=np.uint64)
    xs, ys = index & _mask(width), index >> np.uint64(width)
    try:
        table = _Evaluator(design, {x: (xs, width), y: (ys, width)})(rhs)[0] != 0
    except _Unsupported:
        return None
    for op, relation in _RELATIONS.items():
        if np.array_equal(table, relation(xs, ys)):
            return x, op, y
    return None


def _sites(design: Design, wanted: Callable[[Design, Any, tuple[str, str, str]], bool], why: str) -> list[Site]:
    ports = {p.name: p for p in read_ports(design.rtl, design.top) if p.direction == "input"}
    sites = []
    for rhs in _roots(design):
        plain = strip_parens(rhs)
        if plain.kind == K.IdentifierName:
            continue
        found = _match(design, rhs, ports)
        if found is None or not wanted(design, plain, found):
            continue
        x, op, y = found
        text = f"{x} {op} {y}"
        if "".join(design.text(plain).split()) == text.replace(" ", ""):
            continue
        sites.append(expression_site(design, rhs, text, f"line {line_of(design, rhs)}: "
                                     f"{snippet(design, rhs)} is {text} ({why})"))
    return sites


def _bit_level(design: Design, node: Any, found: tuple[str, str, str]) -> bool:
    return any(n.kind == K.IdentifierSelectName and n.identifier.valueText in (found[0], found[2]) for n in walk(node))


def _through_wires(design: Design, node: Any, found: tuple[str, str, str]) -> bool:
    return any(n.kind == K.IdentifierName and n.identifier.valueText in design.drivers for n in walk(node))


def word_level(design: Design) -> list[Site]:
    """Bit-by-bit comparison logic of two inputs written as one word-level comparison."""
    return _sites(design, _bit_level, "bit-level logic")


def merge_derived(design: Design) -> list[Site]:
    """Logic over comparison results (eq || gt) written as the comparison it equals (>=)."""
    return _sites(design, _through_wires, "derived from other comparisons")


def _borrow_split(design: Design, assign: Any) -> tuple[str, str, str, str] | None:
    """(borrow, difference, X, Y) of ``{borrow, difference} = X - Y`` with unsigned X and Y no wider than the
    difference: the assignment computes X - Y one bit wider than X and Y, whose top bit is then X < Y."""
    target, value = strip_parens(assign.left), strip_parens(assign.right)
    if target.kind != K.ConcatenationExpression or value.kind != K.SubtractExpression:
        return None
    parts = [e for e in target.expressions if isinstance(e, SyntaxNode)]
    if len(parts) != 2:
        return None
    borrow, difference = (design.type_of(part) for part in parts)
    operands = [design.type_of(side) for side in (value.left, value.right)]
    own = [design.own_width(side) for side in (value.left, value.right)]
    if borrow is None or difference is None or None in operands or None in own or borrow.width != 1:
        return None
    if any(info.signed for info in operands) or max(own) > difference.width:
        return None
    return (design.text(parts[0]).strip(), design.text(parts[1]).strip(), paren(design.text(value.left)),
            paren(design.text(value.right)))


def borrow_compare(design: Design) -> list[Site]:
    """``{borrow, diff} = X - Y`` -> ``borrow = X < Y; diff = X - Y``: the borrow of an unsigned subtraction is the
    comparison X < Y, which synthesis builds as a comparator, smaller than a subtractor's carry chain; when the
    difference is only compared with zero or not read at all, its subtractor goes too.

    Type-safe by construction (``Site.checked`` None): X and Y are unsigned and no wider than ``diff``, so the
    subtraction was computed at ``diff``'s width plus one, whose top bit is 1 exactly when X < Y, and ``diff`` keeps
    the same low bits of the same subtraction. Continuous assignments with one target list and procedural
    assignments (either kind) are rewritten; the gate proves each.
    """
    sites = []
    for node in design.nodes:
        if node.kind == K.ContinuousAssign and len(node.assignments) == 1:
            found, what = _borrow_split(design, node.assignments[0]), "member"
            template = "assign {b} = {x} < {y};\n  assign {d} = {x} - {y};"
        elif node.kind == K.ExpressionStatement and node.expr.kind in (K.AssignmentExpression,
                                                                         K.NonblockingAssignmentExpression):
            found, what = _borrow_split(design, node.expr), "statement"
            op = "=" if node.expr.kind == K.AssignmentExpression else "<="
            template = f"begin {{b}} {op} {{x}} < {{y}}; {{d}} {op} {{x}} - {{y}}; end"
        else:
            continue
        if found is None:
            continue
        borrow, difference, x, y = found
        start, end = span(node)
        text = template.format(b=borrow, d=difference, x=x, y=y)
        sites.append(Site((Edit(start, end, node.kind, text, what),),
                          f"line {line_of(design, node)}: the borrow {borrow} of {x} - {y} is {x} < {y}"))
    return sites


__all__ = ["MAX_BITS", "borrow_compare", "merge_derived", "word_level"]
