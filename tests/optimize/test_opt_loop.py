"""The loop with deterministic moves only: proven and smaller is kept, wrong or not better is rejected."""
from __future__ import annotations

from pathlib import Path

import pytest

import rtlgen
from rtlgen.spec.model import Candidate
from tests.optimize.conftest import COUNT10, NARROW, WRONG, proposal

pytestmark = [pytest.mark.synth, pytest.mark.formal, pytest.mark.sim]


def test_no_llm_keeps_the_proven_smaller_rewrite_and_rejects_the_wrong_one(tmp_path: Path, nangate45, providers):
    providers(fsm=lambda candidate, **_: [proposal(WRONG, "drop-branch"), proposal(NARROW, "narrow-counter"),
                                           proposal(candidate.rtl + "\n// same\n", "no-op")])
    result = rtlgen.optimize(Candidate(COUNT10, "m"), liberty=nangate45, llm=False, flows=False,
                             power_from_simulation=False, workdir=tmp_path)
    assert result.equivalence == "proven" and result.exit_code == 0
    assert [s.rule for s in result.steps] == ["narrow-counter"]
    assert result.rtl == NARROW and "+reg [3:0] q;" in result.steps[0].diff
    reasons = {r.rule: r.reason for r in result.rejected}
    assert reasons["drop-branch"] == "counterexample"
    assert reasons["no-op"] == "not better"
    assert result.area_after_um2 < result.area_before_um2 * 0.99
    assert result.area_rtl_um2 == result.area_after_um2            # no flow portfolio: RTL changes only
    assert result.providers["prompt"] == "disabled (--no-llm)" and result.providers["flow"] == "disabled"
    assert result.autotb == "pass" and result.llm_calls == 0
    assert list((tmp_path / "proofs").glob("*.log"))


def test_missing_providers_are_reported_and_the_input_is_returned_proven(tmp_path: Path, nangate45, providers):
    providers()
    result = rtlgen.optimize(Candidate(COUNT10, "m"), liberty=nangate45, llm=False, flows=False,
                             power_from_simulation=False, workdir=tmp_path)
    assert result.steps == () and result.rtl == COUNT10 and result.exit_code == 0
    assert "not installed" in result.providers["fsm"] and "not installed" in result.providers["rules"]
