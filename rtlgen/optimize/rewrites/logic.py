"""Logic templates: a decoder written as a shifted one becomes one comparison per output bit."""
from __future__ import annotations

from pyslang.syntax import SyntaxKind

from rtlgen.optimize.rewrites.design import Design, Site, expression_site, line_of, paren, snippet
from rtlgen.spec.syntax import is_logic

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


__all__ = ["decoder"]
