"""`rtlgen optimize`: outputs and exit codes (0 proven, 1 nothing proven, 2 bad input)."""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pytest

from rtlgen.cli import main
from rtlgen.optimize.gate import Gate, Verdict
from tests.optimize.conftest import COUNT10, NARROW, proposal

pytestmark = [pytest.mark.synth, pytest.mark.formal, pytest.mark.sim]


def cli(monkeypatch: pytest.MonkeyPatch, *args: str) -> int:
    monkeypatch.setattr(sys, "argv", ["rtlgen", *map(str, args)])
    with pytest.raises(SystemExit) as exc:
        main()
    return int(exc.value.code or 0)


@pytest.fixture
def design(tmp_path: Path) -> Path:
    path = tmp_path / "m.v"
    path.write_text(COUNT10)
    return path


@pytest.mark.slow
def test_proven_run_writes_the_outputs_and_exits_0(monkeypatch, tmp_path: Path, design: Path, nangate45, providers):
    providers(fsm=lambda candidate, **_: [proposal(NARROW, "narrow-counter")])
    out, report = tmp_path / "out", tmp_path / "opt.json"
    code = cli(monkeypatch, "optimize", design, "--top", "m", "--liberty", nangate45, "--no-llm", "--no-flows",
               "--out", out, "--json", report)
    assert code == 0
    data = json.loads(report.read_text())
    assert data["equivalence"] == "proven" and data["steps"][0]["rule"] == "narrow-counter"
    assert (out / "m.v").read_text() == NARROW
    changes = (out / "changes.md").read_text()
    assert "narrow-counter" in changes and "```diff" in changes and "proven" in changes
    assert json.loads((out / "opt.json").read_text()) == data and list((out / "proofs").glob("*.log"))


@pytest.mark.slow
def test_unproven_end_to_end_exits_1(monkeypatch, tmp_path: Path, design: Path, nangate45, providers):
    providers(fsm=lambda candidate, **_: [proposal(NARROW, "narrow-counter")])
    monkeypatch.setattr(Gate, "end_to_end", lambda self, final: Verdict("inconclusive", "pdr gave up"))
    code = cli(monkeypatch, "optimize", design, "--liberty", nangate45, "--no-llm", "--no-flows",
               "--out", tmp_path / "out")
    assert code == 1
    assert "inconclusive" in (tmp_path / "out" / "changes.md").read_text()


def test_bad_input_exits_2(monkeypatch, tmp_path: Path, design: Path, capsys):
    assert cli(monkeypatch, "optimize", design, "--top", "nosuch", "--no-llm", "--out", tmp_path / "o") == 2
    unsafe = tmp_path / "unsafe.v"
    unsafe.write_text(COUNT10.replace("endmodule", "initial $system(\"date\");\nendmodule"))
    assert cli(monkeypatch, "optimize", unsafe, "--no-llm", "--out", tmp_path / "o2") == 2
    assert "$system" in capsys.readouterr().err    # a user's own file is trusted, but Yosys cannot read the task


@pytest.mark.slow
def test_a_second_run_into_the_same_folder_leaves_nothing_of_the_first(monkeypatch, tmp_path: Path, nangate45):
    first, second, out = tmp_path / "m.sv", tmp_path / "m.v", tmp_path / "out"
    first.write_text(COUNT10.replace("reg [7:0] q", "logic [7:0] q"))
    second.write_text(COUNT10)
    plain = ("--liberty", nangate45, "--no-llm", "--no-flows", "--out", out)
    assert cli(monkeypatch, "optimize", first, *plain) == 0
    assert "logic [7:0] q;" in (out / "m.sv").read_text() and not (out / "m.v").exists()
    started = time.time()
    assert cli(monkeypatch, "optimize", second, *plain) == 0
    assert "reg [7:0] q;" in (out / "m.v").read_text() and not (out / "m.sv").exists()
    older = [p for p in out.rglob("*") if p.is_file() and p.stat().st_mtime < started]
    assert older == []


def test_a_folder_holding_the_users_files_is_refused_without_force(monkeypatch, tmp_path: Path, design: Path,
                                                                   capsys):
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    assert cli(monkeypatch, "optimize", design, "--no-llm", "--out", out) == 2
    assert "--force" in capsys.readouterr().err
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]
