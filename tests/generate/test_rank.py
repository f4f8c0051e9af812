"""Ranking, feedback and behavioural grouping on hand-made VerifyResults (no tools)."""
from __future__ import annotations

from rtlgen.generate.rank import behaviour_groups, degenerate, feedback_of, rank_of, rejection, strip_paths
from rtlgen.generate.result import Rank
from rtlgen.verify.result import CheckResult, Mismatch, VerifyResult


def vr(*checks: CheckResult) -> VerifyResult:
    return VerifyResult("t", "h", list(checks))


LINT_OK = CheckResult("lint:iverilog", "pass")


def mismatch_at(cycle: int, actual: str = "6", count: int | None = None) -> CheckResult:
    m = Mismatch(cycle, "count", "3", actual, [{"cycle": cycle}], count=count,
                 outputs={"count": count} if count else {})
    return CheckResult("autotb", "fail", "simulated(9)", "runtime_mismatch", m.describe(), m,
                       mismatches=count, compared=100 if count else None)


def test_rank_order():
    no_code = rank_of(None)
    compile_error = rank_of(vr(CheckResult("lint:iverilog", "fail", failure_class="syntax_error")))
    crash = rank_of(vr(LINT_OK, CheckResult("autotb", "error", failure_class="simulator_error")))
    early = rank_of(vr(LINT_OK, mismatch_at(3)))
    late = rank_of(vr(LINT_OK, mismatch_at(40)))
    ok = rank_of(vr(LINT_OK, CheckResult("autotb", "pass", "simulated(100)")))
    assert no_code < compile_error < crash < early < late < ok
    assert ok.name == "verified" and late.describe() == "mismatch (first at cycle 40)"


def test_feedback_kinds_and_paths_stripped():
    fb = feedback_of(vr(CheckResult("lint:iverilog", "fail", failure_class="syntax_error",
                                    message="syntax error", log="/home/u/.cache/rtlgen/runs/x1/candidate.v:3: syntax error")))
    assert fb.kind == "compile" and fb.failure_class == "syntax_error"
    assert "candidate.v:3: syntax error" in fb.message and "/home" not in strip_paths(fb.message)
    fb = feedback_of(vr(LINT_OK, mismatch_at(7)))
    assert fb.kind == "mismatch" and fb.mismatch.cycle == 7
    assert feedback_of(vr(LINT_OK, CheckResult("autotb", "pass"))) is None


def test_rank_by_mismatch_count_before_first_cycle():
    few_early = rank_of(vr(LINT_OK, mismatch_at(3, count=5)))
    many_late = rank_of(vr(LINT_OK, mismatch_at(90, count=40)))
    same_count_later = rank_of(vr(LINT_OK, mismatch_at(8, count=5)))
    assert many_late < few_early < same_count_later  # fewest mismatching cycles first, then the later first one
    assert few_early.mismatches == 5 and few_early.describe() == "mismatch (5 mismatches, first at cycle 3)"
    timeout = rank_of(vr(LINT_OK, CheckResult("autotb", "fail", "simulated(0)", "timeout", "did not finish")))
    assert timeout.name == "sim_error" and timeout < many_late  # a run that compared nothing ranks below any count
    note = rejection(many_late, few_early)
    assert "raises the mismatching cycles from 5 to 40" in note
    assert rejection(Rank(2), few_early).startswith("rejected: compile_error is worse")


def test_mismatch_feedback_carries_the_count():
    fb = feedback_of(vr(LINT_OK, mismatch_at(7, count=12)))
    assert fb.kind == "mismatch" and fb.mismatch.outputs == {"count": 12}
    assert "12 of the 100 compared cycles mismatched" in fb.message


def test_repair_prompt_names_the_outputs_that_mismatched():
    from rtlgen.generate.prompts import repair_messages
    from rtlgen.spec.model import Candidate
    from tests.conftest import spec_from_rtl

    rtl = "module two(input clk, input rst, output reg [3:0] q, output wrap, output lo);\nendmodule\n"
    spec = spec_from_rtl(rtl, "two")
    m = Mismatch(9, "wrap", "0", "1", [{"cycle": 9, "q": "4'h5"}], count=4, outputs={"wrap": 3, "lo": 2})
    check = CheckResult("autotb", "fail", "simulated(50)", "runtime_mismatch", m.describe(), m, mismatches=4,
                        compared=50)
    text = repair_messages(spec, Candidate(rtl, "two"), feedback_of(vr(LINT_OK, check)))[1]["content"]
    assert "4 of the 50 compared cycles mismatched" in text
    assert "wrong at least once (number of cycles): `wrap` (3), `lo` (2); the other outputs matched" in text
    assert "at cycle 9 output `wrap` was 1" in text  # the first-mismatch report as before


def ran(verdict: str, design_varied: bool | None, golden_varied: bool, trace: str | None = "t0") -> VerifyResult:
    """A judged auto-testbench run: whether the design's and the golden's outputs changed, and the design's trace."""
    return vr(LINT_OK, CheckResult("autotb", verdict, "simulated(100)", design_varied=design_varied,
                                   golden_varied=golden_varied, trace=trace))


def test_a_design_whose_outputs_never_change_ranks_below_every_compiling_design_that_is_not():
    """Even one that passes the golden: it can only match a model stuck like itself."""
    stuck = rank_of(ran("fail", False, True))
    crash = rank_of(vr(LINT_OK, CheckResult("autotb", "error", failure_class="simulator_error")))
    compile_error = rank_of(vr(CheckResult("lint:iverilog", "fail", failure_class="syntax_error")))
    assert compile_error < stuck < crash and stuck.describe() == "degenerate"
    assert "while the golden's do" in degenerate(ran("fail", False, True))
    passes_stuck_model = ran("pass", False, False)
    assert rank_of(passes_stuck_model).name == "verified"  # nothing else varies: a constant may be right
    assert rank_of(passes_stuck_model, others_vary=True) < crash
    assert "while another witness's do" in degenerate(passes_stuck_model, others_vary=True)
    assert degenerate(ran("pass", True, True)) == "" and degenerate(ran("error", None, True)) == ""


def test_behaviour_groups():
    results = [ran("fail", True, False, "a"), ran("pass", False, False, "s"), ran("fail", True, False, "a"),
               None, ran("fail", True, False, "b"), ran("error", None, False, None)]
    assert behaviour_groups(results) == [[0, 2], [4]]  # the stuck design and unjudged runs are in no group
