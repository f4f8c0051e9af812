"""Fixtures for the LLM tests: a scripted OpenAI-compatible server and an isolated call cache."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.llm.scripted_server import scripted_server  # noqa: F401 - re-exported fixture


@pytest.fixture
def llm_cache(tmp_path: Path) -> Path:
    """A fresh cache directory per test, so cached replies never leak between tests."""
    return tmp_path / "llm-cache"


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    """No RTLGEN_*/OPENAI_* settings from the developer's shell, no ~/.config file."""
    import os

    for var in list(os.environ):
        if var.startswith(("RTLGEN_", "OPENAI_")):
            monkeypatch.delenv(var)
    monkeypatch.setenv("RTLGEN_CONFIG", str(tmp_path / "absent-config.yaml"))
    return monkeypatch
