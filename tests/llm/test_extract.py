"""Pulling Verilog and Python out of LLM replies in the shapes models actually answer."""
from __future__ import annotations

import pytest

from rtlgen.llm import ExtractionError, extract_python, extract_verilog, extract_verilog_detailed
from rtlgen.spec.interface import module_names

AND = "module TopModule(input a, input b, output y);\n  assign y = a & b;\nendmodule"


@pytest.mark.parametrize("lang", ["verilog", "systemverilog", "sv", "", "Verilog"])
def test_fenced_block(lang):
    reply = f"Sure! Here is the design.\n\n```{lang}\n{AND}\n```\n\nThis uses a continuous assignment."
    assert extract_verilog(reply, "TopModule") == AND + "\n"


def test_unfenced_code_with_prose_around():
    reply = f"The module below ANDs its inputs.\n\n{AND}\n\nLet me know if you need a testbench."
    assert extract_verilog(reply, "TopModule") == AND + "\n"


def test_verilog_eval_begin_done_markers():
    reply = f"[BEGIN]\n{AND}\n[DONE]\nSome trailing chatter module foo; endmodule"
    code = extract_verilog(reply, "TopModule")
    assert code == AND + "\n" and "foo" not in code
    # the prompt often ends with [BEGIN], so the reply has only [DONE]
    assert extract_verilog(f"{AND}\n[DONE]", "TopModule") == AND + "\n"


def test_fence_of_another_language_is_ignored():
    reply = f"```python\nprint('module fake(); endmodule')\n```\n```verilog\n{AND}\n```"
    assert module_names(extract_verilog(reply, "TopModule")) == ["TopModule"]


def test_several_modules_keep_top_and_its_submodules_only():
    reply = """```verilog
module half_adder(input a, b, output s, c);
  assign s = a ^ b; assign c = a & b;
endmodule

module unused_helper(input x, output z); assign z = x; endmodule

module TopModule(input a, input b, output s, output c);
  half_adder #(.W(1)) ha (.a(a), .b(b), .s(s), .c(c));
endmodule

module tb;
  reg a, b; wire s, c;
  TopModule dut(.a(a), .b(b), .s(s), .c(c));
  initial begin a = 1; b = 1; #1 $display("%b%b", s, c); $finish; end
endmodule
```"""
    result = extract_verilog_detailed(reply, "TopModule")
    assert module_names(result.code) == ["half_adder", "TopModule"]
    assert "$finish" not in result.code
    assert any("unused_helper" in n and "tb" in n for n in result.notes)


def test_wrong_module_name_is_renamed_and_noted():
    reply = "```verilog\nmodule and_gate(input a, input b, output y);\n  assign y = a & b;\nendmodule\n```"
    result = extract_verilog_detailed(reply, "TopModule")
    assert module_names(result.code) == ["TopModule"]
    assert result.notes == ["renamed module 'and_gate' to 'TopModule'"]


def test_wrong_name_with_testbench_renames_the_design_not_the_testbench():
    reply = ("```verilog\nmodule my_and(input a, input b, output y); assign y = a & b; endmodule\n"
             "module my_and_tb(); reg a, b; wire y; my_and u(.a(a), .b(b), .y(y)); endmodule\n```")
    result = extract_verilog_detailed(reply, "TopModule")
    assert module_names(result.code) == ["TopModule"] and "my_and_tb" not in result.code


def test_two_unrelated_modules_without_top_are_an_error():
    reply = "```verilog\nmodule p(input a, output y); assign y=a; endmodule\nmodule q(input a, output y); assign y=a; endmodule\n```"
    with pytest.raises(ExtractionError) as info:
        extract_verilog(reply, "TopModule")
    assert info.value.failure_class == "no_module" and "p, q" in str(info.value)


def test_no_code_quotes_the_reply():
    with pytest.raises(ExtractionError) as info:
        extract_verilog("I'm sorry, I cannot help with that request.", "TopModule")
    assert info.value.failure_class == "no_code" and "I'm sorry" in str(info.value)


def test_later_definition_replaces_earlier_one():
    reply = (f"First try:\n```verilog\n{AND.replace('&', '|')}\n```\nOops, corrected:\n```verilog\n{AND}\n```")
    assert extract_verilog(reply, "TopModule") == AND + "\n"


# Qwen2.5-Coder 1.5B on RTLLM barrel_shifter (a cached reply, shortened): the given header first, left open to
# write the submodule, then the top again in full.
HEADER_LEFT_OPEN = """```verilog
module barrel_shifter (
    input  logic [7:0] in,
    output logic [7:0] out
);

// submodule
module mux2X1 (input logic in0, input logic in1, input logic sel, output logic out);
    assign out = sel ? in1 : in0;
endmodule

module barrel_shifter (
    input  logic [7:0] in,
    output logic [7:0] out
);
    mux2X1 m0 (.in0(in[0]), .in1(1'b0), .sel(in[7]), .out(out[0]));
    assign out[7:1] = in[7:1];
endmodule
```"""


def test_a_module_declared_inside_another_is_taken_out():
    got = extract_verilog_detailed(HEADER_LEFT_OPEN, "barrel_shifter")
    assert sorted(got.modules) == ["barrel_shifter", "mux2X1"]  # the header left open: replaced by the full definition
    assert module_names(got.code) == ["mux2X1", "barrel_shifter"] and got.code.count("module barrel_shifter") == 1
    assert "module 'mux2X1' was declared inside 'barrel_shifter': taken out" in got.notes
    nested = ("module top(input a, output y);\n  wire t;\n  module inv(input i, output o);\n    assign o = ~i;\n"
              "  endmodule\n  inv u (.i(a), .o(t));\n  assign y = t;\nendmodule")
    code = extract_verilog(nested, "top")  # SystemVerilog nesting, which Icarus rejects: the inner module moves out
    assert module_names(code) == ["top", "inv"] and "wire t;" in code and "inv u (.i(a), .o(t));" in code
    assert code.index("endmodule") > code.index("assign y = t;")


def test_directives_are_kept_and_truncated_module_is_returned_for_the_compiler():
    reply = "```verilog\n`timescale 1ns/1ps\n" + AND + "\n```"
    assert extract_verilog(reply, "TopModule").startswith("`timescale 1ns/1ps\n\nmodule TopModule")
    truncated = "```verilog\nmodule TopModule(input a, output y);\n  assign y = "
    assert extract_verilog(truncated, "TopModule").startswith("module TopModule")


MODEL = "class Model:\n    def reset(self):\n        self.q = 0\n\n    def step(self, inputs):\n        out = {'q': self.q}\n        self.q = inputs['d']\n        return out\n"


def test_python_fenced():
    assert extract_python(f"Here is the model:\n```python\n{MODEL}```\nIt is a D flip-flop.") == MODEL


def test_python_unfenced_with_prose():
    code = extract_python("The golden model:\n\ndef evaluate(inputs):\n    return {'y': inputs['a'] & 1}\n\nThat is all.")
    assert code.startswith("def evaluate") and "That is all" not in code
    namespace: dict = {}
    exec(code, namespace)  # noqa: S102 - our own test string
    assert namespace["evaluate"]({"a": 3}) == {"y": 1}


def test_python_errors():
    with pytest.raises(ExtractionError) as info:
        extract_python("```python\ndef helper():\n    return 1\n```")
    assert info.value.failure_class == "no_code"
    with pytest.raises(ExtractionError) as info:
        extract_python("```python\ndef evaluate(inputs)\n    return {}\n```")
    assert info.value.failure_class == "syntax_error" and "line 1" in str(info.value)


def test_prose_line_starting_with_module_is_not_code():
    reply = f"module TopModule is below; it ANDs a and b.\n{AND}\n"
    assert extract_verilog(reply, "TopModule") == AND + "\n"


def test_comment_between_name_and_ports():
    reply = "```\nmodule TopModule // 2-input AND\n  (input a, input b, output y);\n  assign y = a & b;\nendmodule\n```"
    assert module_names(extract_verilog(reply, "TopModule")) == ["TopModule"]


@pytest.mark.sim
def test_extracted_modules_compile_with_iverilog(tmp_path):
    """The kept set is self-contained: the renamed top and the submodule it needs elaborate together."""
    from rtlgen.tools.registry import find
    from rtlgen.tools.run import run

    reply = """Here is my solution.
```systemverilog
module full_adder(input logic a, b, cin, output logic s, cout);
  assign {cout, s} = a + b + cin;
endmodule

module adder4(input logic [3:0] x, y, output logic [4:0] sum);
  logic [4:0] c;
  assign c[0] = 1'b0;
  genvar i;
  for (i = 0; i < 4; i++) begin : g
    full_adder fa (.a(x[i]), .b(y[i]), .cin(c[i]), .s(sum[i]), .cout(c[i+1]));
  end
  assign sum[4] = c[4];
endmodule

module adder4_tb;
  logic [3:0] x, y; logic [4:0] sum;
  adder4 dut(.x(x), .y(y), .sum(sum));
  initial begin x = 4'd9; y = 4'd8; #1 $display("%0d", sum); $finish; end
endmodule
```"""
    code = extract_verilog(reply, "TopModule")
    assert module_names(code) == ["full_adder", "TopModule"]
    (tmp_path / "cand.sv").write_text(code)
    result = run([find("iverilog"), "-g2012", "-s", "TopModule", "-o", "cand.vvp", "cand.sv"], timeout=60,
                 cwd=tmp_path, check=False)
    assert result.returncode == 0, result.output
    (tmp_path / "hoisted.sv").write_text(extract_verilog(HEADER_LEFT_OPEN, "barrel_shifter"))
    result = run([find("iverilog"), "-g2012", "-s", "barrel_shifter", "-o", "hoisted.vvp", "hoisted.sv"], timeout=60,
                 cwd=tmp_path, check=False)
    assert result.returncode == 0, result.output
