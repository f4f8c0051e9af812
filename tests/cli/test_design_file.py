"""Commands that take one design file read it as every tool does: a ``.v`` file is Verilog-2005."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from rtlgen.cli import cli

# Verilog-2005: `dist` is a port; read as SystemVerilog it is a keyword and the file does not parse.
DESIGN = """module mul(input clk, input [7:0] a, output reg [15:0] dist);
  always @(posedge clk) dist <= a * 8'd10;
endmodule
"""


@pytest.fixture
def design(tmp_path: Path) -> Path:
    path = tmp_path / "mul.v"
    path.write_text(DESIGN)
    return path


@pytest.mark.sim
def test_mutate_reads_a_verilog_2005_design(design: Path) -> None:
    result = CliRunner().invoke(cli, ["mutate", str(design), "-n", "2", "--top", "mul"])
    assert result.exit_code == 0, result.output
    mutant = (design.parent / "mul_mutants" / "mul_m01.v").read_text()
    assert "\\dist  <= a * 8'd" in mutant and "8'd10" not in mutant


def test_rules_search_reads_a_verilog_2005_design(design: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["rules", "search", str(design), "--json", str(tmp_path / "rank.json")])
    assert result.exit_code == 0, result.output
    features = json.loads((tmp_path / "rank.json").read_text())["features"]
    assert features["has_sequential"] == ["dist"] and "has_comparator" not in features
