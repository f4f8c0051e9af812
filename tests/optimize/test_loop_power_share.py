"""The input's gate-level power simulation has a share of the time budget; past it the run prices power vectorless."""
from __future__ import annotations

from rtlgen.errors import ToolTimeout
from rtlgen.optimize import loop
from rtlgen.optimize.budget import Budget, ToolLimit
from rtlgen.optimize.ppa import PPA
from rtlgen.spec.model import Candidate
from tests.optimize.conftest import COUNT10


def test_a_simulation_outlasting_its_share_leaves_power_vectorless() -> None:
    limit = ToolLimit(Budget(900.0), cap=900.0)
    given: list[float] = []

    def slow(candidate: Candidate, flow: str) -> PPA:
        given.append(limit())
        raise ToolTimeout(["vvp", "-n", "sim.vvp"], given[-1])

    why = loop._slow_power(Candidate(COUNT10, "m"), slow, limit, 300.0)
    assert 299.0 < given[0] <= 300.0  # the simulation's timeout is the share, not the 900 s left
    assert why.startswith("vectorless: the input's gate-level power simulation outlasted its share")
    assert "'vvp' timed out" in why and "(300 s)" in why
    assert limit() > 800.0  # the share ends with the input's pricing


def test_a_simulation_within_its_share_prices_power() -> None:
    limit = ToolLimit(Budget(900.0), cap=900.0)
    assert loop._slow_power(Candidate(COUNT10, "m"), lambda c, f: PPA(1.0, 1.0, 1e-5), limit, 300.0) == ""
