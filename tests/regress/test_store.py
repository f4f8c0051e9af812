"""The run store: exact round trips, per-item transactions, SIGKILL mid-run and --resume."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from rtlgen.cli import cli
from rtlgen.errors import ConfigError
from rtlgen.regress.model import Item, RunInfo
from rtlgen.regress.records import BenchRecord, JobResult
from rtlgen.regress.store import Store
from rtlgen.synth.report import SynthReport
from rtlgen.verify.result import CheckResult, Mismatch, VerifyResult
from tests.regress.tiny import write_suite


def _item(problem: str, status: str = "ok") -> Item:
    mismatch = Mismatch(cycle=7, signal="y", expected="4'h0", actual="4'h2", window=[{"a": "1", "y": "2"}], count=3,
                        outputs={"y": 3})
    verify = VerifyResult(problem, "abc123", [
        CheckResult("lint:iverilog", "pass", seconds=0.1),
        CheckResult("autotb", "fail", "simulated(64)", "runtime_mismatch", "first mismatch", mismatch, "log", 1.5,
                    {"vcd": "/x/dump.vcd"}, mismatches=3, compared=64),
        CheckResult("formal", "proven", "proven", seconds=0.4)], seconds=2.0)
    synth = SynthReport(top=problem, design_hash="abc123", flow="yosys", clock_ns=5.0, area_kind="um2",
                        liberty={"name": "lib", "path": "/l.lib", "sha256": "f00"}, area_um2=138.8832,
                        sequential_area_um2=80.1, combinational_area_um2=58.7832, cell_count=9, cells={"dfxtp": 4},
                        delay_ns=0.8613, arrival_ns=0.5, slack_ns=4.1387, fmax_mhz=1161.03,
                        critical_path={"startpoint": "a", "endpoint": "b", "path_group": None}, clock_ports=("clk",),
                        power_w=3.9e-05, power={"internal_w": 1e-5, "switching_w": 2e-5, "leakage_w": 9e-6,
                                                "total_w": 3.9e-05},
                        activity={"source": "vectorless(input_activity=0.1,duty=0.5)"}, tool_versions={"yosys": "0.70"},
                        seconds={"yosys": 0.3}, warnings=("w1",))
    record = BenchRecord.from_verify(problem, "tiny", verify, "cand.v")
    record.area_um2, record.delay_ns, record.power_w = synth.area_um2, synth.delay_ns, synth.power_w
    return Item.from_job("tiny", JobResult(record, verify, synth), started="2026-01-01T00:00:00+00:00",
                         ended="2026-01-01T00:00:02+00:00", seconds=2.0,
                         llm={"model": "m", "prompt_tokens": 10, "completion_tokens": 5},
                         extra={"generation": {"attempts": [1, 2]}}).with_status(status)


def test_items_and_runs_read_back_as_the_same_dataclasses(tmp_path: Path) -> None:
    db = Store(tmp_path / "r.db")
    run = db.start_run(RunInfo(None, ("tiny",), "ref", "2026-01-01T00:00:00+00:00", tag="t", checks=("lint",),
                               tool_versions={"yosys": "0.70"}, ppa=True, liberty_sha256="f00", clock_ns=5.0))
    written = [_item("a"), _item("b", "error"), _item("c", "skipped")]
    for item in written:
        db.record(run.id, item)
    read = db.items(run.id)
    assert read == written
    assert isinstance(read[0].verify.checks[1].mismatch, Mismatch) and read[0].verify.checks[1].strength.n == 64
    assert read[0].synth == written[0].synth and read[0].synth.clock_ports == ("clk",)
    assert db.runs() == [run] and not run.complete
    assert db.interrupted(("tiny",)) == run
    done = db.finish_run(run)
    assert db.runs() == [done] and done.complete and db.interrupted() is None
    table = db.table()
    assert list(table["status"]) == ["ok", "error", "skipped"] and table["area_um2"].iloc[0] == 138.8832


def test_only_ok_counts_as_a_pass() -> None:
    assert [s for s in ("ok", "failed", "error", "skipped", "missing") if _item("a", s).ok] == ["ok"]
    with pytest.raises(ValueError, match="unknown item status"):
        _item("a", "pass")


def test_a_folder_is_not_a_store(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="is a folder"):
        Store(tmp_path)


def _comparable(items: list[Item]) -> list[tuple]:
    return [(i.suite, i.problem, i.status, i.candidate_hash, i.record.lint, i.record.formal, i.record.strength,
             i.record.failure_class) for i in items]


@pytest.mark.sim
def test_sigkill_mid_run_then_resume_ends_with_the_records_of_an_uninterrupted_run(tmp_path: Path) -> None:
    suite = write_suite(tmp_path / "tiny")
    options = ["--checks", "lint", "-j", "1"]
    whole = tmp_path / "whole.db"
    result = CliRunner().invoke(cli, ["regress", str(suite), "--store", str(whole), *options])
    assert result.exit_code == 0, result.output

    cut = tmp_path / "cut.db"
    proc = subprocess.Popen([sys.executable, "-c", "from rtlgen.cli import main; main()", "regress", str(suite),
                             "--store", str(cut), *options], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    recorded: set = set()
    while time.monotonic() < deadline and proc.poll() is None:
        if cut.is_file():
            recorded = Store(cut).recorded_keys(1) if Store(cut).runs() else set()
            if recorded:
                break
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL and 1 <= len(recorded) < 3, "the run was not killed mid-way"
    db = Store(cut)
    (interrupted,) = db.runs()
    assert not interrupted.complete
    before = {i.key: i for i in db.items(interrupted.id)}

    result = CliRunner().invoke(cli, ["regress", str(suite), "--store", str(cut), *options, "--resume"])
    assert result.exit_code == 0, result.output
    (finished,) = db.runs()
    assert finished.id == interrupted.id and finished.complete
    after = db.items(finished.id)
    assert _comparable(after) == _comparable(Store(whole).items(1))
    for item in after:  # what was recorded before the kill was not redone
        if item.key in before:
            assert item == before[item.key]
    result = CliRunner().invoke(cli, ["regress", str(suite), "--store", str(cut), *options, "--resume"])
    assert isinstance(result.exception, ConfigError) and "no interrupted run" in str(result.exception)


def test_last_seconds_schedule_the_longest_items_first(tmp_path: Path) -> None:
    db = Store(tmp_path / "r.db")
    for times in ({"a": 1.0, "b": 9.0}, {"a": 5.0}):
        run = db.start_run(RunInfo(None, ("tiny",), "ref", "t"))
        for problem, seconds in times.items():
            db.record(run.id, Item.from_job("tiny", JobResult(BenchRecord(problem, "tiny", status="pass")),
                                            started="t", ended="t", seconds=seconds))
    assert db.last_seconds() == {("tiny", "a"): 5.0, ("tiny", "b"): 9.0}
