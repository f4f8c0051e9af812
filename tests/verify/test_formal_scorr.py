"""ABC's ``scorr; iprove`` on the two-valued sequential miter (rtlgen.verify.formal.pdr.scorr_proof): where it proves
the miter, that is the proof of every time step and no SAT induction runs. It runs first with arithmetic on two data
operands, else after the induction's first steps leave the miter undecided."""
from __future__ import annotations

from pathlib import Path

import pytest

from rtlgen.spec.interface import infer_clock, infer_reset, read_ports
from rtlgen.spec.model import Candidate, Spec
from rtlgen.verify.formal import check_equivalence, design
from rtlgen.verify.formal.equiv import ABC_PROOF, ABC_STAGE, QUICK_STEPS

# A shift-and-add multiplier (RTLLM multi_16bit's shape at 6 bits): its counter keeps the induction open for 7 steps
SHIFT_ADD = """
module mult_ref(input clk, input rst_n, input start, input [5:0] a, input [5:0] b, output [11:0] y, output done);
  reg [5:0] areg, breg; reg [11:0] acc; reg [3:0] i; reg done_r;
  always @(posedge clk or negedge rst_n)
    if (!rst_n) i <= 0; else if (start && i < 4'd7) i <= i + 1'b1; else if (!start) i <= 0;
  always @(posedge clk or negedge rst_n)
    if (!rst_n) done_r <= 0; else if (i == 4'd6) done_r <= 1; else if (i == 4'd7) done_r <= 0;
  always @(posedge clk or negedge rst_n)
    if (!rst_n) begin areg <= 0; breg <= 0; acc <= 0; end
    else if (start) begin
      if (i == 0) begin areg <= a; breg <= b; end
      else if (i < 4'd7 && areg[i - 1]) acc <= acc + ({6'd0, breg} << (i - 1));
    end
  assign y = acc;
  assign done = done_r;
endmodule
"""


def check(tmp_path: Path, candidate: str, maxsteps: int = 20):
    ref = tmp_path / "ref.v"
    ref.write_text(SHIFT_ADD)
    ports = read_ports(SHIFT_ADD, "mult_ref")
    spec = Spec(top="mult", ports=ports, clock=infer_clock(ports), reset=infer_reset(ports, SHIFT_ADD),
                reference_rtl=str(ref), reference_top="mult_ref", name="mult")
    return check_equivalence(Candidate(candidate.replace("mult_ref", "mult"), "mult"), spec, tmp_path / "run",
                             maxsteps=maxsteps)


@pytest.mark.formal
def test_arithmetic_on_two_data_operands_is_proven_by_abc_first(tmp_path):
    result = check(tmp_path, SHIFT_ADD)
    assert result.verdict == "proven", result.log[-3000:]
    assert result.message == f"proven by miter + {ABC_PROOF}"
    assert not (tmp_path / "run" / "prove.ys").exists()  # no SAT induction ran


@pytest.mark.formal
@pytest.mark.parametrize("maxsteps", [20, 6])  # 6: SAT's induction, which closes at length 9, ends bounded(6)
def test_deep_induction_is_proven_by_abc_after_the_first_steps(tmp_path, monkeypatch, maxsteps):
    monkeypatch.setattr(design, "WIDE_OPERAND_BITS", 64)  # as a design without wide arithmetic: SAT's steps first
    result = check(tmp_path, SHIFT_ADD, maxsteps)
    assert result.verdict == "proven" and result.strength == "proven", result.log[-3000:]
    assert result.message == f"proven by miter + {ABC_PROOF}"
    assert f"-maxsteps {QUICK_STEPS} " in (tmp_path / "run" / "prove.ys").read_text()  # no induction after ABC's
    assert "==== pdr" not in result.log and "==== equiv" not in result.log


@pytest.mark.formal
def test_deep_bug_abc_does_not_prove_is_a_counterexample_of_the_induction(tmp_path):
    bug = SHIFT_ADD.replace("else if (i == 4'd6) done_r <= 1;", "else if (i == 4'd6) done_r <= !a[0];")
    result = check(tmp_path, bug)
    assert result.verdict == "counterexample", result.log[-3000:]
    assert result.mismatch.signal == "done" and result.mismatch.cycle == 8  # i counts 1..6 in cycles 2..7
    assert f"==== {ABC_STAGE}" in result.log  # ABC (first: wide arithmetic) found no proof; SAT's induction did

