"""Pricing a gate-level activity: answers computed by hand from the liberty's own table values.

Each netlist is a hand-written Yosys JSON, each activity a hand-built GateActivity over 1000 ns (100 cycles of
10 ns), so only the pricing is under test. The numbers below are copied from nangate45_typ.lib / sky130hd_tt.lib
(the table corners the operating point falls between or extrapolates from); the arithmetic is spelled out.
"""
from __future__ import annotations

from typing import Any

import pytest

from rtlgen.synth.liberty import load_liberty
from rtlgen.synth.power import BitActivity, GateActivity
from rtlgen.synth.power.energy import GatePower, price
from rtlgen.synth.power.library import read_power_library

pytestmark = [pytest.mark.bench]

DURATION_NS = 1000.0
SECONDS = DURATION_NS * 1e-9
FJ, PJ, NW = 1e-15, 1e-12, 1e-9
# Nangate45: the default wire load 5K_hvratio_1_1 (0.1774 fF per unit length) and the output-table indices
NG_WIRE_FANOUT_1 = 1.7460 * 0.1774  # fF
NG_SLEW = (0.00117378, 0.00472397)
NG_LOAD = (0.365616, 1.897810)
NG_VDD = 1.1


def lerp(x: float, x0: float, x1: float, y0: float, y1: float) -> float:
    """The line through (x0, y0), (x1, y1) at x (inside or beyond the two points, as OpenSTA extrapolates)."""
    return y0 + (y1 - y0) * (x - x0) / (x1 - x0)


def bilinear(slew: float, load: float, slews: tuple[float, float], loads: tuple[float, float],
             corners: tuple[tuple[float, float], tuple[float, float]]) -> float:
    """A 2-D table at (slew, load) from its four corners (rows: slews, columns: loads)."""
    rows = [lerp(load, loads[0], loads[1], *row) for row in corners]
    return lerp(slew, slews[0], slews[1], *rows)


def _netlist(ports: dict[str, tuple[str, Any]], cells: dict[str, tuple[str, dict[str, Any]]]) -> dict:
    return {"modules": {"top": {
        "ports": {name: {"direction": d, "bits": [bit]} for name, (d, bit) in ports.items()},
        "cells": {name: {"type": kind, "connections": {pin: [bit] for pin, bit in pins.items()}}
                  for name, (kind, pins) in cells.items()},
        "netnames": {name: {"bits": [bit], "hide_name": 0} for name, (_, bit) in ports.items()}}}}


def _activity(bits: dict[int, tuple[int, float]]) -> GateActivity:
    """``bits``: bit -> (toggles, ns at 1) over DURATION_NS."""
    return GateActivity("hand.json", "top", DURATION_NS, 100, "hand",
                        {bit: BitActivity(toggles, high) for bit, (toggles, high) in bits.items()})


def _price(liberty: str, netlist: dict, bits: dict[int, tuple[int, float]]) -> GatePower:
    return price(_activity(bits), read_power_library(load_liberty(liberty)), netlist)


INVERTER = _netlist({"a": ("input", 2), "y": ("output", 3)}, {"u": ("INV_X1", {"A": 2, "ZN": 3})})


def test_an_inverter_toggling_costs_its_table_energy_its_load_and_its_leakage_states(nangate45: str) -> None:
    power = _price(nangate45, INVERTER, {2: (20, 250.0), 3: (20, 750.0)})
    load = NG_WIRE_FANOUT_1  # ZN drives only the output port: no pin capacitance, the wire load for fanout 1
    # INV_X1 ZN internal_power (related A), Power_7_7 corners; input slew 0 (a primary input)
    rise = bilinear(0.0, load, NG_SLEW, NG_LOAD, ((1.846618, 1.913441), (1.785019, 1.828143)))
    fall = bilinear(0.0, load, NG_SLEW, NG_LOAD, ((-0.000035, -0.000051), (-0.000086, -0.000101)))
    internal = (rise + fall) / 2 * FJ * 20 / SECONDS
    switching = 0.5 * load * FJ * NG_VDD ** 2 * 20 / SECONDS
    leakage = (0.75 * 10.102224 + 0.25 * 18.604146) * NW  # when "!A" 75 % of the time, "A" 25 %
    assert power.total.internal_w == pytest.approx(internal, rel=1e-6)
    assert power.total.switching_w == pytest.approx(switching, rel=1e-6)
    assert power.total.leakage_w == pytest.approx(leakage, rel=1e-6)
    assert power.groups["combinational"].total_w == pytest.approx(internal + switching + leakage, rel=1e-6)
    assert power.top_nets[0].net == "y" and power.top_nets[0].toggles == 20


def test_sky130_units_picojoules_and_picofarads(sky130: str) -> None:
    netlist = _netlist({"a": ("input", 2), "y": ("output", 3)}, {"u": ("sky130_fd_sc_hd__inv_1", {"A": 2, "Y": 3})})
    power = _price(sky130, netlist, {2: (40, 500.0), 3: (40, 500.0)})
    load = 23.2746 * 1.42e-05  # pF: wire load "Small", fanout 1
    slews, loads = (0.01, 0.02305058), (0.0005, 0.001335165)
    rise = bilinear(0.0, load, slews, loads, ((0.0077341, 0.0092285), (0.0075137, 0.0089827)))
    fall = bilinear(0.0, load, slews, loads, ((-0.0020153, -0.0032337), (-0.0022916, -0.0034843)))
    assert power.total.internal_w == pytest.approx((rise + fall) / 2 * PJ * 40 / SECONDS, rel=1e-6)
    assert power.total.switching_w == pytest.approx(0.5 * load * PJ * 1.8 ** 2 * 40 / SECONDS, rel=1e-6)
    assert power.total.leakage_w == pytest.approx((0.5 * 0.0104575 + 0.5 * 0.0001958) * NW, rel=1e-6)


FLOP = _netlist({"clk": ("input", 2), "q": ("output", 3), "qn": ("output", 4)},
                {"r": ("DFF_X1", {"CK": 2, "D": "0", "Q": 3, "QN": 4})})
# DFF_X1 CK internal_power when "!D & !Q & QN" (the state a flip-flop holding 0 is in), Hidden_power_7 corners
DFF_CK_RISE = ((0.00117378, 0.00472397, 0.0171859), (2.441622, 2.424683, 2.419478))
DFF_CK_FALL = ((0.00117378, 0.00472397, 0.0171859), (4.497803, 4.465589, 4.474442))


def _dff_clock_energy(rise_slew: float, fall_slew: float, segment: int) -> float:
    """fJ of one CK transition of a DFF_X1 holding 0, its slews inside index segment ``segment`` (0: first)."""
    (xs, rise), (_, fall) = DFF_CK_RISE, DFF_CK_FALL
    i = segment
    return (lerp(rise_slew, xs[i], xs[i + 1], rise[i], rise[i + 1])
            + lerp(fall_slew, xs[i], xs[i + 1], fall[i], fall[i + 1])) / 2


def test_a_flip_flop_with_a_constant_input_pays_its_clock_pin_only(nangate45: str) -> None:
    power = _price(nangate45, FLOP, {2: (200, 500.0), 3: (0, 0.0), 4: (0, DURATION_NS)})
    internal = _dff_clock_energy(0.0, 0.0, 0) * FJ * 200 / SECONDS
    assert power.groups["register"].internal_w == pytest.approx(internal, rel=1e-6)
    assert power.total.internal_w == pytest.approx(internal, rel=1e-6)
    assert power.total.switching_w == 0.0
    # leakage: "!CK & !D & !Q & QN" half the time, "CK & !D & !Q & QN" the other half
    assert power.total.leakage_w == pytest.approx((0.5 * 73.81231 + 0.5 * 78.328514) * NW, rel=1e-6)


GATED = _netlist({"clk": ("input", 2), "en": ("input", 3), "q": ("output", 6), "qn": ("output", 7)},
                 {"g": ("CLKGATETST_X1", {"CK": 2, "E": 3, "SE": "0", "GCK": 5}),
                  "r": ("DFF_X1", {"CK": 5, "D": "0", "Q": 6, "QN": 7})})


def test_a_closed_clock_gate_leaves_the_register_behind_it_without_clock_energy(nangate45: str) -> None:
    power = _price(nangate45, GATED, {2: (200, 500.0), 3: (0, 0.0), 5: (0, 0.0), 6: (0, 0.0), 7: (0, DURATION_NS)})
    # the gate's own CK pin still toggles: CLKGATETST_X1 CK internal_power when "!E & !SE & !GCK" (always here)
    gate_ck = (lerp(0.0, *NG_SLEW, 1.992416, 1.96688) + lerp(0.0, *NG_SLEW, 3.718337, 3.693424)) / 2
    assert power.groups["register"].internal_w == 0.0
    assert power.groups["clock"].internal_w == pytest.approx(gate_ck * FJ * 200 / SECONDS, rel=1e-6)
    assert power.total.switching_w == 0.0


def test_an_open_clock_gate_passes_the_full_clock_energy_to_the_register(nangate45: str) -> None:
    power = _price(nangate45, GATED, {2: (200, 500.0), 3: (0, DURATION_NS), 5: (200, 500.0), 6: (0, 0.0),
                                      7: (0, DURATION_NS)})
    # GCK's load: the flip-flop's CK (rise capacitance, the larger) and the wire for fanout 1
    load = 0.949653 + NG_WIRE_FANOUT_1
    # GCK's slews: the largest over its CK arcs' transition tables at (CK slew 0, load)
    rise_arcs = [((0.004895, 0.00804), (0.004895, 0.008044)), ((0.004895, 0.00804), (0.004895, 0.008044)),
                 ((0.004895, 0.00804), (0.004893, 0.008045))]
    fall_arcs = [((0.004824, 0.008054), (0.004822, 0.008057)), ((0.004824, 0.008054), (0.004822, 0.008056)),
                 ((0.004825, 0.008054), (0.004822, 0.008056)), ((0.004937, 0.008229), (0.004935, 0.008231))]
    rise_slew = max(bilinear(0.0, load, NG_SLEW, NG_LOAD, c) for c in rise_arcs)
    fall_slew = max(bilinear(0.0, load, NG_SLEW, NG_LOAD, c) for c in fall_arcs)
    assert all(0.00472397 <= s <= 0.0171859 for s in (rise_slew, fall_slew))  # the second index segment
    register = _dff_clock_energy(rise_slew, fall_slew, 1) * FJ * 200 / SECONDS
    assert power.groups["register"].internal_w == pytest.approx(register, rel=1e-6)
    switching = 0.5 * load * FJ * NG_VDD ** 2 * 200 / SECONDS  # the gated clock net now toggles
    assert power.groups["clock"].switching_w == pytest.approx(switching, rel=1e-6)


def test_leakage_follows_the_time_spent_in_each_state(nangate45: str) -> None:
    netlist = _netlist({"a1": ("input", 2), "a2": ("input", 3), "y": ("output", 4)},
                       {"n": ("NAND2_X1", {"A1": 2, "A2": 3, "ZN": 4})})
    power = _price(nangate45, netlist, {2: (0, 250.0), 3: (0, 500.0), 4: (0, 875.0)})
    # NAND2_X1 leakage_power: A1 at 1 for 25 % of the time, A2 for 50 %, taken as independent
    states = {(0, 0): 3.482556, (0, 1): 24.799456, (1, 0): 4.085038, (1, 1): 37.206389}
    p_a1, p_a2 = 0.25, 0.5
    expected = sum(value * (p_a1 if a1 else 1 - p_a1) * (p_a2 if a2 else 1 - p_a2)
                   for (a1, a2), value in states.items()) * NW
    assert power.total.leakage_w == pytest.approx(expected, rel=1e-6)
    assert power.total.leakage_w != pytest.approx(17.39336 * NW, rel=1e-3)  # not the cell's default leakage
    assert power.total.internal_w == 0.0 and power.total.switching_w == 0.0


def test_a_run_without_duration_still_leaks(nangate45: str) -> None:
    """A design without inputs simulates no time: no dynamic power, but its cells still leak."""
    netlist = _netlist({"y": ("output", 2)}, {"u": ("INV_X1", {"A": "0", "ZN": 2})})
    activity = GateActivity("hand.json", "top", 0.0, 0, "hand", {2: BitActivity(0, 0.0)})
    power = price(activity, read_power_library(load_liberty(nangate45)), netlist)
    assert power.total.leakage_w == pytest.approx(10.102224 * NW, rel=1e-6)  # INV_X1 leakage when "!A"
    assert power.total.internal_w == 0.0 and power.total.switching_w == 0.0
