"""Logic templates: a decoder as one comparison per output bit; small-input arithmetic as a table of constants."""
from __future__ import annotations

from typing import Any

from pyslang.syntax import SyntaxKind

from rtlgen.optimize.rewrites.design import Design, Site, expression_site, line_of, module_item, paren, snippet
from rtlgen.spec.interface import read_ports
from rtlgen.spec.model import Port
from rtlgen.spec.syntax import Edit, apply_edits, is_logic, span, walk

K = SyntaxKind
MAX_OUTPUTS = 1024  # bits: beyond this the comparison list is unreadable


def decoder(design: Design) -> list[Site]:
    """``1 << s`` computed at W bits -> ``{(s == W-1), ..., (s == 0)}``: bit i is set exactly when s == i.

    Bits no value of ``s`` reaches are written as a zero replication.
    The shift amount must be unsigned (a shift amount is always read as unsigned; a signed
    comparison would not be). The concatenation is W bits wide, like the shift; it is made signed
    when the shift was, so the expression keeps its type.
    """
    sites = []
    for node in design.nodes:
        if node.kind != K.LogicalShiftLeftExpression or not is_logic(node):
            continue
        info, amount = design.type_of(node), design.type_of(node.right)
        if design.constant_of(node.left) != 1 or info is None or amount is None or amount.signed \
                or design.constant_of(node.right) is not None or not 2 <= info.width <= MAX_OUTPUTS:
            continue
        sel = paren(design.text(node.right))
        reachable = min(info.width, 1 << min(amount.width, 20))  # bits a select this wide can set
        terms = [f"({sel} == {i})" for i in range(reachable - 1, -1, -1)]
        if reachable < info.width:
            terms.insert(0, f"{{{info.width - reachable}{{1'b0}}}}")
        rows = [", ".join(terms[i:i + 8]) for i in range(0, len(terms), 8)]
        text = "{" + ",\n    ".join(rows) + "}"
        if info.signed:
            text = f"$signed({text})"
        sites.append(expression_site(design, node, text, f"line {line_of(design, node)}: decoder "
                                     f"{snippet(design, node)} as {info.width} comparisons"))
    return sites



MAX_TABLE_BITS = 6  # input bits: a table of at most 64 entries
_ARITH = (K.AddExpression, K.SubtractExpression, K.MultiplyExpression)


def _right_hand_sides(design: Design) -> list[Any]:
    out = []
    for node in design.nodes:
        if node.kind in (K.AssignmentExpression, K.NonblockingAssignmentExpression) and is_logic(node):
            out.append(node.right)
        elif node.kind == K.EqualsValueClause and is_logic(node) and node.parent is not None \
                and node.parent.kind == K.Declarator:
            out.append(node.expr)
    return out


def _table(design: Design, rhs: Any, inputs: list[Port]) -> list[int] | None:
    """The value of ``rhs`` for every combination of ``inputs`` (first input most significant), by pyslang's evaluator."""
    start, end = span(rhs)
    uses = sorted((span(n), n.identifier.valueText) for n in walk(rhs) if n.kind == K.IdentifierName)
    total = sum(p.width for p in inputs)
    values = []
    for combo in range(1 << total):
        literal, shift = {}, total
        for port in inputs:
            shift -= port.width
            literal[port.name] = f"{port.width}'d{(combo >> shift) & ((1 << port.width) - 1)}"
        text = design.source[start:end]
        for (s, e), name in reversed(uses):
            if name in literal:
                text = text[: s - start] + literal[name].encode() + text[e - start:]
        body = f"({text.decode()})"
        rtl = apply_edits(design.rtl, [Edit(start, end, rhs.kind, body)])
        value = Design(rtl, design.top).constant_of((start, start + len(body.encode())))
        if value is None:
            return None
        values.append(value)
    return values


def narrow_table(design: Design) -> list[Site]:
    """Arithmetic on at most ``MAX_TABLE_BITS`` input bits -> a call of a new function: a case of its constant values.

    Each entry is what pyslang's constant evaluator gives for the expression with the inputs replaced
    by literals of the same width, at the expression's own (context) width. A case statement (not a
    ?: chain) is what synthesis reads as a table: Yosys builds one parallel mux or ROM and minimises
    each output bit, where a priority chain of comparisons stays a chain.
    """
    ports = {p.name: p for p in read_ports(design.rtl, design.top) if p.direction == "input"}
    sites = []
    for rhs in _right_hand_sides(design):
        info = design.type_of(rhs)
        names = {n.identifier.valueText for n in walk(rhs) if n.kind == K.IdentifierName} - design.constants
        inputs = [ports[n] for n in ports if n in names]
        if info is None or info.width > 64 or not names or len(inputs) != len(names) \
                or any(p.signed for p in inputs) or sum(p.width for p in inputs) > MAX_TABLE_BITS \
                or not any(n.kind in _ARITH for n in walk(rhs)):
            continue
        table = _table(design, rhs, inputs)
        if table is None:
            continue
        total = sum(p.width for p in inputs)
        key = inputs[0].name if len(inputs) == 1 else "{" + ", ".join(p.name for p in inputs) + "}"
        width = min(info.width, info.delivered)  # only the delivered bits are ever seen
        name = _fresh(design, f"table_line{line_of(design, rhs)}")
        function = _case_function(name, total, width, info.signed, table)
        text = f"{name}({key})"
        site = expression_site(design, rhs, text, f"line {line_of(design, rhs)}: {snippet(design, rhs)} as a "
                               f"case table of {len(table)} constants")
        item = module_item(rhs)
        start, end = span(item)
        sites.append(Site(site.edits + (Edit(start, end, item.kind, function, "member", before=True),),
                          site.description, site.checked))
    return sites


def _case_function(name: str, bits: int, width: int, signed: bool, table: list[int]) -> str:
    mask = (1 << width) - 1
    rows = [f"      {bits}'d{i}: {name} = {width}'d{v & mask};" for i, v in enumerate(table[:-1])]
    rows.append(f"      default: {name} = {width}'d{table[-1] & mask};")
    kind = "signed " if signed else ""
    return (f"\n  function automatic {kind}[{width - 1}:0] {name}(input [{bits - 1}:0] x);\n"
            f"    case (x)\n" + "\n".join(rows) + "\n    endcase\n  endfunction\n")


def _fresh(design: Design, base: str) -> str:
    name = base
    while name.encode() in design.source:
        name += "_"
    return name


__all__ = ["decoder", "narrow_table"]
