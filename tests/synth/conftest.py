"""Fixtures for synthesis tests: the shared liberty files (read in place), small designs, an Icarus dump."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from rtlgen.config import benchmarks_dir
from rtlgen.spec.model import Candidate
from rtlgen.tools.registry import find
from rtlgen.tools.run import run

COUNTER = """module counter(input clk, input rst, input en, output reg [3:0] q);
always @(posedge clk) if (rst) q <= 0; else if (en) q <= q + 1;
endmodule
"""

ADDER = """module adder(input [7:0] a, input [7:0] b, output [8:0] s);
assign s = a + b;
endmodule
"""


def _liberty(name: str) -> str:
    root = benchmarks_dir(required=False)
    path = root / "liberty" / name if root else None
    if path is None or not path.is_file():
        reason = f"liberty {name} not found under the benchmarks folder (set RTLGEN_BENCHMARKS)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return str(path)


@pytest.fixture
def sky130() -> str:
    return _liberty("sky130hd_tt.lib.gz")


@pytest.fixture
def nangate45() -> str:
    return _liberty("nangate45_typ.lib.gz")


@pytest.fixture
def counter() -> Candidate:
    return Candidate(COUNTER, "counter")


@pytest.fixture
def adder() -> Candidate:
    return Candidate(ADDER, "adder")


@pytest.fixture
def no_liberty_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No liberty from the environment or a config file."""
    monkeypatch.delenv("RTLGEN_LIBERTY", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


def simulate_dump(folder: Path, testbench: str, rtl: str) -> Path:
    """Run ``testbench`` (which dumps ``sim.vcd``) on ``rtl`` under Icarus in a new ``folder``; the dump's path."""
    folder.mkdir()
    (folder / "tb.v").write_text(testbench)
    (folder / "dut.v").write_text(rtl)
    run([find("iverilog"), "-g2012", "-o", "sim.vvp", "tb.v", "dut.v"], timeout=60, cwd=folder)
    run([find("vvp"), "-n", "sim.vvp"], timeout=60, cwd=folder)
    return folder / "sim.vcd"
