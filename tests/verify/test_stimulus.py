"""Stimulus for the auto-generated testbench: exhaustive, corners, seeded random, resets."""
from __future__ import annotations

from rtlgen.spec.model import Clock, Port, Reset, Spec
from rtlgen.verify.stimulus import (DEFAULT_CYCLES, INITIAL_RESET_CYCLES, Stimulus, corner_values, driven_inputs,
                                    make_stimulus, secondary_resets)


def comb(*widths: int) -> Spec:
    ports = [Port(f"i{n}", "input", w) for n, w in enumerate(widths)] + [Port("y", "output", 8)]
    return Spec(top="t", ports=tuple(ports))


def seq(reset: Reset | None = Reset("rst"), data_width: int = 8) -> Spec:
    ports = [Port("clk", "input"), Port("d", "input", data_width), Port("q", "output", data_width)]
    if reset:
        ports.insert(1, Port(reset.name, "input"))
    return Spec(top="t", ports=tuple(ports), clock=Clock("clk"), reset=reset)


def test_corner_values():
    assert corner_values(8) == [0, 0xFF, 0x80, 1, 0x55, 0xAA]
    assert corner_values(1) == [0, 1]
    assert corner_values(3) == [0, 7, 4, 1, 5, 2]


def test_small_combinational_is_exhaustive():
    stim = make_stimulus(comb(4, 4, 1))
    assert stim.kind == "exhaustive" and len(stim) == 512
    assert len(set(stim.vectors)) == 512
    assert stim.vectors[15] == (15, 0, 0) and stim.vectors[16] == (0, 1, 0)  # first input in the low bits


def test_wide_combinational_is_random_with_corners_and_deterministic():
    spec = comb(8, 8)
    stim = make_stimulus(spec, seed=3)
    assert stim.kind == "random" and len(stim) == DEFAULT_CYCLES
    assert stim == make_stimulus(spec, seed=3)
    assert stim.vectors != make_stimulus(spec, seed=4).vectors
    for i in range(2):
        seen = {vec[i] for vec in stim.vectors}
        assert set(corner_values(8)) <= seen
    assert (0, 0) in stim.vectors and (0xFF, 0xFF) in stim.vectors
    assert len(set(stim.vectors)) > DEFAULT_CYCLES * 0.9  # mostly random, not stuck on corners


def test_cycles_bounds_the_vector_count():
    assert len(make_stimulus(comb(8, 8), cycles=37)) == 37
    assert make_stimulus(comb(3), cycles=4).kind == "random"  # fewer vectors asked for than combinations


def test_sequential_resets_at_start_and_mid_run_with_polarity():
    for reset in (Reset("rst"), Reset("rst_n", active_low=True, kind="async")):
        spec = seq(reset)
        stim = make_stimulus(spec, cycles=1000)
        assert "clk" not in stim.names
        idx = stim.names.index(reset.name)
        resets = set(stim.reset_cycles)
        assert set(range(INITIAL_RESET_CYCLES)) <= resets and {500, 501} <= resets
        assert len(resets) < 60  # random resets are rare
        for cycle, vec in enumerate(stim.vectors):
            assert vec[idx] == (reset.asserted if cycle in resets else 1 - reset.asserted)


def test_sequential_without_reset_and_roundtrip(tmp_path):
    spec = seq(reset=None)
    stim = make_stimulus(spec, cycles=50)
    assert stim.reset_cycles == () and stim.names == ("d",)
    stim.write(tmp_path / "s.json")
    again = Stimulus.read(tmp_path / "s.json")
    assert again == stim
    assert again.packed()[:3] == [v[0] for v in stim.vectors[:3]]


def test_packing_puts_first_input_lowest():
    stim = Stimulus(("a", "b"), (4, 2), ((0xF, 0), (0, 3), (5, 1)))
    assert stim.packed() == [0xF, 3 << 4, 5 | 1 << 4]
    assert stim.as_dicts()[2] == {"a": 5, "b": 1}


def test_driven_inputs_exclude_only_the_clock():
    assert [p.name for p in driven_inputs(seq())] == ["rst", "d"]


def test_second_reset_gets_its_own_windows_and_leaves_other_inputs_alone():
    def spec(second: str) -> Spec:
        ports = (Port("clk", "input"), Port("rst_n", "input"), Port(second, "input"), Port("d", "input", 8),
                 Port("q", "output", 8))
        return Spec(top="t", ports=ports, clock=Clock("clk"), reset=Reset("rst_n", active_low=True, kind="async"))

    two_resets, plain = spec("brst_n"), spec("b_data")
    assert [(r.name, r.asserted) for r in secondary_resets(two_resets)] == [("brst_n", 0)]
    assert secondary_resets(plain) == () and secondary_resets(seq(reset=None)) == ()
    stim = make_stimulus(two_resets, cycles=1000)
    b = stim.names.index("brst_n")
    in_reset_b = {cycle for cycle, vec in enumerate(stim.vectors) if vec[b] == 0}
    # asserted with the first reset, once on its own (3/4 of the run, when rst_n is not), rarely otherwise
    assert set(range(INITIAL_RESET_CYCLES)) <= in_reset_b and {750, 751} <= in_reset_b
    assert not {750, 751} & set(stim.reset_cycles) and len(in_reset_b) < 60
    assert in_reset_b != set(stim.reset_cycles)
    # the spec's reset, and every other input, get exactly the values they get without a second reset
    other = make_stimulus(plain, cycles=1000)
    assert stim.reset_cycles == other.reset_cycles
    keep = [i for i, name in enumerate(stim.names) if name != "brst_n"]
    assert [[v[i] for i in keep] for v in stim.vectors] == [[v[i] for i in keep] for v in other.vectors]
