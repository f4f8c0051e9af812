"""A gate-level power figure in SynthReport: labelled with its engine and activity source, with report_power's
groups and the costliest cells and nets, in the JSON and in the CLI table."""
from __future__ import annotations

import pytest

from rtlgen.synth.liberty import load_liberty
from rtlgen.synth.power import BitActivity, GateActivity
from rtlgen.synth.power.energy import price
from rtlgen.synth.power.library import read_power_library
from rtlgen.synth.report import SynthReport

pytestmark = [pytest.mark.bench]

NETLIST = {"modules": {"top": {
    "ports": {"clk": {"direction": "input", "bits": [2]}, "q": {"direction": "output", "bits": [3]}},
    "cells": {"r": {"type": "DFF_X1", "connections": {"CK": [2], "D": [4], "Q": [3], "QN": [4]}}},
    "netnames": {"clk": {"bits": [2], "hide_name": 0}, "q": {"bits": [3], "hide_name": 0},
                 "qn": {"bits": [4], "hide_name": 0}}}}}


def test_the_report_carries_the_gate_engine_its_source_groups_and_top_cells(nangate45: str) -> None:
    activity = GateActivity("net.json", "top", 1000.0, 100, "gate-sim(rtl.vcd)",
                            {2: BitActivity(200, 500.0), 3: BitActivity(100, 500.0), 4: BitActivity(100, 500.0)})
    gate = price(activity, read_power_library(load_liberty(nangate45)), NETLIST)
    base = SynthReport(top="top", design_hash="h", flow="yosys", clock_ns=10.0, area_kind="um2")
    report = SynthReport.from_dict(base.with_gate_power(gate).to_dict())  # survives the JSON round trip
    assert report.power_engine == "gate" and report.activity["source"] == "gate-sim(rtl.vcd)"
    assert report.power_w == pytest.approx(gate.total.total_w) and report.power_w > 0
    assert report.power_groups["register"]["total_w"] == pytest.approx(report.power_w)
    assert report.power_groups["clock"]["total_w"] == 0.0
    assert report.power_top["cells"][0]["instance"] == "r"
    assert [n["net"] for n in report.power_top["nets"]] == ["qn", "q"]  # qn also drives D: the larger load
    table = report.to_markdown()
    assert "engine gate, activity gate-sim(rtl.vcd)" in table
    assert "| power: register |" in table and "| power: clock | 0.0000e+00 W" in table
