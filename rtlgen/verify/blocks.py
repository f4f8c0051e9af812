"""What each procedural block of a design reads and writes (pyslang), for the sim/synth agreement check.

Simulation runs a block when an event of its list happens; synthesis builds logic from the block's
text as if every signal it reads were listed. The two agree only for some shapes of block, so the
agreement check needs, per block: how it is triggered (``comb``: ``always @*``/``always_comb``, and
``always_comb`` whether the keyword declared it combinational; ``listed``: ``always @(a, b)`` with level events
only; ``edge``: edge-triggered; ``mixed``: edges and levels in one list; ``latch``, ``initial``, ``other``), the
signals it reads and writes with their lines; per design, the initial values and the comparisons with X/Z
literals. The design is elaborated by pyslang's semantic model, so names resolve to symbols (parameters, genvars
and block locals are not signals), and only the generate branches its parameters select are read: exclusive
branches each driving the same output are one driver, not two.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pyslang import ast

from rtlgen.spec.syntax import parse

_EK = ast.ExpressionKind
_SELECTS = (_EK.ElementSelect, _EK.RangeSelect, _EK.MemberAccess)
_SIGNAL_KINDS = (ast.SymbolKind.Net, ast.SymbolKind.Variable)
_EQUALITIES = (ast.BinaryOperator.Equality, ast.BinaryOperator.Inequality, ast.BinaryOperator.CaseEquality,
               ast.BinaryOperator.CaseInequality)
_LITERALS = (_EK.IntegerLiteral, _EK.UnbasedUnsizedIntegerLiteral)


@dataclass(frozen=True)
class Access:
    """One read or write of a signal: its hierarchical path, its plain name, where (file name and line,
    as ```line`` directives give them), and for writes whether the whole signal is written
    (``q <= ...``) or a part (``q[i] <= ...``)."""

    path: str
    name: str
    file: str
    line: int
    whole: bool = True


@dataclass
class Block:
    kind: str  # comb, listed, edge, mixed, latch, initial, other
    file: str
    line: int
    listed: frozenset[str] = frozenset()  # paths of the signals in the event list
    level_events: tuple[str, ...] = ()  # names of the level (non-edge) events of a mixed list
    reads: list[Access] = field(default_factory=list)
    writes: list[Access] = field(default_factory=list)
    always_comb: bool = False  # written ``always_comb``: declared combinational, so no latch may be inferred


@dataclass
class Design:
    blocks: list[Block] = field(default_factory=list)
    initialized: dict[str, tuple[str, int]] = field(default_factory=dict)  # variable name -> (file, line) of its initial value
    x_compares: list[Access] = field(default_factory=list)  # == / === against a literal with x/z bits
    assigns: list[Access] = field(default_factory=list)  # continuous assignment targets

    def writers(self, name: str) -> list[Access]:
        """Every write of the signal called ``name`` (plain name), procedural and continuous, by line."""
        return sorted({a for b in self.blocks for a in b.writes if a.name == name} |
                      {a for a in self.assigns if a.name == name}, key=lambda a: a.line)

    def written_at(self, file: str, line: int) -> list[str]:
        """Names of the signals written on ``line`` of ``file``."""
        return sorted({a.name for b in self.blocks for a in b.writes if (a.file, a.line) == (file, line)} |
                      {a.name for a in self.assigns if (a.file, a.line) == (file, line)})


def _is_signal(expr: ast.Expression) -> bool:
    return expr.kind == _EK.NamedValue and expr.symbol.kind in _SIGNAL_KINDS


def _targets(left: ast.Expression) -> list[tuple[ast.Expression, bool]]:
    """The signals an assignment's left side writes, each with ``whole`` (no select around it)."""
    if left.kind == _EK.Concatenation:
        return [t for op in left.operands for t in _targets(op)]
    whole = True
    while left.kind in _SELECTS:
        left, whole = left.value, False
    return [(left, whole)] if _is_signal(left) else []


def _x_compares(root: object) -> list[ast.Expression]:
    """Equality comparisons under ``root`` with a literal that has x/z bits."""
    found: list[ast.Expression] = []

    def visit(node: object) -> bool:
        if (isinstance(node, ast.Expression) and node.kind == _EK.BinaryOp and node.op in _EQUALITIES
                and any(side.kind in _LITERALS and side.value.hasUnknown for side in (node.left, node.right))):
            found.append(node)
        return True

    root.visit(visit)
    return found


def _only_unknown_stores(statement: object) -> bool:
    """Every assignment in ``statement`` stores an x/z literal (and there is at least one)."""
    values: list[ast.Expression] = []

    def visit(node: object) -> bool:
        if isinstance(node, ast.Expression) and node.kind == _EK.Assignment:
            values.append(node.right)
        return True

    statement.visit(visit)

    def unknown(expr: ast.Expression) -> bool:
        while expr.kind == _EK.Conversion:
            expr = expr.operand
        return expr.kind in _LITERALS and expr.value.hasUnknown

    return bool(values) and all(unknown(v) for v in values)


class _Reader:
    """Walks one compilation and fills a Design."""

    def __init__(self, compilation: ast.Compilation) -> None:
        self.lines = compilation.sourceManager
        self.design = Design()

    def where(self, location: object) -> tuple[str, int]:
        return Path(self.lines.getFileName(location)).name, self.lines.getLineNumber(location)

    def access(self, expr: ast.Expression, whole: bool = True) -> Access:
        return Access(expr.symbol.hierarchicalPath, expr.symbol.name, *self.where(expr.sourceRange.start), whole)

    def symbol(self, node: object) -> bool | ast.VisitAction:
        if isinstance(node, ast.GenerateBlockSymbol) and node.isUninstantiated:
            return ast.VisitAction.Skip  # a generate branch the parameters rule out: none of its logic exists
        if isinstance(node, ast.ProceduralBlockSymbol):
            self.design.blocks.append(self.block(node))
        elif isinstance(node, ast.ContinuousAssignSymbol):
            assignment = node.assignment
            if assignment.kind == _EK.Assignment:
                self.design.assigns += [self.access(t, whole) for t, whole in _targets(assignment.left)]
            self.expressions(node.assignment)
        elif isinstance(node, ast.VariableSymbol) and node.initializer is not None and node.kind == ast.SymbolKind.Variable:
            self.design.initialized.setdefault(node.name, self.where(node.location))
        return True

    def expressions(self, root: object) -> None:
        """Record comparisons against x/z literals under ``root``, except X propagation (``if (s === 'x)``
        guarding only X stores), which synthesis and simulation both read as "no known value here"."""
        idiom: set[int] = set()

        def guards(node: object) -> bool:
            if isinstance(node, ast.ConditionalStatement) and _only_unknown_stores(node.ifTrue):
                for condition in node.conditions:
                    idiom.update(c.sourceRange.start.offset for c in _x_compares(condition.expr))
            return True

        root.visit(guards)
        for compare in _x_compares(root):
            if compare.sourceRange.start.offset not in idiom:
                other = compare.right if compare.left.kind in _LITERALS else compare.left
                name = other.symbol.name if other.kind == _EK.NamedValue else str(other.syntax).strip()
                self.design.x_compares.append(Access(name, name, *self.where(compare.sourceRange.start)))

    def block(self, proc: ast.ProceduralBlockSymbol) -> Block:
        kind, body, listed, levels = self.trigger(proc)
        block = Block(kind, *self.where(proc.location), frozenset(listed), tuple(levels),
                      always_comb=proc.procedureKind == ast.ProceduralBlockKind.AlwaysComb)
        written: set[int] = set()

        def visit(node: object) -> bool:
            if isinstance(node, ast.Expression) and node.kind == _EK.Assignment:
                targets = _targets(node.left)
                block.writes += [self.access(t, whole) for t, whole in targets]
                written.update(t.sourceRange.start.offset for t, _ in targets)
            elif (isinstance(node, ast.Expression) and _is_signal(node)
                  and node.sourceRange.start.offset not in written):
                block.reads.append(self.access(node))
            return True

        body.visit(visit)
        self.expressions(body)
        if kind == "initial":
            for write in block.writes:
                self.design.initialized.setdefault(write.name, (write.file, write.line))
        return block

    @staticmethod
    def trigger(proc: ast.ProceduralBlockSymbol) -> tuple[str, object, list[str], list[str]]:
        """(kind, statement without its event control, paths of listed signals, names of level events)."""
        pk, body = proc.procedureKind, proc.body
        if pk == ast.ProceduralBlockKind.AlwaysComb:
            return "comb", body, [], []
        if pk == ast.ProceduralBlockKind.AlwaysLatch:
            return "latch", body, [], []
        if pk in (ast.ProceduralBlockKind.Initial, ast.ProceduralBlockKind.Final):
            return "initial", body, [], []
        if body.kind != ast.StatementKind.Timed:
            return "other", body, [], []
        timing = body.timing
        if timing.kind == ast.TimingControlKind.ImplicitEvent:
            return "comb", body.stmt, [], []
        events = list(timing.events) if timing.kind == ast.TimingControlKind.EventList else [timing]
        if not all(e.kind == ast.TimingControlKind.SignalEvent for e in events):
            return "other", body, [], []
        edges = [e.edge != ast.EdgeKind.None_ for e in events]
        roots = [_targets(e.expr) for e in events]
        listed = [t.symbol.hierarchicalPath for r in roots for t, _ in r]
        levels = [t.symbol.name for e, r in zip(events, roots) if e.edge == ast.EdgeKind.None_ for t, _ in r]
        if all(edges):
            return "edge", body.stmt, listed, []
        return ("mixed" if any(edges) else "listed"), body.stmt, listed, levels


def read_design(rtl: str, source: str = "candidate.sv") -> Design:
    """The procedural blocks, initial values and x/z comparisons of every module instance in ``rtl``."""
    tree = parse(rtl, source)
    compilation = ast.Compilation()
    compilation.addSyntaxTree(tree)
    reader = _Reader(compilation)
    for top in compilation.getRoot().topInstances:
        top.visit(reader.symbol)
    return reader.design
