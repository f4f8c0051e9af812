"""Target: the synthesis target is one value, checked when it is built rather than inside each synthesize call."""
from __future__ import annotations

import pytest

from rtlgen.errors import ConfigError
from rtlgen.synth.target import Target


@pytest.mark.parametrize("clock_ns", [0.0, -1.0])
def test_a_clock_period_must_be_positive(clock_ns: float) -> None:
    with pytest.raises(ValueError, match="clock_ns must be positive"):
        Target(clock_ns=clock_ns)


def test_the_defaults_are_the_yosys_flow_at_10_ns() -> None:
    assert Target() == Target(flow="yosys", liberty=None, clock_ns=10.0, dont_use=())


@pytest.mark.parametrize("engine", ["auto", "gate", "sta"])
def test_each_power_engine_is_accepted(engine: str) -> None:
    assert Target(power_engine=engine).power_engine == engine


def test_an_unknown_power_engine_is_refused_with_the_choices() -> None:
    with pytest.raises(ConfigError, match="unknown power engine 'spice': use one of auto, gate, sta"):
        Target(power_engine="spice")
