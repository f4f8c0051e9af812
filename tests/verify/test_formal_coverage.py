"""Formal self-equivalence coverage (issue 7): registers the reset does not set, dual edges, latches in
always_comb on unreachable states, two free clocks. Each capability comes with a planted bug that must
still be a counterexample in that mode."""
from __future__ import annotations

import pytest

from tests.verify.test_formal import check

DUALEDGE = """
module de(input clk, input d, output reg q);
  reg qp, qn;
  always @(posedge clk) qp <= d;
  always @(negedge clk) qn <= d;
  always @(*) q = clk ? qp : qn;
endmodule
"""
DUALEDGE_BUG = DUALEDGE.replace("qn <= d;", "qn <= ~d;").replace("module de(", "module top(")

SHIFT_NORESET_MEM = """
module sm(input clk, input reset, input we, input [1:0] a, input [3:0] d, output [3:0] q, output reg [3:0] o);
  reg [3:0] mem [0:3];
  reg [3:0] cnt;
  always @(posedge clk) begin if (we) mem[a] <= d; o <= mem[a]; end
  always @(posedge clk) if (reset) cnt <= 0; else cnt <= cnt + 4'd1;
  assign q = cnt;
endmodule
"""
SHIFT_NORESET_MEM_BUG = SHIFT_NORESET_MEM.replace("o <= mem[a];", "o <= (a == 2'd3) ? d : mem[a];").replace(
    "module sm(", "module top(")


@pytest.mark.formal
def test_dual_edge_without_reset_is_proven_under_register_correspondence(tmp_path):
    result = check(tmp_path, DUALEDGE, "de", DUALEDGE.replace("module de(", "module top("), "top")
    assert result.verdict == "proven", result.message + result.log[-2000:]
    assert "start equal" in result.message and "qn, qp" in result.message


@pytest.mark.formal
def test_dual_edge_without_reset_bug_is_a_counterexample(tmp_path):
    result = check(tmp_path, DUALEDGE, "de", DUALEDGE_BUG, "top")
    assert result.verdict == "counterexample", result.message + result.log[-2000:]
    assert result.mismatch.signal == "q"


@pytest.mark.formal
def test_memory_the_reset_does_not_clear_is_proven_and_its_bug_caught(tmp_path):
    (tmp_path / "same").mkdir(), (tmp_path / "bug").mkdir()
    same = check(tmp_path / "same", SHIFT_NORESET_MEM, "sm", SHIFT_NORESET_MEM.replace("module sm(", "module top("), "top")
    assert same.verdict == "proven", same.message + same.log[-2000:]
    bug = check(tmp_path / "bug", SHIFT_NORESET_MEM, "sm", SHIFT_NORESET_MEM_BUG, "top")
    assert bug.verdict == "counterexample", bug.message + bug.log[-2000:]
    assert bug.mismatch.signal == "o"

COMB_FSM = """
module cf(input clk, input reset, input data, output start);
  parameter S=0, S1=1, S11=2, S110=3, Done=4;
  reg [2:0] state, next;
  always_comb begin
    case (state)  // codes 5..7 are left out: a latch, but only on unreachable states
      S: next = data ? S1 : S;
      S1: next = data ? S11 : S;
      S11: next = data ? S11 : S110;
      S110: next = data ? Done : S;
      Done: next = Done;
    endcase
  end
  always @(posedge clk) if (reset) state <= S; else state <= next;
  assign start = state == Done;
endmodule
"""
# S110 left out too: the latch now holds `next` in a reachable state (S110 -> S110 forever)
COMB_FSM_BUG = COMB_FSM.replace("      S110: next = data ? Done : S;\n", "").replace("module cf(", "module top(")


@pytest.mark.formal
def test_always_comb_latch_on_unreachable_states_is_proven(tmp_path):
    result = check(tmp_path, COMB_FSM, "cf", COMB_FSM.replace("module cf(", "module top("), "top")
    assert result.verdict == "proven", result.message + result.log[-2000:]
    assert "always_comb" in result.message


@pytest.mark.formal
def test_always_comb_latch_on_a_reachable_state_is_a_counterexample(tmp_path):
    result = check(tmp_path, COMB_FSM, "cf", COMB_FSM_BUG, "top")
    assert result.verdict == "counterexample", result.message + result.log[-2000:]
    assert result.mismatch.signal == "start"

SYNC = """
module sy(input clk_a, input clk_b, input arstn, input brstn, input [3:0] data_in, input data_en,
          output reg [3:0] dataout);
  reg [3:0] data_reg;
  reg en_data_reg, en_clap_one, en_clap_two;
  always @(posedge clk_a or negedge arstn) if (!arstn) data_reg <= 0; else data_reg <= data_in;
  always @(posedge clk_a or negedge arstn) if (!arstn) en_data_reg <= 0; else en_data_reg <= data_en;
  always @(posedge clk_b or negedge brstn) if (!brstn) en_clap_one <= 0; else en_clap_one <= en_data_reg;
  always @(posedge clk_b or negedge brstn) if (!brstn) en_clap_two <= 0; else en_clap_two <= en_clap_one;
  always @(posedge clk_b or negedge brstn) if (!brstn) dataout <= 0; else dataout <= en_clap_two ? data_reg : dataout;
endmodule
"""
# one synchronizer stage fewer: equal only if the clocks were related; with free clocks a counterexample
SYNC_BUG = SYNC.replace("dataout <= en_clap_two ? data_reg", "dataout <= en_clap_one ? data_reg").replace(
    "module sy(", "module top(")


@pytest.mark.formal
def test_two_clock_design_is_proven_with_the_clocks_left_free(tmp_path):
    result = check(tmp_path, SYNC, "sy", SYNC.replace("module sy(", "module top("), "top")
    assert result.verdict == "proven", result.message + result.log[-2000:]


@pytest.mark.formal
def test_two_clock_bug_is_a_counterexample_with_free_clocks(tmp_path):
    result = check(tmp_path, SYNC, "sy", SYNC_BUG, "top")
    assert result.verdict == "counterexample", result.message + result.log[-2000:]
    assert result.mismatch.signal == "dataout"
    assert "clk_b" in result.mismatch.window[-1]  # the clocks are inputs of the trace

# RTLLM synchronizer's defect: a block sensitive to `negedge arstn` whose reset branch tests brstn
UNSYNTHESIZABLE = """
module us(input clk, input arstn, input brstn, input d, output reg q);
  always @(posedge clk or negedge arstn) if (!brstn) q <= 0; else q <= d;
endmodule
"""
FINE = """
module top(input clk, input arstn, input brstn, input d, output reg q);
  always @(posedge clk or negedge arstn) if (!arstn) q <= 0; else q <= brstn ? d : 1'b0;
endmodule
"""


@pytest.mark.formal
def test_unsynthesizable_reference_is_inconclusive_and_an_unsynthesizable_candidate_an_error(tmp_path):
    (tmp_path / "ref").mkdir(), (tmp_path / "cand").mkdir()
    ref = check(tmp_path / "ref", UNSYNTHESIZABLE, "us", FINE, "top")
    assert ref.verdict == "inconclusive" and "reference is not synthesizable" in ref.message, ref.message
    cand = check(tmp_path / "cand", FINE.replace("module top(", "module fine("), "fine",
                 UNSYNTHESIZABLE.replace("module us(", "module top("), "top")
    assert (cand.verdict, cand.failure_class) == ("error", "compile_error"), cand.message


D_LATCH = """
module dl(input en, input [3:0] d, output reg [3:0] q);
  always @* if (en) q = d;
endmodule
"""


@pytest.mark.formal
def test_a_d_latch_without_a_clock_is_proven_and_its_bug_caught(tmp_path):
    """No clock input: every input is free in every time step and clk2fflogic models the latch as it simulates."""
    (tmp_path / "same").mkdir(), (tmp_path / "bug").mkdir()
    latch_as_always_latch = D_LATCH.replace("module dl(", "module top(").replace("always @*", "always_latch")
    same = check(tmp_path / "same", D_LATCH, "dl", latch_as_always_latch, "top")
    assert same.verdict == "proven", same.message + same.log[-2000:]
    transparent = D_LATCH.replace("module dl(", "module top(").replace("if (en) q = d;", "q = d;")
    bug = check(tmp_path / "bug", D_LATCH, "dl", transparent, "top")
    assert bug.verdict == "counterexample", bug.message + bug.log[-2000:]
    rows = bug.message.splitlines()[-1].split()
    assert bug.mismatch.signal == "q" and rows[1] == "0", bug.message  # the latch holds while en is low


STORES_X = """module xs(input clk, input en, input [3:0] d, output [3:0] q);
  reg [3:0] r;
  always @(posedge clk) r <= en ? d : 4'bx;
  assign q = r;
endmodule
"""


@pytest.mark.formal
def test_a_register_loaded_with_x_is_inconclusive_naming_it(tmp_path):
    """picorv32's shape ('bx stored in registers): no proof, and the verdict names the register whose next state is
    x, where it used to say only that some output or next state differs."""
    result = check(tmp_path, STORES_X, "xs", STORES_X.replace("module xs(", "module top("), "top", timeout=30)
    assert result.verdict == "inconclusive", result.message
    assert "[register correspondence: some output or next state differs" in result.message
    assert "(1 differ or are x: next state of q)" in result.message
