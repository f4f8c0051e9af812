"""Mechanical declaration fixes: each slip the small models make is repaired, legal RTL is never touched."""
from __future__ import annotations

from pathlib import Path

import pytest

from rtlgen.generate.fixes import (fix_bare_assignments, fix_body_block, fix_declarations, fix_else_if_spelling,
                                   fix_end_before_else, fix_keyword_names, fix_literals, fix_missing_end, fix_reset)
from rtlgen.spec.model import Reset

DESIGNS = Path(__file__).resolve().parents[2] / "designs"


def test_body_redeclaration_of_a_wire_port_becomes_one_logic_port():
    fixed = fix_declarations("module m (\n    input  wire clk,\n    output wire [7:0] count\n);\n"
                             "    reg [7:0] count;  // state\n"
                             "    always @(posedge clk) count <= count + 1;\nendmodule\n")
    assert "output logic [7:0] count\n" in fixed.rtl and "reg [7:0] count" not in fixed.rtl
    assert "    // state\n" in fixed.rtl  # the comment after the declaration stays
    assert fixed.changes == ["removed the body declaration of port 'count' (already declared in the module header)"]


def test_range_and_sign_come_from_the_body_when_the_header_has_none():
    fixed = fix_declarations("module m (input clk, output q);\n  reg signed [3:0] q;\n"
                             "  always @(posedge clk) q <= q - 1;\nendmodule\n")
    assert "output logic signed [3:0] q)" in fixed.rtl and "reg signed" not in fixed.rtl


def test_redeclared_variable_port_only_loses_the_duplicate():
    fixed = fix_declarations("module m(input logic clk, output logic signed [3:0] c);\n  logic signed [3:0] c;\n"
                             "  always_ff @(posedge clk) c <= c + 1;\nendmodule\n")
    assert fixed.rtl == ("module m(input logic clk, output logic signed [3:0] c);\n"
                         "  always_ff @(posedge clk) c <= c + 1;\nendmodule\n")


def test_nets_assigned_in_always_blocks_become_logic():
    fixed = fix_declarations("module m (input [7:0] in, output [7:0] out, output y);\n  wire t;\n"
                             "  always @(*) t = in[0];\n  always @(in) begin\n    out[3:0] = in[7:4];\n"
                             "    out[7:4] = in[3:0];\n  end\n  assign y = t;\nendmodule\n")
    assert "output logic [7:0] out, output y)" in fixed.rtl  # y is driven by assign: left a wire
    assert "  logic t;\n" in fixed.rtl
    assert len(fixed.changes) == 2


def test_a_port_redeclared_with_a_constant_keeps_it_as_its_initial_value_in_the_header():
    """Qwen2.5-Coder 1.5B wrote RTLLM's right_shifter so in all five samples (iverilog: "'q' has already been
    declared in this scope")."""
    fixed = fix_declarations("module m (\n    input  logic clk,\n    output logic [7:0] q,\n    output r\n);\n"
                             "    reg [7:0] q = 8'b0;  // start at 0\n    reg r = 1'b1;\n"
                             "    always_ff @(posedge clk) begin q <= q >> 1; r <= ~r; end\nendmodule\n")
    assert "    output logic [7:0] q = 8'b0,\n    output logic r = 1'b1\n);\n    // start at 0\n" in fixed.rtl
    assert "reg" not in fixed.rtl
    assert fixed.changes[0] == ("removed the body declaration of port 'q' (already declared in the module header); "
                                "8'b0 became the initial value of 'q' there")
    # ``logic y = a & b;`` is meant as a driver though it is an initial value: two readings, left alone
    assert fix_declarations("module m (input a, output y);\n  logic y = a;\nendmodule\n").changes == []


def test_an_end_left_out_before_else_is_inserted():
    """Qwen2.5-Coder 0.5B writes ``if (c) begin a; else begin b; end`` (iverilog: syntax error)."""
    rtl = ("module m (input clk, input r, input [1:0] s, output logic q);\n  always @(posedge clk) begin\n"
           "    if (r) begin\n      q <= 0;\n    else if (s[0]) begin\n      if (s[1]) q <= 1; else q <= 0;\n"
           "    else begin\n      q <= ~q;\n    end\n  end\nendmodule\n")
    fixed = fix_end_before_else(rtl)
    assert ("      q <= 0;\n    end else if (s[0]) begin\n      if (s[1]) q <= 1; else q <= 0;\n"
            "    end else begin\n") in fixed.rtl
    assert len(fixed.changes) == 2 and fix_end_before_else(fixed.rtl).changes == []
    # an invented ``elsif`` before the else: the block's shape is not known, left alone
    odd = rtl.replace("    else if (s[0]) begin\n", "    elsif (s[0]) begin\n      q <= 1;\n    end\n")
    assert fix_end_before_else(odd).changes == []


def test_else_if_spelled_as_in_other_languages_becomes_else_if():
    """Qwen2.5-Coder 0.5B and 1.5B write ``end elsif (c) begin`` and ``end elseif (c)`` (8 distinct cached replies,
    5 compile only with this fix: ``benchmarks/fixes_effect.py``)."""
    rtl = ("module m (input clk, input [1:0] s, output logic [1:0] q);\n  always @(posedge clk) begin\n"
           "    if (s == 0) begin\n      q <= 0;\n    end elsif (s == 1) begin\n      q <= 1;\n"
           "    end elseif (s[1]) q <= 2;\n    else q <= 3;\n  end\nendmodule\n")
    fixed = fix_else_if_spelling(rtl)
    assert fixed.rtl == rtl.replace("elsif", "else if").replace("elseif", "else if")
    assert len(fixed.changes) == 2 and fix_else_if_spelling(fixed.rtl).changes == []
    # a task of that name, declared and called: a legal design, left alone; so is one whose only error is elsewhere
    task = ("module m (input a, output y);\n  task elsif(input x); endtask\n  assign y = a;\n"
            "  always @* begin\n    if (a) begin end elsif(a);\n  end\nendmodule\n")
    assert fix_else_if_spelling(task).changes == []
    assert fix_else_if_spelling(task.replace("assign y = a;", "assign y = a")).changes == []


def test_the_block_left_open_at_endmodule_gets_its_end():
    """Qwen2.5-Coder 0.5B ends its always block with nothing before ``endmodule``."""
    rtl = "module m (input [7:0] a, output logic [7:0] y);\n  always_comb begin\n    y = ~a;\n    y[0] = 1'b0;\n"
    fixed = fix_missing_end(rtl + "endmodule\n")
    assert fixed.rtl == rtl + "end\nendmodule\n"
    assert fixed.changes == ["the block left open at 'endmodule' got its 'end'"]
    # a nested block's written end could be the open block's (``if (a) begin x; [end] y; end``): left alone
    nested = ("module m (input a, output logic x, y);\n  always_comb begin\n    if (a) begin\n      x = 1;\n"
              "      y = 0;\n    end\nendmodule\n")
    assert fix_missing_end(nested).changes == []


def test_keywords_legal_only_in_their_own_construct_are_renamed_where_they_are_names():
    """Qwen2.5-Coder 1.5B names a register ``sequence`` (VerilogEval fsmseq) and an argument ``cell`` (conwaylife)."""
    rtl = ("module m (input clk, output q);\n  logic [3:0] sequence = 0, sequence_;\n"
           "  function logic f(logic [3:0] cell);\n    return cell[0];\n  endfunction\n"
           "  always @(posedge clk) sequence <= sequence + 1;  // sequence\n  assign q = f(sequence);\nendmodule\n")
    fixed = fix_keyword_names(rtl)
    assert fixed.rtl == rtl.replace("sequence ", "sequence__ ").replace("sequence)", "sequence__)").replace(
        "cell", "cell_")
    assert fixed.changes == ["'cell' is a SystemVerilog keyword, here a name: renamed 'cell_'",
                             "'sequence' is a SystemVerilog keyword, here a name: renamed 'sequence__'"]
    # beside an assertion ``sequence`` may be the keyword (``cover sequence``): left alone
    covered = rtl.replace("endmodule", "  cover sequence (q);\nendmodule")
    assert fix_keyword_names(covered).changes == ["'cell' is a SystemVerilog keyword, here a name: renamed 'cell_'"]


def test_index_expressions_are_not_mistaken_for_assigned_names():
    rtl = "module m (input [1:0] i, input [3:0] d, output reg [3:0] q);\n  always @(*) q[i] = d[i];\nendmodule\n"
    assert fix_declarations(rtl).changes == []


@pytest.mark.parametrize("path", sorted(DESIGNS.glob("*/*.v")), ids=lambda p: p.parent.name)
def test_legal_designs_are_left_alone(path: Path):
    rtl = path.read_text()
    for fix in (fix_declarations, fix_literals, fix_body_block, fix_bare_assignments, fix_end_before_else,
                fix_missing_end, fix_keyword_names):
        fixed = fix(rtl)
        assert fixed.rtl == rtl and fixed.changes == []


def test_self_assignment_is_removed():
    fixed = fix_declarations("module m (input clk, output logic [7:0] count);\n"
                             "  always_ff @(posedge clk) count <= count + 1;\n  assign count = count;\nendmodule\n")
    assert "assign" not in fixed.rtl and fixed.changes == [
        "removed 'assign count = count;': a signal driving itself is a loop, not logic"]


def test_a_constant_assign_beside_an_always_block_is_read_as_an_initial_value():
    """Measured: 30 of 1128 distinct cached replies of Qwen2.5-Coder 1.5B 'initialise' registers with ``assign
    d0 = 4'b0000;`` and drive them in an always block (iverilog: "Unable to assign to unresolved wires")."""
    rtl = ("module m (input clk, input in, output logic out);\n  logic [3:0] d0, d1;\n  assign d0 = 4'b0000;\n"
           "  assign d1 = {2{2'b01}};\n  assign out = d1[3];\n"
           "  always_ff @(posedge clk) begin d0 <= {d0[2:0], in}; d1 <= d0; end\nendmodule\n")
    fixed = fix_declarations(rtl)
    assert "assign d0" not in fixed.rtl and "assign d1" not in fixed.rtl and "assign out = d1[3];" in fixed.rtl
    assert fixed.changes[0] == ("removed \"assign d0 = 4'b0000;\": the signal is also assigned in an always block, "
                                "and a constant beside it is an initial value, not a second driver")
    # a signal not driven by a procedure, or driven by an expression of other signals, keeps its assign
    for kept in ("assign d0 = in;", "assign d0 = {WIDTH{1'b0}};"):
        assert kept in fix_declarations(rtl.replace("assign d0 = 4'b0000;", kept)).rtl
    assert fix_declarations("module m (output logic [3:0] q);\n  assign q = 4'd3;\nendmodule\n").changes == []


CLOCKED = ("module m (input clk, input rst, input d, output logic q);\n"
           "  always @(posedge clk or negedge rst) begin\n    if (!rst) q <= 0;\n    else q <= d;\n  end\n"
           "  always @(*) if (!rst) t = 0;\nendmodule\n")


def test_reset_made_synchronous_and_active_high_as_the_spec_says():
    fixed = fix_reset(CLOCKED, Reset("rst", active_low=False, kind="sync"))
    assert "always @(posedge clk) begin\n    if (rst) q <= 0;" in fixed.rtl
    assert "always @(*) if (!rst) t = 0;" in fixed.rtl  # not a clocked block: left alone
    assert len(fixed.changes) == 2


def test_asynchronous_reset_gets_the_spec_s_edge_and_an_agreeing_design_is_untouched():
    fixed = fix_reset(CLOCKED, Reset("rst", active_low=False, kind="async"))
    assert "@(posedge clk or posedge rst)" in fixed.rtl and "if (rst) q <= 0;" in fixed.rtl
    assert fix_reset(CLOCKED, Reset("rst", active_low=True, kind="async")).changes == []
    assert fix_reset(CLOCKED, Reset("other", kind="sync")).changes == []


@pytest.mark.bench
def test_no_benchmark_reference_is_changed():
    """The 87 VerilogEval and RTLLM references are correct designs: no mechanical fix may touch them."""
    from rtlgen.generate.fixes import fix_candidate
    from rtlgen.spec.suites import load_suite

    specs = [s for suite in ("verilog-eval", "rtllm") for s in load_suite(suite)]
    changed = {s.label: fix_candidate(Path(s.reference_rtl).read_text() if "module" not in s.reference_rtl
                                      else s.reference_rtl, s.reset).changes for s in specs}
    assert len(specs) == 87 and {k: v for k, v in changed.items() if v} == {}


def test_a_net_with_a_continuous_initializer_is_not_made_a_variable():
    rtl = "module m (input a, input clk, output y);\n  wire t = a;\n  always @(posedge clk) t <= 1'b0;\n" \
          "  assign y = t;\nendmodule\n"
    assert fix_declarations(rtl).changes == []  # `logic t = a;` would turn the assign into an initial value


def test_non_binary_digits_in_a_binary_literal_are_read_as_decimal_else_hex_when_they_fit():
    rtl = ("module m (input [7:0] s, output logic [15:0] q);\n"
           "  always_comb if (s == 8'b59) q = 16'b1232; else if (s == 8'B0_9) q = 16'baee0; else q = 16'b0101;\n"
           "endmodule\n")
    fixed = fix_literals(rtl)
    assert "s == 8'd59) q = 16'd1232; else if (s == 8'D0_9)" not in fixed.rtl  # the base keeps its letter case
    assert "(s == 8'd59) q = 16'd1232; else if (s == 8'd0_9) q = 16'haee0; else q = 16'b0101;" in fixed.rtl
    assert fixed.changes[0] == "\"8'b59\" is not a binary number: read as decimal 59"
    assert len(fixed.changes) == 4  # every bad literal of the statement, though parsing skips after the first


def test_a_value_that_fits_no_reading_is_left_for_the_compiler_to_report():
    rtl = "module m (output logic [3:0] q);\n  assign q = 4'b9999 + 2'b1z;\nendmodule\n"
    assert fix_literals(rtl).changes == []


def test_c_hex_literals_become_verilog_hex():
    fixed = fix_literals("module m (input [7:0] a, output [7:0] y);\n  localparam [7:0] M = 0x0F;\n"
                         "  assign y = a & 0xf0 | M;\nendmodule\n")
    assert "localparam [7:0] M = 'h0F;" in fixed.rtl and "assign y = a & 'hf0 | M;" in fixed.rtl


def test_a_module_body_wrapped_in_begin_end_is_unwrapped():
    rtl = ("module m (\n    input  logic a,\n    output logic f\n) begin\n    assign f = ~a;\nend\nendmodule\n")
    fixed = fix_body_block(rtl)
    assert fixed.rtl == "module m (\n    input  logic a,\n    output logic f\n);\n    assign f = ~a;\nendmodule\n"
    assert len(fixed.changes) == 1


def test_a_labelled_generate_block_after_a_correct_header_is_left_alone():
    rtl = "module m (input a, output f);\n  begin : g\n    assign f = a;\n  end\nendmodule\n"
    assert fix_body_block(rtl).changes == []


def test_bare_assignments_in_the_module_body_become_continuous_assignments():
    rtl = ("module m (input [7:0] a, b, output [7:0] s, output v);\n  // add\n  s = a + b;\n"
           "  v = (a[7] == b[7]) &&\n      (s[7] != a[7]);\n  logic [3:0] t = 4'd1;\n  always @(*) x = a;\nendmodule\n")
    fixed = fix_bare_assignments(rtl)
    assert "  assign s = a + b;\n  assign v = (a[7] == b[7]) &&\n      (s[7] != a[7]);\n" in fixed.rtl
    assert "  logic [3:0] t = 4'd1;\n  always @(*) x = a;\n" in fixed.rtl  # a declaration, a procedure: left alone
    assert fixed.changes == ["2 bare assignment(s) in the module body became 'assign' statements "
                             "(continuous assignments)"]
