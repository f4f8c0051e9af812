"""Input/output examples a spec's prose gives as a table: truth tables and waveform listings.

A spec written for people often shows its behaviour as a table (VerilogEval: a truth table ``x3 | x2 | x1 | f``,
or a waveform listing ``time a b q`` with one row per 5 ns). Those rows are the spec's own words, independent of
any LLM, so a golden model the LLM writes can be checked against them (rtlgen.generate.examples_check).

Only what cannot be misread is taken: a combinational design's table whose header names every input and at least
one output, all of them one bit wide, with rows of 0, 1 or x (x: not given). Multi-bit columns (hex or decimal?)
and sequential waveforms (which edge does a row follow?) are left out.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from rtlgen.spec.model import Spec

_SPLIT = re.compile(r"[\s|]+")
_TIME = re.compile(r"^\d+(?:\.\d+)?\s*[munpf]?s$")
_BIT = {"0": 0, "1": 1, "x": None, "X": None}


@dataclass(frozen=True)
class Example:
    """One row: every input's value, and the outputs the spec gives (None: not given)."""

    line: int  # 1-based line of the prose
    inputs: dict[str, int]
    outputs: dict[str, int | None]

    def describe(self) -> str:
        given = ", ".join(f"{k}={v}" for k, v in self.inputs.items())
        said = ", ".join(f"{k}={v}" for k, v in self.outputs.items() if v is not None)
        return f"{given} -> {said} (line {self.line} of the spec's prose)"


def _tokens(line: str) -> list[str]:
    return [t for t in _SPLIT.split(line.strip()) if t]


def examples(spec: Spec) -> list[Example]:
    """The rows of every table in the prose that names all inputs and some outputs of a combinational, 1-bit-port
    spec (see the module docstring); [] when there is none."""
    if spec.is_sequential or not spec.ports or not spec.prose:
        return []
    widths = {p.name: p.width for p in spec.ports}
    inputs = {p.name for p in spec.inputs}
    outputs = {p.name for p in spec.outputs}
    lines = spec.prose.splitlines()
    found: list[Example] = []
    i = 0
    while i < len(lines):
        header = _tokens(lines[i])
        timed = bool(header) and header[0].lower() == "time"
        names = header[1:] if timed else header
        i += 1
        if (len(set(names)) != len(names) or not set(names) <= set(widths) or not inputs <= set(names)
                or not outputs & set(names) or any(widths[n] != 1 for n in names)):
            continue
        while i < len(lines):
            cells = _tokens(lines[i])
            if timed and cells and _TIME.match(cells[0]):
                cells = cells[1:]
            if len(cells) != len(names) or any(c not in _BIT for c in cells):
                break
            row = dict(zip(names, (_BIT[c] for c in cells)))
            if all(row[n] is not None for n in inputs):
                found.append(Example(i + 1, {n: row[n] for n in names if n in inputs},
                                     {n: row[n] for n in names if n in outputs}))
            i += 1
    return found


def complete(spec: Spec, rows: list[Example]) -> bool:
    """The rows give every output for every combination of the inputs: the whole truth table, so a model that
    agrees with them is right whatever any candidate says."""
    names = [p.name for p in spec.inputs]
    outputs = [p.name for p in spec.outputs]
    known = {tuple(r.inputs[n] for n in names) for r in rows
             if all(r.outputs.get(o) is not None for o in outputs)}
    return bool(names) and len(known) == 2 ** len(names)


__all__ = ["Example", "complete", "examples"]
