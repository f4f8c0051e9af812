"""Ranking repairs by the auto-testbench's mismatch count, end to end (scripted LLM, real Icarus runs).

The candidates are the counter of designs/counter with a planted output bug that fires only on the
cycles where the count holds certain values (the state stays right, so each such cycle is exactly one
mismatch). The expected counts are computed here from the spec's stimulus and the golden behaviour,
independently of the testbench.
"""
from __future__ import annotations

import pytest

from rtlgen.generate.api import Sampling, generate
from rtlgen.spec.parse import load_spec
from rtlgen.verify.stimulus import make_stimulus
from tests.generate.conftest import COUNTER_SPEC, GOOD, NO_SYNTH, Script, fenced, flags

pytestmark = [pytest.mark.llm, pytest.mark.sim]


def sparse_bug(values: tuple[int, ...]) -> str:
    """The counter, but its output has the top bit flipped whenever the count is one of ``values``."""
    cond = " || ".join(f"c == 8'd{v}" for v in values)
    return ("module counter #(\n    parameter WIDTH = 8\n) (\n    input  wire             clk,\n"
            "    input  wire             rst,\n    input  wire             en,\n"
            "    output wire [WIDTH-1:0] count\n);\n    reg [WIDTH-1:0] c;\n"
            "    always @(posedge clk) begin\n        if (rst)\n            c <= {WIDTH{1'b0}};\n"
            "        else if (en)\n            c <= c + 1'b1;\n    end\n"
            f"    assign count = ({cond}) ? c ^ 8'h80 : c;\nendmodule\n")


def expected(values: tuple[int, ...], seed: int = 1) -> tuple[int, int]:
    """(mismatching cycles, first one) of ``sparse_bug(values)`` on autotb's stimulus for the counter spec."""
    count, hits = 0, []
    for cycle, inputs in enumerate(make_stimulus(load_spec(str(COUNTER_SPEC)), seed=seed).as_dicts()):
        if cycle >= 1 and count in values:  # the first cycle of a synchronous reset is not compared
            hits.append(cycle)
        count = 0 if inputs["rst"] else (count + 1) & 0xFF if inputs["en"] else count
    return len(hits), hits[0]


def test_partial_fix_accepted_and_edit_adding_mismatches_rejected(llm):
    first, partial, worse = (5, 12), (12,), (29, 30, 31)
    n0, c0 = expected(first)
    n1, c1 = expected(partial)
    n2, c2 = expected(worse)
    # premises: the partial fix lowers the count; the worse edit raises it although its first mismatch
    # comes later, so ranking by the first-mismatch cycle alone would have kept it
    assert n1 < n0 and n2 > n1 and c2 > c1
    script = Script(spec=[fenced(sparse_bug(first))],
                    mismatch=[fenced(sparse_bug(partial)), fenced(sparse_bug(worse)), fenced(GOOD)])
    result = generate(COUNTER_SPEC, sampling=Sampling(1, 3), synth=NO_SYNTH, llm=flags(llm(script)))
    assert result.verified
    got = [(a.round, a.rank, a.accepted) for a in result.attempts]
    assert got == [(0, f"mismatch ({n0} mismatches, first at cycle {c0})", True),
                   (1, f"mismatch ({n1} mismatches, first at cycle {c1})", True),  # fixes some: kept
                   (2, f"mismatch ({n2} mismatches, first at cycle {c2})", False),  # adds some: rolled back
                   (3, "verified", True)]
    assert f"raises the mismatching cycles from {n1} to {n2}" in result.attempts[2].note
    assert result.rejected_edits == 1
    prompts = script.prompts("mismatch")
    assert f"{n0} of the 1999 compared cycles mismatched" in prompts[0]
    assert f"at cycle {c0} output `count`" in prompts[0]
    # round 3 repairs the kept partial fix, not the rejected edit
    assert "c == 8'd12)" in prompts[2] and "8'd29" not in prompts[2]
    assert f"{n1} of the 1999 compared cycles mismatched" in prompts[2]
