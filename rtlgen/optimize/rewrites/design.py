"""A design as template rewrites see it: the syntax tree plus pyslang's elaborated expression types.

Rewrites must keep every value bit for bit. Verilog sizes expressions by context, so a rewrite
that looks algebraically right can still change a width (``a * 5`` is 32 bits wide, ``(a << 2) + a``
only 8); the types recorded here let ``preserves`` check the rewritten expression delivers the
same bits as the original at the same place.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from pyslang import Bag
from pyslang.ast import Compilation, CompilationOptions, EvalContext
from pyslang.syntax import SyntaxKind

from rtlgen.spec.syntax import Edit, ancestors, parse, span, strip_parens, text_of, walk

K = SyntaxKind


@dataclass(frozen=True)
class TypeInfo:
    """An expression's elaborated width and signedness, and the width delivered after implicit conversion."""

    width: int
    signed: bool
    delivered: int


def preserves(old: TypeInfo, new: TypeInfo) -> bool:
    """True when an expression typed ``new`` in place of one typed ``old`` delivers the same bits.

    Either the types are identical, or both deliver the same width by truncation only, from
    expressions of the same signedness (the operand extension is then the same and only bits that
    both computations produce are kept). Valid for expressions built from low-bit-closed operators
    (+, -, *, <<, ~, &, |, ^, ?:), which is what the template rewrites produce.
    """
    if (old.width, old.signed, old.delivered) == (new.width, new.signed, new.delivered):
        return True
    return old.signed == new.signed and old.delivered == new.delivered \
        and old.delivered <= min(old.width, new.width)


class Design:
    """Parsed and elaborated RTL of one top module; expression types keyed by syntax node span."""

    def __init__(self, rtl: str, top: str) -> None:
        self.rtl, self.top = rtl, top
        self.source = rtl.encode()
        self.tree = parse(rtl)
        self.nodes = walk(self.tree.root)
        options = CompilationOptions()
        options.topModules = {top}
        self._compilation = Compilation(Bag([options]))
        self._compilation.addSyntaxTree(self.tree)
        self.errors = [d for d in self._compilation.getAllDiagnostics() if d.isError()]
        self._types: dict[tuple[int, int], TypeInfo] = {}
        self._exprs: dict[tuple[int, int], Any] = {}  # elaborated expression per syntax span
        self._collect_types()
        self.procedural: set[str] = set()  # variables assigned in always/initial blocks
        self.drivers = self._continuous_drivers()
        self.constants = self._constant_names()

    def text(self, node: Any) -> str:
        return text_of(self.source, node)

    def _collect_types(self) -> None:
        delivered: dict[tuple[int, int], int] = {}  # outermost conversion width per source range
        inner: list[tuple[tuple[int, int], tuple[int, int], int, bool]] = []

        def visit(expr: Any) -> None:
            if not type(expr).__name__.endswith("Expression") or not hasattr(expr, "type"):
                return
            rng = expr.sourceRange
            key = (rng.start.offset, rng.end.offset)
            width, signed = int(expr.type.bitWidth), bool(expr.type.isSigned)
            delivered.setdefault(key, width)
            if expr.syntax is not None:
                inner.append((span(expr.syntax), key, width, signed))
                self._exprs.setdefault(span(expr.syntax), expr)

        self._compilation.getRoot().visit(visit)
        for syntax_span, key, width, signed in inner:
            self._types.setdefault(syntax_span, TypeInfo(width, signed, delivered[key]))

    def type_of(self, node_or_span: Any) -> TypeInfo | None:
        key = node_or_span if isinstance(node_or_span, tuple) else span(node_or_span)
        return self._types.get(key)

    def own_width(self, node: Any) -> int | None:
        """The width a name or select has of its own (its declaration's), before the context extends it."""
        expr = self._exprs.get(span(node))
        return int(expr.type.bitWidth) if expr is not None else None

    def constant_of(self, node_or_span: Any) -> int | None:
        """The elaborated value of a constant expression (parameters and replications folded); None otherwise."""
        key = node_or_span if isinstance(node_or_span, tuple) else span(node_or_span)
        expr = self._exprs.get(key)
        if expr is None:
            return None if isinstance(node_or_span, tuple) else literal_value(node_or_span)
        value = getattr(expr.eval(EvalContext(self._compilation.getRoot())), "value", None)
        if type(value).__name__ != "SVInt" or value.hasUnknown:
            return None  # not constant, or x/z bits
        return int(value)

    def _constant_names(self) -> set[str]:
        """Parameters, genvars and for-loop variables: names whose value is fixed once the design is elaborated."""
        names: set[str] = set()
        for node in self.nodes:
            if node.kind == K.ParameterDeclaration:
                names |= {d.name.valueText for d in node.declarators if hasattr(d, "name")}
            elif node.kind == K.GenvarDeclaration:
                names |= {n.identifier.valueText for n in walk(node) if n.kind == K.IdentifierName}
            elif node.kind in (K.ForLoopStatement, K.LoopGenerate):
                body = node.statement if node.kind == K.ForLoopStatement else node.block
                head = [n for n in walk(node) if n.kind == K.IdentifierName
                        and not any(a is body for a in (n, *ancestors(n, node)))]
                names |= {n.identifier.valueText for n in head}
        return names

    def _continuous_drivers(self) -> dict[str, Any]:
        """Nets driven exactly once by a continuous assignment or declaration initializer: name -> expression."""
        found: dict[str, list[Any]] = {}
        procedural: set[str] = set()
        for node in self.nodes:
            if node.kind == K.ContinuousAssign:
                for assign in node.assignments:
                    if getattr(assign, "kind", None) == K.AssignmentExpression and assign.left.kind == K.IdentifierName:
                        found.setdefault(assign.left.identifier.valueText, []).append(assign.right)
            elif node.kind == K.Declarator and node.initializer is not None \
                    and any(a.kind == K.NetDeclaration for a in (node.parent, getattr(node.parent, "parent", None)) if a):
                found.setdefault(node.name.valueText, []).append(node.initializer.expr)
            elif node.kind in (K.NonblockingAssignmentExpression, K.AssignmentExpression) \
                    and node.parent is not None and node.parent.kind == K.ExpressionStatement:
                left = node.left
                name = getattr(getattr(left, "identifier", None), "valueText", None)
                if name:
                    procedural.add(name)
        self.procedural = procedural
        return {name: exprs[0] for name, exprs in found.items() if len(exprs) == 1 and name not in procedural}


def present(token: Any) -> bool:
    """A token that is actually in the source (pyslang gives missing optional tokens as empty tokens)."""
    return token is not None and bool(token.rawText)


def plain_condition(node: Any) -> Any | None:
    """The single plain condition of an if or ?: (None for ``&&&`` conditions, pattern matches, unique/priority):
    the only kind a template may move or share without changing which branch runs."""
    conditions = node.predicate.conditions
    if len(conditions) != 1 or conditions[0].matchesClause is not None:
        return None
    if node.kind == K.ConditionalStatement and present(node.uniqueOrPriority):
        return None
    return conditions[0].expr


def paren(text: str) -> str:
    """``text`` in parentheses unless it is a plain name or already parenthesised as a whole."""
    text = text.strip()
    if re.fullmatch(r"[A-Za-z_][\w$]*(\[[^\[\]]*\])?", text):
        return text
    if text.startswith("(") and text.endswith(")"):
        depth = 0
        for i, ch in enumerate(text):
            depth += ch == "("
            depth -= ch == ")"
            if depth == 0 and i < len(text) - 1:
                break
        else:
            return text
    return f"({text})"


# operators whose low result bits depend only on the low bits of their (context-sized) operands
_LOW_BIT_CLOSED = {K.AddExpression, K.SubtractExpression, K.MultiplyExpression, K.BinaryAndExpression,
                   K.BinaryOrExpression, K.BinaryXorExpression, K.BinaryXnorExpression, K.UnaryBitwiseNotExpression,
                   K.UnaryMinusExpression, K.UnaryPlusExpression, K.ParenthesizedExpression}


def closed_root(design: Design, start: int, end: int, kind: Any) -> tuple[int, int] | None:
    """Span of the largest expression around node (start, end, kind) reached through low-bit-closed operators.

    Within such an expression every operand is sized by the same context, so a rewrite inside it is
    safe when the whole expression still delivers the same bits (``preserves``) and keeps its signedness.
    """
    node = next((n for n in design.nodes if n.kind == kind and span(n) == (start, end)), None)
    if node is None:
        return None
    while node.parent is not None:
        parent = node.parent
        closed = parent.kind in _LOW_BIT_CLOSED or (
            parent.kind == K.ConditionalExpression and node is not parent.predicate) or (
            parent.kind in (K.LogicalShiftLeftExpression, K.ArithmeticShiftLeftExpression) and node is parent.left)
        if not closed:
            break
        node = parent
    return span(node)


def is_rhs(node: Any) -> bool:
    """The node is the whole right-hand side of an assignment or initializer (no parentheses needed)."""
    parent = node.parent
    if parent is None:
        return False
    if parent.kind in (K.AssignmentExpression, K.NonblockingAssignmentExpression):
        return parent.right is node
    return parent.kind == K.EqualsValueClause


def normalized(design: Design, node: Any) -> str:
    """The node's source without whitespace: two nodes with the same text compute the same value."""
    return "".join(design.text(node).split())


def single_assignment(statement: Any) -> Any | None:
    """The single assignment a statement (or a begin/end with one statement) consists of."""
    while statement.kind == K.SequentialBlockStatement and len(statement.items) == 1:
        statement = statement.items[0]
    if statement.kind == K.ExpressionStatement and statement.expr.kind in (
            K.AssignmentExpression, K.NonblockingAssignmentExpression):
        return statement.expr
    return None


def literal_value(node: Any) -> int | None:
    """The value of an integer literal node (``5``, ``8'd5``, ``4'hA``); None for x/z or other nodes."""
    node = strip_parens(node)
    if node.kind == K.IntegerLiteralExpression:
        text = node.literal.rawText.replace("_", "")
        return int(text) if text.isdigit() else None
    if node.kind == K.IntegerVectorExpression:
        radix = {"b": 2, "o": 8, "d": 10, "h": 16}.get(node.base.rawText.lower().replace("s", "").lstrip("'"))
        try:
            return int(node.value.rawText.replace("_", ""), radix) if radix else None
        except ValueError:
            return None
    return None




@dataclass(frozen=True)
class Site:
    """One proposed rewrite: the syntax edits, a line for the change log, and the expression to type-check.

    ``checked`` is the span of the original expression that ``edits[0]`` replaces when that edit must
    keep its type (``preserves``); None when the rewrite is type-safe by construction (it says why).
    """

    edits: tuple[Edit, ...]
    description: str
    checked: tuple[int, int] | None = None


def expression_site(design: Design, node: Any, text: str, description: str) -> Site:
    """Replace expression ``node`` by ``text`` (parenthesised unless it is a whole right-hand side), type-checked."""
    if not is_rhs(node) and node.kind != K.ParenthesizedExpression:
        text = f"({text})"
    elif node.kind == K.ParenthesizedExpression:
        text = paren(text)
    start, end = span(node)
    return Site((Edit(start, end, node.kind, text),), description, (start, end))


def module_item(node: Any) -> Any:
    """The module member (declaration, assign, always block) that contains ``node``."""
    for parent in ancestors(node):
        if parent.parent is not None and parent.parent.kind == K.ModuleDeclaration:
            return parent
    raise ValueError("expression outside a module")


def line_of(design: Design, node: Any) -> int:
    return design.source[: span(node)[0]].count(b"\n") + 1


def snippet(design: Design, node: Any, limit: int = 50) -> str:
    """The node's source on one line, shortened: for change descriptions."""
    text = " ".join(design.text(node).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


__all__ = ["Design", "Site", "TypeInfo", "closed_root", "expression_site", "is_rhs", "line_of", "literal_value",
           "module_item", "normalized", "paren", "present", "preserves", "single_assignment", "snippet"]
