"""The acceptance rule: under a clock period the delay is a constraint; without one it keeps its tolerance."""
from __future__ import annotations

from rtlgen.optimize.ppa import PPA, Criterion

BEFORE = PPA(area=164.4, delay=0.47, power=6.4e-5)
SMALLER_SLOWER = PPA(area=142.4, delay=0.75, power=6.0e-5)   # the shared-adder ALU: -13 % area, +59 % delay


def test_slower_but_within_the_clock_is_accepted() -> None:
    ok, why = Criterion("area", clock_ns=10.0).judge(BEFORE, SMALLER_SLOWER)
    assert ok, why


def test_delay_tolerance_without_a_clock_or_beyond_it() -> None:
    ok, why = Criterion("area").judge(BEFORE, SMALLER_SLOWER)
    assert not ok and "delay +59.6%" in why
    ok, why = Criterion("area", clock_ns=0.6).judge(BEFORE, SMALLER_SLOWER)   # misses a 0.6 ns clock
    assert not ok and "delay" in why


def test_other_tolerances_still_apply_under_a_clock() -> None:
    hungry = PPA(area=142.4, delay=0.5, power=8.0e-5)
    ok, why = Criterion("area", clock_ns=10.0).judge(BEFORE, hungry)
    assert not ok and "power" in why
