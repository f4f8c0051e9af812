"""Operator sharing across exclusive branches: what the rewrite writes, what it refuses, and the gate's verdicts.

The designs are this file's own (none is an RTL-OPT pair): a case with multiplies, adds and
subtracts under a nested if, a ?: tree of variable shifts, a clocked else-if chain of compares.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from rtlgen.optimize.gate import Gate
from rtlgen.optimize.templates import propose
from rtlgen.spec.model import Candidate, Clock, Reset

RULE = "share-operator-across-branches"

DSP = """module dsp_sel(input [1:0] mode, input sub, input [5:0] a, b, c, d, output reg [11:0] y);
  always @(*) begin
    case (mode)
      2'd0: if (sub) y = a - b; else y = a + b;
      2'd1: y = c * d;
      2'd2: y = a * d;
      default: y = c - d;
    endcase
  end
endmodule
"""

SHIFTS = """module shifts(input s, input [7:0] p, q, input [2:0] k1, k2, output [7:0] z);
  assign z = s ? (p << k1) : (q << k2);
endmodule
"""

# a clocked else-if chain: three magnitude compares into one flag, the last under a nested condition
LIMITS = """module limits(input clk, input rst, input [1:0] m, input [7:0] x, lo, hi, output reg over);
  always @(posedge clk)
    if (rst) over <= 1'b0;
    else if (m == 2'd0) over <= x > hi;
    else if (m == 2'd1) over <= lo > hi;
    else if (m[0]) over <= x > lo;
    else over <= 1'b0;
endmodule
"""


def _proposals(rtl: str, top: str) -> list[str]:
    return [p.candidate.rtl for p in propose(Candidate(rtl, top), RULE)]


def test_case_items_and_a_nested_if_share_one_adder_and_one_multiplier() -> None:
    adder, quiet_adder, multiplier, quiet_multiplier = _proposals(DSP, "dsp_sel")
    shared_add = ("((mode == 2'd0) ? a : c) + ((mode == 2'd0) ? (sub ? ~b : b) : ~d) + "
                  "((mode == 2'd0) ? (sub ? 1'b1 : 1'b0) : 1'b1)")
    assert adder.count(shared_add) == 3 and "y = c * d;" in adder     # a - b, a + b (nested if) and c - d
    assert multiplier.count("((mode == 2'd1) ? c : a) * d") == 2 and "y = a - b" in multiplier
    # the quiet variants hold the operands at zero where no sharing branch is taken (the multiplies, the adds)
    assert quiet_adder.count("(((mode == 2'd1) || (mode == 2'd2)) ? {6{1'b0}} : c)") == 3
    assert quiet_multiplier.count("((mode == 2'd1) ? c : ((mode == 2'd2) ? a : {6{1'b0}})) * d") == 2


def test_a_tree_of_selects_shares_one_shifter() -> None:
    (out,) = _proposals(SHIFTS, "shifts")  # every branch shares: the quiet variant would be the same
    assert "assign z = s ? ((s ? p : q) << (s ? k1 : k2)) : ((s ? p : q) << (s ? k1 : k2));" in out


def test_an_else_if_chain_shares_one_comparator_in_a_clocked_block() -> None:
    out, quiet = _proposals(LIMITS, "limits")
    shared = "((m == 2'd0) ? x : ((m == 2'd1) ? lo : x)) > (((m == 2'd0) || (m == 2'd1)) ? hi : lo)"
    assert out.count(shared) == 3 and "over <= 1'b0;" in out
    assert quiet.count("(rst ? {8{1'b0}} : ((m == 2'd0) ? x : ((m == 2'd1) ? lo : (m[0] ? x : {8{1'b0}}))))") == 3


def test_refused_where_sharing_would_change_a_type_or_share_nothing() -> None:
    signed = DSP.replace("input [5:0] a, b, c, d", "input signed [5:0] a, b, c, d") \
        .replace("      2'd1: y = c * d;\n      2'd2: y = a * d;\n", "")
    assert _proposals(signed, "dsp_sel") == []  # a subtract of signed operands is not folded
    widths = SHIFTS.replace("input [7:0] p, q", "input [7:0] p, input [3:0] q")
    assert _proposals(widths, "shifts") == []  # p and q differ in width: the shifter's width would change
    cheap = SHIFTS.replace("<<", "&")
    assert _proposals(cheap, "shifts") == []  # a bitwise AND is no cheaper than the select it would need
    casez = DSP.replace("case (mode)", "casez (mode)")
    assert _proposals(casez, "dsp_sel") == []  # wildcard labels are not plain equality


@pytest.mark.formal
@pytest.mark.parametrize(("rtl", "top", "clocked", "right", "wrong"), [
    (DSP, "dsp_sel", False, 0, ("(sub ? 1'b1 : 1'b0) : 1'b1)", "(sub ? 1'b0 : 1'b0) : 1'b1)")),  # carry-in lost
    (DSP, "dsp_sel", False, 2, ("((mode == 2'd1) ? c : a) * d", "((mode == 2'd2) ? c : a) * d")),  # wrong select
    (DSP, "dsp_sel", False, 3, ("((mode == 2'd2) ? a : {6", "((mode == 2'd2) ? c : {6")),          # wrong operand
    (SHIFTS, "shifts", False, 0, ("(s ? k1 : k2))", "(s ? k2 : k1))")),                              # swapped
    (LIMITS, "limits", True, 0, ("|| (m == 2'd1)) ? hi : lo)", "|| (m == 2'd1)) ? lo : hi)")),     # swapped
    (LIMITS, "limits", True, 1, ("(m[0] ? lo : {8", "(m[0] ? hi : {8")),                           # wrong operand
])
def test_the_gate_proves_the_rewrite_and_refuses_a_planted_wrong_variant(
        rtl: str, top: str, clocked: bool, right: int, wrong: tuple[str, str], tmp_path: Path) -> None:
    original = Candidate(rtl, top)
    gate = Gate(original, clock=Clock("clk") if clocked else None, reset=Reset("rst") if clocked else None,
                workdir=tmp_path, timeout=120)
    rewritten = propose(original, RULE)[right].candidate
    verdict = gate.check(original, rewritten, "right")
    assert verdict.status == "proven", verdict.message
    assert wrong[0] in rewritten.rtl
    planted = Candidate(rewritten.rtl.replace(wrong[0], wrong[1]), top)
    assert gate.check(original, planted, "wrong").status == "counterexample"
