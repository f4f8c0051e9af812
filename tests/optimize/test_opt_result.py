"""OptResult is plain data: JSON round-trip, exit codes, rejection reasons."""
from __future__ import annotations

import json

import pytest

from rtlgen.optimize.result import OptResult, Rejected, Step


def _result(**changes) -> OptResult:
    base = OptResult(
        top="m", liberty="lib", clock_ns=10.0, goal="area", area_before_um2=100.0, area_after_um2=80.0,
        delay_before_ns=1.0, delay_after_ns=1.01, power_before_w=1e-5, power_after_w=9e-6, equivalence="proven",
        equivalence_message="proven by miter + SAT", area_rtl_um2=85.0, autotb="pass",
        steps=(Step("share-add", "template", "shared the adder", 85.0, 9e-6, 1.0, "proven", "proven by SAT", 1.5,
                    diff="--- a\n+++ b\n"),),
        rejected=(Rejected("cmp-x", "prompt", "counterexample", "cycle 1: y differs"),),
        providers={"fsm": "ok"}, tried=4, llm_calls=1, seconds=3.0, rtl="module m; endmodule\n")
    return base.with_(**changes)


def test_json_round_trip_keeps_every_field():
    result = _result()
    data = json.loads(result.to_json())
    for key in ("top", "liberty", "clock_ns", "area_before_um2", "area_after_um2", "delay_before_ns",
                "delay_after_ns", "power_before_w", "power_after_w", "equivalence", "steps", "rejected",
                "llm_calls", "seconds"):
        assert key in data
    assert set(data["steps"][0]) >= {"rule", "kind", "area_um2", "power_w", "delay_ns", "equivalence", "seconds"}
    assert set(data["rejected"][0]) >= {"rule", "reason"}
    assert OptResult.from_dict(data) == result


def test_exit_code_and_ratios():
    assert _result().exit_code == 0
    assert _result(area_after_um2=100.0).exit_code == 0           # proven without improvement is success
    assert _result(equivalence="inconclusive").exit_code == 1
    assert _result(autotb="fail").exit_code == 1                  # simulation contradicting the proof
    assert _result().ratio("area") == pytest.approx(0.8)
    assert _result(area_before_um2=None).ratio("area") is None
    assert _result().count("counterexample") == 1


def test_unknown_rejection_reason_is_refused():
    with pytest.raises(ValueError, match="unknown rejection reason"):
        Rejected("r", "template", "maybe")
