"""The run's clock: a tool call's timeout inside nested phases."""
from __future__ import annotations

import pytest

from rtlgen.optimize.budget import Budget, ToolLimit


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
