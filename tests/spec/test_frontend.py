"""The HDL front end: one elaboration of the user's sources, every input problem at the user's file:line, top
parameters, and commands that refuse bad input (exit 2) before Yosys runs."""
from __future__ import annotations

from pathlib import Path

import pytest

from rtlgen.errors import ConfigError, DesignInputError
from rtlgen.spec.sources import collect, read_design

# A pipelined CPU's shape: the execute stage reads a field of the pipeline register instance by name.
PIPE_REG = """module id_ex_reg(input clk, input [1:0] alu_op_in, output reg [1:0] alu_op_out);
  reg [1:0] ALUOp;
  always @(posedge clk) begin
    ALUOp <= alu_op_in;
    alu_op_out <= ALUOp;
  end
endmodule
"""
CPU = """module cpu(input clk, input [1:0] op, input [7:0] a, input [7:0] b, output reg [7:0] y);
  wire [1:0] unused;
  id_ex_reg ID_EX_Reg(.clk(clk), .alu_op_in(op), .alu_op_out(unused));
  wire [1:0] alu_op;
  assign alu_op = ID_EX_Reg.ALUOp;
  always @(posedge clk) y <= alu_op[0] ? a + b : a - b;
endmodule
"""
GENERATE = """module gen(input [1:0] d, output [1:0] q);
  genvar i;
  for (i = 0; i < 2; i = i + 1) begin : g
    wire w = d[i];
  end
  assign q = {g[1].w, g[0].w};
endmodule
"""
MISSING = """module soc(input clk, input [7:0] d, output [7:0] q);
  fetch u_fetch(.clk(clk));
  decode u_decode(.clk(clk));
  execute u_execute(.clk(clk));
  memory_stage u_memory(.clk(clk));
  writeback u_writeback(.clk(clk));
  assign q = d;
  hazard_unit u_hazard(.clk(clk));
endmodule
"""
PARAMETERIZED = """module shifter #(parameter WIDTH = 8, parameter STAGES = 2) (input clk, input [WIDTH-1:0] d,
                                                                 output reg [WIDTH-1:0] q);
  localparam LAST = STAGES - 1;
  always @(posedge clk) q <= d;
endmodule
"""


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text)
    return path



@pytest.fixture
def no_yosys(monkeypatch: pytest.MonkeyPatch) -> None:
    """Synthesis fails the test if it is reached: these inputs must be refused before Yosys runs."""
    def reached(*args: object, **kwargs: object) -> None:
        raise AssertionError("Yosys ran on input the front end should have refused")

    monkeypatch.setattr("rtlgen.synth.api.synthesize", reached)


def test_hierarchical_reference_is_refused_at_its_file_and_line(tmp_path: Path, run_cli, no_yosys: None) -> None:
    files = [_write(tmp_path, "id_ex_reg.v", PIPE_REG), _write(tmp_path, "cpu.v", CPU)]
    with pytest.raises(DesignInputError) as info:
        read_design(collect(files), "cpu")
    assert info.value.problems == [f"{files[1]}:5: hierarchical reference 'ID_EX_Reg.ALUOp' reaches into instance "
                                   "'cpu.ID_EX_Reg': synthesis (Yosys) would drop it and leave that logic undriven; "
                                   "pass the signal through a port instead"]
    code, output = run_cli(["synth", *map(str, files), "--top", "cpu"])
    assert code == 2 and f"{files[1]}:5: hierarchical reference 'ID_EX_Reg.ALUOp'" in output


def test_references_into_the_module_s_own_generate_blocks_are_kept(tmp_path: Path) -> None:
    design = read_design(collect([_write(tmp_path, "gen.v", GENERATE)]))
    assert design.view.top == "gen" and [str(p) for p in design.view.ports] == ["input [1:0] d", "output [1:0] q"]


def test_every_missing_module_in_one_message_before_yosys(tmp_path: Path, run_cli, no_yosys: None) -> None:
    soc = _write(tmp_path, "soc.v", MISSING)
    code, output = run_cli(["synth", str(soc)])
    assert code == 2 and "the design input has 6 problem(s)" in output
    for line, module in ((2, "fetch"), (3, "decode"), (4, "execute"), (5, "memory_stage"), (6, "writeback"),
                         (8, "hazard_unit")):
        assert f"{soc}:{line}: unknown module '{module}'" in output


def test_top_parameters_are_applied_and_bad_names_list_the_parameters(tmp_path: Path) -> None:
    path = _write(tmp_path, "shifter.v", PARAMETERIZED)
    default = read_design(collect([path]))
    assert [(p.name, p.value, p.local) for p in default.view.parameters] == [
        ("WIDTH", "8", False), ("STAGES", "2", False), ("LAST", "1", True)]
    wide = read_design(collect([path], params=["WIDTH=16"]))
    assert [str(p) for p in wide.view.ports] == ["input clk", "input [15:0] d", "output [15:0] q"]
    assert "#(parameter WIDTH = 16, parameter STAGES = 2)" in wide.candidate.rtl and wide.candidate.trusted
    with pytest.raises(ConfigError, match=r"no parameter NOPE to set .* its parameters: WIDTH=8, STAGES=2$"):
        read_design(collect([path], params=["NOPE=1"]))
    with pytest.raises(ConfigError, match="no parameter LAST to set"):
        read_design(collect([path], params=[("LAST", "3")]))
    with pytest.raises(ConfigError, match="bad parameter 'WIDTH'"):
        collect([path], params=["WIDTH"])


def test_a_bad_parameter_value_is_reported_at_the_user_s_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "shifter.v", PARAMETERIZED)
    with pytest.raises(DesignInputError) as info:
        read_design(collect([path], params=["WIDTH=8 +"]))
    assert info.value.problems[0].startswith(f"{path}:1: ")


def test_a_value_that_is_not_an_expression_names_its_p_and_how_to_write_a_string(tmp_path: Path) -> None:
    path = _write(tmp_path, "shifter.v", PARAMETERIZED)
    with pytest.raises(DesignInputError) as info:
        read_design(collect([path], params=["STAGES=slow", "WIDTH=wide"]))
    assert info.value.problems == [
        f"{path}:1: -P {name}={value} is not a valid value: use of undeclared identifier '{value}'; a -P value is a "
        f"Verilog constant expression (16, 2*8, 4'b1010) and a string needs its quotes: -P {name}='\"text\"'"
        for name, value in (("STAGES", "slow"), ("WIDTH", "wide"))]


def test_string_parameters_are_shown_as_strings(tmp_path: Path) -> None:
    path = _write(tmp_path, "core.v", 'module core #(parameter RESET_STRATEGY = "MINI", parameter W = 1) '
                                      '(input [W-1:0] d, output [W-1:0] q);\n  assign q = d;\nendmodule\n')
    assert [p.value for p in read_design(collect([path])).view.parameters] == ['"MINI"', "1"]
    with pytest.raises(ConfigError, match='its parameters: RESET_STRATEGY="MINI", W=1$'):
        read_design(collect([path], params=["NOPE=1"]))


def test_systemverilog_in_a_v_file_is_read_as_written(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = _write(tmp_path, "counter.v", "module counter(input logic clk, output logic [3:0] q);\n"
                                         "  always_ff @(posedge clk) q <= q + 1;\nendmodule\n")
    assert read_design(collect([path])).view.top == "counter"
    assert f"{path}: read as SystemVerilog" in caplog.text and "uses always_ff, logic as" in caplog.text
    with pytest.raises(DesignInputError):  # the language given is the language read
        read_design(collect([path], language="verilog-2005"))
