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


def test_tolerances_hold_against_the_input_so_small_steps_cannot_add_up() -> None:
    """Two steps of +3 % delay each pass on their own; the second is +6 % of the input and is refused."""
    origin = PPA(area=100.0, delay=1.00, power=1e-5)
    first = PPA(area=95.0, delay=1.03, power=1e-5)
    second = PPA(area=90.0, delay=1.0609, power=1e-5)
    ok, why = Criterion("area").judge(first, second)
    assert ok, why  # step by step: +3 %
    anchored = Criterion("area", origin=origin)
    assert anchored.judge(origin, first)[0]
    ok, why = anchored.judge(first, second)
    assert not ok and why == "area -5.3% but delay +6.1% of the input (tolerance +5.0%)"
