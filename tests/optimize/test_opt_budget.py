"""A run ends with the best proven design written: at its time budget, on SIGTERM; tools get the run's limits;
a tool's failure reaches the rejection with its own message."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import rtlgen
from rtlgen.optimize import portfolio
from rtlgen.optimize.budget import SIGNAL_EXIT
from rtlgen.optimize.ppa import PPA
from rtlgen.optimize.loop import Search
from rtlgen.spec.model import Candidate
from rtlgen.synth.target import Target
from rtlgen.tools import run
from tests.optimize.conftest import COUNT10, NARROW, proposal
from tests.optimize.test_opt_cli import cli

pytestmark = [pytest.mark.synth, pytest.mark.formal, pytest.mark.sim]
ROOT = Path(__file__).resolve().parents[2]

# `rtlgen optimize` in its own process: the FSM provider proposes the narrowed counter, and once that is
# accepted it runs a tool that would take ten minutes (writing the tool's pid first), so SIGTERM lands mid-move.
_SCRIPT = """
import sys
from types import SimpleNamespace
from rtlgen.cli import main
from rtlgen.optimize import loop
from rtlgen.tools import run
from tests.optimize.conftest import NARROW, proposal

PID_FILE = sys.argv[1]

def fsm(candidate, **_):
    if candidate.rtl != NARROW:
        return [proposal(NARROW, "narrow-counter")]
    run(["sh", "-c", f"echo $$ > {PID_FILE}.tmp && mv {PID_FILE}.tmp {PID_FILE} && exec sleep 600"], timeout=900)
    return []

loop.fsm = SimpleNamespace(propose=fsm)
loop.load_rules = lambda: SimpleNamespace(search=lambda candidate, k: [], by_kind=lambda kind: [])
sys.argv = ["rtlgen", "optimize", *sys.argv[2:]]
main()
"""


def _wait_for(path: Path, proc: subprocess.Popen, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not path.is_file():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.2)


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z"   # a zombie no one reaped yet is dead


@pytest.mark.slow
def test_sigterm_mid_move_leaves_the_best_proven_design(tmp_path: Path, nangate45):
    design, out, pid_file = tmp_path / "m.v", tmp_path / "out", tmp_path / "tool.pid"
    design.write_text(COUNT10)
    proc = subprocess.Popen([sys.executable, "-c", _SCRIPT, str(pid_file), str(design), "--liberty", nangate45,
                             "--no-llm", "--no-flows", "--out", str(out)], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        _wait_for(pid_file, proc, 300)
        proc.send_signal(signal.SIGTERM)
        output, _ = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == SIGNAL_EXIT["SIGTERM"] == 143, output
    assert _gone(int(pid_file.read_text())), "the running tool outlived the SIGTERM"
    assert (out / "m.v").read_text() == NARROW
    data = json.loads((out / "opt.json").read_text())
    assert data["stopped"] == "SIGTERM" and data["equivalence"] == "proven"
    assert [s["rule"] for s in data["steps"]] == ["narrow-counter"] and data["area_after_um2"] < data["area_before_um2"]
    assert "SIGTERM" in (out / "changes.md").read_text()
    assert not list(out.glob(".*.partial"))


def test_a_tiny_time_budget_ends_the_run_with_the_input_written(monkeypatch, tmp_path: Path, nangate45, providers):
    """With the budget spent before the first move, no move starts and the input (proven: identical) is written."""
    called: list[str] = []
    providers(fsm=lambda candidate, **_: called.append("fsm") or [])
    design, out = tmp_path / "m.v", tmp_path / "out"
    design.write_text(COUNT10)
    code = cli(monkeypatch, "optimize", design, "--liberty", nangate45, "--no-llm", "--out", out,
               "--time-budget", "1")
    data = json.loads((out / "opt.json").read_text())
    assert code == 0 and data["stopped"] == "time budget" and data["time_budget_s"] == 1
    assert data["equivalence"] == "proven" and (out / "m.v").read_text().endswith(COUNT10) and called == []
    assert "Ended early by the time budget" in (out / "changes.md").read_text()


def test_the_agreement_check_and_the_proofs_get_the_timeout(monkeypatch, tmp_path: Path, nangate45, providers):
    from rtlgen.verify import agreement
    from rtlgen.verify.formal import pairwise

    providers(fsm=lambda candidate, **_: [] if candidate.rtl == NARROW else
              [proposal(NARROW, "narrow")])
    limits: dict[str, list[float]] = {"agreement": [], "proof": []}

    def spy(real, key):
        def call(*args, **kwargs):
            limits[key].append(kwargs.get("timeout"))
            return real(*args, **kwargs)
        return call

    monkeypatch.setattr(agreement, "check_agreement", spy(agreement.check_agreement, "agreement"))
    monkeypatch.setattr(pairwise, "prove_equivalent", spy(pairwise.prove_equivalent, "proof"))
    design = tmp_path / "m.v"
    design.write_text(COUNT10)
    assert cli(monkeypatch, "optimize", design, "--liberty", nangate45, "--no-llm", "--no-flows", "--out",
               tmp_path / "out", "--timeout", "600") == 0
    assert len(limits["agreement"]) == 2 and len(limits["proof"]) == 2     # input and move; move and end to end
    assert all(t is not None and 580 < t <= 600 for t in limits["agreement"] + limits["proof"]), limits


def test_a_failing_tool_gives_its_message_and_command_to_the_rejection(tmp_path: Path, nangate45, providers,
                                                                       monkeypatch: pytest.MonkeyPatch):
    providers()
    recipe = portfolio.Recipe(clock_gating=True)
    flow = str(recipe.write(tmp_path / "recipes"))
    monkeypatch.setattr(portfolio, "search", lambda *args, **kwargs: portfolio.Choice(
        recipe, flow, PPA(1.0, 0.1, 1e-6), ()))

    def failing(candidate: Candidate, *args, **kwargs) -> Candidate:
        run([sys.executable, "-c", "import sys; sys.exit('ERROR: Module `m_gated` not found!')"], timeout=60)
        raise AssertionError("the tool above fails")

    monkeypatch.setattr(portfolio, "proof_netlist", failing)
    result = rtlgen.optimize(Candidate(COUNT10, "m"), Target(liberty=nangate45),
                             Search(llm=False, power_from_simulation=False), workdir=tmp_path / "run")
    rejected = {r.rule: r for r in result.rejected}[recipe.name]
    assert rejected.reason == "error" and result.exit_code == 0 and result.steps == ()
    first, command = rejected.detail.splitlines()
    assert "exit code 1" in first and "ERROR: Module `m_gated` not found!" in first
    assert command.startswith("command: ") and "sys.exit" in command
