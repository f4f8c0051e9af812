"""An absolute difference from one subtraction (``absolute-difference``): the sites, the area, the gate.

The designs are this file's own (no suite contains them): a sum-of-absolute-differences stage of a motion
estimator (clocked, if/else form, 12-bit pixels) and a 32-bit distance unit (a ``?:`` with ``<``).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.optimize.rewrite_checks import assert_proven_and_planted_refused, assert_smaller, rewritten

RULE = "absolute-difference"

SAD = """module sad(input clk, input rst, input [11:0] p, q, output reg [15:0] acc);
  reg [11:0] d;
  always @(posedge clk)
    if (rst) d <= 12'd0;
    else if (p >= q) d <= p - q;
    else d <= q - p;
  always @(posedge clk)
    if (rst) acc <= 16'd0;
    else acc <= acc + d;
endmodule
"""

DISTANCE = """module distance(input [31:0] a, b, output [32:0] y);
  assign y = (b < a) ? a - b : b - a;
endmodule
"""


def _rewritten(rtl: str, top: str) -> list[str]:
    return rewritten(rtl, top, RULE)


def test_one_subtraction_gives_the_distance_in_both_forms() -> None:
    (sad,) = _rewritten(SAD, "sad")
    assert "wire [12:0] absdiff_wide = p - q;" in sad
    assert "wire [11:0] absdiff = absdiff_wide[12] ? -absdiff_wide[11:0] : absdiff_wide[11:0];" in sad
    assert "else d <= absdiff;" in sad
    (distance,) = _rewritten(DISTANCE, "distance")
    assert "wire [32:0] absdiff_wide = a - b;" in distance and "assign y = absdiff;" in distance


def test_left_alone_where_the_select_is_not_a_distance() -> None:
    assert _rewritten(DISTANCE.replace("(b < a)", "(a < b)"), "distance") == []          # minus the distance
    assert _rewritten(DISTANCE.replace("input [31:0]", "input signed [31:0]"), "distance") == []  # signed
    assert _rewritten(DISTANCE.replace("a - b : b - a", "a - b : b - a + 1"), "distance") == []  # not b - a
    computed = SAD.replace("reg [11:0] d;", "reg [11:0] d, pp;").replace(
        "else if (p >= q) d <= p - q;\n    else d <= q - p;",
        "else begin pp = p; if (pp >= q) d <= pp - q; else d <= q - pp; end")
    assert _rewritten(computed, "sad") == []  # a procedural operand has no module-level value to read


def test_the_distance_is_smaller(nangate45: str) -> None:
    assert_smaller(DISTANCE, "distance", RULE, nangate45)


@pytest.mark.formal
@pytest.mark.parametrize(("rtl", "top", "clocked", "wrong"), [
    (SAD, "sad", True, ("? -absdiff_wide[11:0] : absdiff_wide[11:0]", "? absdiff_wide[11:0] : -absdiff_wide[11:0]")),
    (DISTANCE, "distance", False, ("absdiff_wide[32] ?", "absdiff_wide[31] ?")),  # a data bit taken as the borrow
])
def test_the_gate_proves_the_rewrite_and_refuses_a_planted_wrong_variant(
        rtl: str, top: str, clocked: bool, wrong: tuple[str, str], tmp_path: Path) -> None:
    assert_proven_and_planted_refused(rtl, top, RULE, clocked, wrong, tmp_path)
