"""Target: the synthesis target is one value, checked when it is built rather than inside each synthesize call."""
from __future__ import annotations

import pytest

from rtlgen.synth.target import Target


@pytest.mark.parametrize("clock_ns", [0.0, -1.0])
def test_a_clock_period_must_be_positive(clock_ns: float) -> None:
    with pytest.raises(ValueError, match="clock_ns must be positive"):
        Target(clock_ns=clock_ns)


def test_the_defaults_are_the_yosys_flow_at_10_ns() -> None:
    assert Target() == Target(flow="yosys", liberty=None, clock_ns=10.0, dont_use=())
