"""Datapath templates: constant multiplication as shift-add, and resource sharing under an exclusive select."""
from __future__ import annotations

from typing import Any

from pyslang.syntax import SyntaxKind, SyntaxNode

from rtlgen.optimize.rewrites.design import (Design, Site, expression_site, line_of, literal_value, module_item,
                                             normalized, paren, plain_condition, present, single_assignment,
                                             snippet)
from rtlgen.spec.syntax import Edit, ancestors, is_logic, span, strip_parens, walk

K = SyntaxKind
MAX_TERMS = 4  # beyond this many shifted terms a multiplier is as good
_SIMPLE = (K.IdentifierName, K.IdentifierSelectName)


def csd(value: int) -> list[tuple[int, int]]:
    """Canonical signed-digit form of ``value`` > 0: (shift, +1/-1) terms, highest shift first."""
    terms = []
    shift = 0
    while value:
        if value & 1:
            digit = 2 - (value & 3)
            value -= digit
            terms.append((shift, digit))
        value >>= 1
        shift += 1
    return sorted(terms, reverse=True)


def shift_add(operand: str, value: int) -> str:
    """``operand * value`` as shifts and adds/subtracts (``(x << 2) + x``); plain binary when no longer."""
    binary = [(shift, 1) for shift in range(value.bit_length() - 1, -1, -1) if value >> shift & 1]
    terms = binary if len(binary) <= len(csd(value)) else csd(value)
    text = ""
    for shift, digit in terms:
        term = operand if shift == 0 else f"({operand} << {shift})"
        text = term if not text else f"{text} {'+' if digit > 0 else '-'} {term}"
    return text


def const_mult(design: Design) -> list[Site]:
    """Every ``x * C`` / ``C * x`` with a literal C >= 2 and a plain operand x, as shift-add."""
    sites = []
    for node in design.nodes:
        if node.kind != K.MultiplyExpression or not is_logic(node):
            continue  # index and loop arithmetic is constant after elaboration: nothing to gain
        for operand, constant in ((node.left, node.right), (node.right, node.left)):
            value = literal_value(constant)
            plain = strip_parens(operand)
            if value is None or value < 2 or plain.kind not in _SIMPLE or len(csd(value)) > MAX_TERMS \
                    or plain.identifier.valueText in design.constants:
                continue
            text = shift_add(design.text(plain).strip(), value)
            sites.append(expression_site(design, node, text,
                                         f"line {line_of(design, node)}: {snippet(design, node)} -> {text}"))
            break
    return sites


def _add_sub_pair(design: Design, first: Any, second: Any) -> tuple[Any, Any, bool] | None:
    """(X, Y, add_first) when ``first``/``second`` are X + Y and X - Y in either order, with unsigned X and Y."""
    first, second = strip_parens(first), strip_parens(second)
    kinds = {first.kind, second.kind}
    if kinds != {K.AddExpression, K.SubtractExpression}:
        return None
    if normalized(design, first.left) != normalized(design, second.left) \
            or normalized(design, first.right) != normalized(design, second.right):
        return None
    for operand in (first.left, first.right, second.left, second.right):
        info = design.type_of(operand)
        if info is None or info.signed:
            return None
    return first.left, first.right, first.kind == K.AddExpression


def _shared_add_sub(design: Design, predicate: Any, x: Any, y: Any, add_first: bool) -> str:
    p, xt, yt = paren(design.text(predicate)), paren(design.text(x)), paren(design.text(y))
    if add_first:
        return f"{xt} + ({p} ? {yt} : ~{yt}) + ({p} ? 1'b0 : 1'b1)"
    return f"{xt} + ({p} ? ~{yt} : {yt}) + ({p} ? 1'b1 : 1'b0)"


def share_add_sub(design: Design) -> list[Site]:
    """``c ? X + Y : X - Y`` (expression or if/else of one assignment) as one adder: X + (c ? Y : ~Y) + !c.

    Only unsigned X and Y: the carry-in term is unsigned. The if/else form assigns the same target
    with the same operator in both branches, so the assignment's context width is unchanged.
    """
    sites = []
    for node in design.nodes:
        if node.kind == K.ConditionalExpression and len(node.predicate.conditions) == 1:
            pair = _add_sub_pair(design, node.left, node.right)
            if pair:
                pred = node.predicate.conditions[0].expr
                text = _shared_add_sub(design, pred, *pair)
                sites.append(expression_site(design, node, text, f"line {line_of(design, node)}: add/subtract "
                                             f"under {snippet(design, pred)} share one adder"))
        elif node.kind == K.ConditionalStatement and node.elseClause is not None and not present(node.uniqueOrPriority) \
                and len(node.predicate.conditions) == 1:
            then, other = single_assignment(node.statement), single_assignment(node.elseClause.clause)
            if then is None or other is None or then.kind != other.kind \
                    or normalized(design, then.left) != normalized(design, other.left):
                continue
            pair = _add_sub_pair(design, then.right, other.right)
            if not pair:
                continue
            pred = node.predicate.conditions[0].expr
            text = (f"{design.text(then.left).strip()} {then.operatorToken.rawText} "
                    f"{_shared_add_sub(design, pred, *pair)};")
            start, end = span(node)
            sites.append(Site((Edit(start, end, node.kind, text, "statement"),),
                              f"line {line_of(design, node)}: add/subtract under {snippet(design, pred)} "
                              f"share one adder"))
    return sites


# X > Y, X >= Y: true when the left operand is the larger; X < Y, X <= Y: when the right one is
_LARGER_LEFT = {K.GreaterThanExpression: True, K.GreaterThanEqualExpression: True,
                K.LessThanExpression: False, K.LessThanEqualExpression: False}


def _plain_unsigned(design: Design, node: Any) -> int | None:
    """The width of an unsigned name or select of names none of which is assigned in a procedural block or is a
    parameter or loop variable, else None: such an operand has the same exact value in the comparison, both
    subtractions and a new continuous wire at module level."""
    node = strip_parens(node)
    if node.kind not in (K.IdentifierName, K.IdentifierSelectName):
        return None
    names = [n.identifier.valueText for n in walk(node) if n.kind in (K.IdentifierName, K.IdentifierSelectName)]
    info, width = design.type_of(node), design.own_width(node)
    if info is None or info.signed or width is None \
            or any(name in design.procedural or name in design.constants for name in names):
        return None
    return width


def _absolute_pair(design: Design, predicate: Any, first: Any, second: Any) -> tuple[Any, Any, int] | None:
    """(X, Y, width) when ``predicate ? first : second`` is ``X > Y ? X - Y : Y - X`` or one of its spellings (>=,
    <, <=, operands either way round): the absolute difference of two plain unsigned operands."""
    compare, first, second = strip_parens(predicate), strip_parens(first), strip_parens(second)
    if compare.kind not in _LARGER_LEFT or first.kind != K.SubtractExpression or second.kind != K.SubtractExpression:
        return None
    x, y = first.left, first.right
    if normalized(design, x) != normalized(design, second.right) or normalized(design, y) != normalized(design,
                                                                                                         second.left):
        return None
    larger = compare.left if _LARGER_LEFT[compare.kind] else compare.right
    smaller = compare.right if _LARGER_LEFT[compare.kind] else compare.left
    if normalized(design, larger) != normalized(design, x) or normalized(design, smaller) != normalized(design, y):
        return None  # the true branch must subtract the smaller operand (else it is minus the distance)
    widths = [_plain_unsigned(design, operand) for operand in (x, y)]
    if None in widths or any(n.kind in (K.FunctionDeclaration, K.GenerateBlock, K.LoopGenerate)
                             for n in ancestors(compare)):
        return None
    return x, y, max(widths)


def _fresh_name(design: Design, base: str) -> str:
    name = base
    while name.encode() in design.source:
        name += "_"
    return name


def absolute_difference(design: Design) -> list[Site]:
    """``X > Y ? X - Y : Y - X`` (expression or if/else of one assignment; >, >=, <, <= either way round) as one
    subtraction whose borrow selects its negation: ``d = X - Y`` one bit wider, ``|X - Y| = d[W] ? -d : d`` in W
    bits. One subtractor and an incrementer instead of a comparator and two subtractors; equal operands give 0 from
    both branches, so > and >= are the same rewrite.

    Type-safe by construction (``Site.checked`` None): X and Y are plain unsigned names or selects, so the
    comparison and both subtractions see their exact values; the selected branch is the distance |X - Y|, which fits
    in W bits, and the new W-bit wire holding it is zero-extended into any wider context as the branch was.
    """
    sites = []
    for node in design.nodes:
        if node.kind == K.ConditionalExpression and plain_condition(node) is not None:
            found, replaced = _absolute_pair(design, plain_condition(node), node.left, node.right), node
        elif node.kind == K.ConditionalStatement and node.elseClause is not None and plain_condition(node) is not None:
            then, other = single_assignment(node.statement), single_assignment(node.elseClause.clause)
            if then is None or other is None or then.kind != other.kind \
                    or normalized(design, then.left) != normalized(design, other.left):
                continue
            found, replaced = _absolute_pair(design, plain_condition(node), then.right, other.right), node
        else:
            continue
        if found is None:
            continue
        x, y, width = found
        difference, distance = _fresh_name(design, "absdiff_wide"), _fresh_name(design, "absdiff")
        xt, yt = paren(design.text(x)), paren(design.text(y))
        decls = (f"\n  wire [{width}:0] {difference} = {xt} - {yt};"
                 f"\n  wire [{width - 1}:0] {distance} = {difference}[{width}] ? -{difference}[{width - 1}:0] : "
                 f"{difference}[{width - 1}:0];")
        start, end = span(replaced)
        if replaced.kind == K.ConditionalExpression:
            edit = expression_site(design, replaced, distance, "").edits[0]
        else:
            assign = single_assignment(replaced.statement)
            edit = Edit(start, end, replaced.kind, f"{design.text(assign.left).strip()} "
                                                  f"{assign.operatorToken.rawText} {distance};", "statement")
        item = module_item(replaced)
        item_start, item_end = span(item)
        sites.append(Site((edit, Edit(item_start, item_end, item.kind, decls, "member", before=True)),
                          f"line {line_of(design, replaced)}: |{xt} - {yt}| from one subtraction ({distance})"))
    return sites


def _leaf_diff(design: Design, a: Any, b: Any, pairs: list[tuple[Any, Any]]) -> bool:
    """Walk ``a`` and ``b`` in parallel; collect the differing leaves (names and selects). False if shapes differ."""
    if normalized(design, a) == normalized(design, b):
        return True
    if a.kind in _SIMPLE and b.kind in _SIMPLE:
        pairs.append((a, b))
        return True
    children_a, children_b = list(a), list(b)
    if a.kind != b.kind or len(children_a) != len(children_b):
        return False
    for ca, cb in zip(children_a, children_b):
        if isinstance(ca, SyntaxNode) and isinstance(cb, SyntaxNode):
            if not _leaf_diff(design, ca, cb, pairs):
                return False
        elif isinstance(ca, SyntaxNode) or isinstance(cb, SyntaxNode):
            return False
        elif getattr(ca, "rawText", None) != getattr(cb, "rawText", None):
            return False
    return True


class _Sharer:
    """Builds shared wires for ``c ? f(x) : f(y)`` where f may pass through chains of single-driver wires."""

    def __init__(self, design: Design, cond: str, names: set[str]) -> None:
        self.design, self.cond = design, cond
        self.names = names
        self.decls: list[str] = []
        self.wires: dict[tuple[str, str], str] = {}

    def _fresh(self, base: str) -> str:
        name = f"{base}_shared"
        while name in self.names:
            name += "_"
        self.names.add(name)
        return name

    def merged(self, a: Any, b: Any) -> str | None:
        """Text computing ``cond ? a : b`` with one copy of the logic, or None when a and b differ in shape."""
        pairs: list[tuple[Any, Any]] = []
        if not _leaf_diff(self.design, a, b, pairs) or not pairs or pairs[0][0] is a:
            return None  # different shapes, identical, or nothing shared (the whole branches differ)
        start = span(a)[0]
        text = self.design.source[start:span(a)[1]]
        for x, y in sorted(pairs, key=lambda p: span(p[0])[0], reverse=True):
            new = self.leaf(x, y)
            if new is None:
                return None
            xs, xe = span(x)
            text = text[: xs - start] + new.encode() + text[xe - start:]
        return text.decode()

    def leaf(self, x: Any, y: Any) -> str | None:
        design = self.design
        tx, ty = design.type_of(x), design.type_of(y)
        if tx is None or ty is None or (tx.width, tx.signed) != (ty.width, ty.signed):
            return None
        nx, ny = design.text(x).strip(), design.text(y).strip()
        if x.kind == K.IdentifierName and y.kind == K.IdentifierName and nx in design.drivers and ny in design.drivers:
            if (nx, ny) in self.wires:
                return self.wires[(nx, ny)]
            body = self.merged(strip_parens(design.drivers[nx]), strip_parens(design.drivers[ny]))
            if body is not None:
                name = self._fresh(nx)
                sign = " signed" if tx.signed else ""
                rng = f" [{tx.width - 1}:0]" if tx.width > 1 else ""
                self.decls.append(f"wire{sign}{rng} {name} = {body};")
                self.wires[(nx, ny)] = name
                return name
        return f"({paren(self.cond)} ? {nx} : {ny})"


def share_mux_before_arith(design: Design) -> list[Site]:
    """``c ? f(x) : f(y)`` -> ``f(c ? x : y)``, following single-driver wires (new ``*_shared`` wires).

    The select condition must read only nets and ports, so it means the same at module scope.
    Merged leaves must have the same width and signedness, so ``f`` sees the same types.
    """
    names = {n.identifier.valueText for n in design.nodes if n.kind == K.IdentifierName} | set(design.drivers)
    sites = []
    for node in design.nodes:
        if node.kind != K.ConditionalExpression or len(node.predicate.conditions) != 1:
            continue
        cond = node.predicate.conditions[0].expr
        if any(n.kind == K.IdentifierName and n.identifier.valueText in design.procedural
               for n in walk(cond)):
            continue
        sharer = _Sharer(design, design.text(cond).strip(), set(names))
        left, right = strip_parens(node.left), strip_parens(node.right)
        if left.kind == K.IdentifierName and right.kind == K.IdentifierName:
            text = sharer.leaf(left, right)
            if text is None or not sharer.decls:
                continue
        else:
            text = sharer.merged(left, right)
            if text is None:
                continue
        site = expression_site(design, node, text, f"line {line_of(design, node)}: select before the arithmetic: "
                                                  f"{snippet(design, node, 60)}")
        edits = site.edits
        if sharer.decls:
            item = module_item(node)
            start, end = span(item)
            edits += (Edit(start, end, item.kind, "".join("\n  " + d for d in sharer.decls), "member", before=True),)
        sites.append(Site(edits, site.description + (f" (new wires {', '.join(sharer.wires.values())})"
                                                     if sharer.wires else ""), site.checked))
    return sites


def _branch_condition(design: Design, node: Any) -> str | None:
    """The condition under which ``node``'s value is used: it sits in a ?: branch through low-bit-closed operators."""
    child = node
    for parent in ancestors(node):
        if parent.kind == K.ConditionalExpression and child is not parent.predicate:
            if len(parent.predicate.conditions) != 1:
                return None
            cond = paren(design.text(parent.predicate.conditions[0].expr))
            return cond if child is parent.left else f"!{cond}"
        if parent.kind not in _ISOLATION_PATH:
            return None
        child = parent
    return None


_ISOLATION_PATH = {K.ParenthesizedExpression, K.AddExpression, K.SubtractExpression, K.BinaryAndExpression,
                   K.BinaryOrExpression, K.BinaryXorExpression}


def operand_isolation(design: Design) -> list[Site]:
    """``c ? x * y : z`` -> ``c ? (c ? x : 0) * (c ? y : 0) : z``: the multiplier is quiet while unused.

    The zeros are sized like the operands (``{W{1'b0}}``), so the product keeps its width.
    """
    sites = []
    for node in design.nodes:
        if node.kind != K.MultiplyExpression:
            continue
        left, right = strip_parens(node.left), strip_parens(node.right)
        if literal_value(left) is not None or literal_value(right) is not None:
            continue  # constant multiplications are shift-adds, not worth gating
        cond = _branch_condition(design, node)
        infos = [design.type_of(left), design.type_of(right)]
        if cond is None or None in infos or left.kind not in _SIMPLE or right.kind not in _SIMPLE:
            continue
        gated = [f"({cond} ? {design.text(op).strip()} : {{{info.width}{{1'b0}}}})"
                 for op, info in zip((left, right), infos)]
        sites.append(expression_site(design, node, f"{gated[0]} * {gated[1]}",
                                     f"line {line_of(design, node)}: operands of {snippet(design, node)} held at "
                                     f"zero unless {cond}"))
    return sites



def _case_arith_items(design: Design, case: Any) -> list[tuple[list[int], Any, Any, Any, bool]]:
    """(labels, assignment, X, Y, subtract) for each item of ``case`` that assigns X + Y or X - Y, unsigned."""
    found = []
    for item in case.items:
        if item.kind != K.StandardCaseItem:
            continue
        labels = [design.constant_of(e) for e in item.expressions if isinstance(e, SyntaxNode)]
        assign = single_assignment(item.clause)
        if not labels or None in labels or assign is None:
            continue
        rhs = strip_parens(assign.right)
        if rhs.kind not in (K.AddExpression, K.SubtractExpression):
            continue
        infos = [design.type_of(rhs.left), design.type_of(rhs.right)]
        if None in infos or any(i.signed for i in infos):
            continue
        found.append((labels, assign, rhs.left, rhs.right, rhs.kind == K.SubtractExpression))
    return found


def case_shared_adder(design: Design) -> list[Site]:
    """Case items computing X_i + Y_i or X_i - Y_i into one target -> every such item computes the same
    ``(sel picks X_i) + (sel picks Y_i or ~Y_i) + (sel picks the carry-in)``: one adder after opt_merge.

    Sound for unsigned operands: in item i the selects pick X_i, Y_i (or ~Y_i with carry-in 1, which
    is X_i - Y_i modulo the context width); every item keeps its assignment target, so its context
    width is at least the target's and the target's bits are unchanged.
    """
    sites = []
    for case in design.nodes:
        if case.kind != K.CaseStatement or case.caseKeyword.rawText != "case" or present(case.uniqueOrPriority):
            continue
        groups: dict[tuple[str, Any], list] = {}
        for entry in _case_arith_items(design, case):
            groups.setdefault((normalized(design, entry[1].left), entry[1].kind), []).append(entry)
        sel = paren(design.text(case.expr))
        for (target, _), entries in groups.items():
            if len(entries) < 2 or any(n.kind == K.IdentifierName and n.identifier.valueText in target
                                       for n in walk(case.expr)):
                continue
            conds = [" || ".join(f"{sel} == {k}" for k in labels) for labels, *_ in entries]

            def pick(values: list[str]) -> str:
                text = values[-1]
                for cond, value in zip(reversed(conds[:-1]), reversed(values[:-1])):
                    text = f"({cond}) ? {value} : {text}"
                return f"({text})"

            xs = [paren(design.text(x)) for _, _, x, _, _ in entries]
            ys = [f"~{paren(design.text(y))}" if sub else paren(design.text(y)) for _, _, _, y, sub in entries]
            cins = ["1'b1" if sub else "1'b0" for *_, sub in entries]
            shared = f"{pick(xs)} + {pick(ys)} + {pick(cins)}"
            edits = tuple(Edit(*span(assign.right), assign.right.kind, shared) for _, assign, *_ in entries)
            sites.append(Site(edits, f"line {line_of(design, case)}: {len(entries)} add/subtract items of "
                                     f"case {snippet(design, case.expr, 30)} share one adder for {target}"))
    return sites


__all__ = ["absolute_difference", "case_shared_adder", "const_mult", "csd", "operand_isolation", "shift_add",
           "share_add_sub", "share_mux_before_arith"]
