"""A generated model one cycle early (its step returns the state after the clock edge) and its late reading."""
from __future__ import annotations

from pathlib import Path

from rtlgen.generate.golden import GoldenModel, late_reading
from rtlgen.generate.model_probe import answers_from_inputs
from rtlgen.spec.model import Clock, Port, Reset, Spec
from rtlgen.verify.golden import load_model

# an accumulator with an active-low asynchronous reset, as RTLLM pe's generated models wrote it: updated, then returned
EARLY_ACCUMULATOR = """class Model:
    def reset(self):
        self.acc = 0

    def step(self, inputs):
        if not inputs["rst_n"]:
            self.acc = 0
        else:
            self.acc = (self.acc + inputs["d"]) & 0xFF
        return {"acc": self.acc}
"""
# the same accumulator as the contract asks: the state before the edge (an asynchronous reset shows at once)
RIGHT_ACCUMULATOR = EARLY_ACCUMULATOR.replace("    def step(self, inputs):\n", "    def step(self, inputs):\n"
                                              "        shown = {'acc': 0 if not inputs['rst_n'] else self.acc}\n"
                                              ).replace('return {"acc": self.acc}', "return shown")
RIGHT_SYNC_ACCUMULATOR = RIGHT_ACCUMULATOR.replace("0 if not inputs['rst_n'] else self.acc", "self.acc")
# the early accumulator telling the edge by its clock, as the 1.5B model's timer and pipelined multiplier did
CLOCK_READING_ACCUMULATOR = EARLY_ACCUMULATOR.replace("        else:\n", "        elif inputs['clk']:\n")


def _spec(kind: str) -> Spec:
    return Spec(top="acc", ports=(Port("clk", "input"), Port("rst_n", "input"), Port("d", "input", 8),
                                  Port("acc", "output", 8)),
                clock=Clock("clk"), reset=Reset("rst_n", active_low=True, kind=kind))


def _model(tmp_path: Path, text: str) -> GoldenModel:
    path = tmp_path / "golden_model.py"
    path.write_text(text)
    return GoldenModel(str(path), text, 1)


def test_the_late_reading_shows_each_cycle_what_the_model_returned_for_the_one_before(tmp_path: Path):
    """An asynchronous reset acts before the edge: while it is asserted the reading shows this cycle's answer."""
    late = late_reading(_model(tmp_path, EARLY_ACCUMULATOR), _spec("async"), tmp_path)
    assert late is not None and Path(late.path).name == "golden_model_late.py"
    model = load_model(late.path)
    model.reset()
    cycles = [(0, 5), (1, 3), (1, 4), (0, 9), (1, 1)]  # (rst_n, d)
    shown = [model.step({"rst_n": r, "d": d})["acc"] for r, d in cycles]
    assert shown == [0, 0, 3, 0, 0]  # reset, the state the reset left, 3, reset again (at once), its state
    right = load_model(_model(tmp_path, RIGHT_ACCUMULATOR).path)
    right.reset()
    assert [right.step({"rst_n": r, "d": d})["acc"] for r, d in cycles] == shown
    assert late_reading(_model(tmp_path, "def evaluate(inputs):\n    return {'acc': 0}\n"), _spec("async"), tmp_path) \
        is None


def test_only_a_model_answering_from_the_cycles_own_inputs_may_be_read_late(tmp_path: Path):
    """A right Moore model answers from its state alone, and read late it would match a design one cycle late."""
    for kind, right in (("async", RIGHT_ACCUMULATOR), ("sync", RIGHT_SYNC_ACCUMULATOR)):
        assert answers_from_inputs(_model(tmp_path, EARLY_ACCUMULATOR).path, _spec(kind), tmp_path)
        assert not answers_from_inputs(_model(tmp_path, right).path, _spec(kind), tmp_path)
    assert not answers_from_inputs(_model(tmp_path, "class Model:\n    pass\n").path, _spec("sync"), tmp_path)


def test_the_probe_hands_a_model_its_rising_edge_clock_as_the_testbench_does(tmp_path: Path):
    """A model the testbench runs is probed: one reading its clock is read late when it answers from its inputs."""
    model = _model(tmp_path, CLOCK_READING_ACCUMULATOR)
    assert answers_from_inputs(model.path, _spec("sync"), tmp_path)
    assert late_reading(model, _spec("async"), tmp_path) is not None


def test_a_model_not_read_late_leaves_no_late_file(tmp_path: Path):
    """Only a reading that is used is written: a right Moore model is never read late, so no file for it."""
    (tmp_path / "golden_model_late.py").unlink(missing_ok=True)
    assert late_reading(_model(tmp_path, RIGHT_SYNC_ACCUMULATOR), _spec("sync"), tmp_path) is None
    assert not (tmp_path / "golden_model_late.py").exists()
