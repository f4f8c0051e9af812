"""The equivalence gate: proven rewrites pass; wrong ones, reset changes and unsafe RTL are refused."""
from __future__ import annotations

from pathlib import Path

import pytest

from rtlgen.optimize.gate import Gate
from rtlgen.spec.model import Candidate, Clock, Reset

pytestmark = pytest.mark.formal

ACC = """module acc(input clk, input rst, input [3:0] x, output reg [3:0] q);
always @(posedge clk) if (rst) q <= 4'd0; else q <= q + x;
endmodule
"""

# A 3-state machine, binary encoded, and the same machine one-hot: no register maps one to one.
FSM_BINARY = """module f(input clk, input rst, input go, output busy);
reg [1:0] s;
always @(posedge clk)
  if (rst) s <= 2'd0;
  else case (s)
    2'd0: s <= go ? 2'd1 : 2'd0;
    2'd1: s <= 2'd2;
    default: s <= 2'd0;
  endcase
assign busy = (s != 2'd0);
endmodule
"""
FSM_ONEHOT = """module f(input clk, input rst, input go, output busy);
reg [2:0] h;
always @(posedge clk)
  if (rst) h <= 3'b001;
  else h <= {h[1], h[0] & go, (h[0] & ~go) | h[2]};
assign busy = ~h[0];
endmodule
"""


def _gate(tmp_path: Path, rtl: str, top: str) -> Gate:
    return Gate(Candidate(rtl, top), clock=Clock("clk"), reset=Reset("rst"), workdir=tmp_path, timeout=60)


def test_proven_rewrite_is_accepted_with_a_log(tmp_path: Path):
    gate = _gate(tmp_path, ACC, "acc")
    verdict = gate.check(gate.original, Candidate(ACC.replace("q + x", "x + q"), "acc"), "commute")
    assert verdict.status == "proven", verdict.message
    assert Path(verdict.log).is_file() and Path(verdict.log).parent == tmp_path / "proofs"


def test_wrong_rewrite_is_rejected_with_a_counterexample(tmp_path: Path):
    gate = _gate(tmp_path, ACC, "acc")
    verdict = gate.check(gate.original, Candidate(ACC.replace("q + x", "q - x"), "acc"), "wrong")
    assert verdict.status == "counterexample" and verdict.reason == "counterexample"
    assert "q" in verdict.message


def test_reset_behaviour_change_is_rejected(tmp_path: Path):
    gate = _gate(tmp_path, ACC, "acc")
    verdict = gate.check(gate.original, Candidate(ACC.replace("q <= 4'd0", "q <= 4'd1"), "acc"), "reset")
    assert verdict.status == "counterexample", verdict.message


def test_re_encoded_fsm_is_proven_end_to_end(tmp_path: Path):
    gate = _gate(tmp_path, FSM_BINARY, "f")
    assert gate.end_to_end(Candidate(FSM_ONEHOT, "f")).status == "proven"
    wrong = FSM_ONEHOT.replace("(h[0] & ~go) | h[2]", "(h[0] & ~go)")  # the last state never returns
    assert gate.end_to_end(Candidate(wrong, "f")).status == "counterexample"


def test_unsafe_rtl_is_refused_before_any_tool(tmp_path: Path):
    gate = _gate(tmp_path, ACC, "acc")
    unsafe = ACC.replace("endmodule", "initial $system(\"rm -rf /\");\nendmodule")
    verdict = gate.check(gate.original, Candidate(unsafe, "acc"), "unsafe")
    assert verdict.status == "unsafe" and not list((tmp_path / "proofs").iterdir())


def test_rtl_whose_simulation_and_synthesis_differ_is_refused(tmp_path: Path):
    gate = _gate(tmp_path, ACC, "acc")
    latch = """module acc(input clk, input rst, input [3:0] x, output reg [3:0] q);
always_comb if (x[0]) q = x;
endmodule
"""  # a latch in always_comb: synthesis refuses it, simulation holds the old value
    verdict = gate.check(gate.original, Candidate(latch, "acc"), "latch")
    assert verdict.status == "unsafe" and "latch" in verdict.message


def test_unpacked_array_ports_are_simulated_and_proven(tmp_path: Path):
    mux = ("module mux (input wire [1:0] sel, input wire [3:0] data [0:3], output reg [3:0] out);\n"
           "  always @(*) out = data[sel];\nendmodule\n")
    gate = Gate(Candidate(mux, "mux"), clock=None, reset=None, workdir=tmp_path, timeout=60)
    assert gate.simulate(gate.original).verdict == "pass"
    wrong = gate.simulate(Candidate(mux.replace("data[sel]", "data[~sel]"), "mux"))
    assert wrong.verdict == "fail" and wrong.mismatch is not None
    verdict = gate.check(gate.original, Candidate(mux.replace("data[sel]", "data[sel] | 4'd0"), "mux"), "or0")
    assert verdict.status == "proven", verdict.message


# FPGA style: a register initialised where it is declared and set by no reset (no reset port at all).
HOLD = """module hold(input clk, input en, input [3:0] d, output [3:0] q);
reg [3:0] r = 4'd5;
always @(posedge clk) if (en) r <= d;
assign q = r;
endmodule
"""


def _hold_gate(tmp_path: Path) -> Gate:
    return Gate(Candidate(HOLD, "hold"), clock=Clock("clk"), reset=None, workdir=tmp_path, timeout=60)


def test_a_register_only_its_initial_value_sets_starts_free_and_is_proven(tmp_path: Path):
    gate = _hold_gate(tmp_path)
    assert gate.admit(gate.original) is None
    assert "1 registers have an initial value that no reset sets (r)" in gate.notes["agreement"]
    rewrite = HOLD.replace("if (en) r <= d;", "r <= en ? d : r;")
    verdict = gate.check(gate.original, Candidate(rewrite, "hold"), "mux-enable")
    assert verdict.status == "proven", verdict.message
    assert "1 registers have an initial value that no reset sets (q): the proofs drop it" in verdict.message


def test_a_bug_beside_a_register_only_its_initial_value_sets_is_a_counterexample(tmp_path: Path):
    gate = _hold_gate(tmp_path)
    wrong = HOLD.replace("if (en) r <= d;", "if (en) r <= {d[3:1], ~d[0]};")
    verdict = gate.check(gate.original, Candidate(wrong, "hold"), "wrong")
    assert verdict.status == "counterexample", verdict.message
    assert "q" in verdict.message and "start them free" in verdict.message


def test_two_drivers_are_refused_and_an_initial_value_is_only_noted(tmp_path: Path):
    gate = _hold_gate(tmp_path)
    two = HOLD.replace("assign q = r;", """reg [3:0] s;
always @(posedge clk) if (en) s <= d;
always @(posedge clk) if (!en) s <= 4'd0;
assign q = r ^ s;""")
    verdict = gate.check(gate.original, Candidate(two, "hold"), "two-drivers")
    assert verdict.status == "unsafe" and "always blocks" in verdict.message, verdict.message
    assert "the proofs drop it and start them free" in verdict.message
