"""FSM proposals: rule ids of the store, faithful regeneration, and every rewrite proven by formal;
a planted wrong merge and a changed reset state are rejected with counterexamples."""
from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from rtlgen.optimize.fsm import equivalence_classes, extract_fsms, propose
from rtlgen.optimize.fsm.encode import activity, encode, keep
from rtlgen.optimize.fsm.extract import analyse
from rtlgen.optimize.fsm.minimize import apply_merge
from rtlgen.optimize.fsm.propose import RULE_MERGE, RULE_REENCODE, RULE_UNREACHABLE
from rtlgen.optimize.fsm.rewrite import render
from rtlgen.optimize.rules.store import load_rules
from rtlgen.spec.interface import infer_clock, infer_reset, read_ports
from rtlgen.spec.model import Candidate
from rtlgen.verify.formal.pairwise import prove_equivalent
from rtlgen.verify.result import CheckResult
from tests.optimize.fsm_machines import ENUM_SV
from tests.optimize.test_fsm_extract import design, only

FSM_DESIGNS = ("fsm_vending", "fsm_mealy101", "fsm_handshake", "fsm_door", "fsm_parity", "fsm_pulse",
               "seq_detector", "traffic_light")


def prove(gold: Candidate, gate: Candidate, workdir: Path) -> CheckResult:
    ports = read_ports(gold.rtl, gold.top)
    return prove_equivalent(gold, gate, clock=infer_clock(ports, gold.rtl), reset=infer_reset(ports, gold.rtl),
                            workdir=workdir, timeout=120)


def by_rule(candidate: Candidate, rule: str):
    found = [p for p in propose(candidate) if p.rule == rule]
    assert found, f"no {rule} proposal for {candidate.top}"
    return found[0]


def test_rule_ids_are_fsm_rules_of_the_store() -> None:
    store = {r.id: r for r in load_rules()}
    for rule in (RULE_MERGE, RULE_UNREACHABLE, *RULE_REENCODE.values()):
        assert rule in store and store[rule].kind == "fsm", rule


def test_proposals_are_fsm_moves_on_the_same_top() -> None:
    proposals = propose(design("fsm_vending"))
    assert proposals[0].rule == RULE_MERGE  # structural change first
    assert {p.kind for p in proposals} == {"fsm"}
    assert all(p.candidate.top == "fsm_vending" and p.candidate.rtl != design("fsm_vending").rtl for p in proposals)
    assert propose(design("counter")) == []


def test_regeneration_touches_only_fsm_lines() -> None:
    original = design("traffic_light")
    new = by_rule(original, RULE_REENCODE["gray"]).candidate
    removed = [line[1:].strip() for line in difflib.unified_diff(original.rtl.splitlines(), new.rtl.splitlines(),
                                                                 lineterm="", n=0)
               if line.startswith("-") and not line.startswith("---")]
    assert removed  # codes and width changed ...
    for line in removed:  # ... and nothing but the codes, the state declaration and the arithmetic successor
        assert line.startswith(("localparam [2:0] P_NS_GREEN", "P_", "reg [2:0]     phase", "phase   <= (phase =="))
    assert "elapsed <= elapsed + 1'b1;" in new.rtl and "assign ew_red    = !(ew_green || ew_yellow);" in new.rtl
    again = only(new)
    assert again.width == 3 and set(again.states) == set(only(original).states)


def test_goal_power_ranks_by_toggles() -> None:
    proposals = [p for p in propose(design("fsm_pulse"), goal="power") if p.rule in RULE_REENCODE.values()]
    toggles = [float(p.description.rsplit("; ", 1)[1].split()[0]) for p in proposals]
    assert toggles == sorted(toggles) and len(toggles) >= 3
    with pytest.raises(ValueError, match="goal"):
        propose(design("fsm_pulse"), goal="speed")


@pytest.mark.formal
@pytest.mark.parametrize("name, rule", [
    ("fsm_vending", RULE_MERGE), ("fsm_mealy101", RULE_MERGE), ("fsm_handshake", RULE_UNREACHABLE),
    ("fsm_door", RULE_MERGE), ("fsm_parity", RULE_REENCODE["onehot"]), ("traffic_light", RULE_REENCODE["gray"]),
    ("seq_detector", RULE_REENCODE["onehot"]),
])
def test_rewrite_is_proven_equivalent(name: str, rule: str, tmp_path: Path) -> None:
    original = design(name)
    result = prove(original, by_rule(original, rule).candidate, tmp_path)
    assert result.verdict == "proven", result.message


@pytest.mark.formal
def test_enum_merge_is_proven(tmp_path: Path) -> None:
    original = Candidate(ENUM_SV, "m")
    merged = by_rule(original, RULE_MERGE).candidate
    assert "RUN_AGAIN" not in merged.rtl and "enum logic [1:0] {IDLE = 2'b00, RUN = 2'b01, HALT = 2'b11}" in merged.rtl
    result = prove(original, merged, tmp_path)
    assert result.verdict == "proven", result.message


@pytest.mark.formal
def test_planted_wrong_merge_is_rejected_with_a_counterexample(tmp_path: Path) -> None:
    original = design("fsm_door")
    [(fsm, sites)] = analyse(original)
    # OPEN and CLOSED have the same outputs (motors off) but react differently to the button
    assert not any({"OPEN", "CLOSED"} <= set(c) for c in equivalence_classes(fsm))
    wrong = apply_merge(fsm, {"OPEN": "CLOSED"})
    rtl = render(original.rtl, fsm, sites, wrong, keep(wrong))
    assert "OPEN " not in rtl.split("endmodule")[0].split("reg [2:0] state")[0]  # the code is gone
    result = prove(original, Candidate(rtl, "fsm_door"), tmp_path)
    assert result.verdict == "counterexample", result.message
    assert result.mismatch is not None and result.mismatch.signal in ("motor_up", "motor_down")


@pytest.mark.formal
def test_changed_reset_state_is_rejected(tmp_path: Path) -> None:
    original = design("fsm_vending")
    merged = by_rule(original, RULE_MERGE).candidate
    assert merged.rtl.count("if (rst) state <= IDLE;") == 1
    wrong = Candidate(merged.rtl.replace("if (rst) state <= IDLE;", "if (rst) state <= C5;"), "fsm_vending")
    result = prove(original, wrong, tmp_path)
    assert result.verdict == "counterexample", result.message


@pytest.mark.formal
@pytest.mark.slow
@pytest.mark.parametrize("name", FSM_DESIGNS)
def test_every_proposal_is_proven(name: str, tmp_path: Path) -> None:
    original = design(name)
    proposals = list({p.candidate.rtl: p for p in propose(original, goal="power") + propose(original)}.values())
    assert proposals
    for i, p in enumerate(proposals):
        result = prove(original, p.candidate, tmp_path / str(i))
        assert result.verdict == "proven", f"{p.rule}: {p.description}: {result.message}"
