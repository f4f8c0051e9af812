"""Template rewrites: what each one writes, and the sites it must refuse (widths, signedness, shapes)."""
from __future__ import annotations

import pytest

from rtlgen.errors import RtlgenError
from rtlgen.optimize.rewrites.arith import csd, shift_add
from rtlgen.optimize.rewrites.design import TypeInfo, preserves
from rtlgen.optimize.rules import load_rules
from rtlgen.optimize.templates import implemented, propose
from rtlgen.spec.model import Candidate


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _proposals(rtl: str, rule: str, top: str = "m") -> list[str]:
    return [p.candidate.rtl for p in propose(Candidate(rtl, top), rule)]


@pytest.mark.parametrize("value", [2, 3, 5, 7, 9, 12, 15, 23, 100, 255])
def test_csd_digits_sum_to_the_constant(value: int) -> None:
    assert sum(d << s for s, d in csd(value)) == value
    assert all(abs(d) == 1 for _, d in csd(value))


def test_shift_add_prefers_adds_and_uses_subtraction_for_runs_of_ones() -> None:
    assert shift_add("x", 5) == "(x << 2) + x"
    assert shift_add("x", 3) == "(x << 1) + x"
    assert shift_add("x", 15) == "(x << 4) - x"


def test_const_mult_rewrites_each_site_and_keeps_comments() -> None:
    rtl = "module m(input [7:0] a, b, output [7:0] y, z);\n  assign y = a * 9;  // nine\n  assign z = 5 * b;\nendmodule\n"
    out = _proposals(rtl, "const-mult-shift-add")
    assert len(out) == 2
    assert "assign y = (a << 3) + a;  // nine" in out[0] and "assign z = 5 * b;" in out[0]
    assert "assign z = (b << 2) + b;" in out[1]


def test_const_mult_inside_an_expression_is_parenthesised() -> None:
    rtl = "module m(input [7:0] a, c, output [7:0] y);\n  assign y = c - a * 3;\nendmodule\n"
    assert "assign y = c - ((a << 1) + a);" in _proposals(rtl, "const-mult-shift-add")[0]


def test_const_mult_refuses_a_width_change_in_a_self_determined_context() -> None:
    # {a * 5, a} is 40 bits wide (a * 5 is 32 bits); {(a << 2) + a, a} would be 16
    rtl = "module m(input [7:0] a, output [39:0] y);\n  assign y = {a * 5, a};\nendmodule\n"
    assert _proposals(rtl, "const-mult-shift-add") == []


def test_preserves() -> None:
    assert preserves(TypeInfo(32, False, 8), TypeInfo(8, False, 8))      # truncated to the same 8 bits
    assert not preserves(TypeInfo(32, False, 32), TypeInfo(8, False, 8))  # 32 bits delivered before, 8 after
    assert not preserves(TypeInfo(32, True, 8), TypeInfo(8, False, 8))    # signedness changes the extension


def test_share_add_sub_expression_and_if_else_forms() -> None:
    rtl = "module m(input c, input [7:0] a, b, output [7:0] y);\n  assign y = c ? a + b : a - b;\nendmodule\n"
    assert "assign y = a + (c ? b : ~b) + (c ? 1'b0 : 1'b1);" in _proposals(rtl, "share-add-sub")[0]
    rtl = ("module m(input c, input [7:0] a, b, output reg [7:0] y);\n  always @(*) begin\n"
           "    if (c) y = a - b;\n    else y = a + b;\n  end\nendmodule\n")
    assert "y = a + (c ? ~b : b) + (c ? 1'b1 : 1'b0);" in _proposals(rtl, "share-add-sub")[0]


def test_share_add_sub_refuses_signed_operands_and_different_operands() -> None:
    signed = "module m(input c, input signed [7:0] a, b, output signed [9:0] y);\n  assign y = c ? a + b : a - b;\nendmodule\n"
    assert _proposals(signed, "share-add-sub") == []
    other = "module m(input c, input [7:0] a, b, d, output [7:0] y);\n  assign y = c ? a + b : a - d;\nendmodule\n"
    assert _proposals(other, "share-add-sub") == []


def test_share_mux_before_arith_follows_wires() -> None:
    rtl = ("module m(input c, input [7:0] p, q, b, output [7:0] y);\n  wire [7:0] o1 = 8'd3 - p;\n"
           "  wire [7:0] o2 = 8'd3 - q;\n  wire [7:0] s1 = o1 + b;\n  wire [7:0] s2 = o2 + b;\n"
           "  assign y = c ? s1 : s2;\nendmodule\n")
    out = _one_line(_proposals(rtl, "share-mux-before-arith")[0])
    assert "wire [7:0] o1_shared = 8'd3 - (c ? p : q);" in out
    assert "wire [7:0] s1_shared = o1_shared + b;" in out and "assign y = s1_shared;" in out


def test_share_mux_before_arith_direct_and_refusals() -> None:
    rtl = "module m(input c, input [7:0] p, q, b, output [7:0] y);\n  assign y = c ? (p * b) : (q * b);\nendmodule\n"
    assert "assign y = (c ? p : q) * b;" in _proposals(rtl, "share-mux-before-arith")[0]
    # operands of different widths would change the arithmetic's width: refused
    rtl = "module m(input c, input [7:0] p, input [3:0] q, input [7:0] b, output [8:0] y);\n" \
          "  assign y = c ? (p + b) : (q + b);\nendmodule\n"
    assert _proposals(rtl, "share-mux-before-arith") == []
    # whole branches differing: nothing to share
    rtl = "module m(input c, input [7:0] p, q, output [7:0] y);\n  assign y = c ? p : q;\nendmodule\n"
    assert _proposals(rtl, "share-mux-before-arith") == []


def test_mux_constant_condition_and_identical_branches() -> None:
    rtl = ("module m(input c, input [3:0] a, b, output [3:0] y, output reg [3:0] z);\n  assign y = 1'b0 ? a : b;\n"
           "  always @(*) begin\n    if (1) z = a; else z = b;\n  end\nendmodule\n")
    out = _proposals(rtl, "mux-constant-condition")
    assert len(out) == 2 and "assign y = b;" in out[0] and "z = a;" in out[1] and "if (1)" not in out[1]
    rtl = "module m(input c, input [3:0] a, output [3:0] y);\n  assign y = c ? a & 4'h3 : a&4'h3;\nendmodule\n"
    assert "assign y = a & 4'h3;" in _proposals(rtl, "mux-identical-branches")[0]
    rtl = "module m(input c, input [3:0] a, output [3:0] y);\n  assign y = c ? a : ~a;\nendmodule\n"
    assert _proposals(rtl, "mux-identical-branches") == []


def test_compare_word_level_and_derived() -> None:
    rtl = ("module m(input [1:0] A, B, output eq, lt, ge);\n  assign eq = (A[1] == B[1]) && (A[0] == B[0]);\n"
           "  assign lt = (A[1] < B[1]) || ((A[1] == B[1]) && (A[0] < B[0]));\n  wire g = A > B;\n"
           "  assign ge = g | eq;\nendmodule\n")
    words = [_one_line(r) for r in _proposals(rtl, "compare-word-level")]
    assert any("assign eq = A == B;" in r for r in words) and any("assign lt = A < B;" in r for r in words)
    derived = _proposals(rtl, "compare-merge-derived")
    assert len(derived) == 1 and "assign ge = A >= B;" in derived[0]


def test_compare_refuses_logic_that_is_no_comparison_and_signed_inputs() -> None:
    rtl = "module m(input [1:0] A, B, output y);\n  assign y = (A[1] == B[0]) && (A[0] == B[1]);\nendmodule\n"
    assert _proposals(rtl, "compare-word-level") == []
    rtl = "module m(input signed [1:0] A, B, output y);\n  assign y = (A[1] == B[1]) && (A[0] == B[0]);\nendmodule\n"
    assert _proposals(rtl, "compare-word-level") == []


def test_operand_isolation_gates_a_multiplier_in_a_select_branch() -> None:
    rtl = "module m(input s, input [3:0] a, b, output [7:0] y);\n  assign y = s ? {4'd0, a} : a * b;\nendmodule\n"
    out = _proposals(rtl, "operand-isolation")
    assert len(out) == 1 and "assign y = s ? {4'd0, a} : ((!s ? a : {4{1'b0}}) * (!s ? b : {4{1'b0}}));" in out[0]
    # a product outside any select is always used: nothing to isolate
    assert _proposals("module m(input [3:0] a, b, output [7:0] y);\n  assign y = a * b;\nendmodule\n",
                      "operand-isolation") == []


def test_constant_register_becomes_a_wire() -> None:
    rtl = ("module m(input clk, rst, input [3:0] d, output [3:0] y);\n  reg [3:0] k;\n  reg [3:0] q;\n"
           "  always @(posedge clk) begin\n    if (rst) begin k <= 4'd5; q <= 4'd0; end\n"
           "    else begin k <= k; q <= d; end\n  end\n  assign y = q ^ k;\nendmodule\n")
    out = _proposals(rtl, "constant-register-removal")
    assert len(out) == 1
    assert "wire [3:0] k = 4'd5;" in out[0] and "k <=" not in out[0] and "q <= d;" in out[0]


def test_constant_register_refusals() -> None:
    # two different constants, a register also loaded from data, and an output port register
    two = "module m(input clk, rst, output [1:0] y);\n  reg [1:0] k;\n  always @(posedge clk) k <= rst ? 2'd1 : 2'd2;\n" \
          "  assign y = k;\nendmodule\n"
    data = "module m(input clk, rst, input d, output y);\n  reg k;\n  always @(posedge clk) if (rst) k <= 1'b0; " \
           "else k <= d;\n  assign y = k;\nendmodule\n"
    port = "module m(input clk, output reg k);\n  always @(posedge clk) k <= 1'b1;\nendmodule\n"
    for rtl in (two, data, port):
        assert _proposals(rtl, "constant-register-removal") == []


def test_decoder_as_comparisons_and_refusals() -> None:
    rtl = "module m(input [1:0] s, output [7:0] o);\n  assign o = {7'd0, 1'b1} << s;\nendmodule\n"
    out = _one_line(_proposals(rtl, "decoder-compare-per-output")[0])
    assert "assign o = {{4{1'b0}}, (s == 3), (s == 2), (s == 1), (s == 0)};" in out
    signed = "module m(input signed [2:0] s, output [7:0] o);\n  assign o = 8'd1 << s;\nendmodule\n"
    assert _proposals(signed, "decoder-compare-per-output") == []  # a signed compare would differ
    shifted = "module m(input [2:0] s, output [7:0] o);\n  assign o = 8'd3 << s;\nendmodule\n"
    assert _proposals(shifted, "decoder-compare-per-output") == []  # not a one


def test_narrow_function_as_a_table_of_constants() -> None:
    rtl = "module m(input [1:0] a, input b, output [3:0] y);\n  assign y = a * 3 + b - 1;\nendmodule\n"
    out = _one_line(_proposals(rtl, "table-for-narrow-function")[0])
    # {a, b} = 0..7: a*3 + b - 1 mod 16 = 15, 0, 2, 3, 5, 6, 8, 9
    assert "assign y = table_line2({a, b});" in out
    assert ("function automatic [3:0] table_line2(input [2:0] x); case (x) 3'd0: table_line2 = 4'd15; "
            "3'd1: table_line2 = 4'd0; 3'd2: table_line2 = 4'd2; 3'd3: table_line2 = 4'd3; "
            "3'd4: table_line2 = 4'd5; 3'd5: table_line2 = 4'd6; 3'd6: table_line2 = 4'd8; "
            "default: table_line2 = 4'd9; endcase endfunction") in out
    taken = rtl.replace("output [3:0] y", "output [3:0] y, output table_line2") \
        .replace("endmodule", "assign table_line2 = b;\nendmodule")  # the name is in use: a fresh one
    assert "assign y = table_line2_({a, b});" in _one_line(_proposals(taken, "table-for-narrow-function")[0])
    wide = "module m(input [3:0] a, b, output [4:0] y);\n  assign y = a + b;\nendmodule\n"
    assert _proposals(wide, "table-for-narrow-function") == []  # 8 input bits: more than 64 entries


def test_andor_select_as_a_chain() -> None:
    rtl = ("module m(input [1:0] s, input [3:0] a, b, c, output [3:0] y);\n"
           "  wire [3:0] t0 = (s == 2'd0) ? a : 4'd0;\n"
           "  assign y = t0 | ((s == 2'd1) ? b : 4'd0) | ((s == 2'd3) ? c : 4'd0);\nendmodule\n")
    out = _one_line(_proposals(rtl, "mux-andor-to-index")[0])
    assert "assign y = (s == 0) ? a : (s == 1) ? b : (s == 3) ? c : 4'd0;" in out  # s == 2 gives zero
    same = rtl.replace("(s == 2'd3)", "(s == 2'd1)")
    assert _proposals(same, "mux-andor-to-index") == []  # two terms on one value: not exclusive
    narrow = rtl.replace("wire [3:0] t0", "wire [1:0] t0")
    assert _proposals(narrow, "mux-andor-to-index") == []  # the wire truncates its term


def test_case_items_share_one_adder() -> None:
    rtl = ("module m(input [1:0] op, input [3:0] a, b, output reg [4:0] y);\n  always @(*) case (op)\n"
           "    2'd0, 2'd3: y = a + b;\n    2'd1: y = a - b;\n    default: y = a & b;\n  endcase\nendmodule\n")
    out = _proposals(rtl, "alu-shared-adder")
    shared = "((op == 0 || op == 3) ? a : a) + ((op == 0 || op == 3) ? b : ~b) + ((op == 0 || op == 3) ? 1'b0 : 1'b1)"
    assert len(out) == 1 and out[0].count(shared) == 2 and "y = a & b;" in out[0]
    signed = rtl.replace("input [3:0] a, b", "input signed [3:0] a, b")
    assert _proposals(signed, "alu-shared-adder") == []


@pytest.mark.parametrize("rule_id", sorted(implemented()))
def test_each_template_rule_applies_to_its_own_example(rule_id: str) -> None:
    rule = load_rules().get(rule_id)
    top = rule.example.before.split("module", 1)[1].split("(", 1)[0].strip()
    proposals = propose(Candidate(rule.example.before, top), rule)
    assert proposals and all(p.kind == "template" and p.rule == rule_id for p in proposals)
    assert all(p.candidate.rtl != rule.example.before for p in proposals)


def test_unknown_template_rule_is_an_error() -> None:
    with pytest.raises(RtlgenError, match="no template implementation"):
        propose(Candidate("module m; endmodule", "m"), "fsm-merge-equivalent")
