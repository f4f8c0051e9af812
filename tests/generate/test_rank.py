"""Ranking, feedback and golden-model cross-check logic on hand-made VerifyResults (no tools)."""
from __future__ import annotations

from rtlgen.generate.golden import cross_check
from rtlgen.generate.rank import feedback_of, rank_of, strip_paths
from rtlgen.verify.result import CheckResult, Mismatch, VerifyResult


def vr(*checks: CheckResult) -> VerifyResult:
    return VerifyResult("t", "h", list(checks))


LINT_OK = CheckResult("lint:iverilog", "pass")


def mismatch_at(cycle: int, actual: str = "6") -> CheckResult:
    m = Mismatch(cycle, "count", "3", actual, [{"cycle": cycle}])
    return CheckResult("autotb", "fail", "simulated(9)", "runtime_mismatch", m.describe(), m)


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


def test_cross_check_flags_a_model_most_candidates_disagree_with():
    same = [vr(LINT_OK, mismatch_at(5, "6")), vr(LINT_OK, mismatch_at(5, "6")), vr(LINT_OK, CheckResult("autotb", "pass"))]
    check = cross_check([*same, None, vr(CheckResult("lint:iverilog", "fail"))])
    assert (check.judged, check.agree, check.disagree, check.largest_group) == (3, 1, 2, 2)
    assert check.suspect and "first mismatch at cycle 5" in check.evidence
    fine = cross_check([vr(LINT_OK, CheckResult("autotb", "pass")), vr(LINT_OK, mismatch_at(5))])
    assert not fine.suspect  # half is not most
    assert not cross_check([vr(LINT_OK, mismatch_at(5))]).suspect  # one judge is not enough
