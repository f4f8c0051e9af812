"""Word-level operators recognised by evaluation: what is proposed, what is left alone, and the gate's verdicts.

The designs are this file's own (none is an RTL-OPT pair): a restoring divider of a 6-bit dividend
by a 3-bit divisor, a shift-and-add multiplier, a ripple-carry adder with a carry-out.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from rtlgen.optimize.gate import Gate
from rtlgen.optimize.templates import propose
from rtlgen.spec.model import Candidate

RULE = "word-level-operators"

DIVIDER = """module div6(input [5:0] a, input [2:0] b, output [5:0] q, output [5:0] r);
  reg [9:0] t;
  integer i;
  always @(*) begin
    t = {4'd0, a};
    for (i = 0; i < 6; i = i + 1) begin
      t = t << 1;
      if (t[9:6] >= {1'b0, b}) begin t[9:6] = t[9:6] - {1'b0, b}; t[0] = 1'b1; end
    end
  end
  assign q = t[5:0];
  assign r = {2'd0, t[9:6]};
endmodule
"""

MULTIPLIER = """module mul4(input [3:0] a, b, output reg [7:0] p);
  integer i;
  always @(*) begin
    p = 8'd0;
    for (i = 0; i < 4; i = i + 1)
      if (b[i]) p = p + ({4'd0, a} << i);
  end
endmodule
"""

ADDER = """module rca(input [3:0] x, y, output [3:0] s, output cout);
  wire [4:0] c;
  assign c[0] = 1'b0;
  genvar k;
  generate for (k = 0; k < 4; k = k + 1) begin : bit_
    assign s[k] = x[k] ^ y[k] ^ c[k];
    assign c[k + 1] = (x[k] & y[k]) | (c[k] & (x[k] ^ y[k]));
  end endgenerate
  assign cout = c[4];
endmodule
"""


def _rewritten(rtl: str, top: str) -> str:
    (proposal,) = propose(Candidate(rtl, top), RULE)
    return proposal.candidate.rtl


def test_a_divider_loop_becomes_division_with_its_own_divide_by_zero_kept() -> None:
    out = _rewritten(DIVIDER, "div6")
    assert "div6__orig u_b_zero (.a(a), .b(3'd0), .q(q__b_zero), .r(r__b_zero));" in out
    assert "assign q = (b == 3'd0) ? q__b_zero : a / b;" in out and "assign r = (b == 3'd0) ? r__b_zero : a % b;" in out
    assert "module div6__orig(input [5:0] a" in out  # the original body, renamed


def test_a_multiplier_and_an_adder_with_an_output_that_is_no_operator() -> None:
    assert "assign p = a * b;" in _rewritten(MULTIPLIER, "mul4")
    out = _rewritten(ADDER, "rca")
    assert "assign s = x + y;" in out  # the carry-out is no operator of x and y: the original drives it
    assert "rca__orig u_orig (.x(x), .y(y), .s(s__orig), .cout(cout__orig));" in out
    assert "assign cout = cout__orig;" in out


def test_designs_it_leaves_alone() -> None:
    clocked = MULTIPLIER.replace("input [3:0] a, b,", "input clk, input [3:0] a, b,") \
        .replace("always @(*)", "always @(posedge clk)").replace("p = ", "p <= ")
    signed = MULTIPLIER.replace("input [3:0] a, b", "input signed [3:0] a, b")
    written = "module d(input [5:0] a, input [2:0] b, output [5:0] q);\n  assign q = a / b;\nendmodule\n"
    other = "module o(input [3:0] a, b, output [3:0] y);\n  assign y = (a & b) | 4'd1;\nendmodule\n"
    for rtl, top in ((clocked, "mul4"), (signed, "mul4"), (written, "d"), (other, "o")):
        assert propose(Candidate(rtl, top), RULE) == [], top
    # a 20-bit dividend: Yosys's divider would not synthesize within an optimizer run
    wide = DIVIDER.replace("[5:0] a", "[19:0] a").replace("[9:0] t", "[23:0] t").replace("i < 6", "i < 20") \
        .replace("t[9:6]", "t[23:20]").replace("[5:0] q, output [5:0] r", "[19:0] q, r") \
        .replace("t[5:0]", "t[19:0]").replace("{2'd0, t[23:20]}", "{16'd0, t[23:20]}")
    assert propose(Candidate(wide, "div6"), RULE) == []


@pytest.mark.formal
@pytest.mark.parametrize(("rtl", "top", "wrong"), [
    (DIVIDER, "div6", ("(b == 3'd0) ? r__b_zero : a % b", "(b == 3'd0) ? r__b_zero : a / b")),  # quotient as remainder
    (DIVIDER, "div6", ("(b == 3'd0) ? q__b_zero", "(b == 3'd1) ? q__b_zero")),  # the wrong divisor's own case
    (MULTIPLIER, "mul4", ("assign p = a * b;", "assign p = a * b + 8'd1;")),
    (ADDER, "rca", ("assign cout = cout__orig;", "assign cout = s__orig[3];")),
])
def test_the_gate_proves_the_rewrite_and_refuses_a_planted_wrong_variant(
        rtl: str, top: str, wrong: tuple[str, str], tmp_path: Path) -> None:
    original = Candidate(rtl, top)
    gate = Gate(original, clock=None, reset=None, workdir=tmp_path, timeout=120)
    rewritten = propose(original, RULE)[0].candidate
    verdict = gate.check(original, rewritten, "right")
    assert verdict.status == "proven", verdict.message
    assert wrong[0] in rewritten.rtl
    planted = Candidate(rewritten.rtl.replace(wrong[0], wrong[1]), top)
    assert gate.check(original, planted, "wrong").status == "counterexample"
