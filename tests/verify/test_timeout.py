"""Time limits a person controls: a design that hangs the simulator fails in seconds with ``timeout``."""
from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from rtlgen.cli import cli
from rtlgen.spec.model import Candidate
from rtlgen.verify.api import default_timeout, verify
from tests.conftest import spec_from_rtl

pytestmark = pytest.mark.sim

REFERENCE = "module TopModule(input a, output y);\n  assign y = a;\nendmodule\n"
# Icarus loops forever in zero simulation time once a is 1: neither linter objects.
HANGS = "module TopModule(input a, output reg y);\n  always @(a) begin\n    y = a;\n    while (y) y = a;\n  end\nendmodule\n"


def _spec(tmp_path: Path):
    ref = tmp_path / "ref.v"
    ref.write_text(REFERENCE)
    return spec_from_rtl(REFERENCE).with_(reference_rtl=str(ref), reference_top="TopModule")


def test_hanging_simulation_fails_in_seconds_naming_the_check(tmp_path: Path) -> None:
    start = time.monotonic()
    result = verify(Candidate(HANGS, "TopModule"), _spec(tmp_path), checks=("lint", "autotb"), timeout=5,
                    workdir=tmp_path)
    autotb = result.get("autotb")
    assert autotb.verdict == "fail" and autotb.failure_class == "timeout"
    assert autotb.message.startswith("autotb timed out (limit 5 s): the simulation did not finish"), autotb.message
    assert result.overall == "fail" and result.failure_class == "timeout"
    assert time.monotonic() - start < 40  # the limit plus lint and start-up on a loaded machine


def test_default_limit_is_sized_to_stimulus_and_design(tmp_path: Path) -> None:
    spec = _spec(tmp_path)
    small = default_timeout(Candidate(REFERENCE, "TopModule"), spec)
    assert 10 < small < 30  # 2 input vectors: start-up allowance only, far below the old 300 s
    sequential = spec_from_rtl("module TopModule(input clk, input d, output reg q);\n"
                               "  always @(posedge clk) q <= d;\nendmodule\n")
    seq = default_timeout(Candidate(REFERENCE, "TopModule"), sequential)
    big = default_timeout(Candidate(REFERENCE + "// filler\n" * 2000, "TopModule"), sequential)
    assert small < seq < big < 120 and default_timeout(Candidate(REFERENCE, "TopModule"), spec, "verilator") > small


def test_cli_timeout_option(tmp_path: Path) -> None:
    spec_file = tmp_path / "spec.md"
    spec_file.write_text("---\ntop: TopModule\nreference:\n  rtl: ref.v\n  top: TopModule\n---\n# a wire\n")
    (tmp_path / "ref.v").write_text(REFERENCE)
    cand = tmp_path / "hang.v"
    cand.write_text(HANGS)
    out = tmp_path / "result.json"
    result = CliRunner().invoke(cli, ["verify", str(cand), "--spec", str(spec_file), "--checks", "autotb",
                                      "--timeout", "5", "--json", str(out)])
    data = json.loads(out.read_text())
    autotb = next(c for c in data["checks"] if c["check"] == "autotb")
    assert result.exit_code == 1 and autotb["failure_class"] == "timeout", result.output
    assert "autotb timed out (limit 5 s)" in autotb["message"]
    bad = CliRunner().invoke(cli, ["verify", str(cand), "--spec", str(spec_file), "--timeout", "0"])
    assert bad.exit_code == 2
