"""The flow portfolio's search leaves the time to prove its best recipe; a best recipe the budget still leaves
unproven is named with what it would have gained. The run's clock is skewed forward by what the (fake) search
spends, so no test waits for it."""
from __future__ import annotations

import time
from pathlib import Path
from types import SimpleNamespace
from typing import Callable

import pytest

import rtlgen
from rtlgen.optimize import budget, loop, portfolio
from rtlgen.optimize.budget import Budget, ProofCost, ToolLimit
from rtlgen.optimize.loop import NOT_PROVEN, Limits, Search
from rtlgen.optimize.ppa import PPA, Criterion
from rtlgen.optimize.result import OptResult
from rtlgen.spec.model import Candidate
from rtlgen.synth.target import Target
from tests.optimize.conftest import COUNT10

pytestmark = [pytest.mark.synth, pytest.mark.formal, pytest.mark.sim]
BEST = portfolio.Recipe(abc="area")


def _run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, nangate45: str,
         spends: Callable[[float], float]) -> tuple[OptResult, list[float]]:
    """A 300 s run of COUNT10 whose portfolio search finds ``BEST`` (half the base area) and moves the run's clock
    on by ``spends(time_budget)`` seconds; returns the result and the search's time budget."""
    skew = [0.0]
    monkeypatch.setattr(budget, "time", SimpleNamespace(monotonic=lambda: time.monotonic() + skew[0]))
    budgets: list[float] = []

    def search(candidate, base, measure, criterion, folder, **kwargs):
        budgets.append(kwargs["time_budget"])
        skew[0] += spends(kwargs["time_budget"])
        return portfolio.Choice(BEST, str(BEST.write(folder)), PPA(base.area / 2, base.delay, base.power), ())

    monkeypatch.setattr(portfolio, "search", search)
    result = rtlgen.optimize(Candidate(COUNT10, "m"), Target(liberty=nangate45),
                             Search(llm=False, power_from_simulation=False), Limits(time_budget=300.0),
                             workdir=tmp_path)
    return result, budgets


def test_a_search_that_spends_all_its_time_still_has_its_best_recipe_proven(
        tmp_path: Path, nangate45, providers, monkeypatch: pytest.MonkeyPatch):
    providers()
    result, budgets = _run(tmp_path, monkeypatch, nangate45, lambda seconds: seconds)
    assert budgets and budgets[0] < 300.0 * (1 - budget.RESERVE_SHARE)
    assert [s.rule for s in result.steps] == [BEST.name] and result.steps[0].equivalence == "proven"
    assert result.flow_after.startswith(BEST.name)  # its area is measured again at the end: the fake's is not kept
    assert result.stopped == "" and result.equivalence == "proven"


def test_a_best_recipe_left_unproven_by_the_budget_is_named_with_its_gain(
        tmp_path: Path, nangate45, providers, monkeypatch: pytest.MonkeyPatch):
    providers()
    result, _ = _run(tmp_path, monkeypatch, nangate45, lambda seconds: 300.0)  # a recipe overran the budget
    assert result.steps == () and result.area_after_um2 == result.area_before_um2
    assert result.stopped == "time budget" and result.equivalence == "proven"
    unproven = [r for r in result.rejected if r.rule == BEST.name]
    assert len(unproven) == 1 and unproven[0].reason == "inconclusive"
    assert "would have gained area -50.0%" in unproven[0].detail and NOT_PROVEN in unproven[0].detail
    assert result.providers["flow"] == f"{BEST.name} would have gained area -50.0%, {NOT_PROVEN}"


def test_no_recipe_is_tried_when_the_time_left_cannot_prove_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    timer = Budget(300.0)
    base = PPA(100.0, 1.0, 1e-5)
    run = loop._Run(gate=None, criterion=Criterion("area"), measure=lambda c, f: base, progress=lambda s, m: None,
                    current=Candidate(COUNT10, "m"), ppa=base, timer=timer, synth_limit=ToolLimit(timer, 900.0),
                    costs=ProofCost(synthesis=100.0, admission=1.0))  # proof ~201 s, 240 s left for moves
    searched: list[float] = []
    monkeypatch.setattr(portfolio, "search", lambda *args, **kwargs: searched.append(kwargs["time_budget"]))
    loop._flow_portfolio(run, tmp_path, lambda c, f: base, base, Criterion("area"))
    assert searched == [] and run.steps == [] and run.stopped == "time budget"
    assert run.providers["flow"].startswith("not started: proving a recipe takes about 201 s")
