"""The interface a spec's prose states (VerilogEval's port lists, RTLLM's port sections), read when the front matter
gives no ports, and the benchmark references held to it."""
from __future__ import annotations

from pathlib import Path

import pytest

from rtlgen.spec.interface import stated_ports
from rtlgen.spec.model import Clock, Port
from rtlgen.spec.parse import parse_spec_text
from rtlgen.spec.suites import load, reference_candidate
from rtlgen.verify.lint import check_interface

VERILOG_EVAL = """I would like you to implement a module named TopModule with the following
interface. All input and output ports are one bit unless otherwise
specified.

 - input  clk,
 - input  a   (100 bits)
 - output out ( 100 bits)
 - output valid

The module should ...
"""

RTLLM = """Module name:
    accu
Input ports:
    clk: Clock input for synchronization.
\trst_n: Active-low reset signal.
\tdata_in[7:0]: 8-bit input data for addition.
    a (input [31:0]): First operand in IEEE 754 format.
    ain: Input signal representing the multiplicand with a data width of 16 bits.
Output ports:
    data_out [9:0]: 10-bit output data representing the accumulated sum.
    valid_out: 1-bit output signal indicating the result is valid.
Implementation:
    valid_out: this line is not a port.
"""


def test_a_verilog_eval_port_list_is_read_one_bit_unless_a_width_is_given():
    assert stated_ports(VERILOG_EVAL) == (Port("clk", "input"), Port("a", "input", 100), Port("out", "output", 100),
                                          Port("valid", "output"))


def test_rtllm_port_sections_are_read_with_their_widths():
    assert stated_ports(RTLLM) == (Port("clk", "input"), Port("rst_n", "input"), Port("data_in", "input", 8),
                                   Port("a", "input", 32), Port("ain", "input", 16), Port("data_out", "output", 10),
                                   Port("valid_out", "output"))


@pytest.mark.parametrize("line", ["    a [N-1:0]: First N-bit operand.", "    q: Output signal of the shifter.",
                                  "    [7:0]freq: Frequency control."])
def test_a_section_port_of_unknown_width_leaves_the_interface_unstated(line: str):
    """A parameter width, no width at all (RTLLM's right_shifter declares its `q` 8 bits wide further down) or a
    form not read: guessing would refuse right designs."""
    assert stated_ports(RTLLM.replace("    ain: Input signal representing the multiplicand with a data width of "
                                      "16 bits.", line)) == ()


def test_a_prose_only_spec_takes_the_stated_interface_and_infers_its_clock():
    spec = parse_spec_text("---\ntop: TopModule\n---\n" + VERILOG_EVAL)
    assert spec.ports == stated_ports(VERILOG_EVAL) and spec.clock == Clock("clk")
    given = parse_spec_text("---\ntop: TopModule\nports:\n  - {name: x}\n  - {name: y, direction: output}\n---\n"
                            + VERILOG_EVAL)
    assert [p.name for p in given.ports] == ["x", "y"]  # the front matter wins


@pytest.mark.bench
def test_the_benchmark_references_fit_the_interface_their_prose_states(bench_root: Path):
    """Every reference, as the candidate, against its prose as the spec: all 87 pass lint's interface check except
    RTLLM radix2_div, whose prose leaves out the `res_ready` input that its reference and testbench have."""
    stated = 0
    refusals = {}
    for suite in ("verilog-eval", "rtllm"):
        for spec in load(bench_root / suite).specs:
            ports = stated_ports(spec.prose)
            if not ports:
                continue
            stated += 1
            check = check_interface(reference_candidate(spec), spec.with_(ports=ports))
            if not check.passed:
                refusals[spec.label] = check.message
    assert stated >= 70
    assert list(refusals) == ["radix2_div"] and "port 'res_ready' ('input res_ready') is not in the spec" in \
        refusals["radix2_div"]
