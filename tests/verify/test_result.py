"""Verify results round-trip through JSON, and strengths are typed values with their text form unchanged."""
from __future__ import annotations

import json
import pickle

import pytest

from rtlgen.verify.result import CheckResult, Mismatch, Strength, VerifyResult


def _result() -> VerifyResult:
    mismatch = Mismatch(7, "q", "4'b0011", "4'b0111", window=[{"a": "1", "q": "3", "expected q": "3"}], count=4,
                        outputs={"q": 3, "done": 1})
    return VerifyResult("counter", "0123abcd", seconds=2.5, checks=[
        CheckResult("lint:iverilog", "pass", message="iverilog accepts the candidate", seconds=0.1),
        CheckResult("autotb", "fail", "simulated(200)", "runtime_mismatch", mismatch.describe(), mismatch, "log text",
                    1.25, {"testbench": "/x/tb.py", "vcd": "/x/waves.vcd"}, mismatches=4, compared=200),
        CheckResult("formal", "inconclusive", "bounded(6)", message="induction failed", seconds=0.5),
        CheckResult("official", "pass", Strength.of("simulated", 439)),
    ])


def test_verify_result_round_trips_through_json() -> None:
    original = _result()
    back = VerifyResult.from_dict(json.loads(json.dumps(original.to_dict())))
    assert back == original
    assert isinstance(back.checks[1].mismatch, Mismatch) and back.checks[1].mismatch.outputs == {"q": 3, "done": 1}
    assert isinstance(back.checks[2].strength, Strength) and back.checks[2].strength.n == 6
    assert back.to_dict() == original.to_dict() and VerifyResult.from_json(original.to_json()) == original
    check = original.checks[1]
    assert CheckResult.from_dict(json.loads(json.dumps(check.to_dict()))) == check
    assert Mismatch.from_dict(check.mismatch.to_dict()) == check.mismatch


def test_strength_text_form_and_order() -> None:
    data = _result().to_dict()
    assert [c["strength"] for c in data["checks"]] == [None, "simulated(200)", "bounded(6)", "simulated(439)"]
    assert data["strength"] == "simulated(439)"  # only passed checks count; more vectors beat fewer
    proven, bounded, simulated = Strength("proven"), Strength("bounded(6)"), Strength.parse("simulated(200)")
    assert (proven.kind, proven.n, bounded.kind, bounded.n, simulated.n) == ("proven", None, "bounded", 6, 200)
    assert str(Strength.of("bounded", 6)) == "bounded(6)" and Strength.of("proven") == "proven"
    assert sorted([simulated, proven, bounded], key=lambda s: s.rank) == [simulated, bounded, proven]
    assert pickle.loads(pickle.dumps(bounded)).n == 6 and Strength.parse(None) is None
    for bad in ("bounded", "proven(3)", "simulated(x)", "Proven"):
        with pytest.raises(ValueError, match="not a verdict strength"):
            CheckResult("formal", "proven", bad)


def test_disagreement_between_simulation_and_formal_is_explicit() -> None:
    def result(autotb: CheckResult, formal: CheckResult) -> VerifyResult:
        return VerifyResult("d", "h", checks=[CheckResult("lint:iverilog", "pass"), autotb, formal])

    sim_fail = CheckResult("autotb", "fail", "simulated(200)", "runtime_mismatch", "q differs")
    sim_pass = CheckResult("autotb", "pass", "simulated(200)")
    proven = CheckResult("formal", "proven", "proven")
    cex = CheckResult("formal", "counterexample", "bounded(3)", "runtime_mismatch")
    contradiction = result(sim_fail, proven)
    assert contradiction.overall == "fail" and not contradiction.passed
    assert contradiction.disagreement.startswith("simulation and formal disagree: formal proved equivalence but")
    assert contradiction.to_dict()["disagreement"] == contradiction.disagreement
    assert contradiction.disagreement in str(contradiction).splitlines()[1]
    missed = result(sim_pass, cex)
    assert missed.overall == "fail" and "counterexample its stimulus did not reach" in missed.disagreement
    assert result(sim_pass, proven).disagreement is None and result(sim_fail, cex).disagreement is None
    assert VerifyResult.from_dict(json.loads(contradiction.to_json())) == contradiction


def test_summary_says_how_much_a_partly_dont_care_golden_checked():
    partial = CheckResult("autotb", "pass", "simulated(521)", care=0.26)
    assert partial.summary() == "autotb: pass [simulated(521)] (26% of output bits checked; the rest don't-care)"
    assert CheckResult("autotb", "pass", "simulated(9)", care=1.0).summary() == "autotb: pass [simulated(9)]"
    assert CheckResult.from_dict(partial.to_dict()) == partial
