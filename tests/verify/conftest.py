"""Fixtures shared by the verification checks' tests."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from rtlgen.tools.registry import find

WAIT_S = 7


@pytest.fixture
def waiting_vvp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[float]:
    """vvp behind a shell that first sleeps ``WAIT_S`` seconds without computing, as a simulator waiting for a core
    on a loaded machine does; yields the wait."""
    waiting = tmp_path / "waiting-vvp"
    waiting.write_text(f'#!/bin/sh\nsleep {WAIT_S}\nexec {find("vvp")} "$@"\n')
    waiting.chmod(0o755)
    monkeypatch.setenv("RTLGEN_VVP", str(waiting))
    find.cache_clear()
    yield WAIT_S
    find.cache_clear()
