"""Witnesses held against the spec's own examples: a generated golden model in a child Python, a design
simulated on the examples' inputs."""
from __future__ import annotations

from pathlib import Path

import pytest

from rtlgen.generate.examples_check import ExampleCheck, check_design, check_examples
from rtlgen.spec.model import Candidate
from tests.spec.test_examples import AND

FULL = AND.with_(prose="  a | b | q\n  0 | 0 | 0\n  0 | 1 | 0\n  1 | 0 | 0\n  1 | 1 | 1\n")


def _model(tmp_path: Path, body: str) -> str:
    path = tmp_path / "golden_model.py"
    path.write_text(f"def evaluate(inputs):\n    {body}\n")
    return str(path)


def test_a_model_that_agrees_with_every_example_is_checked(tmp_path: Path):
    right = _model(tmp_path, "return {'q': inputs['a'] & inputs['b']}")
    assert check_examples(FULL.with_(model=right), tmp_path) == ExampleCheck(checked=True)
    assert check_examples(FULL.with_(prose="no table"), tmp_path) == ExampleCheck()


def test_the_first_contradicted_row_is_named(tmp_path: Path):
    xor = _model(tmp_path, "return {'q': inputs['a'] ^ inputs['b']}")
    assert check_examples(FULL.with_(model=xor), tmp_path).conflict == (
        "a=0, b=1 -> q=0 (line 3 of the spec's prose): the model gives q=1")


def test_a_model_that_fails_or_hangs_concludes_nothing(tmp_path: Path, monkeypatch):
    import rtlgen.generate.examples_check as module

    assert check_examples(FULL.with_(model=_model(tmp_path, "raise KeyError('q')")), tmp_path) == ExampleCheck()
    monkeypatch.setattr(module, "TIMEOUT_S", 2.0)
    assert check_examples(FULL.with_(model=_model(tmp_path, "while True: pass")), tmp_path) == ExampleCheck()
    hungry = _model(tmp_path, "return {'q': len(bytearray(8 << 30))}")
    assert check_examples(FULL.with_(model=hungry), tmp_path) == ExampleCheck()


def test_a_clocked_model_steps_through_the_waveforms_cycles_and_multi_bit_values_compare_whole(tmp_path: Path):
    from tests.spec.test_examples import COUNTER

    path = tmp_path / "golden_model.py"
    path.write_text("class Model:\n    def reset(self):\n        self.q = 0\n\n    def step(self, inputs):\n"
                    "        out = {'q': self.q}\n        self.q = 4 if inputs['a'] else (self.q + 1) % 8\n"
                    "        return out\n")
    assert check_examples(COUNTER.with_(model=str(path)), tmp_path) == ExampleCheck(checked=True)
    path.write_text(path.read_text().replace("% 8", "% 5"))  # wraps at 5: gives 0 where the waveform shows 5
    assert check_examples(COUNTER.with_(model=str(path)), tmp_path).conflict == (
        "a=0 -> q=5 (line 9 of the spec's prose): the model gives q=0")


@pytest.mark.sim
def test_a_design_is_simulated_on_the_examples_and_the_first_contradicted_one_named(tmp_path: Path):
    from tests.spec.test_examples import COUNTER

    head = "module m (input a, input b, output q);\n"
    assert check_design(Candidate(head + "assign q = a & b;\nendmodule\n", "m"), FULL, tmp_path / "and",
                        "icarus") == ExampleCheck(checked=True)
    assert check_design(Candidate(head + "assign q = a ^ b;\nendmodule\n", "m"), FULL, tmp_path / "xor",
                        "icarus").conflict == "a=0, b=1 -> q=0 (line 3 of the spec's prose): the design gives q=1"
    counter = ("module m (input clk, input a, output reg [2:0] q);\n  always @(posedge clk) q <= a ? 3'd4 : "
               "q + 3'd1;\nendmodule\n")
    assert check_design(Candidate(counter, "m"), COUNTER, tmp_path / "counter", "icarus").checked
    wraps = counter.replace("q + 3'd1", "(q == 3'd4) ? 3'd0 : q + 3'd1")
    assert check_design(Candidate(wraps, "m"), COUNTER, tmp_path / "wraps", "icarus").conflict == (
        "a=0 -> q=5 (line 9 of the spec's prose): the design gives q=3'h0")
