"""A subtraction's borrow written as the comparison it is (``compare-from-borrow``): the sites, the area, the gate.

The designs are this file's own (no suite contains them): a 16-bit window comparator that takes less-than and
greater-than from ``{borrow, diff} = a - b``, and a clocked sorter that keeps the difference as a value too.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.optimize.rewrite_checks import assert_proven_and_planted_refused, assert_smaller, rewritten

RULE = "compare-from-borrow"

WINDOW = """module window(input [15:0] a, b, output lt, gt, eq);
  wire [15:0] diff;
  wire borrow;
  assign {borrow, diff} = a - b;
  assign lt = borrow;
  assign gt = !borrow && diff != 16'd0;
  assign eq = a == b;
endmodule
"""

# a clocked unit: the larger input and the distance between them, borrow from a procedural subtraction
SORTER = """module sorter(input clk, input rst, input [11:0] x, y, output reg [11:0] hi, gap);
  reg [11:0] d;
  reg b;
  always @(*) {b, d} = x - y;
  always @(posedge clk)
    if (rst) begin hi <= 12'd0; gap <= 12'd0; end
    else begin hi <= b ? y : x; gap <= b ? -d : d; end
endmodule
"""


def _rewritten(rtl: str, top: str) -> list[str]:
    return rewritten(rtl, top, RULE)


def test_the_borrow_becomes_a_comparison_continuous_and_procedural() -> None:
    (window,) = _rewritten(WINDOW, "window")
    assert "assign borrow = a < b;" in window and "assign diff = a - b;" in window
    assert "{borrow, diff}" not in window
    (sorter,) = _rewritten(SORTER, "sorter")
    assert "begin b = x < y; d = x - y; end" in sorter


def test_left_alone_where_the_top_bit_is_not_the_borrow() -> None:
    signed = WINDOW.replace("input [15:0] a, b", "input signed [15:0] a, b")
    assert _rewritten(signed, "window") == []                     # a signed borrow is not a < b
    wide = WINDOW.replace("input [15:0] a, b", "input [16:0] a, b")
    assert _rewritten(wide, "window") == []                       # bit 16 is the operands' own bit
    three = WINDOW.replace("wire borrow;", "wire borrow, extra;").replace("{borrow, diff}", "{extra, borrow, diff}")
    assert _rewritten(three, "window") == []                      # not a borrow and a difference
    plain = WINDOW.replace("{borrow, diff} = a - b", "diff = a - b").replace("assign lt = borrow;", "assign lt = 0;")
    assert _rewritten(plain, "window") == []                      # no borrow taken


def test_the_comparison_is_smaller_than_the_subtractor(nangate45: str) -> None:
    assert_smaller(WINDOW, "window", RULE, nangate45)


@pytest.mark.formal
@pytest.mark.parametrize(("rtl", "top", "clocked", "wrong"), [
    (WINDOW, "window", False, ("borrow = a < b", "borrow = a <= b")),   # equal operands give a borrow
    (SORTER, "sorter", True, ("b = x < y", "b = y < x")),               # operands swapped
])
def test_the_gate_proves_the_rewrite_and_refuses_a_planted_wrong_variant(
        rtl: str, top: str, clocked: bool, wrong: tuple[str, str], tmp_path: Path) -> None:
    assert_proven_and_planted_refused(rtl, top, RULE, clocked, wrong, tmp_path)
