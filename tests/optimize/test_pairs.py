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
