"""The one writer of the mapped netlist by JSON bit: the gate-level simulation and OpenSTA's cross-check read the
same circuit, differing only in their ports."""
from __future__ import annotations

import re

from rtlgen.synth.power.netlist import write_bit_netlist

# cells listed out of name order, a two-bit pin, a constant pin, and output y repeating input a
MODULE = {"ports": {"a": {"direction": "input", "bits": [2]}, "b": {"direction": "input", "bits": [3]},
                    "y": {"direction": "output", "bits": [5, 2]}},
          "cells": {"u2": {"type": "INV_X1", "connections": {"A": [4], "ZN": [5]}},
                    "u1": {"type": "NAND2_X1", "connections": {"A1": [2], "A2": [3], "ZN": [4]}},
                    "u3": {"type": "WIDE", "connections": {"D": [2, "1"], "Q": [6]}}}, "netnames": {}}
SIMULATED = write_bit_netlist(MODULE, "rtlgen_gates", "mapped.json", ("input",))
TIMED = write_bit_netlist(MODULE, "m", "mapped.json", ("input", "output", "inout"))


def _instances(verilog: str) -> list[str]:
    return [line.strip() for line in verilog.splitlines() if re.match(r"\s+\w+ c_\d+ \(", line)]


def test_both_netlists_have_the_same_instances_named_alike() -> None:
    assert _instances(SIMULATED) == _instances(TIMED) == [
        "NAND2_X1 c_0 (.A1(b_2), .A2(b_3), .ZN(b_4));", "INV_X1 c_1 (.A(b_4), .ZN(b_5));",
        "WIDE c_2 (.D({1'b1, b_2}), .Q(b_6));"]


def test_the_simulation_drives_the_inputs_only_and_keeps_outputs_as_wires() -> None:
    assert "module rtlgen_gates (b_2, b_3);" in SIMULATED
    assert [line.strip() for line in SIMULATED.splitlines() if line.strip().startswith("wire")] == [
        "wire b_4;", "wire b_5;", "wire b_6;"]


def test_opensta_sees_every_port_and_a_repeated_bit_as_one_net() -> None:
    assert "module m (b_2, b_3, b_5, b_2_1);" in TIMED
    assert "output b_2_1;" in TIMED and "assign b_2_1 = b_2;" in TIMED
    wires = [line.strip() for line in TIMED.splitlines() if line.strip().startswith("wire")]
    assert wires == ["wire b_4;", "wire b_6;"]
