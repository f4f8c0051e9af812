"""Two-valued temporal induction past its first steps: ABC proves the base case for every depth, SAT runs the induction
steps alone, and the verdict is the one the full ``sat -tempinduct`` run gives (rtlgen.verify.formal.pdr.base_case).
With arithmetic on two data operands ABC's proof runs first, and where it merges every register it is the proof."""
from __future__ import annotations

from pathlib import Path

import pytest

from rtlgen.spec.interface import infer_clock, infer_reset, read_ports
from rtlgen.spec.model import Candidate, Spec
from rtlgen.verify.formal import check_equivalence, design, logs
from rtlgen.verify.formal.equiv import ABC_PROOF, QUICK_STEPS

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


def check(tmp_path: Path, candidate: str):
    ref = tmp_path / "ref.v"
    ref.write_text(SHIFT_ADD)
    ports = read_ports(SHIFT_ADD, "mult_ref")
    spec = Spec(top="mult", ports=ports, clock=infer_clock(ports), reset=infer_reset(ports, SHIFT_ADD),
                reference_rtl=str(ref), reference_top="mult_ref", name="mult")
    return check_equivalence(Candidate(candidate.replace("mult_ref", "mult"), "mult"), spec, tmp_path / "run")


@pytest.mark.formal
def test_arithmetic_on_two_data_operands_is_proven_by_abc_first(tmp_path):
    result = check(tmp_path, SHIFT_ADD)
    assert result.verdict == "proven", result.log[-3000:]
    assert result.message == f"proven by miter + {ABC_PROOF}"
    assert not (tmp_path / "run" / "prove.ys").exists()  # no SAT induction ran


@pytest.mark.formal
def test_deep_induction_runs_its_base_case_in_abc(tmp_path, monkeypatch):
    monkeypatch.setattr(design, "WIDE_OPERAND_BITS", 64)  # as a design without wide arithmetic: the SAT induction
    result = check(tmp_path, SHIFT_ADD)
    assert result.verdict == "proven", result.log[-3000:]
    length = int(result.message.split("temporal induction (length ")[1].split(")")[0])
    assert length > QUICK_STEPS, result.message  # past the first run's steps
    assert "==== abc base case" in result.log and "UNSATISFIABLE" in result.log
    assert "-tempinduct-inductonly" in (tmp_path / "run" / "prove.ys").read_text()


@pytest.mark.formal
def test_deep_bug_falls_back_to_the_full_run_and_is_a_counterexample(tmp_path):
    bug = SHIFT_ADD.replace("else if (i == 4'd6) done_r <= 1;", "else if (i == 4'd6) done_r <= !a[0];")
    result = check(tmp_path, bug)
    assert result.verdict == "counterexample", result.log[-3000:]
    assert result.mismatch.signal == "done" and result.mismatch.cycle == 8  # i counts 1..6 in cycles 2..7
    assert "==== abc base case" in result.log  # ABC (first: wide arithmetic) found no proof; the full run did
    assert "-tempinduct-inductonly" not in (tmp_path / "run" / "prove.ys").read_text()


def test_induction_only_log_reads_as_the_full_run_would():
    proven = ("** Trying induction with length 1 **\n** Trying induction with length 7 **\n"
              "Induction step proven: SUCCESS!")
    assert logs.induction_outcome(proven, 20) == logs.SatOutcome("proven", 7)
    bounded = "** Trying induction with length 20 **\nReached maximum number of time steps -> proof failed."
    assert logs.induction_outcome(bounded, 20) == logs.SatOutcome("bounded", 20)
    assert logs.induction_outcome("ERROR: Failed to parse show expression", 20).kind == "unknown"
