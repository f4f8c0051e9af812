"""Input/output examples a spec's prose gives as a table: truth tables, waveform listings and Karnaugh maps.

A spec written for people often shows its behaviour as a table (VerilogEval: a truth table ``x3 | x2 | x1 | f``,
a waveform listing ``time clk a q`` with one row per 5 ns, or a Karnaugh map of its one output). Those rows are
the spec's own words, independent of any LLM, so every witness (a golden model the LLM writes, a sampled design) is
held against them (rtlgen.generate.examples_check).

Only what cannot be misread is taken: a table whose header names every driven input and at least one output (and,
for a clocked design, the clock), with one cell per column. A cell is 0/1 for a one-bit port, ``x`` when not given,
or a sized Verilog literal (``4'b0101``, ``8'hff``); a bare multi-digit number in a multi-bit column is read as hex
only in a waveform listing (a ``time`` column: VerilogEval prints its waveforms in hex) and is otherwise ambiguous
(a single digit reads the same either way). A clocked design's waveform gives one example per clock cycle: the row
just before each active edge, whose inputs the edge samples and whose outputs are those seen before it (the golden
model's ``step`` contract, docs/spec-format.md). An input left ``x`` there is driven as 0: only outputs the listing
gives are compared, and a 4-state simulation shows a value only when it does not depend on the unknown input.
A Karnaugh map is read when its variables are exactly the spec's inputs, all one bit, and the spec has one one-bit
output (the map's cells): the column variables alone on a line (``ab``), then the row variables and every column
code (``cd  00  01  11  10``), then one line per row code with a cell per column (0, 1, or ``d``/``x`` for don't-care).

A combinational spec's examples that give every output for every combination of its inputs are its complete truth
table (``truth_table``): a design that matches them on every input is right by the spec's own words.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from rtlgen.spec.model import Spec

_SPLIT = re.compile(r"[\s|]+")
_TIME = re.compile(r"^\d+(?:\.\d+)?\s*[munpf]?s$")
_LITERAL = re.compile(r"^(\d+)'([bdh])([0-9a-fA-FxXzZ_]+)$")
_UNKNOWN = re.compile(r"^[xXzZ?]+$")
_KMAP_CELL = re.compile(r"^[01dDxX]$")
_DONT_CARE = re.compile(r"^[dDxX]$")  # a Karnaugh map's don't-care cell
_BASES = {"b": 2, "d": 10, "h": 16}


class _Unreadable(ValueError):
    """A cell that is no value of its port: the table ends (or is no table)."""


@dataclass(frozen=True)
class Example:
    """One row (a combinational design) or one clock cycle (a clocked design): every driven input's value, and the
    outputs the spec gives (None: not given)."""

    line: int  # 1-based line of the prose
    inputs: dict[str, int]
    outputs: dict[str, int | None]

    def describe(self) -> str:
        given = ", ".join(f"{k}={v}" for k, v in self.inputs.items())
        said = ", ".join(f"{k}={v}" for k, v in self.outputs.items() if v is not None)
        return f"{given} -> {said} (line {self.line} of the spec's prose)"


@dataclass(frozen=True)
class _Table:
    names: tuple[str, ...]
    rows: tuple[tuple[int, dict[str, int | None]], ...]  # (line, column -> value)


def _tokens(line: str) -> list[str]:
    return [t for t in _SPLIT.split(line.strip()) if t]


def _cell(text: str, width: int, timed: bool) -> int | None:
    """The value of one cell of a ``width``-bit column (None: not given); _Unreadable when it is none."""
    if _UNKNOWN.match(text):
        return None
    literal = _LITERAL.match(text)
    if literal:
        digits = literal.group(3).replace("_", "")
        if re.search(r"[xXzZ]", digits):
            return None
        try:
            value = int(digits, _BASES[literal.group(2)])
        except ValueError:
            raise _Unreadable(text) from None
    elif width == 1 and text in ("0", "1"):
        value = int(text)
    elif timed and re.fullmatch(r"[0-9a-fA-F]+", text):
        value = int(text, 16)
    elif re.fullmatch(r"\d", text):
        value = int(text)
    else:
        raise _Unreadable(text)
    if value >> width:
        raise _Unreadable(text)
    return value


def _row(cells: list[str], names: list[str], widths: dict[str, int], timed: bool) -> dict[str, int | None] | None:
    if timed and cells and _TIME.match(cells[0]):
        cells = cells[1:]
    if len(cells) != len(names):
        return None
    try:
        return {n: _cell(c, widths[n], timed) for n, c in zip(names, cells)}
    except _Unreadable:
        return None


def _tables(spec: Spec) -> list[_Table]:
    """Every table of the prose whose header fits the spec's interface (module docstring), with its rows."""
    widths = {p.name: p.width for p in spec.ports}
    needed = {p.name for p in spec.inputs}  # the clock of a clocked design among them
    outputs = {p.name for p in spec.outputs}
    lines = spec.prose.splitlines()
    found: list[_Table] = []
    i = 0
    while i < len(lines):
        header = _tokens(lines[i])
        timed = bool(header) and header[0].lower() == "time"
        names = header[1:] if timed else header
        i += 1
        if len(set(names)) != len(names) or not set(names) <= set(widths) or not needed <= set(names) \
                or not outputs & set(names):
            continue
        rows = []
        while i < len(lines) and (row := _row(_tokens(lines[i]), names, widths, timed)) is not None:
            rows.append((i + 1, row))
            i += 1
        if rows:
            found.append(_Table(tuple(names), tuple(rows)))
    return found


def _names(text: str, names: frozenset[str]) -> tuple[str, ...] | None:
    """``text`` as a concatenation of distinct ``names`` (a Karnaugh map's ``bc``: b then c); None when it is none."""
    if not text:
        return ()
    for name in sorted(names, key=len, reverse=True):
        rest = _names(text[len(name):], names - {name}) if text.startswith(name) else None
        if rest is not None:
            return (name, *rest)
    return None


def _codes(count: int) -> set[str]:
    """Every code of ``count`` variables as a Karnaugh map labels its rows or columns (``01``: first 0, second 1)."""
    return {format(k, f"0{count}b") for k in range(1 << count)}


def _kmap_cells(lines: list[str], start: int, rows: tuple[str, ...], cols: tuple[str, ...], codes: list[str],
                output: str) -> tuple[tuple[int, dict[str, int | None]], ...] | None:
    """The cells of a Karnaugh map whose row lines start at ``start``, one table row per cell; None unless the next
    lines hold every row code once, each with a cell per column."""
    span = [_tokens(line) for line in lines[start:start + (1 << len(rows))]]
    if {cells[0] if cells else "" for cells in span} != _codes(len(rows)) \
            or any(len(cells) != len(codes) + 1 or not all(map(_KMAP_CELL.match, cells[1:])) for cells in span):
        return None
    return tuple((start + k + 1, {**{n: int(b) for n, b in zip((*rows, *cols), cells[0] + code)},
                                  output: None if _DONT_CARE.match(cell) else int(cell)})
                 for k, cells in enumerate(span) for code, cell in zip(codes, cells[1:]))


def _kmaps(spec: Spec) -> list[_Table]:
    """Every Karnaugh map of the prose that fits the spec (module docstring), as a table of its cells."""
    inputs = frozenset(p.name for p in spec.inputs)
    if len(spec.outputs) != 1 or spec.outputs[0].width != 1 or any(p.width != 1 for p in spec.inputs):
        return []
    output = spec.outputs[0].name
    lines = spec.prose.splitlines()
    found = []
    for i in range(len(lines) - 2):
        over, head = _tokens(lines[i]), _tokens(lines[i + 1])
        cols = _names(over[0], inputs) if len(over) == 1 else None
        rows = _names(head[0], inputs - set(cols)) if cols and head else None
        if not rows or set(cols) | set(rows) != inputs or set(head[1:]) != _codes(len(cols)) \
                or len(head) != 1 + (1 << len(cols)):
            continue
        cells = _kmap_cells(lines, i + 2, rows, cols, head[1:], output)
        if cells:
            found.append(_Table((*cols, *rows, output), cells))
    return found


def _example(line: int, row: dict[str, int | None], spec: Spec) -> Example:
    clock = spec.clock.name if spec.clock else None
    return Example(line, {p.name: row[p.name] or 0 for p in spec.inputs if p.name != clock},
                   {p.name: row[p.name] for p in spec.outputs if p.name in row})


def _cycles(table: _Table, spec: Spec) -> list[Example]:
    """The clock cycles of a clocked waveform: each row just before an active edge, and the last row when its clock
    is inactive (its outputs are those before the next edge)."""
    clock = spec.clock
    active = 0 if clock.edge == "negedge" else 1
    levels = [row[clock.name] for _, row in table.rows]
    return [_example(line, row, spec) for k, (line, row) in enumerate(table.rows)
            if levels[k] == 1 - active and (k + 1 == len(levels) or levels[k + 1] == active)]


def examples(spec: Spec) -> list[Example]:
    """A combinational spec's example rows with every input given, from every table of the prose; a clocked spec's
    cycles from the first waveform listing that shows its clock (a run from one start; see the module docstring);
    [] when there is none."""
    if not spec.ports or not spec.prose:
        return []
    tables = _tables(spec)
    if spec.is_sequential:
        return _cycles(tables[0], spec) if tables and spec.clock else []
    driven = [p.name for p in spec.inputs]
    return [_example(line, row, spec) for table in [*tables, *_kmaps(spec)] for line, row in table.rows
            if all(row[n] is not None for n in driven)]


def truth_table(spec: Spec) -> list[Example]:
    """The examples of a combinational ``spec`` when they are its complete truth table: every combination of the
    inputs with every output given (a value, or don't-care where no row gives one), rows that repeat it agreeing
    where both give a value; [] otherwise (a clocked spec, a missing combination or output, rows that disagree)."""
    if spec.is_sequential or not spec.inputs:
        return []
    names = {p.name for p in spec.outputs}
    first: dict[tuple[int, ...], Example] = {}
    given: dict[tuple[int, ...], dict[str, int | None]] = {}
    for row in examples(spec):
        key = tuple(row.inputs.values())
        first.setdefault(key, row)
        known = given.setdefault(key, dict.fromkeys(names))
        if set(row.outputs) != names or any(None not in (known[n], value) and known[n] != value
                                            for n, value in row.outputs.items()):
            return []
        known.update({n: value for n, value in row.outputs.items() if value is not None})
    if len(first) != 1 << sum(p.width for p in spec.inputs):
        return []
    return [Example(row.line, row.inputs, given[key]) for key, row in first.items()]


__all__ = ["Example", "examples", "truth_table"]
