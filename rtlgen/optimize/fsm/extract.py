"""Find the FSMs of a module in its pyslang semantic model, and every place the rewrite must touch.

An FSM is recognised only in this shape (anything else: no FSM, never a guess):

* a state register ``S`` assigned (non-blocking) in exactly one clocked ``always`` block whose
  top statement is ``if (<reset>) S <= <NAME>; else ...`` with ``<NAME>`` a localparam/parameter;
* optionally a next-state variable ``N`` (``S <= N``) assigned only in one ``always @*`` block;
* the state codes are localparams/body parameters (declared in statements holding only state
  codes) with distinct values;
* everywhere else ``S`` is read only as a ``case`` subject with constant labels or compared
  (``==``/``!=``) with a constant; ``N`` is read only by ``S <= N``; the code names appear only
  in such labels and comparisons or in values assigned to ``S``/``N``.

The next-state blocks are evaluated (``evaluate``) for every state code and every valuation of
the signals they read. Signals they read are treated as free inputs, even when other logic
computes them from the state: every such computation reads the state through a recorded
observation site, so two states that agree on every site and on their successors cannot be told
apart by anything in the module.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Iterator

from pyslang import ast
from pyslang.syntax import SyntaxKind

from rtlgen.optimize.fsm.evaluate import X, Evaluator, Unsupported, Value, literal, strip
from rtlgen.optimize.fsm.model import X_STATE, Fsm
from rtlgen.spec.model import Candidate
from rtlgen.spec.syntax import parse

MAX_INPUT_BITS = 12  # 4096 valuations per state: exhaustive and still fast
MAX_EVALUATIONS = 1 << 14  # about 2 s of evaluation in the worst case
_EK = ast.ExpressionKind
_SK = ast.StatementKind
_COMPARE = {ast.BinaryOperator.Equality: True, ast.BinaryOperator.CaseEquality: True,
            ast.BinaryOperator.Inequality: False, ast.BinaryOperator.CaseInequality: False}
_MEMBERS = {ast.SymbolKind.Port, ast.SymbolKind.Net, ast.SymbolKind.Variable, ast.SymbolKind.Parameter,
            ast.SymbolKind.TransparentMember, ast.SymbolKind.TypeAlias,
            ast.SymbolKind.ProceduralBlock, ast.SymbolKind.ContinuousAssign}


Span = tuple[int, int]


@dataclass(frozen=True)
class CaseSite:
    """A ``case (S)``: per item, the label spans and names, and the whole item's span.

    ``latch_risk``: combinational and without ``default``, so codes no label names would infer a
    latch; ``endcase`` is where a default can be added, ``assigns`` the variable it must set
    (the next-state variable, for the next-state case; None elsewhere).
    """

    items: tuple[tuple[Span, tuple[tuple[Span, str], ...]], ...]
    latch_risk: bool = False
    endcase: int = 0
    assigns: str | None = None


@dataclass(frozen=True)
class Sites:
    """Byte spans of everything a rewrite of one FSM edits in the source."""

    param_decls: tuple[Span, ...]  # localparam statements of the codes (empty for an enum)
    enum_decl: tuple[Span, str] | None  # the enum type of the codes and its base keyword
    var_decls: tuple[tuple[Span, str, tuple[str, ...], str], ...]  # span, type keyword, S/N declared, the rest
    cases: tuple[CaseSite, ...]
    compares: tuple[tuple[Span, str | None, bool], ...]  # span, state name compared (None: a code of no state), ==
    names: tuple[tuple[Span, str], ...]  # state names inside values assigned to S or N
    succs: tuple[tuple[Span, tuple[str, ...]], ...]  # RHS reading S: its value per state (state order)
    endmodule: int


@dataclass
class _Scan:
    """What the walk over the module found for one candidate state register."""

    reg: str
    nxt: str | None
    state_names: set[str]
    cases: list[tuple[Any, bool]] = field(default_factory=list)  # (case stmt, inside next-state logic)
    case_comb: list[bool] = field(default_factory=list)  # per case: in combinational logic
    compares: list[tuple[Any, Any, bool, bool]] = field(default_factory=list)  # (expr, const, ==, in next-state)
    rhs: list[Any] = field(default_factory=list)  # values assigned to S or N
    observers: list[Any] = field(default_factory=list)  # state-only expressions outside the next-state logic


def _span(node: Any) -> Span:
    rng = node.sourceRange
    return rng.start.offset, rng.end.offset


def _mentions(node: Any, names: set[str]) -> bool:
    found = []

    def visit(n: Any) -> None:
        if isinstance(n, ast.NamedValueExpression) and n.symbol.name in names:
            found.append(n)

    node.visit(visit)
    return bool(found)


def _reads(node: Any) -> list[Any]:
    found: list[Any] = []

    def visit(n: Any) -> None:
        if isinstance(n, ast.NamedValueExpression):
            found.append(n.symbol)

    node.visit(visit)
    return found


def _statements(stmt: Any) -> Iterator[Any]:
    """``stmt`` and every statement nested in it."""
    yield stmt
    kind = stmt.kind
    if kind == _SK.Block:
        yield from _statements(stmt.body)
    elif kind == _SK.List:
        for s in stmt.list:
            yield from _statements(s)
    elif kind == _SK.Timed:
        yield from _statements(stmt.stmt)
    elif kind == _SK.Conditional:
        yield from _statements(stmt.ifTrue)
        if stmt.ifFalse is not None:
            yield from _statements(stmt.ifFalse)
    elif kind == _SK.Case:
        for item in stmt.items:
            yield from _statements(item.stmt)
        if stmt.defaultCase is not None:
            yield from _statements(stmt.defaultCase)


def _assignments(stmt: Any) -> Iterator[Any]:
    for s in _statements(stmt):
        if s.kind == _SK.ExpressionStatement and s.expr.kind == _EK.Assignment:
            yield s.expr


def _target(assign: Any) -> str | None:
    left = strip(assign.left)
    return left.symbol.name if left.kind == _EK.NamedValue else None


def _unwrap(stmt: Any) -> Any:
    while stmt.kind == _SK.Block or (stmt.kind == _SK.List and len(stmt.list) == 1):
        stmt = stmt.body if stmt.kind == _SK.Block else stmt.list[0]
    return stmt


@dataclass
class _Module:
    """The module's members sorted out once: constants, variables, clocked and combinational blocks."""

    text: bytes
    params: dict[str, int]
    param_syms: dict[str, Any]
    variables: dict[str, Any]
    ports: set[str]
    clocked: list[Any]  # the Timed statement of each clocked block
    comb: list[Any]  # the body of each combinational block
    assigns: list[Any]  # continuous assignment expressions
    endmodule: int
    inputs: set[str] = field(default_factory=set)  # input ports
    net_inits: list[Any] = field(default_factory=list)  # expressions of `wire w = expr;`

    @classmethod
    def load(cls, candidate: Candidate) -> "_Module":
        tree = parse(candidate.rtl)
        comp = ast.Compilation()
        comp.addSyntaxTree(tree)
        tops = {i.name: i for i in comp.getRoot().topInstances}
        if candidate.top not in tops or any(d.isError() for d in comp.getAllDiagnostics()):
            raise Unsupported("the module does not elaborate cleanly")
        body = tops[candidate.top].body
        mod = cls(candidate.rtl.encode(), {}, {}, {}, set(), [], [], [], body.syntax.endmodule.location.offset)
        mod._keep = comp  # the semantic model lives as long as its compilation
        for m in body:
            if m.kind not in _MEMBERS:
                raise Unsupported(f"module member {m.kind} is not handled")
            if m.kind == ast.SymbolKind.Port:
                mod.ports.add(m.name)
                if m.direction == ast.ArgumentDirection.In:
                    mod.inputs.add(m.name)
            elif m.kind == ast.SymbolKind.Net:
                if m.initializer is not None:  # wire w = expr;
                    mod.net_inits.append(m.initializer)
            elif m.kind == ast.SymbolKind.Parameter:
                value = literal(m.value)
                if value != X:
                    mod.params[m.name] = value
                    mod.param_syms[m.name] = m
            elif m.kind == ast.SymbolKind.TransparentMember:  # an enum value declared in the module
                if m.wrapped.kind != ast.SymbolKind.EnumValue:
                    raise Unsupported(f"member {m.name} is not handled")
                value = literal(m.wrapped.value)
                if value != X:
                    mod.params[m.name] = value
                    mod.param_syms[m.name] = m.wrapped
            elif m.kind == ast.SymbolKind.Variable:
                mod.variables[m.name] = m
            elif m.kind == ast.SymbolKind.ContinuousAssign:
                mod.assigns.append(m.assignment)
            elif m.kind == ast.SymbolKind.ProceduralBlock:
                mod._block(m)
        return mod

    def _block(self, m: Any) -> None:
        if m.procedureKind == ast.ProceduralBlockKind.AlwaysComb:
            self.comb.append(m.body)
            return
        if m.procedureKind not in (ast.ProceduralBlockKind.Always, ast.ProceduralBlockKind.AlwaysFF):
            raise Unsupported(f"{m.procedureKind} blocks are not handled")
        body = m.body
        if body.kind != _SK.Timed:
            raise Unsupported("always block without an event control")
        timing = body.timing
        if timing.kind == ast.TimingControlKind.ImplicitEvent:
            self.comb.append(body.stmt)
            return
        events = timing.events if timing.kind == ast.TimingControlKind.EventList else [timing]
        if not all(getattr(e, "edge", None) in (ast.EdgeKind.PosEdge, ast.EdgeKind.NegEdge) for e in events):
            raise Unsupported("sensitivity lists without edges are not handled")
        self.clocked.append(body)


def _reset_candidates(block: Any, mod: _Module) -> list[tuple[str, str, str]]:
    """(register, reset state name, reset input) for each register a reset branch sets to a named constant.

    The reset branch is ``if (<one input port>) ...`` as the block's whole statement (``if (rst)
    ... else ...``) or as its first or last top-level statement (``... if (reset) s <= S0;``).
    """
    top = _unwrap(block.stmt)
    tops = [top] if top.kind != _SK.List else [top.list[0], top.list[-1]]
    out = []
    for stmt in tops:
        stmt = _unwrap(stmt)
        if stmt.kind != _SK.Conditional or len(stmt.conditions) != 1:
            continue
        reads = {s.name for s in _reads(stmt.conditions[0].expr)}
        if len(reads) != 1 or not reads <= mod.inputs:
            continue
        for assign in _assignments(stmt.ifTrue):
            reg, right = _target(assign), strip(assign.right)
            if (reg in mod.variables and reg not in mod.ports and right.kind == _EK.NamedValue
                    and right.symbol.name in mod.params and assign.isNonBlocking):
                out.append((reg, right.symbol.name, next(iter(reads))))
    return out


def _leaf_names(e: Any, mod: _Module) -> set[str]:
    """Constant names that are whole values of ``e`` (``e`` itself or a branch of its ``?:``)."""
    e = strip(e)
    if e.kind == _EK.NamedValue and e.symbol.name in mod.params:
        return {e.symbol.name}
    if e.kind == _EK.ConditionalOp:
        return _leaf_names(e.left, mod) | _leaf_names(e.right, mod)
    return set()


class _Walker:
    """Walks the whole module; records how the state register is used, and refuses any other use."""

    def __init__(self, scan: _Scan, mod: _Module, evaluator: Evaluator) -> None:
        self.scan, self.mod, self.ev = scan, mod, evaluator
        self.watch = {scan.reg} | ({scan.nxt} if scan.nxt else set()) | scan.state_names
        self.comb = False  # walking combinational logic (where a case without default can latch)

    def walk(self, stmt: Any, in_next: bool) -> None:
        for s in _statements(stmt):
            if s.kind == _SK.Conditional:
                for c in s.conditions:
                    self.expr(c.expr, in_next)
            elif s.kind == _SK.Case:
                subject = strip(s.expr)
                if subject.kind == _EK.NamedValue and subject.symbol.name == self.scan.reg:
                    self._case_site(s, in_next)
                else:
                    self.expr(s.expr, in_next)
                    for item in s.items:
                        for label in item.expressions:
                            self.expr(label, in_next)
            elif s.kind == _SK.ExpressionStatement:
                self.assignment(s.expr, in_next)
            elif s.kind not in (_SK.Block, _SK.List, _SK.Timed, _SK.Empty) and _mentions(s, self.watch):
                raise Unsupported(f"statement kind {s.kind} touches the state register")

    def _case_site(self, s: Any, in_next: bool) -> None:
        if s.condition != ast.CaseStatementCondition.Normal:
            raise Unsupported("casez/casex on the state register")
        for item in s.items:
            for label in item.expressions:
                if not self._is_name(label):
                    raise Unsupported(f"case label on the state is not a named code: {label.syntax}")
        self.scan.cases.append((s, in_next))
        self.scan.case_comb.append(self.comb)

    def _is_name(self, e: Any) -> bool:
        """A constant's name (a literal would keep its value when the codes change)."""
        e = strip(e)
        return e.kind == _EK.NamedValue and e.symbol.name in self.mod.params

    def assignment(self, e: Any, in_next: bool) -> None:
        if e.kind != _EK.Assignment:
            self.expr(e, in_next)
            return
        target = _target(e)
        if target in (self.scan.reg, self.scan.nxt):
            self.scan.rhs.append(e.right)
            right = strip(e.right)
            if right.kind == _EK.NamedValue and right.symbol.name == self.scan.nxt and target == self.scan.reg:
                return
            if _mentions(e.right, {self.scan.nxt} if self.scan.nxt else set()):
                raise Unsupported("the next-state variable is read in an expression")
            return
        self.expr(e.left, in_next)
        self.expr(e.right, in_next)

    def expr(self, e: Any, in_next: bool) -> None:
        if not _mentions(e, self.watch):
            return
        kind = e.kind
        reads = {sym.name for sym in _reads(e)}
        if not in_next and self.scan.reg in reads and reads <= {self.scan.reg} | set(self.mod.params) \
                and kind != _EK.NamedValue:
            # a function of the state alone, e.g. (state == A) || (state == B): observed as one value
            self.scan.observers.append(e)
            self.expr(e, True)  # its comparisons are still rewrite sites; other uses are refused
            return
        if kind == _EK.BinaryOp and e.op in _COMPARE:
            sides = [strip(e.left), strip(e.right)]
            for mine, other in (sides, sides[::-1]):
                if mine.kind == _EK.NamedValue and mine.symbol.name == self.scan.reg:
                    if not self._is_name(other):
                        raise Unsupported(f"state compared with something other than a named code: {e.syntax}")
                    self.scan.compares.append((e, other, _COMPARE[e.op], in_next))
                    return
        if kind == _EK.NamedValue:
            raise Unsupported(f"'{e.symbol.name}' is used other than through state comparisons: {e.syntax}")
        children = {
            _EK.BinaryOp: lambda: [e.left, e.right], _EK.UnaryOp: lambda: [e.operand],
            _EK.Conversion: lambda: [e.operand], _EK.Concatenation: lambda: list(e.operands),
            _EK.ConditionalOp: lambda: [c.expr for c in e.conditions] + [e.left, e.right],
            _EK.ElementSelect: lambda: [e.value, e.selector], _EK.RangeSelect: lambda: [e.value, e.left, e.right],
            _EK.Replication: lambda: [e.count, e.concat], _EK.Assignment: lambda: [e.left, e.right],
        }.get(kind)
        if children is None:
            raise Unsupported(f"expression kind {kind} touches the state register: {e.syntax}")
        for child in children():
            self.expr(child, in_next)


def _find_next(block: Any, reg: str, mod: _Module) -> tuple[str | None, Any | None]:
    """The next-state variable ``N`` of ``S <= N`` and its combinational block, if the FSM has one."""
    names = {_target_value(a) for a in _assignments(block.stmt) if _target(a) == reg}
    names.discard(None)
    nxt = [n for n in names if n in mod.variables]
    if not nxt:
        return None, None
    if len(nxt) > 1:
        raise Unsupported(f"state register {reg} is loaded from several variables")
    owners = [c for c in mod.comb if any(_target(a) == nxt[0] for a in _assignments(c))]
    if len(owners) != 1:
        raise Unsupported(f"next-state variable {nxt[0]} must be assigned in exactly one always @* block")
    return nxt[0], owners[0]


def _target_value(assign: Any) -> str | None:
    right = strip(assign.right)
    return right.symbol.name if right.kind == _EK.NamedValue else None


def _check_assigned_only(mod: _Module, name: str, owner: Any) -> None:
    blocks = [b.stmt for b in mod.clocked] + mod.comb
    for stmt in blocks:
        if stmt is not owner and any(_target(a) == name for a in _assignments(stmt)):
            raise Unsupported(f"{name} is assigned in more than one block")
    if any(_target(a) == name for a in mod.assigns):
        raise Unsupported(f"{name} is driven by a continuous assignment")
    for a in _assignments(owner):
        if _target(a) is None and _mentions(a.left, {name}):
            raise Unsupported(f"part of {name} is assigned")


def _state_names(reg: str, nxt: str | None, mod: _Module, blocks: list[Any]) -> set[str]:
    """Constants that are whole values assigned to S or N (case labels and comparisons add more later)."""
    names: set[str] = set()
    for stmt in blocks:
        for a in _assignments(stmt):
            if _target(a) in (reg, nxt):
                names |= _leaf_names(a.right, mod)
    return names


def _walk_all(scan: _Scan, mod: _Module, ev: Evaluator, block: Any, comb: Any) -> _Scan:
    """Record every use of the state register in the module into ``scan`` (or raise Unsupported)."""
    walker = _Walker(scan, mod, ev)
    for b in mod.clocked:
        walker.walk(b.stmt, b is block)
    walker.comb = True
    for c in mod.comb:
        walker.walk(c, c is comb)
    for a in mod.assigns + mod.net_inits:
        walker.assignment(a, False)
    return scan


def _declarations(names: set[str], mod: _Module) -> tuple[Span, ...]:
    spans = []
    for name in names:
        sym = mod.param_syms[name]
        if sym.kind == ast.SymbolKind.EnumValue:
            raise Unsupported("state codes mix enum values and parameters")
        decl = sym.syntax.parent
        stmt = decl.parent
        if sym.isPortParam or stmt.kind != SyntaxKind.ParameterDeclarationStatement:
            raise Unsupported(f"state code {name} is not declared by a localparam statement")
        declared = {d.name.valueText for d in decl.declarators if d.kind == SyntaxKind.Declarator}
        if not declared <= names:
            raise Unsupported(f"the declaration of {name} also declares other constants")
        spans.append(_span(stmt))
    return tuple(sorted(set(spans)))


def _enum_declaration(names: set[str], mod: _Module) -> tuple[Span, str]:
    """The one enum type declaring exactly the state codes, and its base type keyword."""
    types = {_span(mod.param_syms[n].syntax.parent): mod.param_syms[n].syntax.parent for n in names}
    if len(types) != 1:
        raise Unsupported("state codes come from several declarations")
    enum = next(iter(types.values()))
    members = {d.name.valueText for d in enum.members if d.kind == SyntaxKind.Declarator}
    if members != names:
        raise Unsupported("the enum declares values that are not states")
    base = enum.baseType
    return _span(enum), base.getFirstToken().valueText if base is not None else "logic"


def _var_declarations(names: list[str], mod: _Module) -> tuple[tuple[Span, str, tuple[str, ...], str], ...]:
    """Per declaration of S/N: its span, type keyword, which of S/N it declares, and the others re-declared."""
    out = []
    for name in names:
        decl = mod.variables[name].syntax.parent
        if decl.kind != SyntaxKind.DataDeclaration:
            raise Unsupported(f"{name} is not declared by a plain data declaration")
        declarators = [d for d in decl.declarators if d.kind == SyntaxKind.Declarator]
        ours = tuple(d.name.valueText for d in declarators if d.name.valueText in names)
        if any(d.initializer is not None for d in declarators if d.name.valueText in names):
            raise Unsupported(f"{name} is declared with an initial value")
        others = [d for d in declarators if d.name.valueText not in names]
        rest = ""
        if others:  # keep them as they were, in a declaration of their own
            (ta, tb) = _span(decl.type)
            rest = (mod.text[ta:tb].decode() + " "
                    + ", ".join(mod.text[slice(*_span(d))].decode() for d in others) + ";")
        out.append((_span(decl), decl.type.getFirstToken().valueText, ours, rest))
    return tuple(sorted(set(out)))


def _signature(parts: Any) -> str:
    return hashlib.sha1(repr(parts).encode()).hexdigest()[:16]


def _analyse_one(block: Any, reg: str, reset: str, reset_input: str, mod: _Module) -> tuple[Fsm, Sites]:
    ev = Evaluator(mod.params)
    nxt, comb = _find_next(block, reg, mod)
    _check_assigned_only(mod, reg, block.stmt)
    if nxt:
        _check_assigned_only(mod, nxt, comb)
    blocks = [block.stmt] + ([comb] if comb is not None else [])
    scan = _walk_all(_Scan(reg, nxt, _state_names(reg, nxt, mod, blocks) | {reset}), mod, ev, block, comb)
    for s, _ in scan.cases:
        scan.state_names |= {sym.name for item in s.items for label in item.expressions for sym in _reads(label)}
    for _, other, _, _ in scan.compares:
        scan.state_names |= {sym.name for sym in _reads(other)}
    # the walk again, now refusing every stray use of the full set of state names
    scan = _walk_all(_Scan(reg, nxt, scan.state_names), mod, ev, block, comb)

    width = int(mod.variables[reg].type.bitWidth)
    if nxt and int(mod.variables[nxt].type.bitWidth) != width:
        raise Unsupported("state and next-state variables differ in width")
    states = sorted(scan.state_names, key=lambda n: (mod.params[n], n))
    codes = [mod.params[n] for n in states]
    if len(set(codes)) != len(codes) or len(states) < 2 or max(codes) >= 1 << width:
        raise Unsupported("state codes are not distinct or do not fit the state register")
    by_code = dict(zip(codes, states))

    inputs = _inputs(blocks, comb, reg, nxt, mod, block)
    bits = sum(w for _, w in inputs)
    if bits > MAX_INPUT_BITS or len(states) << bits > MAX_EVALUATIONS:
        raise Unsupported(f"{len(states)} states and {bits} input bits are too many to tabulate "
                          f"(limits: {MAX_INPUT_BITS} bits, {MAX_EVALUATIONS} state-valuation pairs)")
    fsm_in = Fsm(reg, nxt, width, tuple(states), tuple(codes), reset, inputs, (), (), "moore")

    static = [_static_signature(code, scan, ev) for code in codes]
    rows, outs, mealy = [], [], False
    for i, code in enumerate(codes):
        row, dyn = [], []
        for v in range(1 << bits):
            env: dict[str, Value] = {reg: code, **fsm_in.valuation(v)}
            writes: dict[str, Value] = {}
            comb_writes: dict[str, Value] = {}
            if comb is not None:
                ev.run(comb, env, comb_writes, blocking_ok=True)
                if nxt not in comb_writes:
                    raise Unsupported(f"{nxt} is not assigned on every path (a latch)")
            ev.run(block.stmt, env, writes, blocking_ok=False)
            new = writes.pop(reg, code)
            comb_writes.pop(nxt, None)
            if new != X and new not in by_code:
                raise Unsupported(f"state {states[i]} can enter code {new}, which names no state")
            row.append(X_STATE if new == X else by_code[new])
            dyn.append((tuple(sorted(comb_writes.items())), tuple(sorted(writes.items()))))
        mealy |= len({d[0] for d in dyn}) > 1
        rows.append(tuple(row))
        outs.append(_signature((static[i], tuple(dyn))))
    mealy |= any(_reads_inputs(s, mod) for s, in_next in scan.cases if not in_next)
    _check_reset(fsm_in, rows, reset_input)
    fsm = fsm_in.with_(next_state=tuple(rows), outputs=tuple(outs), kind="mealy" if mealy else "moore")
    return fsm, _sites(scan, mod, ev, states, codes, by_code)


def _check_reset(fsm: Fsm, rows: list[tuple[str, ...]], reset_input: str) -> None:
    """The reset input, at one of its levels, must send every state to the reset state whatever else holds
    (a later assignment in the block could override the reset branch)."""
    for level in (0, 1):
        asserted = [v for v in range(1 << fsm.input_bits) if fsm.valuation(v)[reset_input] == level]
        if all(row[v] == fsm.reset for row in rows for v in asserted):
            return
    raise Unsupported(f"{reset_input} does not always enter {fsm.reset}")


def _reads_inputs(case: Any, mod: _Module) -> bool:
    return any(sym.name in mod.inputs for item in case.items for sym in _reads(item.stmt))


def _inputs(blocks: list[Any], comb: Any, reg: str, nxt: str | None, mod: _Module, clocked: Any
            ) -> tuple[tuple[str, int], ...]:
    comb_assigned = {_target(a) for a in _assignments(comb)} if comb is not None else set()
    clocks = {e.expr.symbol.name for e in (clocked.timing.events if clocked.timing.kind == ast.TimingControlKind.EventList
                                           else [clocked.timing]) if e.expr.kind == _EK.NamedValue}
    # an asynchronous reset is both an event and read in the block; the clock is only an event
    reset_sig = {s.name for s in _reads(clocked.stmt) if s.name in mod.inputs}
    names: dict[str, int] = {}
    for stmt in blocks:
        for sym in _reads(stmt):
            name = sym.name
            if name in (reg, nxt) or name in mod.params or name in comb_assigned:
                continue
            if name in clocks and name not in reset_sig:
                raise Unsupported(f"the clock {name} is read as data")
            names[name] = int(sym.type.bitWidth)
    return tuple(sorted(names.items()))


def _static_signature(code: int, scan: _Scan, ev: Evaluator) -> tuple:
    """What the rest of the module sees of state ``code``: branch taken at each case, each comparison."""
    env = {scan.reg: code}
    parts: list[Any] = []
    for case, in_next in scan.cases:
        if in_next:
            continue
        chosen = ev.case_choice(case, env)
        parts.append(" ".join(str(chosen.syntax).split()) if chosen is not None else "<none>")
    for e, _, _, in_next in scan.compares:
        if not in_next:
            parts.append(ev.expr(e, env))
    parts.extend(ev.expr(e, env) for e in scan.observers)
    return tuple(parts)


def _sites(scan: _Scan, mod: _Module, ev: Evaluator, states: list[str], codes: list[int],
           by_code: dict[int, str]) -> Sites:
    cases = []
    for (case, in_next), comb in zip(scan.cases, scan.case_comb):
        items = []
        for item in case.items:
            labels = []
            for label in item.expressions:
                value = ev.expr(label, {})
                labels.append((_span(label), by_code.get(value, "")))
            items.append((_span(strip(item.expressions[0]).syntax.parent), tuple(labels)))
        cases.append(CaseSite(tuple(items), comb and case.defaultCase is None, case.syntax.endcase.location.offset,
                              scan.nxt if comb and in_next else None))
    compares = []
    for e, other, equal, _ in scan.compares:
        compares.append((_span(e), by_code.get(ev.expr(other, {})), equal))
    names, succs = [], []
    for rhs in scan.rhs:
        right = strip(rhs)
        if right.kind == _EK.NamedValue and right.symbol.name in (scan.reg, scan.nxt):
            continue
        if _mentions(rhs, {scan.reg}):
            row = []
            for code in codes:
                value = ev.expr(rhs, {scan.reg: code})
                if value != X and value not in by_code:
                    raise Unsupported(f"{rhs.syntax} can give code {value}, which names no state")
                row.append(X_STATE if value == X else by_code[value])
            succs.append((_span(rhs), tuple(row)))
            continue
        _check_leaves(rhs, scan.state_names)
        names.extend(_name_spans(rhs, scan.state_names))
    var_names = [scan.reg] + ([scan.nxt] if scan.nxt else [])
    if any(mod.param_syms[n].kind == ast.SymbolKind.EnumValue for n in states):
        if succs:
            raise Unsupported("arithmetic on an enum state is not regenerated")
        decls, enum, var_decls = (), _enum_declaration(set(states), mod), ()  # the type carries the width
    else:
        decls, enum, var_decls = _declarations(set(states), mod), None, _var_declarations(var_names, mod)
    return Sites(decls, enum, var_decls, tuple(cases),
                 tuple(compares), tuple(names), tuple(succs), mod.endmodule)


def _check_leaves(rhs: Any, names: set[str]) -> None:
    """Every value ``rhs`` can take (through ``?:``) must be a state name or x: codes follow the names."""
    e = strip(rhs)
    if e.kind == _EK.ConditionalOp:
        _check_leaves(e.left, names)
        _check_leaves(e.right, names)
    elif not ((e.kind == _EK.NamedValue and e.symbol.name in names)
              or (e.kind in (_EK.IntegerLiteral, _EK.UnbasedUnsizedIntegerLiteral) and literal(e.value) == X)):
        raise Unsupported(f"value assigned to the state is not a state name: {rhs.syntax}")


def _name_spans(rhs: Any, names: set[str]) -> list[tuple[Span, str]]:
    found = []

    def visit(n: Any) -> None:
        if isinstance(n, ast.NamedValueExpression) and n.symbol.name in names:
            found.append((_span(n), n.symbol.name))

    rhs.visit(visit)
    return found


def analyse(candidate: Candidate) -> list[tuple[Fsm, Sites]]:
    """Every FSM of ``candidate.top`` that fits the recognised shape, with its rewrite sites."""
    try:
        mod = _Module.load(candidate)
    except Unsupported:
        return []
    found = []
    for block in mod.clocked:
        for reg, reset, reset_input in _reset_candidates(block, mod):
            try:
                found.append(_analyse_one(block, reg, reset, reset_input, mod))
            except Unsupported:
                continue
    return found


def extract_fsms(candidate: Candidate) -> list[Fsm]:
    """The FSMs of ``candidate`` (see the module docstring for the shape recognised); [] when none."""
    return [fsm for fsm, _ in analyse(candidate)]


def why_not(candidate: Candidate) -> list[str]:
    """Why each candidate state register was not taken as an FSM (for diagnostics and tests)."""
    try:
        mod = _Module.load(candidate)
    except Unsupported as exc:
        return [str(exc)]
    reasons = []
    for block in mod.clocked:
        for reg, reset, reset_input in _reset_candidates(block, mod):
            try:
                _analyse_one(block, reg, reset, reset_input, mod)
            except Unsupported as exc:
                reasons.append(f"{reg}: {exc}")
    return reasons
