"""Word-level operators recognised by what combinational logic computes: a divider loop written as ``A / B``.

A shift-and-add-or-subtract loop (non-restoring division), a ripple-borrow chain or a hand-built
multiplier computes, on every input, what one operator of two input ports computes; Yosys then
builds that operator its own way (a restoring array for ``/`` and ``%``, ``alumacc`` for ``+``,
``-``, ``*``), which the expert designs of such loops come close to and loops rarely do. Each
output of a combinational top module is evaluated (Yosys ``eval``) on sampled inputs and compared
with ``X / Y``, ``X % Y``, ``X * Y``, ``X + Y`` and ``X - Y`` of every pair of unsigned input ports.
Division by zero has no word-level value the loop must agree with, so there the original logic
is kept: an instance of the original module with the divisor tied to zero, which synthesis reduces
to what the loop computes for that case. The samples only choose the proposal; the gate proves it.
Text the sandbox flags (file or system tasks) is not evaluated: Yosys reads it outside the gate.
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import Callable

from pyslang.syntax import SyntaxKind

from rtlgen.errors import RtlgenError
from rtlgen.optimize.rewrites.design import Design, Site
from rtlgen.spec.interface import read_ports
from rtlgen.spec.model import Port
from rtlgen.spec.rtl_text import rename_modules
from rtlgen.spec.syntax import Edit, ancestors, span, walk
from rtlgen.tools.run import run
from rtlgen.tools.rundir import run_directory
from rtlgen.tools.yosys import get_runner
from rtlgen.verify.sandbox import check_untrusted

K = SyntaxKind
SAMPLES = 48
MAX_INPUT_BITS = 96   # beyond this the sampled match says little and the proof would not finish
# Yosys's array divider of a wider dividend takes longer than an optimizer run to synthesize (a 32-bit one by a
# 16-bit divisor: more than 1800 s on Nangate45)
MAX_DIVIDEND_BITS = 16
EVAL_TIMEOUT_S = 60.0
# operator -> (its value on unsigned x, y; whether y == 0 is the original's own case)
OPERATORS: dict[str, tuple[Callable[[int, int], int], bool]] = {
    "/": (lambda x, y: x // y, True), "%": (lambda x, y: x % y, True), "*": (lambda x, y: x * y, False),
    "+": (lambda x, y: x + y, False), "-": (lambda x, y: x - y, False)}
# Yosys prints a fully defined 32-bit value as a decimal (signed) and any other as <width>'<bits>
_RESULT = re.compile(r"Eval result: \\(\S+) = (?:\d+'([01xz]+)|(-?\d+))\.")


@dataclass(frozen=True)
class Match:
    """Output ``output`` equals ``x op y`` (except where ``y`` is zero, when ``by_zero``)."""

    output: Port
    x: Port
    op: str
    y: Port

    @property
    def by_zero(self) -> bool:
        return OPERATORS[self.op][1]


def _combinational_module(design: Design) -> object | None:
    """The top module's declaration when it has no clock edge, no instance and no unpacked port."""
    module = next((n for n in design.nodes if n.kind == K.ModuleDeclaration
                   and n.header.name.valueText == design.top), None)
    if module is None or any(n.kind in (K.AlwaysFFBlock, K.HierarchyInstantiation) or (
            n.kind == K.SignalEventExpression and n.edge.rawText) or (
            n.kind == K.VariableDimension and n.parent.kind == K.Declarator and module.header in ancestors(n))
            for n in walk(module)):
        return None
    return module


def _samples(inputs: list[Port], seed: str) -> list[dict[str, int]]:
    """Zeros, ones and all-ones for each input, then random values (seeded by the design: reproducible)."""
    rng = random.Random(seed)
    corners = [{p.name: v(p) for p in inputs} for v in (lambda p: 0, lambda p: 1, lambda p: (1 << p.width) - 1)]
    return corners + [{p.name: rng.getrandbits(p.width) for p in inputs} for _ in range(SAMPLES - len(corners))]


def _evaluate(design: Design, inputs: list[Port], outputs: list[Port], samples: list[dict[str, int]]) \
        -> list[dict[str, int]] | None:
    """Each output's value on each sample, by Yosys ``eval``; None when any output bit is x or z."""
    shows = " ".join(f"-show {p.name}" for p in outputs)
    evals = "\n".join("eval " + " ".join(f"-set {p.name} {p.width}'b{s[p.name]:0{p.width}b}" for p in inputs)
                      + f" {shows}" for s in samples)  # sized: a plain decimal -set saturates at 2^31 - 1
    with run_directory("wordlevel-eval") as folder:
        (folder / "design.sv").write_text(design.rtl)
        (folder / "eval.ys").write_text(f"read_verilog -sv design.sv\nhierarchy -top {design.top}\n"
                                        f"proc\nflatten\nopt_clean\n{evals}\n")
        run(get_runner().command("eval.ys", log="eval.log"), timeout=EVAL_TIMEOUT_S, cwd=folder)
        found = _RESULT.findall((folder / "eval.log").read_text(errors="replace"))
    if len(found) != len(samples) * len(outputs) or any(set(bits) - {"0", "1"} for _, bits, _ in found):
        return None
    values = iter(int(bits, 2) if bits else int(decimal) for _, bits, decimal in found)
    return [{p.name: next(values) & ((1 << p.width) - 1) for p in outputs} for _ in samples]


def _match(output: Port, inputs: list[Port], samples: list[dict[str, int]], values: list[dict[str, int]]) \
        -> Match | None:
    mask = (1 << output.width) - 1
    for op, (compute, by_zero) in OPERATORS.items():
        for x in inputs:
            for y in inputs:
                if x is y or (by_zero and x.width > MAX_DIVIDEND_BITS):
                    continue
                checked = [(s, v) for s, v in zip(samples, values) if not (by_zero and s[y.name] == 0)]
                if len(checked) > len(samples) // 2 and all(
                        compute(s[x.name], s[y.name]) & mask == v[output.name] for s, v in checked):
                    return Match(output, x, op, y)
    return None


def _instance(design: Design, inputs: list[Port], outputs: list[Port], zero: Port | None) -> str:
    """An instance of the original module (``zero``: that input tied to 0) whose outputs are ``<out>__<tag>``."""
    tag = f"{zero.name}_zero" if zero else "orig"
    wires = "".join(f"  wire{f' [{p.width - 1}:0]' if p.width > 1 else ''} {p.name}__{tag};\n" for p in outputs)
    pins = [f".{p.name}({p.width}'d0)" if p is zero else f".{p.name}({p.name})" for p in inputs]
    pins += [f".{p.name}({p.name}__{tag})" for p in outputs]
    return f"{wires}  {design.top}__orig u_{tag} ({', '.join(pins)});\n"


def _top(design: Design, ports: list[Port], matches: dict[str, Match]) -> str:
    inputs = [p for p in ports if p.direction == "input"]
    outputs = [p for p in ports if p.direction == "output"]
    header = ", ".join(f"{p.direction} wire{f' [{p.width - 1}:0]' if p.width > 1 else ''} {p.name}" for p in ports)
    body = ""
    if any(p.name not in matches for p in outputs):
        body += _instance(design, inputs, outputs, None)
    for zero in {m.y.name: m.y for m in matches.values() if m.by_zero}.values():
        body += _instance(design, inputs, outputs, zero)
    for p in outputs:
        m = matches.get(p.name)
        value = f"{m.x.name} {m.op} {m.y.name}" if m else f"{p.name}__orig"
        if m and m.by_zero:
            value = f"({m.y.name} == {m.y.width}'d0) ? {p.name}__{m.y.name}_zero : {value}"
        body += f"  assign {p.name} = {value};\n"
    return f"module {design.top} ({header});\n{body}endmodule\n\n"


def word_operators(design: Design) -> list[Site]:
    """A combinational top whose outputs compute word-level operators of its inputs, written with them."""
    module = _combinational_module(design)
    try:
        ports = read_ports(design.rtl, design.top)
        check_untrusted(design.rtl)  # Yosys reads the text: nothing that reaches outside its folder
    except RtlgenError:
        return []
    inputs = [p for p in ports if p.direction == "input" and not p.signed and p.width > 1]
    outputs = [p for p in ports if p.direction == "output"]
    if module is None or len(inputs) < 2 or not outputs or any(p.direction == "inout" for p in ports) \
            or sum(p.width for p in inputs) > MAX_INPUT_BITS \
            or len(inputs) != sum(p.direction == "input" for p in ports):
        return []  # one-bit or signed inputs: no word operands to match
    samples = _samples(inputs, design.rtl)
    try:
        values = _evaluate(design, inputs, outputs, samples)
    except RtlgenError:
        return []
    if values is None:
        return []
    matches = {p.name: m for p in outputs if (m := _match(p, inputs, samples, values)) is not None}
    if not matches or all(_written_so(design, m) for m in matches.values()):
        return []
    original = rename_modules(design.text(module), {design.top: f"{design.top}__orig"})
    text = _top(design, ports, matches) + original
    found = ", ".join(f"{m.output.name} = {m.x.name} {m.op} {m.y.name}" for m in matches.values())
    return [Site((Edit(*span(module), module.kind, text, "member"),),
                 f"{design.top}: {found} on every sampled input: written as word-level operators")]


def _written_so(design: Design, match: Match) -> bool:
    """The output is already assigned that very operator."""
    wanted = f"{match.x.name}{match.op}{match.y.name}"
    return any(n.kind == K.AssignmentExpression and "".join(design.text(n).split()) == f"{match.output.name}={wanted}"
               for n in design.nodes)


__all__ = ["MAX_DIVIDEND_BITS", "MAX_INPUT_BITS", "OPERATORS", "SAMPLES", "word_operators"]
