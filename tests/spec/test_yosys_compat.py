"""Unpacked-array ports made readable for Yosys: the rewrite, its refusals, and a real synthesis + proof."""
from __future__ import annotations

from pyslang.syntax import SyntaxTree

from rtlgen.spec.model import Candidate
from rtlgen.spec.yosys_compat import packed_ports
from rtlgen.verify.formal import prove_equivalent

CASE_MUX = """module m (input wire [1:0] sel, input wire [7:0] data [0:3], output reg [7:0] out);
always @(*) case (sel) 2'd0: out = data[0]; 2'd1: out = data[1]; 2'd2: out = data[2]; default: out = data[3]; endcase
endmodule
"""
INDEX_MUX = """module m (input wire [1:0] sel, input wire [7:0] data [4], output wire [7:0] out);
assign out = data[sel];
endmodule
"""
WRONG_MUX = INDEX_MUX.replace("data[sel]", "data[~sel]")


def test_unpacked_port_becomes_packed_in_front() -> None:
    out = packed_ports(CASE_MUX)
    assert "input wire [0:3] [7:0] data ," in out
    assert out.count("\n") == CASE_MUX.count("\n")  # line numbers in tool messages stay right
    assert not [d for d in SyntaxTree.fromText(out).diagnostics if d.isError()]
    assert "[0:(4)-1] [7:0] data" in packed_ports(INDEX_MUX)


def test_left_alone_when_meaning_could_change() -> None:
    whole = "module n(input [3:0] a [2], output [3:0] y [2]); assign y = a; endmodule\n"
    assert packed_ports(whole) == whole  # whole-array use: packed would change the assignment's meaning
    inst = ("module c(input [3:0] a [2], output [3:0] y); assign y = a[0]; endmodule\n"
            "module t(input [3:0] a [2], output [3:0] y); c u(.a(a), .y(y)); endmodule\n")
    assert "input [3:0] a [2], output [3:0] y); assign" in packed_ports(inst)  # c is instantiated with an array
    assert packed_ports("module q(input a, output y); assign y = a; endmodule") == \
        "module q(input a, output y); assign y = a; endmodule"


def test_unpacked_ports_synthesize_and_prove(tmp_path) -> None:
    gold, gate = Candidate(CASE_MUX, "m"), Candidate(INDEX_MUX, "m")
    proven = prove_equivalent(gold, gate, clock=None, reset=None, workdir=tmp_path / "ok", timeout=120)
    assert proven.verdict == "proven", proven.message
    wrong = prove_equivalent(gold, Candidate(WRONG_MUX, "m"), clock=None, reset=None, workdir=tmp_path / "bad",
                             timeout=120)
    assert wrong.verdict == "counterexample", wrong.message


def test_agreement_runs_yosys_on_unpacked_ports(tmp_path) -> None:
    from rtlgen.verify.agreement import check_agreement  # noqa: PLC0415
    rtl = "module m(input clk, input [3:0] a [2], output reg [3:0] y);\n" \
          "  initial y = 0;\n  always @(posedge clk) y <= a[0];\nendmodule\n"
    found = check_agreement(Candidate(rtl, "m"), tmp_path)
    assert found.verdict == "error" and "candidate:2: 'y' has an initial value that no reset sets" in found.message


def test_every_bit_of_an_unpacked_port_reaches_the_proof(tmp_path) -> None:
    """A difference in the last element's top bit is found: the miter drives the whole array, not one bit."""
    high_bit_lost = INDEX_MUX.replace("assign out = data[sel];",
                                      "assign out = (sel == 2'd3) ? {1'b0, data[3][6:0]} : data[sel];")
    found = prove_equivalent(Candidate(INDEX_MUX, "m"), Candidate(high_bit_lost, "m"), clock=None, reset=None,
                             workdir=tmp_path, timeout=120)
    assert found.verdict == "counterexample", found.message
