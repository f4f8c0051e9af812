"""Target: the synthesis target is one value, checked and resolved when it is built rather than inside each
synthesize call, and shipped to workers whole."""
from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from rtlgen.errors import ConfigError
from rtlgen.spec.model import Candidate
from rtlgen.synth.liberty import Liberty, LibertyError
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


@pytest.mark.bench
def test_a_liberty_name_is_resolved_once_and_the_value_travels_whole(nangate45: str,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    target = Target(liberty=nangate45, clock_ns=2.0, dont_use=("NAND2_X1",), power_engine="sta")
    assert isinstance(target.liberty, Liberty) and Path(target.liberty.path) == Path(nangate45).resolve()

    def refound(path: object) -> Liberty:
        raise AssertionError(f"the liberty {path} was looked up again")

    monkeypatch.setattr("rtlgen.synth.target.load_liberty", refound)
    assert replace(target, clock_ns=3.0).liberty == target.liberty
    shipped = Target.from_dict(json.loads(json.dumps(target.to_dict())))
    assert shipped == target and shipped.liberty is not None and shipped.liberty.cells == target.liberty.cells


@pytest.mark.bench
def test_dont_use_patterns_ride_in_the_liberty_and_a_typo_is_refused_when_built(nangate45: str) -> None:
    target = Target(liberty=nangate45, dont_use=("NAND2_X1",))
    assert target.liberty is not None and "NAND2_X1" in target.liberty.excluded_cells
    assert target.liberty.dont_use.lists[-1] == "--dont-use"
    with pytest.raises(LibertyError, match=r"dont-use pattern 'NAND9_\*' matches no cell of the liberty"):
        Target(liberty=nangate45, dont_use=("NAND9_*",))


class _Measured(Exception):
    """Raised by the stand-in for the optimizer's measure once it has seen the liberty it would map onto."""


@pytest.mark.bench
@pytest.mark.sim
def test_the_optimizer_maps_onto_the_targets_dont_use_liberty(nangate45: str, counter: Candidate, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from rtlgen.optimize import loop

    seen: list[Liberty] = []

    def measure(liberty: Liberty, *args: object, **kwargs: object) -> None:
        seen.append(liberty)
        raise _Measured

    monkeypatch.setattr(loop, "make_measure", measure)
    with pytest.raises(_Measured):
        loop.optimize(counter, Target(liberty=nangate45, dont_use=("NAND2_X1",)), loop.Search(llm=False),
                      workdir=tmp_path)
    assert "NAND2_X1" in seen[0].excluded_cells
