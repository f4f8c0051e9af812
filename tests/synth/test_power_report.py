"""A gate-level power figure in SynthReport (``power`` holds ``GatePower.to_dict()``, as synthesize() stores it):
its engine and activity source, report_power's groups and the costliest cells and nets, in the JSON and in the
CLI table."""
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
    built = SynthReport(top="top", design_hash="h", flow="yosys", clock_ns=10.0, area_kind="um2",
                        power_w=gate.total.total_w, power=gate.to_dict(), activity={"source": gate.source})
    report = SynthReport.from_dict(built.to_dict())  # survives the JSON round trip
    power = report.power
    assert power["engine"] == "gate" and power["source"] == "gate-sim(rtl.vcd)" and power["cycles"] == 100
    assert power["total_w"] == pytest.approx(gate.total.total_w) and power["total_w"] > 0
    assert power["groups"]["register"]["total_w"] == pytest.approx(power["total_w"])
    assert power["groups"]["clock"]["total_w"] == 0.0
    assert power["top_cells"][0]["instance"] == "r"
    assert [n["net"] for n in power["top_nets"]] == ["qn", "q"]  # qn also drives D: the larger load
    table = report.to_markdown()
    assert "engine gate, activity gate-sim(rtl.vcd)" in table
    assert "| power: register |" in table and "| power: clock | 0.0000e+00 W" in table
