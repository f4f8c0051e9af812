"""A generated golden model run on the spec's own examples, in a child Python."""
from __future__ import annotations

from pathlib import Path

from rtlgen.generate.examples_check import ExampleCheck, check_examples
from tests.spec.test_examples import AND

FULL = AND.with_(prose="  a | b | q\n  0 | 0 | 0\n  0 | 1 | 0\n  1 | 0 | 0\n  1 | 1 | 1\n")


def _model(tmp_path: Path, body: str) -> str:
    path = tmp_path / "golden_model.py"
    path.write_text(f"def evaluate(inputs):\n    {body}\n")
    return str(path)


def test_a_model_that_agrees_with_the_whole_truth_table_is_confirmed(tmp_path: Path):
    right = _model(tmp_path, "return {'q': inputs['a'] & inputs['b']}")
    assert check_examples(FULL.with_(model=right), tmp_path) == ExampleCheck(confirmed=True)
    partial = FULL.with_(prose="  a | b | q\n  1 | 1 | 1\n", model=right)
    assert check_examples(partial, tmp_path) == ExampleCheck()  # agrees, but one row proves little


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
