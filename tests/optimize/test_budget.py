"""The run's clock: a tool call's timeout inside nested phases."""
from __future__ import annotations

import pytest

from rtlgen.optimize.budget import Budget, ProofCost, ToolLimit


def test_a_nested_phase_ends_within_the_enclosing_one_which_holds_again_after_it() -> None:
    limit = ToolLimit(Budget(1000.0), cap=500.0)
    assert limit() == pytest.approx(500.0)
    with limit.within(100.0):
        assert limit() == pytest.approx(100.0, abs=1.0)
        with limit.within(300.0):  # longer than what is left of the enclosing phase
            assert limit() == pytest.approx(100.0, abs=1.0)
        with limit.within(40.0):
            assert limit() == pytest.approx(40.0, abs=1.0)
        assert limit() == pytest.approx(100.0, abs=1.0)
    assert limit() == pytest.approx(500.0)


def test_a_recipes_proof_is_estimated_from_the_runs_own_measurements() -> None:
    """Mapping the recipe's netlist costs one synthesis; its check at least the input's admission and one more
    synthesis, or the slowest check measured when that is more."""
    cost = ProofCost(synthesis=7.0, admission=1.5)
    assert cost.flow_proof() == pytest.approx(7.0 + 1.5 + 7.0)
    cost.checked(20.0)
    cost.checked(4.0)
    cost.synthesized(3.0)
    assert cost.flow_proof() == pytest.approx(7.0 + 20.0)
