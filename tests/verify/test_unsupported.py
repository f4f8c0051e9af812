"""Icarus's "sorry: ... not yet supported" is a simulator limitation, not a candidate bug.

The FSM below uses enum casts (``state_t'(d ? B : A)``, the form VerilogEval's Prob156 reference
uses): Icarus 11 answers "sorry: This cast operation is not yet supported.", Verilator accepts it.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from rtlgen.spec.model import Candidate
from rtlgen.verify.api import verify
from rtlgen.verify.classify import unsupported_lines
from rtlgen.verify.lint import excuse_simulator_limits, lint
from rtlgen.verify.result import FAILURE_CLASSES, CheckResult, VerifyResult

FSM = """module TopModule(input clk, input reset, input d, output logic [1:0] q);
  typedef enum logic [1:0] {A, B, C} state_t;
  state_t state, next;
  always_comb
    case (state)
      A: next = state_t'(d ? B : A);
      B: next = state_t'(d ? C : A);
      default: next = state_t'(d ? C : B);
    endcase
  always_ff @(posedge clk)
    if (reset) state <= A;
    else state <= next;
  assign q = state;
endmodule
"""
# A golden model of FSM: A -d-> B -d-> C -d-> C, !d: C -> B, else -> A.
MODEL = """class Model:
    def reset(self):
        self.s = 0
    def step(self, i):
        out = {"q": self.s}
        nxt = {0: (1, 0), 1: (2, 0), 2: (2, 1)}[self.s][0 if i["d"] else 1]
        self.s = 0 if i["reset"] else nxt
        return out
"""
SORRY_LOG = ("c.sv:6: sorry: This cast operation is not yet supported.\n"
             "c.sv:7: sorry: This cast operation is not yet supported.\n3 error(s) during elaboration.\n")


def test_unsupported_lines_only_when_nothing_else_is_wrong() -> None:
    assert unsupported_lines(SORRY_LOG) == ["c.sv:6: sorry: This cast operation is not yet supported.",
                                            "c.sv:7: sorry: This cast operation is not yet supported."]
    assert unsupported_lines("t.sv:4: sorry: This cast operation is not yet supported.\nElaboration failed\n")
    assert unsupported_lines(SORRY_LOG + "c.sv:9: error: Unknown module type: foo\n") == []
    assert unsupported_lines("c.sv:3: syntax error\nI give up.\n" + SORRY_LOG) == []
    assert unsupported_lines("c.sv:2: error: b is not a valid l-value.\n1 error(s) during elaboration.\n") == []
    assert "simulator_unsupported" in FAILURE_CLASSES


def test_excused_only_when_verilator_passes() -> None:
    icarus = CheckResult("lint:iverilog", "fail", failure_class="compile_error", log=SORRY_LOG)
    failed = CheckResult("lint:verilator", "fail", failure_class="compile_error")
    assert excuse_simulator_limits([icarus, failed]) == [icarus, failed]
    assert excuse_simulator_limits([icarus]) == [icarus]  # nobody vouches for the RTL: the failure stands
    passed = CheckResult("lint:verilator", "pass")
    excused, _ = excuse_simulator_limits([icarus, passed])
    assert (excused.verdict, excused.failure_class) == ("error", "simulator_unsupported")
    assert "c.sv:6: sorry: This cast operation is not yet supported." in excused.message


def test_overall_ignores_the_excused_linter_only() -> None:
    unsupported = CheckResult("lint:iverilog", "error", failure_class="simulator_unsupported")
    autotb = CheckResult("autotb", "pass", strength="simulated(100)")
    ok = VerifyResult("s", "h", [unsupported, CheckResult("lint:verilator", "pass"), autotb])
    assert ok.overall == "pass" and ok.passed
    # Verilator did not pass: the unsupported error is not excused and the result is not a pass
    alone = VerifyResult("s", "h", [unsupported, CheckResult("lint:verilator", "error", failure_class="tool_error"), autotb])
    assert alone.overall == "error" and not alone.passed
    wrong = VerifyResult("s", "h", [unsupported, CheckResult("lint:verilator", "pass"),
                                    CheckResult("autotb", "fail", failure_class="runtime_mismatch")])
    assert wrong.overall == "fail" and not wrong.passed


@pytest.mark.sim
def test_lint_marks_icarus_sorry_as_simulator_unsupported(tmp_path: Path, tiny_spec) -> None:
    spec = tiny_spec(FSM)
    result = {c.check: c for c in lint(Candidate(FSM, "TopModule"), spec, tmp_path / "both")}
    icarus = result["lint:iverilog"]
    assert result["lint:verilator"].verdict == "pass"
    assert (icarus.verdict, icarus.failure_class) == ("error", "simulator_unsupported")
    assert "candidate.sv:6: sorry: This cast operation is not yet supported." in icarus.message
    # Icarus on its own: no other tool accepts the RTL, so it stays a compile error of the candidate
    alone = lint(Candidate(FSM, "TopModule"), spec, tmp_path / "alone", tools=("iverilog",))[1]
    assert (alone.verdict, alone.failure_class) == ("fail", "compile_error")


@pytest.mark.sim
def test_verify_runs_autotb_under_verilator(tmp_path: Path, tiny_spec) -> None:
    model = tmp_path / "fsm_model.py"
    model.write_text(MODEL)
    spec = tiny_spec(FSM, model=str(model))
    result = verify(Candidate(FSM, "TopModule"), spec, checks=("lint", "autotb"), workdir=tmp_path / "runs")
    autotb = result.get("autotb")
    assert autotb.verdict == "pass", autotb.message
    assert autotb.message.startswith("run under verilator: icarus does not support")
    assert "sorry: This cast operation is not yet supported." in autotb.message.splitlines()[0]
    assert result.get("lint:iverilog").failure_class == "simulator_unsupported"
    assert result.overall == "pass" and result.passed
    # the Verilator run really compares: a wrong transition is caught
    buggy = FSM.replace("B: next = state_t'(d ? C : A);", "B: next = state_t'(d ? A : C);")
    bad = verify(Candidate(buggy, "TopModule"), spec, checks=("lint", "autotb"), workdir=tmp_path / "runs")
    assert bad.get("autotb").verdict == "fail" and bad.get("autotb").failure_class in ("runtime_mismatch", "reset_issue")
    assert bad.get("autotb").message.startswith("run under verilator")
    assert bad.overall == "fail" and not bad.passed


@pytest.mark.sim
def test_real_syntax_error_still_fails(tmp_path: Path, tiny_spec) -> None:
    spec = tiny_spec(FSM)
    broken = FSM.replace("else state <= next;", "else state <= next")
    result = verify(Candidate(broken, "TopModule"), spec, checks=("lint", "autotb"), workdir=tmp_path)
    for name in ("lint:iverilog", "lint:verilator"):
        assert (result.get(name).verdict, result.get(name).failure_class) == ("fail", "syntax_error")
    assert result.get("autotb").verdict == "absent" and "lint failed" in result.get("autotb").message
    assert result.overall == "fail"


@pytest.mark.sim
@pytest.mark.bench
def test_prob156_reference_passes_via_verilator(benchmarks: Path, tmp_path: Path) -> None:
    from rtlgen.spec.suites import reference_candidate, verilog_eval

    spec = next(s for s in verilog_eval(benchmarks / "verilog-eval" / "spec-to-rtl") if s.name == "Prob156_review2015_fancytimer")
    result = verify(reference_candidate(spec), spec, checks=("lint", "autotb"), workdir=tmp_path)
    assert result.get("lint:iverilog").failure_class == "simulator_unsupported"
    assert result.get("autotb").verdict == "pass", result.get("autotb").message
    assert "run under verilator" in result.get("autotb").message
    assert result.overall == "pass"
