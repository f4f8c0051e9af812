"""`rtlgen run` builds the values generate() takes: its LLM flags are LlmSettings' fields, its sampling and synthesis
flags a Sampling and the synthesis Target (None with --no-synth)."""
from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest
from click.testing import CliRunner

from rtlgen.cli.run import run
from rtlgen.generate import api
from rtlgen.generate.api import Sampling
from rtlgen.llm.config import LlmSettings
from rtlgen.synth.target import Target

COUNTER_SPEC = Path(__file__).resolve().parents[2] / "designs" / "counter" / "spec.md"


class _Handed(Exception):
    """Raised by the stand-in for generate() once it has seen what the command hands it."""


def _handed(args: list[str], monkeypatch: pytest.MonkeyPatch) -> dict:
    """The keywords ``rtlgen run ARGS`` hands generate()."""
    handed: dict = {}

    def stand_in(spec, **kwargs):
        handed.update(kwargs)
        raise _Handed

    monkeypatch.setattr(api, "generate", stand_in)
    assert isinstance(CliRunner().invoke(run, args).exception, _Handed)
    return handed


def test_run_hands_generate_the_values_its_flags_build(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    args = [str(COUNTER_SPEC), "--out", str(tmp_path / "out"), "--no-synth", "-n", "2", "--rounds", "0", "--seed", "7",
            "--model", "m", "--temperature", "0.3", "--budget", "$0.50", "--llm-timeout", "5", "--no-cache",
            "--concurrency", "3"]
    handed = _handed(args, monkeypatch)
    assert handed["llm"] == LlmSettings(model="m", temperature=0.3, budget_usd=0.5, timeout=5.0, concurrency=3,
                                        use_cache=False)
    assert handed["sampling"] == Sampling(2, 0, seed=7)
    assert handed["synth"] is None


def test_run_hands_generate_the_synthesis_target_its_flags_build(monkeypatch: pytest.MonkeyPatch,
                                                                  tmp_path: Path) -> None:
    monkeypatch.delenv("RTLGEN_LIBERTY", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))  # no config file: no default liberty
    args = [str(COUNTER_SPEC), "--out", str(tmp_path / "out"), "--target", "yosys-delay", "--clock-period", "4",
            "--power-engine", "sta"]
    assert _handed(args, monkeypatch)["synth"] == Target(flow="yosys-delay", clock_ns=4.0, power_engine="sta")


def test_every_llm_setting_is_a_flag_of_rtlgen_run() -> None:
    flags = {decl for param in run.params for decl in param.opts}
    for setting in fields(LlmSettings):
        if setting.name.startswith("budget"):
            assert "--budget" in flags  # tokens or dollars, one flag
        else:
            assert (setting.metadata["flag"] or "--" + setting.name.replace("_", "-")) in flags, setting.name
