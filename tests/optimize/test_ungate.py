"""Clock gating in the portfolio: a gated netlist is proven by undoing each gating cell into flip-flop enables."""
from __future__ import annotations

from pathlib import Path

import pytest

from rtlgen.optimize import portfolio
from rtlgen.optimize.ungate import UngateError, ungate
from rtlgen.spec.model import Candidate, Clock, Reset
from rtlgen.synth.liberty import FlopPins, resolve_liberty

# Two 8-bit registers loaded on their own enables (one with an asynchronous reset, one without): the shape
# clock gating is for. (Yosys does not gate a register whose synchronous reset must act while it is disabled.)
LOADS = """module m(input clk, input rst, input en_a, input en_b, input [7:0] d, output logic [7:0] a, b);
always_ff @(posedge clk or posedge rst)
  if (rst) a <= 8'd0;
  else if (en_a) a <= d;
always_ff @(posedge clk)
  if (en_b) b <= d ^ a;
endmodule
"""
# The same registers loaded on every cycle: what a clock-gated netlist would prove equal to if the enables
# were dropped when the gating is undone.
NO_ENABLE = LOADS.replace("else if (en_a) a <= d;", "else a <= d;")
assert NO_ENABLE != LOADS


def _gate(tmp_path: Path):
    from rtlgen.optimize.gate import Gate

    return Gate(Candidate(LOADS, "m"), clock=Clock("clk"), reset=Reset("rst"), workdir=tmp_path / "gate", timeout=60)


def test_the_liberty_gives_the_clock_gating_cells_and_flip_flop_pins(nangate45):
    cells = resolve_liberty(nangate45).cells
    gate = cells["CLKGATETST_X1"].clock_gate
    assert (gate.clock, gate.enable, gate.test, gate.output, gate.edge) == ("CK", "E", ("SE",), "GCK", "posedge")
    assert cells["DFFR_X1"].flop == FlopPins("D", ("Q",), "posedge")
    assert cells["SDFF_X1"].flop is None  # next state is a scan multiplexer, not one pin: never ungated


@pytest.mark.synth
@pytest.mark.formal
def test_a_clock_gated_netlist_is_proven_and_its_enables_matter(tmp_path: Path, nangate45):
    from rtlgen.synth.api import synthesize
    from rtlgen.synth.target import Target

    liberty = resolve_liberty(nangate45)
    flow = str(portfolio.Recipe(clock_gating=True).write(tmp_path))
    report = synthesize(Candidate(LOADS, "m"), Target(flow=flow, liberty=liberty), use_cache=False)
    assert sum(n for cell, n in report.cells.items() if cell.startswith("CLKGATE")) == 2
    assert report.clock_ports == ("clk",)  # traced through the gating cells: a real clock for timing and power
    netlist = portfolio.proof_netlist(Candidate(LOADS, "m"), flow, liberty, tmp_path / "netlist")
    assert "2 clock-gating cells as flip-flop enables" in netlist.origin
    gate = _gate(tmp_path)
    assert gate.check(Candidate(LOADS, "m"), netlist, "gated").status == "proven"
    # the ungated enables are real: the same netlist is not equal to registers that load every cycle
    assert gate.check(Candidate(NO_ENABLE, "m"), netlist, "no-enable").status == "counterexample"


def _gated_json(users: dict[str, dict]) -> dict:
    cells = {"icg": {"type": "CLKGATE_X1", "connections": {"CK": [2], "E": [3], "GCK": [4]},
                     "port_directions": {"CK": "input", "E": "input", "GCK": "output"}}, **users}
    ports = {"clk": {"direction": "input", "bits": [2]}, "en": {"direction": "input", "bits": [3]},
             "d": {"direction": "input", "bits": [5]}, "y": {"direction": "output", "bits": [6]}}
    return {"modules": {"m": {"ports": ports, "cells": cells}}}


def test_ungate_puts_the_flip_flop_back_on_the_clock_with_an_enable(nangate45):
    flop = {"type": "DFF_X1", "connections": {"CK": [4], "D": [5], "Q": [6], "QN": []}}
    netlist = _gated_json({"ff": flop})
    assert ungate(netlist, "m", resolve_liberty(nangate45)) == 1
    cells = netlist["modules"]["m"]["cells"]
    assert "icg" not in cells and cells["ff"]["connections"]["CK"] == [2]
    mux = cells["$ungate$ff"]
    assert mux["type"] == "$_MUX_" and mux["connections"]["S"] == [3]
    assert mux["connections"]["A"] == [6] and mux["connections"]["B"] == [5]  # hold Q unless enabled, then D
    assert cells["ff"]["connections"]["D"] == mux["connections"]["Y"]


@pytest.mark.parametrize("user, why", [
    ({"type": "AND2_X1", "connections": {"A1": [4], "A2": [5], "ZN": [6]}}, "not the clock pin"),
    ({"type": "DFF_X1", "connections": {"CK": [2], "D": [4], "Q": [6], "QN": []}}, "not the clock pin"),
    ({"type": "SDFF_X1", "connections": {"CK": [4], "D": [5], "SE": [3], "SI": [5], "Q": [6], "QN": []}},
     "not the clock pin"),
    # a falling-edge flip-flop behind a rising-edge gate would see the enable of half a cycle before
    ({"type": "$_DFF_N_", "connections": {"C": [4], "D": [5], "Q": [6]}}, "not the clock pin of a posedge"),
])
def test_ungate_refuses_a_gated_clock_that_reaches_anything_else(nangate45, user: dict, why: str):
    with pytest.raises(UngateError, match=why):
        ungate(_gated_json({"user": user}), "m", resolve_liberty(nangate45))


def test_ungate_accepts_yosys_flip_flops_and_refuses_a_live_test_enable(nangate45):
    liberty = resolve_liberty(nangate45)
    assert ungate(_gated_json({"ff": {"type": "$_DFF_PN0_", "connections": {"C": [4], "D": [5], "Q": [6], "R": [3]}}}),
                  "m", liberty) == 1
    netlist = _gated_json({"ff": {"type": "DFF_X1", "connections": {"CK": [4], "D": [5], "Q": [6], "QN": []}}})
    netlist["modules"]["m"]["cells"]["icg"] |= {"type": "CLKGATETST_X1"}
    netlist["modules"]["m"]["cells"]["icg"]["connections"]["SE"] = [5]
    with pytest.raises(UngateError, match="test-enable pin not tied to 0"):
        ungate(netlist, "m", liberty)


def test_ungate_refuses_an_enable_computed_from_the_clock(nangate45):
    flop = {"type": "DFF_X1", "connections": {"CK": [4], "D": [5], "Q": [6], "QN": []}}
    netlist = _gated_json({"ff": flop, "and": {"type": "AND2_X1", "connections": {"A1": [2], "A2": [5], "ZN": [3]},
                                               "port_directions": {"A1": "input", "A2": "input", "ZN": "output"}}})
    with pytest.raises(UngateError, match="depends on its clock"):
        ungate(netlist, "m", resolve_liberty(nangate45))


def test_ungate_refuses_a_gated_clock_that_clocks_another_gating_cell(nangate45):
    """Whichever gating cell is undone first: the second one's flip-flop would otherwise end on a dead net."""
    for inner_first in (True, False):
        netlist = _gated_json({})
        cells = netlist["modules"]["m"]["cells"]
        outer = cells.pop("icg")  # gated clock on bit 4, which clocks the inner gating cell
        inner = {"type": "CLKGATE_X1", "connections": {"CK": [4], "E": [3], "GCK": [7]},
                 "port_directions": {"CK": "input", "E": "input", "GCK": "output"}}
        cells.update({"inner": inner, "icg": outer} if inner_first else {"icg": outer, "inner": inner})
        cells["ff"] = {"type": "DFF_X1", "connections": {"CK": [7], "D": [5], "Q": [6], "QN": []}}
        with pytest.raises(UngateError, match="reaches inner"):
            ungate(netlist, "m", resolve_liberty(nangate45))
