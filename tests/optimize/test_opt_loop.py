"""The loop with deterministic moves only: proven and smaller is kept, wrong or not better is rejected."""
from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

import rtlgen
from rtlgen.spec.model import Candidate
from rtlgen.optimize.loop import RULES_K, Search
from rtlgen.synth.target import Target
from tests.optimize.conftest import COUNT10, NARROW, WRONG, proposal

pytestmark = [pytest.mark.synth, pytest.mark.formal, pytest.mark.sim]


def test_no_llm_keeps_the_proven_smaller_rewrite_and_rejects_the_wrong_one(tmp_path: Path, nangate45, providers):
    # three flip-flops wrapping at 8: smaller than the right narrowing whatever the mapping, so it is proven first
    smaller_wrong = NARROW.replace("[3:0]", "[2:0]").replace("(q == 4'd9) ? 4'd0 : ", "")
    providers(fsm=lambda candidate, **_: [proposal(smaller_wrong, "drop-branch"), proposal(NARROW, "narrow-counter"),
                                           proposal(candidate.rtl + "\n// same\n", "no-op")])
    result = rtlgen.optimize(Candidate(COUNT10, "m"), Target(liberty=nangate45),
                             Search(llm=False, flows=False, power_from_simulation=False), workdir=tmp_path)
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


def test_a_template_rule_ranked_below_the_retrieved_ones_is_tried_where_its_scan_finds_a_site(
        tmp_path: Path, nangate45, providers):
    """Retrieval ranks rules by text match, so any rule can fall out of its top RULES_K; whether a template
    applies is its site scan's to say."""
    ranked = [SimpleNamespace(id=f"prompt-{n}", kind="prompt") for n in range(RULES_K)]
    narrowing = SimpleNamespace(id="register-range-narrowing", kind="template")
    scanned: list[str] = []

    def scan(candidate: Candidate, rule: SimpleNamespace) -> list:
        scanned.append(rule.id)
        return [proposal(NARROW, rule.id, "template")] if candidate.rtl == COUNT10 else []

    providers(rules=[*ranked, narrowing], templates=scan)
    result = rtlgen.optimize(Candidate(COUNT10, "m"), Target(liberty=nangate45),
                             Search(llm=False, flows=False, power_from_simulation=False), workdir=tmp_path)
    assert scanned == [narrowing.id, narrowing.id]  # round 1 on the input, round 2 on the narrowed design
    assert [s.rule for s in result.steps] == [narrowing.id] and result.rtl == NARROW
    assert result.equivalence == "proven" and result.exit_code == 0


def test_without_moves_the_input_is_returned_proven(tmp_path: Path, nangate45, providers):
    providers()
    result = rtlgen.optimize(Candidate(COUNT10, "m"), Target(liberty=nangate45),
                             Search(llm=False, flows=False, power_from_simulation=False), workdir=tmp_path)
    assert result.steps == () and result.rtl == COUNT10 and result.exit_code == 0
    assert result.providers["fsm"] == "ok" and result.providers["rules"] == "ok"


def test_when_the_best_recipe_is_not_proven_the_runner_up_is(tmp_path: Path, nangate45, providers,
                                                              monkeypatch: pytest.MonkeyPatch):
    """A recipe is only as good as its proof: the best one's netlist fails (here: planted wrong), the next is kept."""
    from rtlgen.optimize import portfolio
    from rtlgen.optimize.ppa import PPA

    providers()
    best, runner_up = portfolio.Recipe(abc="area"), portfolio.Recipe(sat=True)
    flows = {r: str(r.write(tmp_path / "recipes")) for r in (best, runner_up)}
    choice = portfolio.Choice(best, flows[best], PPA(50.0, 1.0, 1e-5), (),
                              runners_up=((runner_up, flows[runner_up], PPA(60.0, 1.0, 1e-5)),))
    monkeypatch.setattr(portfolio, "search", lambda *args, **kwargs: choice)
    real = portfolio.proof_netlist

    def planted(candidate: Candidate, flow: str, *args, **kwargs) -> Candidate:
        if flow == flows[best]:  # the synthesized netlist of a design that wraps one state early
            return real(Candidate(WRONG, "m"), flow, *args, **kwargs)
        return real(candidate, flow, *args, **kwargs)

    monkeypatch.setattr(portfolio, "proof_netlist", planted)
    result = rtlgen.optimize(Candidate(COUNT10, "m"), Target(liberty=nangate45),
                             Search(llm=False, power_from_simulation=False), workdir=tmp_path / "run")
    reasons = {r.rule: r.reason for r in result.rejected}
    assert reasons[best.name] == "counterexample"
    assert [s.rule for s in result.steps] == [runner_up.name] and result.steps[0].equivalence == "proven"
    assert result.equivalence == "proven"


def test_the_flow_portfolio_judges_power_with_the_simulated_activity_whatever_the_goal(
        tmp_path: Path, nangate45, providers, monkeypatch: pytest.MonkeyPatch):
    """Every recipe maps the same RTL, so the portfolio gets the simulation's activity even for goal area: its base
    and its tolerance origin carry the activity-based power that the result reports, not a vectorless screen."""
    from rtlgen.optimize import portfolio

    providers()
    seen = {}

    def search(candidate, base, measure, criterion, folder, **kwargs):
        seen.update(base=base, origin=criterion.origin, recipe=measure(candidate, portfolio.BASE_FLOW))
        return portfolio.Choice(None, portfolio.BASE_FLOW, base, ())

    monkeypatch.setattr(portfolio, "search", search)
    result = rtlgen.optimize(Candidate(COUNT10, "m"), Target(liberty=nangate45), Search(llm=False), workdir=tmp_path)
    assert result.power_source == "engine gate, gate-sim(auto testbench, seed 1), same stimulus before and after"
    assert seen["origin"].power == result.power_before_w
    assert seen["base"].power == result.power_after_w  # no RTL change, base flow kept
    assert seen["recipe"].power is None  # a recipe gaining no area is turned down unpriced (test_loop_portfolio.py)


def test_the_targets_power_engine_prices_every_measurement(
        tmp_path: Path, nangate45, providers, monkeypatch: pytest.MonkeyPatch):
    """``Target.power_engine`` reaches the measure: OpenSTA prices the same simulated activity; the result says so."""
    from rtlgen.optimize import portfolio

    providers()
    seen = {}

    def search(candidate, base, measure, criterion, folder, **kwargs):
        seen.update(base=base, origin=criterion.origin)
        return portfolio.Choice(None, portfolio.BASE_FLOW, base, ())

    monkeypatch.setattr(portfolio, "search", search)
    result = rtlgen.optimize(Candidate(COUNT10, "m"), Target(liberty=nangate45, power_engine="sta"),
                             Search(llm=False, goal="power"), workdir=tmp_path)
    assert seen["base"].power_engine == seen["origin"].power_engine == "sta"
    assert result.power_source == "engine sta, gate-sim(auto testbench, seed 1), same stimulus before and after"


def test_a_design_of_wires_tries_no_synthesis_recipe(tmp_path: Path, nangate45, providers):
    providers()
    wires = "module m(input [3:0] a, output [3:0] y);\n  assign y = {a[0], a[3:1]};\nendmodule\n"
    result = rtlgen.optimize(Candidate(wires, "m"), Target(liberty=nangate45),
                             Search(llm=False, power_from_simulation=False), workdir=tmp_path)
    assert result.area_before_um2 == 0 and result.exit_code == 0
    assert result.providers["flow"].startswith("no cells to map") and result.tried == 0


@pytest.mark.parametrize("spend_slack, clock", [(True, 7.0), (False, None)])
def test_the_clock_period_is_the_delay_constraint_unless_delay_is_kept(tmp_path: Path, nangate45, providers,
                                                                       monkeypatch: pytest.MonkeyPatch,
                                                                       spend_slack: bool, clock: float | None):
    """By default a change may spend the slack the clock period leaves (the criterion knows the period); with
    ``spend_slack=False`` (``--keep-delay``) the delay tolerance holds everywhere."""
    from rtlgen.optimize import portfolio

    providers()
    seen = {}

    def search(candidate, base, measure, criterion, folder, **kwargs):
        seen["clock"] = criterion.clock_ns
        return portfolio.Choice(None, portfolio.BASE_FLOW, base, ())

    monkeypatch.setattr(portfolio, "search", search)
    rtlgen.optimize(Candidate(COUNT10, "m"), Target(liberty=nangate45, clock_ns=7.0),
                    Search(llm=False, power_from_simulation=False, **({} if spend_slack else {"spend_slack": False})),
                    workdir=tmp_path)
    assert seen["clock"] == clock
