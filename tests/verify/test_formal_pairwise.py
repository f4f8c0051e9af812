"""prove_equivalent: two designs, no Spec (the optimizer's gate), against real Yosys and ABC runs."""
from __future__ import annotations

import pytest

from rtlgen.spec.model import Candidate, Clock, Reset
from rtlgen.verify.formal import prove_equivalent

from tests.verify.test_formal import FSM_BINARY, FSM_ONEHOT

DUPLICATED = """
module dup(input clk, input rst, input [3:0] d, output [3:0] a, output [3:0] b);
  reg [3:0] r1, r2;
  always @(posedge clk) if (rst) begin r1 <= 0; r2 <= 0; end else begin r1 <= d; r2 <= d; end
  assign a = r1;
  assign b = r2 + 4'd1;
endmodule
"""
MERGED = """
module dup(input clk, input rst, input [3:0] d, output [3:0] a, output [3:0] b);
  reg [3:0] r;
  always @(posedge clk) if (rst) r <= 0; else r <= d;
  assign a = r;
  assign b = r + 4'd1;
endmodule
"""
MERGED_BUG = MERGED.replace("r + 4'd1", "r + {3'd0, r == 4'd9}")

CLOCK, RESET = Clock("clk"), Reset("rst")


@pytest.mark.formal
def test_reencoded_fsm_is_proven_between_two_designs(tmp_path):
    result = prove_equivalent(Candidate(FSM_BINARY, "fsm_ref"), Candidate(FSM_ONEHOT, "fsm"), clock=CLOCK,
                              reset=Reset("reset"), workdir=tmp_path)
    assert (result.verdict, result.strength) == ("proven", "proven"), result.log[-3000:]


@pytest.mark.formal
def test_merged_registers_are_proven_and_a_planted_bug_is_caught(tmp_path):
    gold = Candidate(DUPLICATED, "dup")
    proven = prove_equivalent(gold, Candidate(MERGED, "dup"), clock=CLOCK, reset=RESET, workdir=tmp_path / "ok")
    assert proven.verdict == "proven", proven.log[-3000:]
    bug = prove_equivalent(gold, Candidate(MERGED_BUG, "dup"), clock=CLOCK, reset=RESET, workdir=tmp_path / "bug")
    assert bug.verdict == "counterexample", bug.log[-3000:]
    assert bug.mismatch.signal == "b"


def test_gold_without_its_top_module_is_a_port_binding_error(tmp_path):
    result = prove_equivalent(Candidate(MERGED, "nope"), Candidate(MERGED, "dup"), clock=CLOCK, reset=RESET,
                              workdir=tmp_path)
    assert (result.verdict, result.failure_class) == ("error", "port_binding")


ADD_MUL = "module m(input [5:0] a, input [5:0] b, output [11:0] y);\n  assign y = a * b + a;\nendmodule\n"
ADD_MUL_FACTORED = "module m(input [5:0] a, input [5:0] b, output [11:0] y);\n  assign y = a * (b + 6'd1);\nendmodule\n"


@pytest.mark.formal
def test_abc_cec_proves_what_the_sat_call_leaves_open_and_never_a_difference(tmp_path, monkeypatch):
    """With the SAT miter and equiv_simple made undecided, the combinational stage left is ABC &cec."""
    from rtlgen.verify.formal import equiv, logs

    monkeypatch.setattr(equiv._Miter, "sat", lambda self, **kw: logs.SatOutcome("timeout", 0))
    monkeypatch.setattr(equiv, "_stage_equiv", lambda *args, **kw: None)
    gold = Candidate(ADD_MUL, "m")
    proven = prove_equivalent(gold, Candidate(ADD_MUL_FACTORED, "m"), clock=None, reset=None,
                              workdir=tmp_path / "same")
    assert (proven.verdict, proven.strength) == ("proven", "proven") and "&cec" in proven.message
    # b + 1 overflows at b = 63 in 6 bits: a real difference, which &cec must not call equal
    wrong = prove_equivalent(gold, Candidate(ADD_MUL_FACTORED.replace("(b + 6'd1)", "(b + 1'b1)").replace(
        "a * ", "a[4:0] * "), "m"), clock=None, reset=None, workdir=tmp_path / "wrong")
    assert wrong.verdict == "inconclusive" and "&cec" in wrong.message
