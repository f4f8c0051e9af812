"""PairRecord: the per-design record of benchmarks/optimize_suite.py (ratios, JSON round trip)."""
from __future__ import annotations

import json

import pytest

from rtlgen.optimize.pairs import PairRecord


def test_ratios_are_after_over_before_and_none_when_a_figure_is_missing():
    record = PairRecord("d", "rtl-opt", input_area=200.0, rtl_area=180.0, final_area=150.0, expert_area=170.0,
                        input_delay=1.0, final_delay=1.04, power_before=2e-5, power_after=1.5e-5,
                        equivalence="proven", rules=("share-add-sub",),
                        refused=("recipe-abc_deepsyn (flow): inconclusive: formal engines ran out of time",))
    assert record.ratio("rtl") == pytest.approx(0.9) and record.ratio("final") == pytest.approx(0.75)
    assert record.ratio("expert") == pytest.approx(0.85) and record.ratio("power") == pytest.approx(0.75)
    assert record.ratio("delay") == pytest.approx(1.04)
    assert PairRecord("d", input_area=200.0).ratio("final") is None
    assert PairRecord("d", final_delay=1.0).ratio("delay") is None
    assert PairRecord.from_dict(json.loads(json.dumps(record.to_dict()))) == record


@pytest.mark.bench
def test_rtl_opt_loads_all_twenty_pairs_with_unpacked_ports_at_full_width():
    from rtlgen.spec.suites import load

    problems = {p.label: p for p in load("rtl-opt").problems}
    assert len(problems) == 20
    assert {p.name: p.width for p in problems["mux_encode"].spec.ports} == {"sel": 3, "data": 64, "out": 8}


@pytest.mark.synth
def test_the_experts_design_has_no_stimulus_so_a_gate_engine_target_prices_it_vectorless(
        nangate45, monkeypatch: pytest.MonkeyPatch):
    """``bench --optimize --power-engine gate``: the input's power comes from its simulation, the expert's from
    OpenSTA vectorless (the gate engine would refuse a synthesis without a stimulus)."""
    from rtlgen.optimize import pairs
    from rtlgen.optimize.result import OptResult
    from rtlgen.spec.model import Candidate, Spec
    from rtlgen.spec.suites import Problem
    from rtlgen.synth.target import Target

    inverter = Candidate("module m(input a, output y);\n  assign y = !a;\nendmodule\n", "m")
    done = OptResult(top="m", liberty=None, clock_ns=10.0, goal="area", area_before_um2=1.0, area_after_um2=1.0,
                     delay_before_ns=None, delay_after_ns=None, power_before_w=None, power_after_w=None,
                     equivalence="proven")
    monkeypatch.setattr(pairs, "optimize", lambda *args, **kwargs: done)
    problem = Problem(Spec(top="m", name="m"), inverter, inverter, judged="expert")
    record = pairs.optimize_pair(problem, Target(liberty=nangate45, power_engine="gate"))
    assert not record.error and record.expert_area == pytest.approx(0.532) and record.expert_power > 0
