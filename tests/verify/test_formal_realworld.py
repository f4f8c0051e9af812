"""benchmarks/realworld.py's records: a verdict's text is kept whole (its assumptions are part of it)."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "realworld.py"


def _realworld():
    spec = importlib.util.spec_from_file_location("realworld_benchmark", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_a_long_verdict_is_kept_whole_on_one_line():
    message = "proven under register correspondence: " + "reg, " * 200 + "\n  second line"
    assert _realworld()._lines(message) == message.splitlines()[0].strip() + " | second line"
