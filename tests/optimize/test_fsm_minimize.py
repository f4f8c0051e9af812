"""FSM minimisation with known answers: unreachable states, Moore and Mealy equivalence, don't-cares."""
from __future__ import annotations

import pytest

from rtlgen.optimize.fsm import equivalence_classes, extract_fsms, minimize
from rtlgen.optimize.fsm.encode import activity, encode, keep
from rtlgen.optimize.fsm.minimize import reachable
from rtlgen.spec.model import Candidate
from tests.optimize.fsm_machines import DIAMOND, MEALY_DISTINCT, MEALY_DONT_CARE, MEALY_SAME, MOD6, MOD6_AS_MOD3
from tests.optimize.test_fsm_extract import design, only


def minimal(rtl: str):
    return minimize(only(Candidate(rtl, "m")))


def test_moore_mod6_counter_observed_mod3_needs_refinement() -> None:
    fsm = only(Candidate(MOD6_AS_MOD3, "m"))
    # the outputs alone split the states in two blocks; refinement must find three classes
    assert len(set(fsm.outputs)) == 2
    assert sorted(map(sorted, equivalence_classes(fsm))) == [["S0", "S3"], ["S1", "S4"], ["S2", "S5"]]
    assert minimize(fsm).states == ("S0", "S1", "S2")
    assert dict(minimize(fsm).merged) == {"S3": "S0", "S4": "S1", "S5": "S2"}


def test_minimal_machine_is_left_alone() -> None:
    fsm = only(Candidate(MOD6, "m"))
    assert minimize(fsm) == fsm


def test_unreachable_then_equivalent() -> None:
    fsm = only(Candidate(DIAMOND, "m"))
    assert reachable(fsm) == {"A", "B", "C", "D", "E"}
    small = minimize(fsm)
    assert small.removed == ("F",)
    assert small.states == ("A", "B", "D") and dict(small.merged) == {"C": "B", "E": "D"}
    assert small.inputs == (("rst", 1), ("x", 1))
    assert small.successors("A") == ("B", "B", "A", "A")  # C became B; rst=1 goes to reset


def test_mealy_outputs_keep_states_apart() -> None:
    assert len(minimal(MEALY_DISTINCT).states) == 3
    same = minimal(MEALY_SAME)
    assert same.states == ("I", "P") and dict(same.merged) == {"Q": "P"}


def test_unspecified_output_never_merges_with_a_specified_one() -> None:
    # P drives x (unspecified) where Q drives 0: a don't-care must not make them equal
    assert len(minimal(MEALY_DONT_CARE).states) == 3


def test_unspecified_transition_never_merges_with_a_specified_one() -> None:
    rtl = MEALY_SAME.replace("P: begin n = I; out = x; end", "P: begin n = x ? I : 2'bxx; out = x; end")
    assert len(minimal(rtl).states) == 3


@pytest.mark.parametrize("name, before, after", [
    ("fsm_vending", 6, 4), ("fsm_mealy101", 4, 3), ("fsm_handshake", 6, 4), ("fsm_door", 7, 4),
    ("fsm_parity", 4, 2), ("fsm_pulse", 6, 6), ("seq_detector", 5, 5), ("traffic_light", 6, 6),
])
def test_design_state_counts(name: str, before: int, after: int) -> None:
    fsm = only(design(name))
    assert (len(fsm.states), len(minimize(fsm).states)) == (before, after)


def test_encodings_and_activity() -> None:
    fsm = minimize(only(design("fsm_pulse")))  # a ring WAIT -> ARM -> HIGH1 -> HIGH2 -> GAP1 -> GAP2
    onehot, binary, gray = (encode(fsm, n) for n in ("onehot", "binary", "gray"))
    assert onehot.width == 6 and binary.width == gray.width == 3
    for enc in (onehot, binary, gray, encode(fsm, "custom")):
        assert enc.code(fsm.reset) == (1 if enc is onehot else 0)
        assert len({c for _, c in enc.codes}) == len(fsm.states)
    # a ring in gray order flips one bit per step except the wrap; binary flips more
    assert activity(fsm, gray) < activity(fsm, binary)
    assert activity(fsm, encode(fsm, "custom")) <= activity(fsm, binary)
    assert keep(fsm).width == 6
