"""Structural features of a design, read from its pyslang syntax tree: what a rule's ``detect`` names.

Each feature is a yes/no question about the RTL ("is there a multiplication by a constant?")
answered with the evidence: the source snippets where it holds. Retrieval ranks rules by how
many of their features a design has; the evidence is what ``rtlgen rules search`` prints as why.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, Callable

from pyslang.syntax import SyntaxKind, SyntaxNode

from rtlgen.spec.syntax import ancestors, is_logic, parse, text_of, walk

K = SyntaxKind
_ARITH = {K.AddExpression, K.SubtractExpression, K.MultiplyExpression}
_RELATIONAL = {K.LessThanExpression, K.LessThanEqualExpression, K.GreaterThanExpression, K.GreaterThanEqualExpression}
_EQUALITY = {K.EqualityExpression, K.InequalityExpression}
_LITERALS = {K.IntegerLiteralExpression, K.IntegerVectorExpression, K.UnbasedUnsizedLiteralExpression}
_ALWAYS = {K.AlwaysBlock, K.AlwaysCombBlock, K.AlwaysFFBlock, K.AlwaysLatchBlock}
_ASSIGNS = {K.AssignmentExpression, K.NonblockingAssignmentExpression}
_WIDE = 16  # bits: a mux or register this wide is worth restructuring
_NARROW_INPUTS = 6  # bits: a function of this few input bits can become a table


@dataclass
class Features:
    """Feature name -> evidence (source snippets, at most a few kept per feature)."""

    evidence: dict[str, list[str]] = field(default_factory=dict)

    def add(self, name: str, snippet: str) -> None:
        assert name in FEATURES, name
        self.evidence.setdefault(name, []).append(" ".join(snippet.split())[:80])

    def __contains__(self, name: str) -> bool:
        return name in self.evidence

    def count(self, name: str) -> int:
        return len(self.evidence.get(name, ()))

    @property
    def names(self) -> list[str]:
        return sorted(self.evidence)

    def words(self) -> list[str]:
        """Feature names as words (``has_multiplier_by_constant`` -> multiplier by constant), for text search."""
        return [w for name in self.names for w in name.split("_")[1:]]


# feature name -> what it means (the rule schema accepts only these names in ``detect``)
FEATURES: dict[str, str] = {
    "has_sequential": "clocked always blocks (registers)",
    "has_fsm": "a case statement over a state register",
    "has_onehot_states": "state constants that are one-hot codes (powers of two, three or more of them)",
    "has_state_constants": "three or more named state constants used as case labels",
    "has_adder": "an addition",
    "has_subtractor": "a subtraction",
    "has_subtract_borrow": "a subtraction's borrow taken as a bit of its result ({borrow, diff} = a - b)",
    "has_multiplier": "a multiplication of two signals",
    "has_multiplier_by_constant": "a multiplication by a constant",
    "has_division": "a division or modulo, or a shift-and-subtract loop",
    "has_exclusive_arith": "arithmetic in different branches of one if/case/?: (only one result is used at a time)",
    "has_mux_of_arith": "a select between results that are each computed by arithmetic",
    "has_comparator": "a magnitude comparison (<, >, <=, >=)",
    "has_bitwise_compare_chain": "comparisons of single bits combined into a word-level comparison",
    "has_redundant_compare": "the same two operands compared more than once, or results combined into another comparison",
    "has_decoder": "a binary-to-one-hot decoder (a constant one shifted by a signal, or index-equality loop)",
    "has_shift_by_variable": "a shift by a signal amount (barrel shifter)",
    "has_wide_mux": f"a select between data {_WIDE} bits or wider",
    "has_andor_mux": "a mux written as AND-OR of (sel == k) ? data : 0 terms",
    "has_case_mux": "a case statement that routes a different signal to the same target in each item",
    "has_constant_branch": "a branch of if/case/?: that assigns a constant",
    "has_constant_condition": "an if or ?: whose condition is a constant",
    "has_identical_branches": "an if/else or ?: whose two branches are the same",
    "has_priority_chain": "an if/else-if chain or nested ?: three or more deep",
    "has_comb_loop": "a for loop in combinational logic",
    "has_bit_level_arith": "arithmetic spelt out bit by bit (xor/carry chains, gate primitives)",
    "has_gate_primitives": "gate primitive instances (and, or, xor ...)",
    "has_common_subexpression": "the same non-trivial expression written more than once",
    "has_pipeline_registers": "registers that only copy a value one cycle later (no reset, no condition)",
    "has_register_no_reset": "registers without a reset",
    "has_async_reset": "registers with an asynchronous reset",
    "has_sync_reset": "registers with a synchronous reset",
    "has_enable_register": "registers that load only under a condition (enable) or hold their value",
    "has_constant_register": "a register that is only ever assigned one constant (or itself)",
    "has_memory_array": "an unpacked array of registers (register file, memory)",
    "has_initial_block": "initial blocks",
    "has_counter": "a register incremented or decremented by a constant",
    "has_zero_extension": "operands padded with constant zeros ({8'h00, x})",
    "has_narrow_input_function": f"arithmetic on at most {_NARROW_INPUTS} input bits (a small table would do)",
    "has_signed_arith": "signed arithmetic",
    "has_wide_register": f"a register {_WIDE} bits or wider",
    "has_multiple_modules": "more than one module in the design",
}

# features most designs of their kind have: weak evidence that a rule specifically applies
GENERIC: frozenset[str] = frozenset({
    "has_sequential", "has_adder", "has_subtractor", "has_comparator", "has_constant_branch", "has_enable_register",
    "has_register_no_reset", "has_sync_reset", "has_async_reset", "has_multiple_modules", "has_wide_register",
    "has_state_constants", "has_wide_mux"})


def weight(feature: str) -> float:
    """How specific a feature is as evidence for a rule (generic features count half)."""
    return 0.5 if feature.removeprefix("not ") in GENERIC else 1.0


def _is_literal(node: Any, params: set[str]) -> bool:
    if node.kind == K.ParenthesizedExpression:
        return _is_literal(node.expression, params)
    if node.kind in _LITERALS:
        return True
    return node.kind == K.IdentifierName and node.identifier.valueText in params


def _is_clocked(block: Any, source: bytes) -> bool:
    if block.kind == K.AlwaysFFBlock:
        return True
    stmt = block.statement
    if stmt.kind != K.TimingControlStatement:
        return False
    return bool(re.search(r"\b(posedge|negedge)\b", text_of(source, stmt.timingControl)))


def _strip(node: Any) -> Any:
    while node.kind == K.ParenthesizedExpression:
        node = node.expression
    return node


def _name(node: Any) -> str | None:
    node = _strip(node)
    if node.kind == K.IdentifierName:
        return node.identifier.valueText
    if node.kind == K.IdentifierSelectName:
        return node.identifier.valueText
    return None


class _Reader:
    """One pass over the syntax tree collecting the facts the feature checks need."""

    def __init__(self, rtl: str) -> None:
        self.source = rtl.encode()
        self.tree = parse(rtl)
        self.nodes = walk(self.tree.root)
        self.params: dict[str, str] = {}
        self.widths: dict[str, int] = {}
        self.inputs: set[str] = set()
        self.clocked_lhs: dict[str, list[Any]] = defaultdict(list)  # register -> its assignments
        self.clocked_blocks: list[Any] = []
        self.comb_blocks: list[Any] = []
        self.drivers: dict[str, Any] = {}  # continuous assign target -> rhs
        self.modules = 0
        for node in self.nodes:
            self._fact(node)
        self.code = [n for n in self.nodes if is_logic(n)]

    def text(self, node: Any) -> str:
        return text_of(self.source, node)

    def _fact(self, node: Any) -> None:
        kind = node.kind
        if kind == K.ModuleDeclaration:
            self.modules += 1
        elif kind == K.ParameterDeclaration:
            for decl in _items(node.declarators):
                if decl.initializer is not None:
                    self.params[decl.name.valueText] = self.text(decl.initializer.expr)
        elif kind in (K.ImplicitAnsiPort, K.PortDeclaration, K.DataDeclaration, K.NetDeclaration):
            self._declaration(node)
        elif kind in _ALWAYS:
            (self.clocked_blocks if _is_clocked(node, self.source) else self.comb_blocks).append(node)
        elif kind == K.ContinuousAssign:
            for assignment in _items(node.assignments):
                name = _name(assignment.left)
                if name:
                    self.drivers[name] = assignment.right
        elif kind == K.Declarator and node.initializer is not None and node.parent is not None \
                and node.parent.kind in (K.NetDeclaration,):
            self.drivers[node.name.valueText] = node.initializer.expr

    def _declaration(self, node: Any) -> None:
        text = self.text(node)
        match = re.search(r"\[\s*(\d+)\s*:\s*(\d+)\s*\]", text)
        width = abs(int(match.group(1)) - int(match.group(2))) + 1 if match else 1
        if match is None and "[" in text:
            width = _WIDE  # a parameterised range: assume it is wide
        names = re.findall(r"\b([A-Za-z_]\w*)\s*(?=[,;)=\[]|$)", re.sub(r"\[[^\]]*\]", " ", text))
        keywords = {"input", "output", "inout", "wire", "reg", "logic", "signed", "unsigned", "integer", "var"}
        for name in names:
            if name not in keywords:
                self.widths.setdefault(name, width)
                if text.lstrip().startswith("input"):
                    self.inputs.add(name)

    def in_clocked(self, node: Any) -> bool:
        return any(a.kind in _ALWAYS and _is_clocked(a, self.source) for a in ancestors(node))

    def in_always(self, node: Any) -> bool:
        return any(a.kind in _ALWAYS for a in ancestors(node))


def _items(seq: Any) -> list[Any]:
    """The nodes of a (separated) syntax list, commas dropped."""
    return [x for x in seq if isinstance(x, SyntaxNode)]


def _branches(node: Any) -> list[Any]:
    """The alternative branches of an if/else, case or ?: node."""
    if node.kind == K.ConditionalStatement:
        return [node.statement] + ([node.elseClause.clause] if node.elseClause is not None else [])
    if node.kind == K.CaseStatement:
        return [item.clause for item in node.items]
    if node.kind == K.ConditionalExpression:
        return [node.left, node.right]
    return []


def _contains(node: Any, kinds: set[SyntaxKind]) -> list[Any]:
    return [n for n in walk(node) if n.kind in kinds]


def _check_arith(r: _Reader, f: Features) -> None:
    params = set(r.params)
    for node in r.code:
        kind = node.kind
        if kind == K.AddExpression:
            f.add("has_adder", r.text(node))
        elif kind == K.SubtractExpression:
            f.add("has_subtractor", r.text(node))
            # a subtraction whose parent is an assignment is its right-hand side (a target has no subtraction)
            if node.parent.kind in _ASSIGNS and _strip(node.parent.left).kind == K.ConcatenationExpression:
                f.add("has_subtract_borrow", r.text(node.parent))
        elif kind == K.MultiplyExpression:
            const = _is_literal(node.left, params) or _is_literal(node.right, params)
            f.add("has_multiplier_by_constant" if const else "has_multiplier", r.text(node))
        elif kind in (K.DivideExpression, K.ModExpression):
            f.add("has_division", r.text(node))
        elif kind in _RELATIONAL:
            f.add("has_comparator", r.text(node))
        elif kind in (K.LogicalShiftLeftExpression, K.LogicalShiftRightExpression, K.ArithmeticShiftLeftExpression,
                      K.ArithmeticShiftRightExpression):
            if not _is_literal(node.right, params):
                left = _strip(node.left)
                is_one = left.kind in _LITERALS or left.kind == K.ConcatenationExpression and \
                    all(_is_literal(e, params) or e.kind == K.MultipleConcatenationExpression
                        for e in _items(left.expressions))
                f.add("has_decoder" if is_one and kind == K.LogicalShiftLeftExpression else "has_shift_by_variable",
                      r.text(node))
        elif kind in (K.ConditionalStatement, K.CaseStatement, K.ConditionalExpression):
            with_arith = [b for b in _branches(node) if b is not None and _contains(b, _ARITH)]
            if len(with_arith) >= 2:
                f.add("has_exclusive_arith", r.text(node)[:80])
        elif kind == K.ConcatenationExpression:
            parts = _items(node.expressions)
            if len(parts) > 1 and parts[0].kind in _LITERALS and _is_zero(r.text(parts[0])):
                f.add("has_zero_extension", r.text(node))
    for node in r.nodes:
        if node.kind == K.ForLoopStatement and not r.in_clocked(node) and r.in_always(node):
            f.add("has_comb_loop", r.text(node)[:80])
            body = walk(node.statement)
            kinds = {n.kind for n in body}
            if K.BinaryXorExpression in kinds:
                f.add("has_bit_level_arith", r.text(node)[:80])
            if kinds & {K.SubtractExpression} and kinds & {K.LogicalShiftLeftExpression, K.GreaterThanEqualExpression} \
                    or "temp" in r.text(node) and kinds & {K.SubtractExpression}:
                f.add("has_division", r.text(node)[:80])
        elif node.kind == K.PrimitiveInstantiation:
            f.add("has_gate_primitives", r.text(node))
            if node.type.valueText in ("xor", "xnor"):
                f.add("has_bit_level_arith", r.text(node))
    if "has_bit_level_arith" not in f:
        for node in r.nodes:
            if node.kind == K.BinaryXorExpression and re.search(r"\b(c|carry|borrow|cin|ci)\w*\b", r.text(node)):
                f.add("has_bit_level_arith", r.text(node))
    if re.search(rb"\bsigned\b", r.source) and ("has_adder" in f or "has_multiplier" in f or "has_subtractor" in f):
        f.add("has_signed_arith", "signed operands")


def _check_mux(r: _Reader, f: Features) -> None:
    params = set(r.params)
    for node in r.code:
        kind = node.kind
        if kind == K.ConditionalExpression:
            pred = node.predicate.conditions[0].expr
            if _is_literal(pred, params):
                f.add("has_constant_condition", r.text(node))
            if r.text(node.left).strip() == r.text(node.right).strip():
                f.add("has_identical_branches", r.text(node))
            zero = [b for b in (node.left, node.right) if _is_zero(r.text(b))]
            if zero and _strip(pred).kind == K.EqualityExpression:
                f.add("has_andor_mux", r.text(node))
            if any(_is_literal(b, params) for b in (node.left, node.right)):
                f.add("has_constant_branch", r.text(node))
            depth = 1 + sum(1 for a in ancestors(node) if a.kind == K.ConditionalExpression)
            if depth >= 3:
                f.add("has_priority_chain", r.text(node)[:80])
            left, right = _name(node.left), _name(node.right)
            if left in r.drivers and right in r.drivers and _contains(r.drivers[left], _ARITH) \
                    and _contains(r.drivers[right], _ARITH):
                f.add("has_mux_of_arith", r.text(node))
            if max(r.widths.get(left or "", 1), r.widths.get(right or "", 1)) >= _WIDE:
                f.add("has_wide_mux", r.text(node))
        elif kind == K.ConditionalStatement:
            pred = node.predicate.conditions[0].expr
            if _is_literal(pred, params):
                f.add("has_constant_condition", r.text(node)[:80])
            if node.elseClause is not None and r.text(node.statement).strip() == r.text(node.elseClause.clause).strip():
                f.add("has_identical_branches", r.text(node)[:80])
            chain = 1
            walker = node
            while walker.elseClause is not None and walker.elseClause.clause.kind == K.ConditionalStatement:
                walker = walker.elseClause.clause
                chain += 1
            if chain >= 3 and not (node.parent is not None and node.parent.kind == K.ElseClause):
                f.add("has_priority_chain", r.text(node)[:80])
        elif kind == K.CaseStatement:
            _check_case(r, f, node, params)


def _is_zero(text: str) -> bool:
    text = re.sub(r"\s|_", "", text)
    return bool(re.fullmatch(r"\(?(\d*'[bBhHdDoO]0+|0|'0|\{\w+\{1'b0\}\})\)?", text))


def _check_case(r: _Reader, f: Features, node: Any, params: set[str]) -> None:
    targets: Counter[str] = Counter()
    sources: dict[str, Any] = {}
    for item in node.items:
        for assign in _contains(item.clause, _ASSIGNS):
            if _is_literal(assign.right, params):
                f.add("has_constant_branch", r.text(item)[:80])
            else:
                targets[r.text(assign.left).strip()] += 1
                sources[r.text(assign.right).strip()] = assign.right
    if len(node.items) >= 4 and targets and targets.most_common(1)[0][1] >= 4 and len(sources) >= 4 \
            and all(_name(rhs) for rhs in sources.values()):
        f.add("has_case_mux", r.text(node)[:80])
        if max((r.widths.get(t, 1) for t in targets), default=1) >= _WIDE:
            f.add("has_wide_mux", r.text(node)[:80])


def _check_compare(r: _Reader, f: Features) -> None:
    pairs: Counter[frozenset[str]] = Counter()
    bit_compares = []
    for node in r.code:
        if node.kind in _RELATIONAL | _EQUALITY:
            left, right = _strip(node.left), _strip(node.right)
            if left.kind == K.IdentifierSelectName and right.kind == K.IdentifierSelectName:
                bit_compares.append(node)
            names = {_name(left), _name(right)}
            if None not in names and len(names) == 2:
                pairs[frozenset(names)] += 1
    if len(bit_compares) >= 3:
        for node in bit_compares[:4]:
            f.add("has_bitwise_compare_chain", r.text(node))
    for pair, count in pairs.items():
        if count >= 2:
            f.add("has_redundant_compare", " vs ".join(sorted(pair)))
    # comparison results combined by logic into another comparison: (eq || gt)
    compare_wires = {n for n, rhs in r.drivers.items() if _strip(rhs).kind in _RELATIONAL | _EQUALITY}
    for node in r.nodes:
        if node.kind in (K.LogicalOrExpression, K.LogicalAndExpression, K.BinaryOrExpression, K.BinaryAndExpression):
            names = {_name(n) for n in walk(node) if n.kind == K.IdentifierName}
            if len(names & compare_wires) >= 2:
                f.add("has_redundant_compare", r.text(node))


def _check_state(r: _Reader, f: Features) -> None:
    registers: dict[str, list[Any]] = defaultdict(list)
    for block in r.clocked_blocks:
        for assign in _contains(block, _ASSIGNS):
            name = _name(assign.left) if is_logic(assign) else None
            if name:
                registers[name].append(assign)
    if registers:
        f.add("has_sequential", ", ".join(sorted(registers))[:80])
    state_labels = set(r.params)
    for node in r.nodes:
        if node.kind != K.CaseStatement:
            continue
        sel = _name(node.expr)
        labels = [_name(e) for item in node.items if item.kind == K.StandardCaseItem for e in _items(item.expressions)]
        named = [x for x in labels if x in state_labels]
        if sel and (sel in registers or re.search(r"state|_st$|^st", sel, re.I)) and len(named) >= 3:
            f.add("has_fsm", f"case ({sel})")
            f.add("has_state_constants", ", ".join(named)[:80])
            values = [_int_value(r.params.get(x, "")) for x in named]
            if len(values) >= 3 and all(v is not None and v > 0 and v & (v - 1) == 0 for v in values) \
                    and max(v for v in values if v is not None) > 2:
                f.add("has_onehot_states", ", ".join(named)[:80])
    _check_registers(r, f, registers)


def _int_value(text: str) -> int | None:
    text = text.replace("_", "").strip()
    m = re.fullmatch(r"(\d*)'[sS]?([bBoOdDhH])([0-9a-fA-F]+)", text)
    if m:
        try:
            return int(m.group(3), {"b": 2, "o": 8, "d": 10, "h": 16}[m.group(2).lower()])
        except ValueError:
            return None
    return int(text) if text.isdigit() else None


def _check_registers(r: _Reader, f: Features, registers: dict[str, list[Any]]) -> None:
    params = set(r.params)
    for block in r.clocked_blocks:
        timing = r.text(block.statement.timingControl) if block.statement.kind == K.TimingControlStatement else ""
        edges = re.findall(r"(?:posedge|negedge)\s+(\w+)", timing)
        if len(edges) >= 2:
            f.add("has_async_reset", timing)
        ifs = [n for n in walk(block) if n.kind == K.ConditionalStatement]
        first_if = ifs[0] if ifs else None
        reset_name = re.compile(r"\b(a?resetn?|a?rstn?|rst_\w*|reset_\w*|\w*_rst\w*|nrst)\b", re.I)
        if first_if is not None and reset_name.search(r.text(first_if.predicate)) and len(edges) < 2:
            f.add("has_sync_reset", r.text(first_if.predicate))
        for assign in [a for a in _contains(block, _ASSIGNS) if is_logic(a)]:
            guards = [a for a in ancestors(assign) if a.kind in (K.ConditionalStatement, K.CaseStatement)]
            guard_text = " ".join(r.text(g.predicate) if g.kind == K.ConditionalStatement else r.text(g.expr)
                                  for g in guards if g.kind != K.ConditionalStatement or g.predicate is not None)
            if not guards and _name(assign.right) and not any(a.kind == K.ForLoopStatement for a in ancestors(assign)):
                f.add("has_pipeline_registers", r.text(assign))
            if not reset_name.search(guard_text) and not edges[1:]:
                name = _name(assign.left)
                if name and not any(reset_name.search(r.text(g.predicate)) for g in guards
                                    if g.kind == K.ConditionalStatement):
                    if not guards:
                        f.add("has_register_no_reset", name)
            if guards and not reset_name.search(guard_text.split(" ")[0] if guard_text else ""):
                f.add("has_enable_register", r.text(assign))
    if "has_pipeline_registers" in f and f.count("has_pipeline_registers") < 2:
        del f.evidence["has_pipeline_registers"]
    for name, assigns in registers.items():
        rhs = {r.text(a.right).strip() for a in assigns}
        constants = {x for x in rhs if x != name}
        if len(constants) == 1 and all(_is_literal(a.right, params) or _name(a.right) == name for a in assigns):
            f.add("has_constant_register", name)
        if any(re.fullmatch(rf"{re.escape(name)}\s*[-+]\s*\d\S*", x) for x in rhs):
            f.add("has_counter", name)
        if name in rhs:
            f.add("has_enable_register", f"{name} <= {name}")
        if r.widths.get(name, 1) >= _WIDE:
            f.add("has_wide_register", name)


def _check_misc(r: _Reader, f: Features) -> None:
    for node in r.nodes:
        if node.kind == K.InitialBlock:
            f.add("has_initial_block", r.text(node)[:80])
        elif node.kind == K.Declarator and node.dimensions and node.parent is not None \
                and node.parent.kind == K.DataDeclaration:
            f.add("has_memory_array", r.text(node.parent))
    if r.modules > 1:
        f.add("has_multiple_modules", f"{r.modules} modules")
    seen: Counter[str] = Counter()
    first: dict[str, str] = {}
    binary = {K.AddExpression, K.SubtractExpression, K.MultiplyExpression, K.BinaryAndExpression, K.BinaryOrExpression,
              K.BinaryXorExpression, K.LogicalAndExpression, K.LogicalOrExpression} | _RELATIONAL | _EQUALITY
    for node in r.code:
        if node.kind in binary and not any(a.kind == K.ForLoopStatement for a in ancestors(node)):
            key = re.sub(r"\s+", "", r.text(node))
            seen[key] += 1
            first.setdefault(key, r.text(node))
    for key, count in seen.items():
        if count >= 2 and len(key) >= 5:
            f.add("has_common_subexpression", f"{first[key]} (x{count})")
    for node in r.nodes:
        if node.kind in _ASSIGNS or node.kind == K.Declarator and node.initializer is not None:
            rhs = node.right if node.kind in _ASSIGNS else node.initializer.expr
            if not _contains(rhs, _ARITH):
                continue
            names = {n.identifier.valueText for n in walk(rhs) if n.kind == K.IdentifierName}
            names -= set(r.params)
            if names and names <= r.inputs and sum(r.widths.get(n, 1) for n in names) <= _NARROW_INPUTS:
                f.add("has_narrow_input_function", r.text(rhs))


_CHECKS: tuple[Callable[[_Reader, Features], None], ...] = (
    _check_arith, _check_mux, _check_compare, _check_state, _check_misc)


def design_features(rtl: str) -> Features:
    """The structural features of ``rtl`` with their evidence (every module in the text)."""
    reader = _Reader(rtl)
    features = Features()
    for check in _CHECKS:
        check(reader, features)
    return features


def identifiers(rtl: str) -> list[str]:
    """Identifier words in the design (split at ``_`` and case changes), for text retrieval."""
    words = re.findall(r"[A-Za-z][A-Za-z0-9_]*", re.sub(r"//.*|/\*.*?\*/", " ", rtl, flags=re.S))
    out: list[str] = []
    for word in words:
        for part in re.split(r"_|(?<=[a-z])(?=[A-Z])|\d+", word):
            if len(part) > 1:
                out.append(part.lower())
    return out


__all__ = ["FEATURES", "GENERIC", "Features", "design_features", "identifiers", "weight"]
