"""FSM extraction: states, codes, reset, transitions and outputs on small machines; refusal of what is not understood."""
from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from rtlgen.optimize.fsm import Fsm, extract_fsms, why_not
from rtlgen.spec.model import Candidate
from tests.optimize.fsm_machines import DIAMOND, ENUM_SV, MEALY_DISTINCT

DESIGNS = Path(__file__).resolve().parents[2] / "designs"


def design(name: str) -> Candidate:
    return Candidate.from_file(str(DESIGNS / name / f"{name}.v"), name)


def only(candidate: Candidate) -> Fsm:
    fsms = extract_fsms(candidate)
    assert len(fsms) == 1, why_not(candidate)
    return fsms[0]


def step(fsm: Fsm, state: str, **inputs: int) -> str:
    """The successor of ``state`` under ``inputs`` (every input named)."""
    names = [n for n, _ in fsm.inputs]
    v = 0
    for name, w in fsm.inputs:
        v = (v << w) | inputs[name]
    assert set(inputs) == set(names)
    return fsm.successors(state)[v]


def test_seq_detector_moore_machine_with_async_reset() -> None:
    fsm = only(design("seq_detector"))
    assert fsm.register == "state" and fsm.next_var == "state_next" and fsm.width == 3
    assert fsm.states == ("S_IDLE", "S_1", "S_10", "S_101", "S_1011") and fsm.codes == (0, 1, 2, 3, 4)
    assert fsm.reset == "S_IDLE" and fsm.kind == "moore"
    assert dict(fsm.inputs) == {"din": 1, "rst_n": 1}
    table = {"S_IDLE": ("S_IDLE", "S_1"), "S_1": ("S_10", "S_1"), "S_10": ("S_IDLE", "S_101"),
             "S_101": ("S_10", "S_1011"), "S_1011": ("S_10", "S_1")}
    for state, (on0, on1) in table.items():
        assert step(fsm, state, din=0, rst_n=1) == on0
        assert step(fsm, state, din=1, rst_n=1) == on1
        assert step(fsm, state, din=1, rst_n=0) == "S_IDLE"  # the reset branch
    # Moore outputs: only S_1011 raises `detected`, so it alone has its own signature
    assert len(set(fsm.outputs)) == 2 and fsm.outputs.count(fsm.outputs[-1]) == 1


def test_graph_is_a_networkx_multidigraph_with_guards() -> None:
    g = only(design("seq_detector")).graph
    assert isinstance(g, nx.MultiDiGraph)
    assert g.nodes["S_IDLE"]["reset"] and g.nodes["S_101"]["code"] == 3
    guards = [d["condition"] for _, dst, d in g.out_edges("S_101", data=True) if dst == "S_1011"]
    assert guards == ["(din==1 & rst_n==1)"]


def test_one_process_machine_and_arithmetic_next_state() -> None:
    door = only(design("fsm_door"))  # state assigned in a case inside the clocked block
    assert door.next_var is None and len(door.states) == 7
    assert step(door, "CLOSING", at_bottom=1, at_top=0, button=1, rst_n=1) == "CLOSED"
    assert step(door, "CLOSING", at_bottom=0, at_top=0, button=1, rst_n=1) == "STOPPED_DOWN_HALF"
    assert step(door, "OPEN", at_bottom=0, at_top=0, button=0, rst_n=1) == "OPEN"  # no assignment: hold
    light = only(design("traffic_light"))  # phase <= (phase == LAST) ? FIRST : phase + 1
    assert light.successors("P_CLEAR_TO_NS")[-1] in ("P_NS_GREEN", "P_CLEAR_TO_NS")
    assert set(light.graph.successors("P_CLEAR_TO_NS")) == {"P_NS_GREEN", "P_CLEAR_TO_NS"}


def test_mealy_outputs_are_per_valuation() -> None:
    fsm = only(Candidate(MEALY_DISTINCT, "m"))
    assert fsm.kind == "mealy" and fsm.reset == "I"
    out = dict(zip(fsm.states, fsm.outputs))
    assert out["P"] != out["Q"]  # P drives x, Q drives 0: different Mealy outputs
    assert out["I"] == out["Q"]  # both drive 0 whatever x is


def test_round_trip() -> None:
    fsm = only(Candidate(DIAMOND, "m"))
    assert Fsm.from_dict(fsm.to_dict()) == fsm


@pytest.mark.parametrize("change, why", [
    ("assign y = (s == D) || (s == E) || (s == F);", "assign y = s[0];"),  # the state used as data
    ("case (s)", "casez (s)"),
    ("      A: nxt = x ? C : B;", "      3'd0: nxt = x ? C : B;"),  # a literal label instead of a name
    ("assign y = (s == D) || (s == E) || (s == F);", "assign y = (nxt == D);"),  # next state read elsewhere
    ("    else s <= nxt;", "    if (x) s <= nxt;"),  # a later assignment overrides the reset branch
])
def test_patterns_not_understood_give_no_fsm(change: str, why: str) -> None:
    assert change in DIAMOND
    candidate = Candidate(DIAMOND.replace(change, why), "m")
    assert extract_fsms(candidate) == []
    assert why_not(candidate)  # and says why


def test_enum_state_codes() -> None:
    fsm = only(Candidate(ENUM_SV, "m"))
    assert fsm.states == ("IDLE", "RUN", "RUN_AGAIN", "HALT") and fsm.codes == (0, 1, 2, 3)
    assert fsm.reset == "IDLE" and step(fsm, "RUN", rst=0, x=0) == "HALT"


def test_enum_with_values_that_are_not_states_is_refused() -> None:
    extra = ENUM_SV.replace("{IDLE, RUN, RUN_AGAIN, HALT}", "{IDLE, RUN, RUN_AGAIN, HALT_UNUSED, HALT}").replace(
        "logic [1:0]", "logic [2:0]")
    assert extract_fsms(Candidate(extra, "m")) == []


def test_plain_counter_is_not_an_fsm() -> None:
    assert extract_fsms(design("counter")) == []
