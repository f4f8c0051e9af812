"""`rtlgen lint` (the front end and the linters without a spec) and the lint gate of `rtlgen synth`."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

CLEAN = """module counter(input clk, input rst, output reg [3:0] q);
  always @(posedge clk) q <= rst ? 4'd0 : q + 4'd1;
endmodule
"""
# Icarus rejects a variable driven both continuously and from an always block; slang and Yosys accept it.
MIXED_DRIVERS = """module mixed(input clk, input [3:0] d, output [3:0] q);
  reg [3:0] r;
  assign r = d;
  always @(posedge clk) r <= d;
  assign q = r;
endmodule
"""



@pytest.mark.sim
def test_lint_a_clean_design(tmp_path: Path, run_cli) -> None:
    design = tmp_path / "counter.v"
    design.write_text(CLEAN)
    code, output = run_cli(["lint", str(design), "--json", str(tmp_path / "lint.json")])
    data = json.loads((tmp_path / "lint.json").read_text())
    assert code == 0 and data["verdict"] == "pass" and data["view"]["top"] == "counter", output
    assert [(c["check"], c["verdict"]) for c in data["checks"]] == [("lint:iverilog", "pass"),
                                                                   ("lint:verilator", "pass"),
                                                                   ("lint:time-zero", "pass")]
    assert "front end: top counter" in output


@pytest.mark.sim
def test_lint_a_design_icarus_rejects_names_the_user_s_line(tmp_path: Path, run_cli) -> None:
    design = tmp_path / "mixed.v"
    design.write_text(MIXED_DRIVERS)
    code, output = run_cli(["lint", str(design)])
    assert code == 1 and f"{design}:4: error: r Unable to assign to unresolved wires" in output


def test_lint_refuses_what_the_front_end_refuses(tmp_path: Path, run_cli) -> None:
    design = tmp_path / "broken.v"
    design.write_text("module broken(input a, output y);\n  assign y = a +;\nendmodule\n")
    code, output = run_cli(["lint", str(design), "--json", str(tmp_path / "lint.json")])
    assert code == 2 and f"{design}:2: expected expression" in output
    assert json.loads((tmp_path / "lint.json").read_text())["verdict"] == "refused"


@pytest.mark.sim
def test_synth_refuses_a_design_icarus_rejects_before_yosys(tmp_path: Path, monkeypatch, run_cli) -> None:
    def reached(*args: object, **kwargs: object) -> None:
        raise AssertionError("Yosys ran on a design the linters reject")

    monkeypatch.setattr("rtlgen.synth.api.synthesize", reached)
    design = tmp_path / "mixed.v"
    design.write_text(MIXED_DRIVERS)
    code, output = run_cli(["synth", str(design)])
    assert code == 2 and f"{design}:4: error: r Unable to assign to unresolved wires" in output
