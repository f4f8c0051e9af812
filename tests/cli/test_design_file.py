"""Commands that take one design file read it as every tool does: a ``.v`` file is Verilog-2005, unless its code
uses SystemVerilog keywords as keywords (then it is read as written)."""
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
# VerilogEval's decade counter and half adder written in SystemVerilog (each saved as a .v file); the adder is wrong
# when a = b = 1.
SV_CANDIDATES = {
    "Prob040_count10": """module TopModule(input logic clk, input logic reset, output logic [3:0] q);
  always_ff @(posedge clk)
    if (reset || q == 4'd9) q <= '0;
    else q <= q + 1'b1;
endmodule
""",
    "Prob024_hadd": """module TopModule(input logic a, input logic b, output logic sum, output logic cout);
  always_comb {cout, sum} = a | b;
endmodule
""",
}


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


@pytest.mark.bench
@pytest.mark.sim
def test_bench_judges_systemverilog_in_a_v_file_on_its_behaviour(bench_root: Path, tmp_path: Path) -> None:
    for problem, text in SV_CANDIDATES.items():
        (tmp_path / f"{problem}.v").write_text(text)
    result = CliRunner().invoke(cli, ["bench", str(bench_root / "verilog-eval" / "spec-to-rtl"), "--candidates",
                                      str(tmp_path), "--only", ",".join(SV_CANDIDATES), "--checks", "lint,official",
                                      "--json", str(tmp_path / "bench.json")])
    records = {r["problem"]: r for r in json.loads((tmp_path / "bench.json").read_text())}
    assert records["Prob040_count10"]["status"] == "pass", records
    assert records["Prob024_hadd"]["failure_class"] == "runtime_mismatch", records
    assert result.exit_code == 1
