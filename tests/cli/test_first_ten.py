"""The first ten minutes of a new user: init, mistyped commands, bad inputs rejected before work, real projects."""
from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from rtlgen.cli import cli, main
from rtlgen.spec.parse import load_spec

ROOT = Path(__file__).resolve().parents[2]
MYREG_RTL = """module myreg(input clk, input rst, input en, input [7:0] d, output reg [7:0] q);
  always @(posedge clk) if (rst) q <= 0; else if (en) q <= d;
endmodule
"""


def _main(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture, *args: str) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["rtlgen", *args])
    with pytest.raises(SystemExit) as info:
        main()
    out = capsys.readouterr()
    return int(info.value.code or 0), out.out, out.err


def test_mistyped_command_suggests_and_init_is_a_command(monkeypatch, capsys, tmp_path) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = _main(monkeypatch, capsys, "verfy", "x.v")
    assert code == 2 and "Did you mean 'verify'?" in err and "--spec" not in err
    code, _, err = _main(monkeypatch, capsys, "nosuchword")
    assert code == 2 and "No such command 'nosuchword'" in err
    code, _, err = _main(monkeypatch, capsys, "missing/spec.md")  # a path is still the implicit run
    assert code == 2 and "spec file 'missing/spec.md' does not exist" in err


@pytest.mark.sim
def test_init_scaffold_parses_and_verifies(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["init", "myreg"])
    assert result.exit_code == 0, result.output
    assert "rtlgen verify myreg/myreg.v --spec myreg/spec.md" in result.output
    spec = load_spec(tmp_path / "myreg" / "spec.md")
    assert spec.top == "myreg" and spec.model and spec.clock and [p.name for p in spec.ports] == ["clk", "rst", "en", "d", "q"]
    (tmp_path / "myreg" / "myreg.v").write_text(MYREG_RTL)
    verified = CliRunner().invoke(cli, ["verify", "myreg/myreg.v", "--spec", "myreg/spec.md", "--checks", "lint,autotb",
                                        "--json", "-"])
    assert verified.exit_code == 0, verified.output
    again = CliRunner().invoke(cli, ["init", "myreg"])
    assert again.exit_code == 2 and "already exist" in again.output


def test_bad_liberty_fails_before_any_work(monkeypatch, capsys, tmp_path) -> None:
    """`rtlgen SPEC --rtl X --liberty BAD` exits 2 at once: nothing verified, nothing written."""
    start = time.monotonic()
    code, out, err = _main(monkeypatch, capsys, str(ROOT / "designs" / "counter" / "spec.md"), "--rtl",
                           str(ROOT / "designs" / "counter" / "counter.v"), "--liberty", "BAD", "--out",
                           str(tmp_path / "out"))
    assert code == 2 and "Invalid value for '--liberty'" in err and "BAD" in err
    assert "verify" not in out and not (tmp_path / "out").exists() and time.monotonic() - start < 10


@pytest.mark.bench
def test_liberty_by_pdk_name_without_env(monkeypatch, tmp_path, benchmarks) -> None:
    """`--liberty sky130` finds the benchmarks copy whether or not RTLGEN_BENCHMARKS is set (no internet needed)."""
    if benchmarks.resolve() != (ROOT.parent / "shared" / "benchmarks").resolve():
        pytest.skip("the default benchmarks folder is not beside this checkout")
    monkeypatch.delenv("RTLGEN_BENCHMARKS", raising=False)
    monkeypatch.setenv("RTLGEN_CACHE", str(tmp_path / "cache"))
    design = tmp_path / "d.v"
    design.write_text("module d(input clk, input a, output reg q); always @(posedge clk) q <= a; endmodule\n")
    result = CliRunner().invoke(cli, ["synth", str(design), "--liberty", "sky130", "--json", "-"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["top"] == "d" and report["liberty"]["name"] == "sky130_fd_sc_hd__tt_025C_1v80"


def _project(root: Path) -> None:
    (root / "rtl").mkdir(parents=True)
    (root / "inc").mkdir()
    (root / "inc" / "params.vh").write_text("localparam W = `WIDTH;\n")
    (root / "rtl" / "add1.v").write_text(
        "module add1(input [`WIDTH-1:0] a, output [`WIDTH-1:0] y);\n"
        "  wire [`WIDTH-1:0] logic;  // Verilog-2005: `logic` is a name\n"
        "  assign logic = a + 1;\n  assign y = logic;\nendmodule\n")
    (root / "rtl" / "top.sv").write_text(
        "module top(input logic clk, input logic [`WIDTH-1:0] a, output logic [`WIDTH-1:0] q);\n"
        "`include \"params.vh\"\n  logic [W-1:0] y;\n  add1 u(.a(a), .y(y));\n"
        "  always_ff @(posedge clk) q <= y;\nendmodule\n")
    (root / "files.f").write_text("rtl/add1.v\nrtl/top.sv\n+incdir+inc\n+define+WIDTH=4\n")
    (root / "spec.md").write_text("---\ntop: top\nclock: clk\n---\nq registers a + 1.\n")


@pytest.mark.sim
def test_real_project_from_another_directory(tmp_path, monkeypatch) -> None:
    """Several files, -I, -D and -f lists, a .v file using `logic` as a name, relative paths from elsewhere."""
    _project(tmp_path / "proj")
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    runner = CliRunner()
    listed = runner.invoke(cli, ["verify", "-f", "../proj/files.f", "--spec", "../proj/spec.md", "--checks", "lint",
                                 "--json", "verify.json"])
    assert listed.exit_code == 0, listed.output
    verdicts = {c["check"]: c["verdict"] for c in json.loads(Path("verify.json").read_text())["checks"]}
    assert verdicts == {"lint:interface": "pass", "lint:iverilog": "pass", "lint:verilator": "pass"}
    explicit = runner.invoke(cli, ["synth", "../proj/rtl/add1.v", "../proj/rtl/top.sv", "-I", "../proj/inc",
                                   "-D", "WIDTH=4", "--json", "-"])
    assert explicit.exit_code == 0, explicit.output
    assert json.loads(explicit.stdout)["top"] == "top"
    bad = tmp_path / "proj" / "rtl" / "add1.v"
    bad.write_text(bad.read_text().replace("assign y = logic;", "assign y = lgic;"))
    failed = runner.invoke(cli, ["verify", "-f", "../proj/files.f", "--spec", "../proj/spec.md", "--checks", "lint"])
    assert failed.exit_code == 1 and f"{bad}:4" in failed.output, failed.output  # the user's file and line


@pytest.mark.bench
def test_bench_relative_paths_with_the_process_pool(tmp_path, monkeypatch, benchmarks) -> None:
    """A relative suite folder and liberty path work in pool workers (they used to fail with 'file not found')."""
    work = tmp_path / "work"
    work.mkdir()
    os.symlink(benchmarks / "verilog-eval" / "spec-to-rtl", work / "suite")
    os.symlink(benchmarks / "liberty" / "sky130hd_tt.lib.gz", work / "lib.gz")
    monkeypatch.chdir(work)
    result = CliRunner().invoke(cli, ["bench", "suite", "--limit", "2", "--checks", "lint,official", "-j", "2",
                                      "--ppa", "--liberty", "lib.gz", "--json", "-"])
    assert result.exit_code == 0, result.output
    records = json.loads(result.stdout[: result.stdout.rindex("]") + 1])
    assert len(records) == 2 and all(r["status"] == "pass" and r["liberty"] for r in records), records
    assert "bench [2/2]" in result.stderr  # plain progress lines off a terminal
