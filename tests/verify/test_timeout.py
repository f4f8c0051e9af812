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
from rtlgen.verify.simulators import WALL_BACKSTOP
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
    assert time.monotonic() - start < 5 * WALL_BACKSTOP + 30  # 5 s of CPU (the wall clock's backstop when loaded)


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


def test_sigterm_stops_the_command_and_the_simulator_it_runs(tmp_path: Path) -> None:
    """`kill` (or a CI timeout) of `rtlgen verify` must not leave the hanging simulator running."""
    import signal  # noqa: PLC0415
    import subprocess  # noqa: PLC0415
    import sys  # noqa: PLC0415

    import psutil  # noqa: PLC0415 - process trees across process groups, safe against reused pids

    spec_file = tmp_path / "spec.md"
    spec_file.write_text("---\ntop: TopModule\nreference:\n  rtl: ref.v\n  top: TopModule\n---\n# a wire\n")
    (tmp_path / "ref.v").write_text(REFERENCE)
    (tmp_path / "hang.v").write_text(HANGS)
    proc = subprocess.Popen([sys.executable, "-c", "from rtlgen.cli import main; main()", "verify", "hang.v",
                             "--spec", "spec.md", "--checks", "autotb", "--timeout", "300"], cwd=tmp_path,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    command = psutil.Process(proc.pid)

    def simulators() -> list[psutil.Process]:
        """vvp processes started by the command (its descendants, in whatever process group)."""
        try:
            return [p for p in command.children(recursive=True) if p.name() == "vvp"]
        except psutil.Error:
            return []

    def alive(processes: list[psutil.Process]) -> list[psutil.Process]:
        """Still running, wherever they were re-parented; a zombie is dead."""
        running = []
        for p in processes:
            try:
                if p.is_running() and p.status() != psutil.STATUS_ZOMBIE:
                    running.append(p)
            except psutil.Error:
                pass
        return running

    started: list[psutil.Process] = []
    try:
        deadline = time.monotonic() + 120
        while not started and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.2)
            started = simulators()
        assert started, "the simulator never started"
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 128 + signal.SIGTERM
        deadline = time.monotonic() + 10
        while alive(started) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not alive(started), "the simulator outlived the command"
    finally:  # a failing assertion must not leave the command or its simulator running
        leftover = alive(started + simulators())
        proc.kill()
        proc.wait()
        for p in leftover:
            p.kill()
