"""The flow portfolio in the loop: power (a gate-level simulation) priced only for recipes that gain on the goal,
and every recipe's synthesis bounded by the portfolio's share of the time."""
from __future__ import annotations

from pathlib import Path


from rtlgen.optimize import loop, portfolio
from rtlgen.optimize.budget import MIN_TOOL_S, Budget, ToolLimit
from rtlgen.optimize.ppa import PPA, Criterion
from rtlgen.spec.model import Candidate
from tests.optimize.conftest import COUNT10

BASE = PPA(100.0, 1.0, 1e-5)
# area, delay per recipe (the rest: no gain); power is what the simulation of each recipe's netlist would give
AREA_DELAY = {"recipe-fsm_binary": (90.0, 1.2), "recipe-share_aggressive": (95.0, 1.0),
              "recipe-share_aggressive-abc_area": (93.0, 1.0), "recipe-share_aggressive-abc_amap": (94.0, 1.0)}
POWER = {"recipe-share_aggressive": 1e-5, "recipe-share_aggressive-abc_area": 2e-5,  # +100 %: over the tolerance
         "recipe-share_aggressive-abc_amap": 1e-5}


def _name(flow: str) -> str:
    return Path(flow).stem.rsplit("-", 1)[0]


def _measures(priced: list[str]) -> tuple[loop.Measure, loop.Measure]:
    def screen(candidate: Candidate, flow: str) -> PPA:
        area, delay = AREA_DELAY.get(_name(flow), (100.5, 1.0))
        return PPA(area, delay, 3e-5)  # vectorless: not the simulated figure

    def full(candidate: Candidate, flow: str) -> PPA:
        priced.append(_name(flow))
        area, delay = AREA_DELAY.get(_name(flow), (100.5, 1.0))
        return PPA(area, delay, POWER.get(_name(flow), 1e-5))

    return screen, full


def test_only_recipes_that_gain_area_are_priced(tmp_path: Path) -> None:
    priced: list[str] = []
    screen, full = _measures(priced)
    criterion = Criterion("area")
    design = Candidate(COUNT10, "m")
    everywhere = portfolio.search(design, BASE, full, criterion, tmp_path / "a")
    every_recipe = list(priced)
    priced.clear()
    screened = portfolio.search(design, BASE, loop._priced_if_better(screen, full, criterion, BASE), criterion,
                                tmp_path / "b")
    assert (screened.recipe, screened.ppa) == (everywhere.recipe, everywhere.ppa)
    assert screened.recipe == portfolio.Recipe(share="aggressive", abc="amap")  # abc=area's power turned it down
    assert [r for r, _, _ in screened.ranked()] == [r for r, _, _ in everywhere.ranked()]
    assert sorted(priced) == sorted(AREA_DELAY) and len(every_recipe) > len(priced)


def test_a_power_goal_prices_every_recipe(tmp_path: Path) -> None:
    priced: list[str] = []
    screen, full = _measures(priced)
    criterion = Criterion("power")
    assert loop._priced_if_better(screen, full, criterion, BASE) is full


def test_a_phase_bounds_each_synthesis_of_it() -> None:
    limit = ToolLimit(Budget(900.0), cap=300.0)
    assert 299.0 < limit() <= 300.0
    with limit.within(120.0):
        assert 119.0 < limit() <= 120.0
    assert 299.0 < limit() <= 300.0
    with limit.within(0.0):
        assert limit() == MIN_TOOL_S


def test_the_portfolio_recipes_get_its_share_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    timer = Budget(900.0)
    run = loop._Run(gate=None, criterion=Criterion("area"), measure=lambda c, f: BASE, progress=lambda s, m: None,
                    current=Candidate(COUNT10, "m"), ppa=BASE, timer=timer, synth_limit=ToolLimit(timer, 900.0))
    limits: list[float] = []

    def search(*args, **kwargs) -> portfolio.Choice:  # type: ignore[no-untyped-def]
        limits.append(run.synth_limit())
        return portfolio.Choice(None, portfolio.BASE_FLOW, BASE, ())

    monkeypatch.setattr(loop.portfolio, "search", search)
    loop._flow_portfolio(run, tmp_path, lambda c, f: BASE, BASE, Criterion("area"))
    share = min(loop.FLOW_BUDGET_S, timer.seconds - timer.reserve)
    assert len(limits) == 1 and share - 5 < limits[0] <= share  # not the 900 s left of the run
    assert run.synth_limit() > share
