"""Golden models and the per-cycle checker of the auto-generated testbench (no simulator needed)."""
from __future__ import annotations

import json

import pytest

from rtlgen.errors import SpecError
from rtlgen.spec.model import Clock, Spec
from rtlgen.verify.golden import (Bits, Checker, CheckerConfig, GoldenError, Layout, format_bits, load_model,
                                  model_clock, split_sim_value)
from rtlgen.verify.stimulus import Stimulus

COUNTER = """
class Model:
    def reset(self):
        self.q = 0
    def step(self, inputs):
        out = {"q": self.q}
        self.q = 0 if inputs["rst"] else (self.q + 1) & 0xF
        return out
"""


def write(tmp_path, text, name="model.py"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_load_model_shapes(tmp_path):
    comb = load_model(write(tmp_path, "def evaluate(inputs):\n    return {'y': inputs['a'] + 1}\n", "c.py"))
    comb.reset()
    assert comb.step({"a": 4}) == {"y": 5}
    seq = load_model(write(tmp_path, COUNTER, "s.py"))
    seq.reset()
    assert [seq.step({"rst": 0})["q"] for _ in range(3)] == [0, 1, 2]
    with pytest.raises(SpecError, match="class Model"):
        load_model(write(tmp_path, "X = 1\n", "bad.py"))
    with pytest.raises(SpecError, match="not found"):
        load_model(tmp_path / "missing.py")


def test_layout_pack_masks_and_dont_cares():
    layout = Layout(("lo", "hi"), (4, 4))
    assert layout.pack({"lo": -1, "hi": 2}) == (0x2F, 0xFF)  # negative -> two's complement
    assert layout.pack({"lo": 3, "hi": None}) == (0x03, 0x0F)
    with pytest.raises(GoldenError, match="no value for output 'hi'"):
        layout.pack({"lo": 1})
    with pytest.raises(GoldenError, match="not an int"):
        layout.pack({"lo": "x", "hi": 0})


def test_sim_values_and_formatting():
    assert split_sim_value(5, 0xF) == (5, 0xF)
    assert split_sim_value("0101", 0xF) == (5, 0xF)
    assert split_sim_value("01x1", 0xF) == (0b0101, 0b1101)
    assert split_sim_value("zzzz", 0xF) == (0, 0)
    assert format_bits(10, -1, 4) == "4'ha" and format_bits(1, 1, 1) == "1"
    assert format_bits(0b0101, 0b1101, 4) == "4'b01x1" and format_bits(0, 0, 1) == "x"


def make_checker(tmp_path, resets=(0, 1, 2), cycles=40, model_text=COUNTER, compare_from=1, golden="model",
                 max_mismatches=1000, clock=None):
    vectors = tuple((1 if c in resets else 0,) for c in range(cycles))
    stim = Stimulus(("rst",), (1,), vectors, tuple(resets))
    config = CheckerConfig(outputs=Layout(("q",), (4,)), stimulus="", result=str(tmp_path / "v.json"), token="t",
                           golden=golden, compare_from=compare_from, sequential=True,
                           max_mismatches=max_mismatches, clock=clock)
    model = load_model(write(tmp_path, model_text)) if golden == "model" else None
    if model:
        model.reset()
    return Checker(config, stim, model=model)


def expected_q(stim: Stimulus) -> list[int]:
    q, out = 0, []
    for (rst,) in stim.vectors:
        out.append(q)
        q = 0 if rst else (q + 1) & 0xF
    return out


def test_checker_passes_equal_outputs(tmp_path):
    checker = make_checker(tmp_path)
    for cycle, q in enumerate(expected_q(checker.stimulus)):
        assert not checker.check(cycle, format(q, "04b"))
    checker.finish()
    assert checker.passed and checker.compared == 39
    checker.write()
    data = json.loads((tmp_path / "v.json").read_text())
    assert data["status"] == "pass" and data["token"] == "t"


def test_checker_first_cycle_of_sync_reset_and_x(tmp_path):
    checker = make_checker(tmp_path)
    assert not checker.check(0, "xxxx")  # not compared: the synchronous reset has not acted yet
    assert not checker.check(1, "xxxx")  # X where the golden is 0: a mismatch, and in reset; the run goes on
    assert checker.mismatches == 1 and checker.mismatch["actual"] == "4'bxxxx"
    checker.finish()
    assert checker.failure_class == "reset_issue" and "while reset is asserted" in checker.message


def test_checker_runtime_mismatch_window(tmp_path):
    checker = make_checker(tmp_path)
    want = expected_q(checker.stimulus)
    for cycle, q in enumerate(want):
        assert not checker.check(cycle, q if cycle != 20 else q ^ 4)  # counted, not a reason to stop
    checker.finish()
    assert checker.status == "fail" and checker.failure_class == "runtime_mismatch"
    assert checker.mismatches == 1 and checker.per_output() == {"q": 1} and checker.compared == 39
    m = checker.mismatch
    assert (m["cycle"], m["signal"], m["expected"], m["actual"]) == (20, "q", f"4'h{want[20]:x}",
                                                                     f"4'h{want[20] ^ 4:x}")
    assert [row["cycle"] for row in m["window"]] == list(range(11, 21))
    assert m["window"][-1] == {"cycle": 20, "rst": "0", "q": f"4'h{want[20] ^ 4:x}", "expected.q": f"4'h{want[20]:x}"}


def test_checker_mismatch_only_next_to_reset_is_reset_issue(tmp_path):
    checker = make_checker(tmp_path, resets=(0, 1, 2, 20), cycles=200)
    want = expected_q(checker.stimulus)
    for cycle, q in enumerate(want):
        assert not checker.check(cycle, q ^ 1 if cycle == 21 else q)  # wrong only in the cycle after a reset
    checker.finish()
    assert checker.failure_class == "reset_issue" and checker.mismatch["cycle"] == 21
    assert checker.mismatches == 1 and checker.cycles == 200  # the whole run was compared


def test_checker_mismatch_after_reset_that_persists_is_runtime(tmp_path):
    checker = make_checker(tmp_path, resets=(0, 1, 2, 20), cycles=200)
    want = expected_q(checker.stimulus)
    for cycle, q in enumerate(want):
        checker.check(cycle, q ^ 1 if cycle >= 21 else q)
    checker.finish()
    assert checker.failure_class == "runtime_mismatch" and checker.mismatch["cycle"] == 21
    assert checker.mismatches == 200 - 21


def test_checker_reference_x_is_dont_care(tmp_path):
    checker = make_checker(tmp_path, golden="reference", compare_from=0)
    assert not checker.check(0, "0101", "xxxx")
    assert not checker.check(1, "0111", "01x1")
    assert checker.compared == 1  # cycle 0 had nothing to compare
    assert not checker.check(2, "0x01", "0101")  # X in the candidate where the reference is known
    assert checker.mismatches == 1
    assert checker.mismatch["expected"] == "4'h5" and checker.mismatch["actual"] == "4'b0x01"


def test_checker_nothing_compared_is_an_error(tmp_path):
    checker = make_checker(tmp_path, golden="reference", compare_from=0)
    for cycle in range(5):
        checker.check(cycle, "0000", "xxxx")
    checker.finish()
    assert checker.status == "error" and "nothing was compared" in checker.message


def test_checker_golden_exception_is_an_error(tmp_path):
    checker = make_checker(tmp_path, model_text="class Model:\n def reset(self): pass\n def step(self, i): 1/0\n")
    assert checker.check(0, "0000")
    assert checker.status == "error" and "ZeroDivisionError" in checker.message
    assert checker.failure_class == "tool_error"


def test_checker_warmup_without_reset(tmp_path):
    """No reset port and a Python model: unknown outputs are waited out, then everything is compared."""
    checker = make_checker(tmp_path, resets=(), compare_from=0)
    checker.config.warmup = True
    assert not checker.check(0, "xxxx") and not checker.check(1, "x001")
    assert checker.compared == 0
    assert not checker.check(2, "0010")  # model: 0, 1, 2 ... the candidate caught up
    assert checker.compared == 1
    assert not checker.check(3, "0x11")  # once known, X is a mismatch again
    checker.finish()
    assert checker.failure_class == "runtime_mismatch" and checker.mismatches == 1


def test_checker_mismatch_next_to_reset_then_far_from_it_is_runtime(tmp_path):
    """Full-run counting: a later mismatch away from reset (beyond any follow-up window) makes it runtime."""
    checker = make_checker(tmp_path, resets=(0, 1, 2, 20), cycles=300)
    want = expected_q(checker.stimulus)
    for cycle, q in enumerate(want):
        checker.check(cycle, q ^ 1 if cycle in (21, 250) else q)
    checker.finish()
    assert checker.failure_class == "runtime_mismatch" and checker.mismatch["cycle"] == 21
    assert checker.mismatches == 2 and checker.away_from_reset == 1


def test_checker_counts_sparse_mismatches_per_output_and_keeps_the_first_window(tmp_path):
    """Two outputs, wrong on different cycles; the expected counts come from the bug's own condition."""
    model = ("class Model:\n    def reset(self):\n        self.q = 0\n"
             "    def step(self, i):\n        out = {'q': self.q, 'odd': self.q & 1}\n"
             "        self.q = 0 if i['rst'] else (self.q + 1) & 0xF\n        return out\n")
    stim = Stimulus(("rst",), (1,), tuple((1 if c < 2 else 0,) for c in range(120)), (0, 1))
    config = CheckerConfig(outputs=Layout(("q", "odd"), (4, 1)), stimulus="", result=str(tmp_path / "v.json"),
                           token="t", golden="model", compare_from=1, sequential=True)
    m = load_model(write(tmp_path, model))
    m.reset()
    checker = Checker(config, stim, model=m)
    q, want_q, want_odd, want_cycles, want_first = 0, 0, 0, 0, None
    for cycle, (rst,) in enumerate(stim.vectors):
        bad_q = q == 8  # the planted bug: q reads 7 instead of 8 ...
        bad_odd = q % 5 == 3  # ... and odd is inverted whenever q % 5 == 3
        got = (q ^ 0xF if bad_q else q) | ((q & 1) ^ bad_odd) << 4
        checker.check(cycle, got)
        if cycle >= 1:
            want_q += bad_q
            want_odd += bad_odd
            want_cycles += bad_q or bad_odd
            if want_first is None and (bad_q or bad_odd):
                want_first = (cycle, "q" if bad_q else "odd")
        q = 0 if rst else (q + 1) & 0xF
    checker.finish()
    assert checker.status == "fail" and checker.failure_class == "runtime_mismatch"
    assert checker.mismatches == want_cycles and checker.per_output() == {"q": want_q, "odd": want_odd}
    assert want_q and want_odd and want_cycles < want_q + want_odd  # some cycles have both outputs wrong
    first = checker.mismatch
    assert (first["cycle"], first["signal"]) == want_first
    assert [row["cycle"] for row in first["window"]] == list(range(max(0, want_first[0] - 9), want_first[0] + 1))
    checker.write()
    data = json.loads((tmp_path / "v.json").read_text())
    assert data["mismatches"] == want_cycles and data["outputs"] == {"q": want_q, "odd": want_odd}
    assert data["capped"] is False and data["mismatch"]["cycle"] == want_first[0]


def test_checker_stops_counting_at_the_bound(tmp_path):
    checker = make_checker(tmp_path, cycles=100, max_mismatches=5)
    want = expected_q(checker.stimulus)
    stops = [checker.check(cycle, q ^ 2) for cycle, q in enumerate(want)]
    assert stops.index(True) == 5  # cycles 1..5 mismatch (cycle 0 not compared): the fifth stops the run
    checker.finish()
    assert checker.mismatches == 5 and checker.capped and "stopped counting" in checker.stopped
    assert checker.failure_class == "reset_issue"  # the first mismatch (cycle 1) is in reset


def test_an_input_reads_as_its_bits_like_in_verilog():
    from rtlgen.verify.golden import Bits

    x = Bits(0b1011_0010, 8)
    assert x == 0b1011_0010 and x + 1 == 0b1011_0011 and type(x + 1) is int
    assert [x[i] for i in range(8)] == [0, 1, 0, 0, 1, 1, 0, 1] == list(x)
    assert x[-1] == 1 and x[-8] == 0 and len(x) == 8 and sum(x) == 4
    assert json.dumps({"x": x}) == '{"x": 178}' and bool(Bits(0, 4)) is False
    with pytest.raises(IndexError, match="bit 8 of a 8-bit input"):
        x[8]
    assert x[0:4] == 0b0010 and x[4:] == 0b1011 and x[::-1] == 0b0100_1101 and len(x[::-1]) == 8
    assert x[::-1][0] == 1 and x[1:8:2] == 0b1101
    with pytest.raises(IndexError, match=r"\[7:0\] selects no bit of a 8-bit input"):
        x[7:0]


def test_an_output_may_be_the_list_of_its_bits():
    layout = Layout(("q", "f"), (4, 1))
    assert layout.pack({"q": [0, 1, 1, 0], "f": (True,)}) == (0b1_0110, 0b1_1111)  # bit 0 first, as inputs read
    with pytest.raises(GoldenError, match=r"returned a list for output 'q' \(3 items: \[0, 1, 1\]\); a vector output "
                                          r"is an int, or the list of its 4 bits"):
        layout.pack({"q": [0, 1, 1], "f": 0})
    with pytest.raises(GoldenError, match="returned a list for output 'q'"):
        layout.pack({"q": [0, 2, 1, 0], "f": 0})


def test_a_model_that_indexes_and_iterates_input_bits_is_checked_per_cycle(tmp_path):
    """A 16-to-1 mux and a population count written the way an LLM writes them (``v[sel]``, ``for b in v``)."""
    model = write(tmp_path, "def evaluate(inputs):\n"
                            "    return {'y': inputs['v'][inputs['sel']], 'n': sum(1 for b in inputs['v'] if b)}\n")
    vectors = tuple((v, s) for v in (0, 0xFFFF, 0x8001, 0x1234) for s in (0, 3, 15))
    stim = Stimulus(("v", "sel"), (16, 4), vectors)
    config = CheckerConfig(outputs=Layout(("y", "n"), (1, 5)), stimulus="", result=str(tmp_path / "v.json"),
                           token="t", golden="model", compare_from=0, sequential=False)
    checker = Checker(config, stim, model=load_model(model))
    for cycle, (v, s) in enumerate(vectors):
        packed = ((v >> s) & 1) | (bin(v).count("1") << 1)
        assert not checker.check(cycle, packed)
    checker.finish()
    assert checker.passed and checker.compared == len(vectors)


def test_the_checker_says_whether_the_golden_outputs_varied_away_from_reset(tmp_path):
    """A model whose outputs change only in and next to reset cycles checks one constant elsewhere."""
    counting = make_checker(tmp_path, resets=(0, 1, 2, 20), cycles=60)
    for cycle, q in enumerate(expected_q(counting.stimulus)):
        counting.check(cycle, q)
    counting.finish()
    assert counting.passed and counting.golden_varied
    stuck = COUNTER.replace("(self.q + 1) & 0xF", "5")  # 0 in reset, then 5 for ever
    assert stuck != COUNTER
    constant = make_checker(tmp_path, resets=(0, 1, 2, 20), cycles=60, model_text=stuck)
    for cycle in range(60):
        constant.check(cycle, 0 if cycle in (0, 1, 2, 3, 21) else 5)  # q shows the reset one cycle late
    constant.finish()
    assert constant.passed and not constant.golden_varied
    constant.write()
    assert json.loads((tmp_path / "v.json").read_text())["golden_varied"] is False


def test_the_design_varied_only_when_some_output_bit_was_seen_known_0_and_known_1_away_from_reset(tmp_path):
    """x and z are no value: RTLLM's synchronizer (1.5B, reference hidden) had dataout 0 wherever it was known, x in
    a few cycles, and the benchmark's testbench failed it; counting x -> 0 as a change let it pass as varied."""
    def varied(reads: list[str]) -> bool:
        checker = make_checker(tmp_path, resets=(0, 1), cycles=len(reads))
        for cycle, q in enumerate(reads):
            checker.check(cycle, q)
        return checker.design_varied

    zero_or_x = ["0000", "0000", "xxxx", "0000", "0x00", "zzzz", "0000", "0000"]
    assert not varied(zero_or_x)
    assert not varied(["0101", "0x01", "x1x1", "0101", "0101", "0101"])  # each bit one value where known
    assert not varied(["1111", "1111", "0000", "0000", "0000", "0000"])  # the change is next to reset only
    assert varied(zero_or_x[:-1] + ["0100"])  # bit 2, known 0 before, is known 1 here
    assert varied(["0000", "0000", "0000", "0001", "x010", "0010"])  # bit 0: 1, then 0


def test_a_model_value_that_does_not_fit_its_port_is_the_models_error():
    """Cut to the port, a model's 100-bit result was compared with a design's 1-bit output; whatever fits (unsigned,
    or negative in two's complement) is read as before."""
    layout = Layout(("out", "d"), (1, 4))
    assert layout.pack({"out": 1, "d": -8}) == (0b10001, 0b11111)
    with pytest.raises(GoldenError, match=r"returned 2 for output 'out', which does not fit its 1 bit\(s\) "
                                          r"\(-1 .. 1\)"):
        layout.pack({"out": 2, "d": 0})
    with pytest.raises(GoldenError, match="returned -9 for output 'd'"):
        layout.pack({"out": 0, "d": -9})
    with pytest.raises(GoldenError, match="returned 16 for output 'd'"):
        layout.pack({"out": 0, "d": 16})


# The 1.5B model's slip: a flag named like the method (``self.reset = False``) hides reset() from every call
SHADOWED_RESET = """
class Model:
    def __init__(self):
        self.reset = False
        self.q = 0
    def reset(self):
        self.reset = True
        self.q = 9
    def step(self, inputs):
        out = {"q": self.q}
        self.q = 0 if inputs["rst"] else (self.q + 1) & 0xF
        return out
"""


def test_a_model_whose_reset_method_is_hidden_by_a_flag_is_reset_by_constructing_it(tmp_path):
    """Nothing can call that reset(), the model's own step included, so the model as written starts from __init__."""
    model = load_model(write(tmp_path, SHADOWED_RESET))
    model.reset()
    assert [model.step({"rst": 0})["q"] for _ in range(3)] == [0, 1, 2]
    model.reset()
    assert model.step({"rst": 0}) == {"q": 0}
    checker = make_checker(tmp_path, model_text=SHADOWED_RESET)
    for cycle, q in enumerate(expected_q(checker.stimulus)):
        checker.check(cycle, q)
    checker.finish()
    assert checker.passed and checker.compared == 39
    calls_it = SHADOWED_RESET.replace('out = {"q": self.q}', 'self.reset()\n        out = {"q": self.q}')
    with pytest.raises(TypeError, match="'bool' object is not callable"):
        load_model(write(tmp_path, calls_it, "calls.py")).step({"rst": 0})
    no_reset = "class Model:\n    def step(self, inputs):\n        return {}\n"
    with pytest.raises(AttributeError, match="reset"):
        load_model(write(tmp_path, no_reset, "none.py")).reset()


def test_an_input_counts_its_bits_and_joins_a_list_as_its_bits():
    x = Bits(0b1011, 4)
    assert x.count(1) == 3 and x.count(0) == 1
    assert [x[-1]] + x[:-1] == [1, 1, 1, 0] and x[1:] + [x[0]] == [1, 0, 1, 1]
    assert x + 1 == 12 and 1 + x == 12 and type(1 + x) is int
    with pytest.raises(TypeError):
        x + "1"


def test_a_model_reading_the_rising_edge_clock_reads_1_and_no_other_model_sees_it(tmp_path):
    """Each step is the active edge; iterating, ``in`` and ``get`` give the driven inputs alone, as they did."""
    reads_clock = COUNTER.replace('inputs["rst"] else', 'inputs["rst"] or not inputs["clk"] else')
    checker = make_checker(tmp_path, model_text=reads_clock, clock="clk")
    for cycle, q in enumerate(expected_q(checker.stimulus)):
        checker.check(cycle, q)
    checker.finish()
    assert checker.passed and checker.compared == 39
    inputs = checker.inputs[5]
    assert list(inputs) == ["rst"] and "clk" not in inputs and inputs.get("clk") is None and inputs["clk"] == 1
    with pytest.raises(KeyError, match="'en'"):
        inputs["en"]
    unclocked = make_checker(tmp_path, model_text=reads_clock)
    assert any(unclocked.check(cycle, q) for cycle, q in enumerate(expected_q(unclocked.stimulus)))
    assert "KeyError: 'clk'" in unclocked.message
    ports = ()
    assert model_clock(Spec("t", ports, clock=Clock("clk"))) == "clk"
    assert model_clock(Spec("t", ports, clock=Clock("clk", "negedge"))) is None and model_clock(Spec("t")) is None


def test_an_output_may_be_returned_as_one_key_per_bit():
    """Keys naming every bit exactly once, each 0 or 1, are the port's bits; anything else is the model's error."""
    layout = Layout(("q", "f"), (3, 1))
    assert layout.pack({"q[0]": 1, "q[1]": 0, "q[2]": True, "f": 0}) == (0b0101, 0b1111)
    with pytest.raises(GoldenError, match=r"returned 2 for 'q\[1\]', a bit of output 'q': a bit is 0 or 1"):
        layout.pack({"q[0]": 0, "q[1]": 2, "q[2]": 0, "f": 0})
    for partial in ({"q[0]": 1, "q[1]": 0}, {"q[0]": 1, "q[1]": 0, "q[2]": 1, "q[3]": 0}):
        with pytest.raises(GoldenError, match="returned no value for output 'q'"):
            layout.pack({**partial, "f": 0})


def test_the_error_for_a_missing_output_names_a_bounded_number_of_keys():
    """A model returning 512 keys is told the first few and how many more, not all of them."""
    values = {f"q{i:03}": 0 for i in range(512)}
    with pytest.raises(GoldenError) as raised:
        Layout(("q",), (512,)).pack(values)
    message = str(raised.value)
    assert "(got keys ['q000', 'q001', 'q002', 'q003', 'q004', 'q005', 'q006', 'q007'] and 504 more)" in message
    assert "q008" not in message and len(message) < 200
    with pytest.raises(GoldenError, match=r"\(got keys \['f', 'r'\]\)$"):
        Layout(("q",), (4,)).pack({"r": 1, "f": 0})


def failing_run(tmp_path, model_text: str, names: tuple[str, ...], widths: tuple[int, ...],
                vectors: tuple[tuple[int, ...], ...]) -> Checker:
    """A combinational model checked cycle by cycle against a design that matches nothing, until the model fails."""
    config = CheckerConfig(outputs=Layout(("y",), (4,)), stimulus="", result=str(tmp_path / "v.json"), token="t",
                           golden="model", compare_from=0, sequential=False)
    checker = Checker(config, Stimulus(names, widths, vectors), model=load_model(write(tmp_path, model_text)))
    for cycle in range(len(vectors)):
        if checker.check(cycle, 0):
            break
    return checker


def test_a_failing_model_is_told_the_inputs_of_its_cycle_as_it_was_handed_them(tmp_path):
    """Port order, a vector in hex, a bit as 0/1, whole: the cycle alone does not say what to reproduce."""
    divides = ("def evaluate(inputs):\n    b = inputs['b']\n    inputs['b'] = 1\n"
               "    return {'y': inputs['a'] // b if inputs['en'] else 0}\n")
    wide = (1 << 70) | 0xABC
    vectors = ((5, 1, 1, 0), (6, 2, 0, 0), (7, 0, 1, wide), (8, 0, 1, 0))
    checker = failing_run(tmp_path, divides, ("a", "b", "en", "bus"), (4, 3, 1, 72), vectors)
    assert checker.status == "error" and checker.cycles == 3
    assert checker.message.startswith("the golden model failed at cycle 2 on inputs a=0x7 b=0x0 en=1 "
                                      f"bus=0x{wide:x}: ZeroDivisionError: ")
    assert "model.py line 4:" in checker.message and len(checker.message.splitlines()) == 1
    too_wide = failing_run(tmp_path, "def evaluate(inputs):\n    return {'y': inputs['a'] * 4}\n",
                           ("a",), (4,), ((1,), (3,), (4,)))
    assert too_wide.message.startswith("the golden model failed at cycle 2 on inputs a=0x4: GoldenError: "
                                       "the golden model returned 16 for output 'y'")


def test_a_failing_models_inputs_are_bounded_and_the_rest_counted(tmp_path):
    names = tuple(f"i{k:02}" for k in range(40))
    checker = failing_run(tmp_path, "def evaluate(inputs):\n    raise KeyError('x')\n", names, (1,) * 40,
                          (tuple(k % 2 for k in range(40)),))
    shown = " ".join(f"i{k:02}={k % 2}" for k in range(32))
    assert f"at cycle 0 on inputs {shown} and 8 more: KeyError: 'x'" in checker.message
    assert "i32=" not in checker.message
    bare = failing_run(tmp_path, "def evaluate(inputs):\n    return {}\n", (), (), ((),))
    assert bare.message.startswith("the golden model failed at cycle 0 on inputs (none): GoldenError: ")


def test_the_golden_varied_only_when_some_output_bit_was_given_as_0_and_as_1_away_from_reset(tmp_path):
    """None (don't-care) and x are no value: a model giving one constant where it gives anything checks that
    constant alone, however its don't-cares come and go; one bit it gives as 0 and as 1 is a change."""
    def golden_varied(flag: str, name: str) -> bool:
        model = ("class Model:\n    def reset(self):\n        self.n = 0\n"
                 "    def step(self, inputs):\n        self.n += 1\n"
                 f"        return {{'q': 5, 'f': {flag}}}\n")
        stim = Stimulus(("rst",), (1,), tuple((1 if c < 2 else 0,) for c in range(20)), (0, 1))
        config = CheckerConfig(outputs=Layout(("q", "f"), (4, 1)), stimulus="", result=str(tmp_path / "v.json"),
                               token="t", golden="model", compare_from=1, sequential=True)
        checker = Checker(config, stim, model=load_model(write(tmp_path, model, name)))
        checker.model.reset()
        for cycle in range(20):
            checker.check(cycle, 0x15 if cycle % 2 == 0 else 0x05)  # the design toggles f: it matches every model
        checker.finish()
        assert checker.passed
        return checker.golden_varied

    assert not golden_varied("1 if self.n % 2 else None", "one_or_none.py")
    assert not golden_varied("None if self.n % 2 else 0", "none_or_zero.py")
    assert golden_varied("self.n % 2", "toggles.py")
    reference = make_checker(tmp_path, golden="reference", compare_from=0)
    for cycle, ref in enumerate(["0000", "0000", "0000", "0101", "01x1", "0101", "xxxx", "0101"]):
        reference.check(cycle, "0101", ref)  # a reference RTL's x is no value either
    assert not reference.golden_varied
    reference.check(8, "0100", "0100")
    assert reference.golden_varied
