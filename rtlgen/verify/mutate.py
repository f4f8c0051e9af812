"""Mutation testing: plant the bugs LLMs make into working RTL, to measure how many a check catches.

Each mutant changes one spot found by pyslang (operator swap, off-by-one constant, inverted
condition, swapped branches, wrong reset value) and keeps every other byte of the source. A
mutant is kept only if Icarus still compiles it and its text differs from the original and from
every mutant kept before it.
"""
from __future__ import annotations

import json
import random
import re
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Iterator

from pyslang.syntax import SyntaxKind, SyntaxNode

from rtlgen.errors import RtlgenError
from rtlgen.spec.syntax import parse, span as _span, token_span as _token_span
from rtlgen.tools.registry import find
from rtlgen.tools.run import run

# operator swaps: expression kind -> replacement for its operator token
OPERATOR_SWAPS: dict[SyntaxKind, str] = {
    SyntaxKind.AddExpression: "-", SyntaxKind.SubtractExpression: "+",
    SyntaxKind.BinaryAndExpression: "|", SyntaxKind.BinaryOrExpression: "&", SyntaxKind.BinaryXorExpression: "|",
    SyntaxKind.BinaryXnorExpression: "^",
    SyntaxKind.EqualityExpression: "!=", SyntaxKind.InequalityExpression: "==",
    SyntaxKind.CaseEqualityExpression: "!==", SyntaxKind.CaseInequalityExpression: "===",
    SyntaxKind.LessThanExpression: "<=", SyntaxKind.LessThanEqualExpression: "<",
    SyntaxKind.GreaterThanExpression: ">=", SyntaxKind.GreaterThanEqualExpression: ">",
    SyntaxKind.LogicalAndExpression: "||", SyntaxKind.LogicalOrExpression: "&&",
    SyntaxKind.LogicalShiftLeftExpression: ">>", SyntaxKind.LogicalShiftRightExpression: "<<",
}
# reduction operators: &x -> |x and so on
UNARY_SWAPS: dict[SyntaxKind, str] = {
    SyntaxKind.UnaryBitwiseAndExpression: "|", SyntaxKind.UnaryBitwiseOrExpression: "&",
    SyntaxKind.UnaryBitwiseXorExpression: "~^", SyntaxKind.UnaryBitwiseXnorExpression: "^",
    SyntaxKind.UnaryBitwiseNandExpression: "~|", SyntaxKind.UnaryBitwiseNorExpression: "~&",
}
# literals in these contexts size the interface or time the simulation: leave them alone
_FROZEN_CONTEXTS = {
    SyntaxKind.DataDeclaration, SyntaxKind.NetDeclaration, SyntaxKind.PortDeclaration,
    SyntaxKind.ImplicitAnsiPort, SyntaxKind.ExplicitAnsiPort, SyntaxKind.ParameterDeclaration,
    SyntaxKind.TypeParameterDeclaration, SyntaxKind.ParameterPortList, SyntaxKind.DelayControl,
    SyntaxKind.TimeUnitsDeclaration, SyntaxKind.GenvarDeclaration, SyntaxKind.LocalVariableDeclaration,
    SyntaxKind.FunctionPortList, SyntaxKind.DefParam,
}
_LITERALS = (SyntaxKind.IntegerLiteralExpression, SyntaxKind.IntegerVectorExpression,
             SyntaxKind.UnbasedUnsizedLiteralExpression)
_RESET_NAME = re.compile(r"\b(a?resetn?|a?rstn?|rst_n|reset_n|arst_n|areset_n|rst_b|nreset|nrst|i_rst|rst_i|aresetn|rstn)\b",
                         re.IGNORECASE)
_BASE_RADIX = {"b": 2, "o": 8, "d": 10, "h": 16}
OPERATORS = ("swap_operator", "off_by_one", "invert_condition", "swap_branches", "wrong_reset_value", "swap_operands")


@dataclass(frozen=True)
class Mutant:
    """One planted bug: where it is (1-based line, byte offset), what text it replaced and with what."""

    index: int
    operator: str
    line: int
    offset: int
    original: str
    replacement: str
    rtl: str

    @property
    def description(self) -> str:
        return f"line {self.line}: {self.operator}: {_short(self.original)} -> {_short(self.replacement)}"

    def to_dict(self, with_rtl: bool = False) -> dict[str, Any]:
        data = asdict(self)
        if not with_rtl:
            data.pop("rtl")
        data["description"] = self.description
        return data


@dataclass(frozen=True)
class _Site:
    operator: str
    start: int
    end: int
    replacement: str


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _frozen(node: Any) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.kind in _FROZEN_CONTEXTS:
            return True
        parent = parent.parent
    return False


def _vector_value(node: Any) -> tuple[int, int | None, str, str] | None:
    """(value, width or None, base letter, digits) of a based literal such as 4'hA; None for x/z."""
    base_text = node.base.rawText.lower().replace("s", "").lstrip("'")
    digits = node.value.rawText.replace("_", "")
    radix = _BASE_RADIX.get(base_text)
    if radix is None:
        return None
    try:
        value = int(digits, radix)
    except ValueError:
        return None
    width = int(node.size.rawText) if node.size is not None and node.size.rawText.isdigit() else None
    return value, width, base_text, digits


def _format(value: int, base: str, digits: str) -> str:
    text = {"b": format(value, "b"), "o": format(value, "o"), "d": str(value), "h": format(value, "x")}[base]
    if digits.isupper():
        text = text.upper()
    return text.rjust(len(digits), "0") if base != "d" else text


def _literal_sites(node: Any, operator: str, wrong_reset: bool) -> Iterator[_Site]:
    """Off-by-one (or, for reset values, 0 <-> all-ones / nonzero -> 0) replacements of one literal."""
    if node.kind == SyntaxKind.IntegerLiteralExpression:
        start, end = _token_span(node.literal)
        text = node.literal.rawText.replace("_", "")
        if not text.isdigit():
            return
        value = int(text)
        options = ([1] if value == 0 else [0]) if wrong_reset else [value + 1] + ([value - 1] if value > 0 else [])
        for new in options:
            yield _Site(operator, start, end, str(new))
    elif node.kind == SyntaxKind.IntegerVectorExpression:
        parsed = _vector_value(node)
        if parsed is None:
            return
        value, width, base, digits = parsed
        top = (1 << width) - 1 if width else None
        start, end = _token_span(node.value)
        if wrong_reset:
            options = [0] if value else [top if top else 1]
        else:
            options = [v for v in (value + 1, value - 1) if v >= 0 and (top is None or v <= top)]
        for new in options:
            yield _Site(operator, start, end, _format(new, base, digits))
    elif node.kind == SyntaxKind.UnbasedUnsizedLiteralExpression:
        start, end = _token_span(node.literal)
        flipped = {"'0": "'1", "'1": "'0"}.get(node.literal.rawText)
        if flipped:
            yield _Site(operator, start, end, flipped)


def _assigned_constants(statement: Any) -> list[Any]:
    """Literals that are the whole right-hand side of an assignment inside ``statement``."""
    out: list[Any] = []

    def visit(n: Any) -> None:
        if getattr(n, "kind", None) in (SyntaxKind.NonblockingAssignmentExpression, SyntaxKind.AssignmentExpression):
            if n.right.kind in _LITERALS:
                out.append(n.right)

    statement.visit(visit)
    return out


def find_sites(rtl: str) -> list[_Site]:
    """Every single-spot mutation pyslang finds in ``rtl``."""
    tree = parse(rtl)
    data = rtl.encode()
    sites: list[_Site] = []

    def text(start: int, end: int) -> str:
        return data[start:end].decode(errors="replace")

    def visit(node: Any) -> None:
        kind = getattr(node, "kind", None)
        if kind in OPERATOR_SWAPS:
            start, end = _token_span(node.operatorToken)
            sites.append(_Site("swap_operator", start, end, OPERATOR_SWAPS[kind]))
        elif kind in _LITERALS and not _frozen(node):
            if kind != SyntaxKind.UnbasedUnsizedLiteralExpression:
                sites.extend(_literal_sites(node, "off_by_one", wrong_reset=False))
        elif kind in UNARY_SWAPS:
            start, end = _token_span(node.operatorToken)
            sites.append(_Site("swap_operator", start, end, UNARY_SWAPS[kind]))
        elif kind == SyntaxKind.BitSelect and not _frozen(node) and node.expr.kind not in _LITERALS:
            start, end = _span(node.expr)  # index off by one: in[sel] -> in[sel + 1]
            sites.append(_Site("off_by_one", start, end, f"{text(start, end)} + 1"))
        elif kind == SyntaxKind.ConcatenationExpression:
            parts = [e for e in node.expressions if isinstance(e, SyntaxNode)]  # skip the commas
            if len(parts) >= 2:  # {a, b, ...} -> {b, a, ...}
                (as_, ae), (bs, be) = _span(parts[0]), _span(parts[1])
                sites.append(_Site("swap_operands", as_, be, text(bs, be) + text(ae, bs) + text(as_, ae)))
        elif kind in (SyntaxKind.UnaryLogicalNotExpression, SyntaxKind.UnaryBitwiseNotExpression):
            start, _ = _token_span(node.operatorToken)
            operand_start, end = _span(node.operand)
            sites.append(_Site("invert_condition", start, end, text(operand_start, end)))
        elif kind == SyntaxKind.ConditionalStatement:
            pred_start, pred_end = _span(node.predicate)
            sites.append(_Site("invert_condition", pred_start, pred_end, f"!({text(pred_start, pred_end)})"))
            if node.elseClause is not None:
                sites.extend(_swap_if_else(node, text))
            if _RESET_NAME.search(text(pred_start, pred_end)):
                for literal in _assigned_constants(node.statement):
                    sites.extend(_literal_sites(literal, "wrong_reset_value", wrong_reset=True))
        elif kind == SyntaxKind.ConditionalExpression:
            (ls, le), (rs, re_) = _span(node.left), _span(node.right)
            # one splice covering both branches: "A : B" -> "B : A"
            sites.append(_Site("swap_branches", ls, re_, text(rs, re_) + text(le, rs) + text(ls, le)))

    tree.root.visit(visit)
    return sites


def _swap_if_else(node: Any, text: Any) -> list[_Site]:
    then_node, else_node = node.statement, node.elseClause.clause
    (ts, te), (es, ee) = _span(then_node), _span(else_node)
    new_then = text(es, ee)
    if else_node.kind == SyntaxKind.ConditionalStatement:  # keep a nested if from capturing our else
        new_then = f"begin {new_then} end"
    return [_Site("swap_branches", ts, ee, new_then + text(te, es) + text(ts, te))]


def _apply(data: bytes, site: _Site) -> str:
    return (data[: site.start] + site.replacement.encode() + data[site.end:]).decode(errors="replace")


def _compiles(rtl: str, top: str | None, workdir: Path, name: str) -> tuple[bool, str]:
    src = workdir / f"{name}.v"
    src.write_text(rtl)
    cmd = [find("iverilog"), "-g2012", "-o", str(workdir / f"{name}.vvp")]
    if top:
        cmd += ["-s", top]
    result = run([*cmd, str(src)], timeout=60, cwd=workdir, check=False)
    return result.returncode == 0, result.output


def _interleave(sites: list[_Site], rng: random.Random) -> list[_Site]:
    """Sites in an order that alternates between mutation operators (seeded shuffle within each)."""
    groups: dict[str, list[_Site]] = {}
    for site in sites:
        groups.setdefault(site.operator, []).append(site)
    for group in groups.values():
        rng.shuffle(group)
    order: list[_Site] = []
    while groups:
        names = sorted(groups)
        rng.shuffle(names)
        for name in names:
            order.append(groups[name].pop())
            if not groups[name]:
                del groups[name]
    return order


def mutate(rtl: str, n: int, seed: int = 0, top: str | None = None) -> list[Mutant]:
    """Up to ``n`` distinct, compiling single-spot mutants of ``rtl`` (fewer only if no more exist).

    Raises RtlgenError when ``rtl`` itself does not compile with Icarus.
    """
    rng = random.Random(seed)
    data = rtl.encode()
    mutants: list[Mutant] = []
    seen = {rtl}
    with tempfile.TemporaryDirectory(prefix="rtlgen-mutate-") as tmp:
        workdir = Path(tmp)
        ok, log = _compiles(rtl, top, workdir, "original")
        if not ok:
            raise RtlgenError("cannot mutate: the design does not compile with iverilog -g2012:\n" + log.strip()[-2000:])
        for site in _interleave(find_sites(rtl), rng):
            if len(mutants) >= n:
                break
            text = _apply(data, site)
            if text in seen:
                continue
            seen.add(text)
            if not _compiles(text, top, workdir, f"m{len(mutants)}")[0]:
                continue
            original = data[site.start:site.end].decode(errors="replace")
            line = data[: site.start].count(b"\n") + 1
            mutants.append(Mutant(len(mutants) + 1, site.operator, line, site.start, original, site.replacement, text))
    return mutants


def write_mutants(mutants: list[Mutant], out: Path, stem: str, suffix: str = ".v") -> list[Path]:
    """Write each mutant as ``<stem>_mNN<suffix>`` and a ``mutants.json`` index beside them."""
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for m in mutants:
        path = out / f"{stem}_m{m.index:02d}{suffix}"
        path.write_text(m.rtl)
        paths.append(path)
    index = [{**m.to_dict(), "file": p.name} for m, p in zip(mutants, paths)]
    (out / "mutants.json").write_text(json.dumps(index, indent=2) + "\n")
    return paths


__all__ = ["Mutant", "OPERATORS", "find_sites", "mutate", "write_mutants"]
