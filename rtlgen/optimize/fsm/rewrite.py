"""Regenerate an FSM in the source: new state codes, merged and unreachable states gone, rest kept byte for byte.

Only the recorded sites change (``extract.Sites``): the code declarations, the width of the
state variables, case labels and comparisons naming dropped states, state names in values
assigned to the state, and assignments that computed the next state arithmetically from the
current code (``phase + 1``), which become a per-state table so they stay right under any
encoding. Everything else in the module is untouched.
"""
from __future__ import annotations

import re

from rtlgen.optimize.fsm.encode import Encoding
from rtlgen.optimize.fsm.evaluate import Unsupported
from rtlgen.optimize.fsm.extract import Sites
from rtlgen.optimize.fsm.model import X_STATE, Fsm
from rtlgen.spec.syntax import splice


def _literal(width: int, value: int) -> str:
    return f"{width}'b{value:0{width}b}"


def _indent(text: bytes, offset: int) -> str:
    line_start = text.rfind(b"\n", 0, offset) + 1
    prefix = text[line_start:offset].decode(errors="replace")
    return prefix if not prefix.strip() else re.match(r"\s*", prefix).group(0)


def render(rtl: str, original: Fsm, sites: Sites, new: Fsm, enc: Encoding) -> str:
    """``rtl`` with the FSM ``original`` (found at ``sites``) replaced by ``new`` under encoding ``enc``.

    Raises ``Unsupported`` when the result would infer a latch the input did not have.
    """
    text = rtl.encode()
    rep = dict(new.merged)
    dropped = set(original.states) - set(new.states)
    w = enc.width
    edits: list[tuple[int, int, str]] = []

    names = [s for s in original.states if s in new.states]
    if sites.enum_decl is not None:
        (a, b), kw = sites.enum_decl
        values = ", ".join(f"{s} = {_literal(w, enc.code(s))}" for s in names)
        edits.append((a, b, f"enum {kw} [{w - 1}:0] {{{values}}}  /* {enc.name} state encoding */"))
    else:
        pad = _indent(text, sites.param_decls[0][0])
        longest = max(len(s) for s in names)
        decl_pad = " " * len(f"localparam [{w - 1}:0] ")
        lines = [f"{s.ljust(longest)} = {_literal(w, enc.code(s))}" for s in names]
        body = (",\n" + pad + decl_pad).join(lines)
        first = _whole_lines(text, *sites.param_decls[0])
        edits.append((*first, f"{pad}// state codes: {enc.name} encoding\n{pad}localparam [{w - 1}:0] {body};\n"))
        edits.extend((*_whole_lines(text, a, b), "") for a, b in sites.param_decls[1:])

    succ_names = [_fresh(rtl, f"{original.register}_succ{k}") for k in range(len(sites.succs))]
    for (a, b), kw, declared, rest in sites.var_decls:
        pad_a = _indent(text, a)
        extra = f"\n{pad_a}{rest}" if rest else ""
        if original.register in declared and succ_names:
            extra += "".join(f"\n{pad_a}{kw} [{w - 1}:0] {n};" for n in succ_names)
        edits.append((a, b, f"{kw} [{w - 1}:0] {', '.join(declared)};{extra}"))

    full = len({c for _, c in enc.codes}) == 1 << w
    for case in sites.cases:
        if case.latch_risk and not full:
            if case.assigns is None:
                raise Unsupported("a combinational case on the state has no default: unused codes would latch")
            pad_end = _indent(text, case.endcase)
            edits.append((case.endcase, case.endcase,
                          f"    default: {case.assigns} = {new.reset};  // unused codes\n{pad_end}"))
        for (a, b), labels in case.items:
            kept = [(span, n) for span, n in labels if n not in dropped]
            if not kept:
                edits.append((*_whole_lines(text, a, b), ""))
            elif len(kept) < len(labels):
                label_text = ", ".join(text[s:e].decode() for (s, e), _ in kept)
                edits.append((labels[0][0][0], labels[-1][0][1], label_text))
    for (a, b), name, equal in sites.compares:
        if name is None or name in dropped:
            edits.append((a, b, "1'b0" if equal else "1'b1"))
    for (a, b), name in sites.names:
        if name in dropped:
            edits.append((a, b, rep.get(name, new.reset)))
    tables = []
    for ((a, b), row), succ in zip(sites.succs, succ_names):
        edits.append((a, b, succ))
        tables.append(_succ_table(original, new, row, succ, w, text[a:b].decode(), _indent(text, sites.endmodule)))
    if tables:
        edits.append((sites.endmodule, sites.endmodule, "".join(tables)))
    return splice(text, edits)


def _succ_table(original: Fsm, new: Fsm, row: tuple[str, ...], succ: str, w: int, source: str, pad: str) -> str:
    rep = dict(new.merged)
    inner = pad + "    "
    lines = [f"{pad}    // next state of `{' '.join(source.split())}`, per state (independent of the codes)",
             f"{pad}    always @(*) begin", f"{inner}    case ({original.register})"]
    for state, target in zip(original.states, row):
        if state in new.states:
            value = f"{{{w}{{1'bx}}}}" if target == X_STATE else rep.get(target, target)
            lines.append(f"{inner}        {state}: {succ} = {value};")
    lines += [f"{inner}        default: {succ} = {new.reset};", f"{inner}    endcase", f"{pad}    end", ""]
    return "\n".join(lines) + "\n"


def _whole_lines(text: bytes, a: int, b: int) -> tuple[int, int]:
    """``(a, b)`` widened to whole lines (with a trailing comment) when nothing else shares them."""
    start = text.rfind(b"\n", 0, a) + 1
    end = text.find(b"\n", b)
    end = len(text) if end < 0 else end
    tail = text[b:end].strip()
    if text[start:a].strip() or (tail and not tail.startswith(b"//")):
        return a, b
    return start, min(end + 1, len(text))


def _fresh(rtl: str, name: str) -> str:
    while re.search(rf"\b{re.escape(name)}\b", rtl):
        name += "_"
    return name

