"""`rtlgen optimize`: outputs and exit codes (0 proven, 1 nothing proven, 2 bad input)."""
from __future__ import annotations

import json
import sys
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
