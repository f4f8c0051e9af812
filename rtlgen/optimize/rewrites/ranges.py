"""Register range analysis: the bits of a register that no reachable value sets are cleared where it is loaded.

A counter that wraps at 9 in an 8-bit register, a state register whose codes use three bits of
eight, a register loaded from a 4-bit input: synthesis keeps every flip-flop, because whether a
high bit can ever be set depends on the register's history, which it does not analyse. The bits a
register can hold are found from what it is loaded with: constants (resets included), itself,
narrower signals, ``?:``, bitwise operators, and arithmetic on itself bounded by the largest
constant it is compared with or loaded with (the wrap or saturation point). Every load then ANDs
its value with that mask: a flip-flop whose input is the constant 0 and which resets to 0 is
removed, with the logic that fed it.

The bound for arithmetic on the register is a hypothesis read off the comparisons, not a proof
(``n == 9`` may only drive a flag while ``n`` runs to 255); the gate's induction proof decides, and
refuses the change with a counterexample when a masked bit can be set.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Any

from pyslang.syntax import SyntaxKind, SyntaxNode

from rtlgen.optimize.rewrites.design import Design, Site, line_of, present
from rtlgen.spec.syntax import Edit, ancestors, span, strip_parens, walk

K = SyntaxKind
_COMPARISONS = {K.EqualityExpression, K.InequalityExpression, K.LessThanExpression, K.LessThanEqualExpression,
                K.GreaterThanExpression, K.GreaterThanEqualExpression, K.CaseEqualityExpression}
_SELECTS = (K.IdentifierName, K.IdentifierSelectName)


def _clocked(node: Any) -> bool:
    """Inside an ``always_ff`` or an ``always`` whose event control has a clock edge."""
    for parent in ancestors(node):
        if parent.kind == K.AlwaysFFBlock:
            return True
        if parent.kind == K.AlwaysBlock:
            control = getattr(parent.statement, "timingControl", None)
            return control is not None and any(n.kind == K.SignalEventExpression and present(n.edge)
                                               for n in walk(control))
    return False


def _registers(design: Design) -> dict[str, list[Any]]:
    """Registers: names every assignment of which loads the whole variable in a clocked block."""
    loads: dict[str, list[Any]] = defaultdict(list)
    others: set[str] = set()
    for node in design.nodes:
        if node.kind not in (K.NonblockingAssignmentExpression, K.AssignmentExpression):
            continue
        target = strip_parens(node.left)
        name = getattr(getattr(target, "identifier", None), "valueText", None)
        if name is None:
            others |= {n.identifier.valueText for n in walk(target) if n.kind in _SELECTS}
        elif target.kind == K.IdentifierName and _clocked(node):
            loads[name].append(node)
        else:
            others.add(name)
    return {name: found for name, found in loads.items() if name not in others}


def _compared_constants(design: Design, name: str) -> list[int]:
    """Constants ``name`` is compared with anywhere (its wrap or saturation points)."""
    found = []
    for node in design.nodes:
        if node.kind not in _COMPARISONS:
            continue
        for side, other in ((node.left, node.right), (node.right, node.left)):
            side = strip_parens(side)
            value = design.constant_of(other)
            if side.kind == K.IdentifierName and side.identifier.valueText == name and value is not None:
                found.append(value)
    return found


class _Bits:
    """The bits an expression loaded into register ``name`` can set, given the bits the register itself holds."""

    def __init__(self, design: Design, name: str, width: int, bound: int | None) -> None:
        self.design, self.name, self.full = design, name, (1 << width) - 1
        # arithmetic on the register stays within the bits of its largest compared or loaded constant
        self.arithmetic = (1 << bound.bit_length()) - 1 if bound else self.full

    def __call__(self, node: Any, held: int) -> int:
        return self.of(node, held) & self.full

    def of(self, node: Any, held: int) -> int:
        value = self.design.constant_of(node)
        if value is not None:
            return value if value >= 0 else self.full
        node = strip_parens(node)
        kind = node.kind
        if kind == K.IdentifierName and node.identifier.valueText == self.name:
            return held
        if kind in _SELECTS:
            own = self.design.own_width(node)
            return (1 << own) - 1 if own else self.full
        if kind == K.ConditionalExpression:
            return self.of(node.left, held) | self.of(node.right, held)
        if kind == K.BinaryAndExpression:
            return self.of(node.left, held) & self.of(node.right, held)
        if kind in (K.BinaryOrExpression, K.BinaryXorExpression):
            return self.of(node.left, held) | self.of(node.right, held)
        if any(n.kind == K.IdentifierName and n.identifier.valueText == self.name for n in walk(node)):
            return self.arithmetic
        if kind == K.ConcatenationExpression:
            return self.concatenation(node, held)
        if kind == K.AddExpression:  # a sum of values below 2^k is below 2^(k+1)
            widest = max(self.of(node.left, held), self.of(node.right, held))
            return (1 << (widest.bit_length() + 1)) - 1
        if kind == K.MultiplyExpression:  # a product of values below 2^j and 2^k is below 2^(j+k)
            bits = self.of(node.left, held).bit_length() + self.of(node.right, held).bit_length()
            return (1 << bits) - 1
        return self.full

    def concatenation(self, node: Any, held: int) -> int:
        """Each part's bits at its place (parts are self-determined: their own widths)."""
        found, shift = 0, 0
        for part in reversed([e for e in node.expressions if isinstance(e, SyntaxNode)]):
            info = self.design.type_of(part)
            size = getattr(strip_parens(part), "size", None)  # a sized literal (4'd0) has no recorded type
            width = info.width if info is not None else int(size.rawText) if size is not None \
                and size.rawText.isdigit() else None
            if width is None:
                return self.full
            found |= (self.of(part, held) & ((1 << width) - 1)) << shift
            shift += width
        return found


def _held_bits(design: Design, name: str, loads: list[Any], width: int) -> int:
    """The least set of bits closed under every load (a fixed point, reached within ``width`` rounds)."""
    constants = [v for v in (design.constant_of(a.right) for a in loads) if v is not None]
    bound = max(constants + _compared_constants(design, name), default=None)
    bits = _Bits(design, name, width, bound)
    held = 0
    while True:
        grown = held
        for assign in loads:
            grown |= bits(assign.right, held)
        if grown == held:
            return held
        held = grown


def register_ranges(design: Design) -> list[Site]:
    """Each register with bits no load can set: every load ANDed with the mask of the bits it can hold."""
    sites = []
    for name, loads in _registers(design).items():
        target = design.type_of(loads[0].left)
        computed = [a for a in loads if design.constant_of(a.right) is None]
        values = [design.type_of(a.right) for a in computed]
        if target is None or target.signed or target.width < 2 or target.width > 64 or not computed \
                or any(v is None or v.signed for v in values):
            continue  # a signed value would be sign-extended, the mask would make it zero-extended
        held = _held_bits(design, name, loads, target.width)
        if held == (1 << target.width) - 1:
            continue
        mask = f"{target.width}'h{held:x}"
        edits = tuple(Edit(*span(a.right), a.right.kind, f"({design.text(a.right).strip()}) & {mask}")
                      for a in computed)
        kept = bin(held).count("1")
        sites.append(Site(edits, f"line {line_of(design, loads[0])}: register {name} holds only the bits of "
                                 f"{mask} ({kept} of {target.width}): the others cleared where it is loaded"))
    return sites


__all__ = ["register_ranges"]
