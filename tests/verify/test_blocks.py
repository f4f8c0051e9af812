"""The blocks a design's parameters select: a generate branch they rule out holds no driver."""
from __future__ import annotations

from pathlib import Path

import pytest

from rtlgen.config import benchmarks_dir
from rtlgen.spec.model import Candidate
from rtlgen.verify.agreement import check_agreement
from rtlgen.verify.blocks import Design, read_design

# Two exclusive unnamed branches (both genblk1), each registering r from its own always block: the shape of
# verilog-axis axis_register's REG_TYPE branches.
EXCLUSIVE = """module m #(parameter SKID = 1) (input clk, input rst, input [3:0] d, output [3:0] q);
  if (SKID) begin
    reg [3:0] r;
    always @(posedge clk) r <= rst ? 4'd0 : d;
    assign q = r;
  end else begin
    reg [3:0] r;
    always @(posedge clk) r <= rst ? 4'd0 : ~d;
    assign q = r;
  end
endmodule
"""


def _writing_blocks(design: Design) -> dict[str, list[int]]:
    """Each written signal's path -> the lines of the blocks that write it."""
    found: dict[str, list[int]] = {}
    for block in design.blocks:
        for path in sorted({write.path for write in block.writes}):
            found.setdefault(path, []).append(block.line)
    return found


def test_a_generate_branch_the_parameters_rule_out_is_not_read() -> None:
    assert _writing_blocks(read_design(EXCLUSIVE, "m.v")) == {"m.genblk1.r": [4]}
    assert _writing_blocks(read_design(EXCLUSIVE.replace("SKID = 1", "SKID = 0"), "m.v")) == {"m.genblk1.r": [8]}


@pytest.mark.synth
def test_exclusive_generate_branches_are_not_two_drivers(tmp_path: Path) -> None:
    found = check_agreement(Candidate(EXCLUSIVE, "m", trusted=True), tmp_path, timeout=120)
    assert found.verdict == "pass", found.message


def test_verilog_axis_register_has_one_writing_block_per_register() -> None:
    root = benchmarks_dir(required=False)
    source = root / "realworld" / "verilog-axis" / "rtl" / "axis_register.v" if root else None
    if source is None or not source.is_file():
        pytest.skip("verilog-axis axis_register.v not found under the benchmarks folder (set RTLGEN_BENCHMARKS)")
    writers = _writing_blocks(read_design(source.read_text(), source.name))
    assert "axis_register.genblk1.m_axis_tdata_reg" in writers
    assert {path: lines for path, lines in writers.items() if len(lines) > 1} == {}
