"""Simulator classes: the commands they write, that they run them, and a real cocotb run on each."""
from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from cocotb_tools.check_results import get_results

from rtlgen.errors import ConfigError, ToolFailed
from rtlgen.tools.registry import find
from rtlgen.verify.simulators import SIMULATORS, Build, Icarus, SimRun, Verilator, get_simulator

TOY_RTL = """`timescale 1ns/1ps
module toy(input wire [3:0] a, output wire [3:0] y);
    assign y = a + 4'd1;
endmodule
"""
TOY_TEST = """import cocotb
from cocotb.triggers import Timer


@cocotb.test()
async def plus_one(dut):
    for a in range(16):
        dut.a.value = a
        await Timer(1, unit="ns")
        assert int(dut.y.value) == (a + {delta}) % 16
"""


def toy(tmp_path: Path, delta: int = 1) -> tuple[Build, SimRun]:
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "toy.v").write_text(TOY_RTL)
    (tmp_path / "toy_test.py").write_text(TOY_TEST.format(delta=delta))
    build = Build((tmp_path / "toy.v",), "toy", tmp_path / "build")
    return build, SimRun("toy_test", tmp_path, tmp_path / "results.xml", seed=5)


def test_get_simulator_lists_valid_names():
    assert isinstance(get_simulator("icarus"), Icarus)
    assert isinstance(get_simulator("Verilator"), Verilator)
    with pytest.raises(ConfigError, match="valid simulators: icarus, verilator"):
        get_simulator("modelsim")
    assert set(SIMULATORS) == {"icarus", "verilator"}


def test_icarus_commands(tmp_path):
    build, test = toy(tmp_path)
    sim = Icarus()
    (cmd,) = sim.build_commands(build)
    assert cmd == [find("iverilog"), "-g2012", "-o", str(build.build_dir / "sim.vvp"), "-s", "toy",
                   str(tmp_path / "toy.v")]
    run_cmd = sim.test_command(build, test)
    assert run_cmd[0] == find("vvp") and run_cmd[1] == "-m" and run_cmd[2].endswith("libcocotbvpi_icarus.so")
    assert run_cmd[-1] == "-none"
    assert Icarus().test_command(Build(build.sources, "toy", build.build_dir, waves=True), test)[-1] == "-vcd"


def test_verilator_commands(tmp_path):
    build, test = toy(tmp_path)
    verilate, make = Verilator().build_commands(build)
    assert verilate[0] == find("verilator")
    for flag in ("--vpi", "--public-flat-rw", "--no-timing", "-Wno-fatal"):
        assert flag in verilate
    assert verilate[verilate.index("--top-module") + 1] == "toy"
    assert any("-lcocotbvpi_verilator" in arg for arg in verilate)
    assert verilate[-1] == str(tmp_path / "toy.v") and verilate[-2].endswith("verilator.cpp")
    assert make[:2] == ["make", "-j"] and "VM_TRACE=0" in make
    assert Verilator().test_command(build, test)[0] == str(build.build_dir / "toy")


def test_cocotb_environment(tmp_path):
    build, test = toy(tmp_path)
    env = Icarus().test_env(build, test)
    assert env["COCOTB_TEST_MODULES"] == "toy_test" and env["COCOTB_TOPLEVEL"] == "toy"
    assert env["COCOTB_RESULTS_FILE"] == str(tmp_path / "results.xml") and env["COCOTB_RANDOM_SEED"] == "5"
    assert env["PYTHONPATH"].split(os.pathsep)[0] == str(tmp_path)
    libpython, entry = env["GPI_USERS"].split(";")
    assert Path(libpython).is_file() and entry.endswith(",initialize")
    assert "COCOTB_TRUST_INERTIAL_WRITES" not in env
    assert Verilator().test_env(build, test)["COCOTB_TRUST_INERTIAL_WRITES"] == "1"


def test_build_runs_the_written_commands(tmp_path, monkeypatch):
    """A mock iverilog on RTLGEN_IVERILOG records its arguments: build() runs exactly build_commands()."""
    log = tmp_path / "args.txt"
    mock = tmp_path / "mock-iverilog"
    mock.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > {log}\n')
    mock.chmod(mock.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("RTLGEN_IVERILOG", str(mock))
    find.cache_clear()
    try:
        build, _ = toy(tmp_path)
        (result,) = Icarus().build(build, timeout=30)
        assert result.returncode == 0
        assert log.read_text().splitlines() == Icarus().build_commands(build)[0][1:]
    finally:
        find.cache_clear()


@pytest.mark.sim
@pytest.mark.parametrize("name", ["icarus", "verilator"])
def test_real_cocotb_run(tmp_path, name):
    sim = get_simulator(name)
    for delta, failures in ((1, 0), (2, 1)):
        build, test = toy(tmp_path / str(delta), delta)
        sim.build(build, timeout=300)
        sim.simulate(build, test, timeout=120)
        assert get_results(test.results_file) == (1, failures)


@pytest.mark.sim
def test_compile_error_raises_with_the_compiler_lines(tmp_path):
    (tmp_path / "bad.v").write_text("module bad(input a, output y)\n  assign y = a\nendmodule\n")
    with pytest.raises(ToolFailed) as info:
        Icarus().build(Build((tmp_path / "bad.v",), "bad", tmp_path / "build"), timeout=30)
    assert any("syntax error" in line for line in info.value.error_lines)


@pytest.mark.sim
def test_verilator_builds_a_design_once_and_copies_it_after(tmp_path, monkeypatch):
    """The same sources and commands give the cached executable, which runs as the built one; a changed source
    builds again."""
    runtime = Verilator._runtime_cache(toy(tmp_path / "probe")[0])  # the machine's compiled runtime objects
    monkeypatch.setenv("RTLGEN_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(Verilator, "_runtime_cache", staticmethod(lambda build: runtime))
    sim = Verilator()
    runs = []
    for name, delta in (("first", 1), ("again", 1), ("changed", 2)):
        build, test = toy(tmp_path / name, delta)
        if name == "changed":
            build.sources[0].write_text(TOY_RTL.replace("4'd1", "4'd2"))
        runs.append(len(sim.build(build, timeout=300)))
        sim.simulate(build, test, timeout=120)
        assert get_results(test.results_file) == (1, 0), name
    assert runs == [2, 0, 2]


@pytest.mark.sim
def test_doctor_prepare_leaves_the_runtime_objects_where_a_build_finds_them(tmp_path, monkeypatch):
    """`rtlgen doctor --prepare` (make setup) compiles Verilator's runtime objects into the cache that ``_compile``
    reads them from, so the first verification's build copies them instead of compiling them."""
    from click.testing import CliRunner  # noqa: PLC0415 - only this test drives the CLI

    from rtlgen.cli import cli  # noqa: PLC0415

    monkeypatch.setenv("RTLGEN_CACHE", str(tmp_path / "cache"))
    result = CliRunner().invoke(cli, ["doctor", "--prepare"])
    assert result.exit_code == 0, result.output
    build, _ = toy(tmp_path / "first")
    runtime = Verilator._runtime_cache(build)
    assert str(runtime) in result.output
    assert {o.name for o in runtime.glob("*.o")} >= {"verilated.o", "verilated_vpi.o", "verilated_threads.o"}
