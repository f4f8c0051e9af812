"""Synthesis that lost logic is never a success; flattening metadata is not logic; paths are named by signals."""
from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner

from rtlgen.errors import SynthLostLogic
from rtlgen.optimize.ppa import make_measure
from rtlgen.regress.bench import _with_ppa
from rtlgen.regress.records import BenchRecord
from rtlgen.spec.model import Candidate
from rtlgen.synth import synthesize
from rtlgen.synth.target import Target
from rtlgen.synth.liberty import resolve_liberty
from rtlgen.synth.report import LostLogic, SynthReport

pytestmark = pytest.mark.synth

# `r.q` reads a submodule's register through a hierarchical reference: plain Yosys takes it for an implicit
# wire that nothing drives and folds the adder to a constant (the pipelined-CPU shape of issue 24).
HIERARCHICAL_REFERENCE = """module regs(input clk, input [3:0] d, output reg [3:0] q);
always @(posedge clk) q <= d;
endmodule
module top(input clk, input [3:0] a, output [3:0] y, output [3:0] z);
regs r(.clk(clk), .d(a), .q());
assign y = {4{r.q}} & a;
assign z = a;
endmodule
"""

UNDRIVEN_SUBMODULE_WIRE = """module sub(input [3:0] a, output [3:0] y);
wire [3:0] w;
assign y = a & w;
endmodule
module top(input [3:0] a, output [3:0] o);
sub s(.a(a), .y(o));
endmodule
"""

# What the RTL itself means: a tied output, a register that only ever loads 0, an output it never drives
# (RTLLM's alu reference leaves three that way; Yosys's check reports them as design issues).
LEGIT_CONSTANTS = """module leaf(input clk, input [3:0] a, output reg [3:0] q);
always @(posedge clk) q <= a ^ 4'd5;
endmodule
module top(input clk, input [3:0] a, output [3:0] q, output [1:0] version, output reg busy, output carry);
leaf l(.clk(clk), .a(a), .q(q));
assign version = 2'b10;
always @(posedge clk) busy <= 1'b0;
endmodule
"""


def _synth(rtl: str, liberty: str) -> SynthReport:
    with warnings.catch_warnings(record=True):  # Yosys's check warns about the undriven nets as well
        return synthesize(Candidate(rtl, "top"), Target(liberty=liberty), use_cache=False)


def test_hierarchical_reference_that_yosys_drops_is_lost_logic(nangate45: str) -> None:
    report = _synth(HIERARCHICAL_REFERENCE, nangate45)
    lost = {item.name: item for item in report.lost_logic if item.kind == "output"}
    assert set(lost) == {"y[3:0]"} and "r.q" in lost["y[3:0]"].reason and "nothing drives" in lost["y[3:0]"].reason
    assert "SYNTHESIS LOST LOGIC" in report.to_markdown()
    assert SynthReport.from_dict(json.loads(report.to_json())).lost_logic == report.lost_logic


def test_output_driven_through_an_undriven_wire_empties_the_design(nangate45: str) -> None:
    report = _synth(UNDRIVEN_SUBMODULE_WIRE, nangate45)
    assert report.area_um2 == 0
    assert [item.kind for item in report.lost_logic] == ["empty", "output"]
    assert report.lost_logic[1] == LostLogic("output", "o[3:0]", report.lost_logic[1].reason)
    assert "s.w[3:0], which nothing drives" in report.lost_logic[1].reason


def test_constants_the_rtl_means_and_flattening_metadata_are_no_alarm(nangate45: str) -> None:
    report = _synth(LEGIT_CONSTANTS, nangate45)
    assert report.lost_logic == () and report.area_um2 > 0
    assert not any("scopeinfo" in cell for cell in report.cells)  # the flattened `leaf` instance's metadata
    assert not any("not mapped" in w or "scopeinfo" in w for w in report.warnings)


def test_cli_exits_1_and_names_the_lost_output(tmp_path: Path, nangate45: str) -> None:
    from rtlgen.cli.synth import synth  # noqa: PLC0415

    design = tmp_path / "top.v"
    design.write_text(UNDRIVEN_SUBMODULE_WIRE)
    out = tmp_path / "r.json"
    res = CliRunner().invoke(synth, [str(design), "--top", "top", "--liberty", nangate45, "--json", str(out),
                                     "--no-cache"])
    assert res.exit_code == 1, res.output
    assert "o[3:0]" in res.output and "lost logic" in res.output
    assert [item["name"] for item in json.loads(out.read_text())["lost_logic"]] == ["top", "o[3:0]"]


def test_critical_path_is_named_by_registers(counter: Candidate, nangate45: str) -> None:
    """Liberty flip-flops have two outputs (Q, QN), which `rename -wire` skips: they are named before mapping."""
    report = synthesize(counter, Target(liberty=nangate45), use_cache=False)
    assert report.critical_path["startpoint"].startswith("q[") and report.critical_path["endpoint"].startswith("q[")
    power_row = next(line for line in report.to_markdown().splitlines() if line.startswith("| power |"))
    assert "activity vectorless(input_activity=0.1,duty=0.5)" in power_row


def test_register_beside_a_signal_named_like_its_cell(nangate45: str) -> None:
    """RTLLM's multi_pipe_8bit has such names: naming the flip-flop `r_reg` made Yosys abort (name taken)."""
    rtl = """module top(input clk, input d, output reg r, output r_reg);
always @(posedge clk) r <= d;
assign r_reg = ~r;
endmodule
"""
    report = synthesize(Candidate(rtl, "top"), Target(liberty=nangate45), use_cache=False)
    assert report.critical_path["startpoint"] == "r" and report.lost_logic == ()


def test_lost_bits_are_named_by_their_verilog_indices() -> None:
    """An output declared [8:1] whose bits 1, 2 and 4 lost their logic (write_json lists bits from the lowest)."""
    from rtlgen.synth.sanity import lost_outputs  # noqa: PLC0415

    ports = {"a": {"direction": "input", "bits": [2]}, "y": {"direction": "output", "bits": [3, 4, 5, 6]}}
    rtl = {"modules": {"t": {"ports": ports, "netnames": {"y": {"bits": [3, 4, 5, 6], "offset": 1},
                                                          "ghost": {"bits": [9]}},
                             "cells": {"and": {"type": "$and", "port_directions": {"A": "input", "B": "input",
                                                                                   "Y": "output"},
                                               "connections": {"A": [2, 2, 2, 2], "B": [9, 9, 9, 9],
                                                               "Y": [3, 4, 5, 6]}}}}}}
    mapped_ports = {"a": ports["a"], "y": {"direction": "output", "bits": ["0", "0", 2, "0"]}}
    mapped = {"modules": {"t": {"ports": mapped_ports, "netnames": {"y": {"bits": ["0", "0", 2, "0"], "offset": 1}},
                                "cells": {}}}}
    lost = lost_outputs(rtl, mapped, "t")
    assert [(item.kind, item.name) for item in lost] == [("empty", "t"), ("output", "y[4,2:1]")]
    assert lost[1].reason.endswith("reads ghost, which nothing drives")


def test_simulation_only_cells_stay_out_of_the_netlist(nangate45: str) -> None:
    """verilog-axis prints its configuration with $display at elaboration: Yosys keeps a $print cell, which the
    netlist OpenSTA reads cannot hold."""
    rtl = """module top(input clk, input d, output reg q);
initial $display("configuration: %0d", 1);
always @(posedge clk) q <= d;
endmodule
"""
    report = synthesize(Candidate(rtl, "top", trusted=True), Target(liberty=nangate45), use_cache=False)
    assert report.delay_ns is not None and not any(cell.startswith("$") for cell in report.cells)


def test_bench_ppa_and_the_optimizer_measure_refuse_a_netlist_that_lost_logic(nangate45: str) -> None:
    """bench --ppa and the optimizer rank designs by these figures: a collapsed netlist fails the problem there
    too, never a record with a tiny area."""
    candidate = Candidate(UNDRIVEN_SUBMODULE_WIRE, "top")
    with warnings.catch_warnings(record=True):
        job = _with_ppa(BenchRecord("top", status="pass"), None, candidate,  # type: ignore[arg-type]
                        Target(liberty=nangate45))
        assert job.record.status == "fail" and job.record.failure_class == "lost_logic"
        assert "lost logic of top" in job.record.message and job.record.area_um2 is None
        with pytest.raises(SynthLostLogic, match="lost logic of top"):
            make_measure(resolve_liberty(nangate45), 10.0)(candidate, "yosys")
