"""Shared test plumbing: the ``bench`` marker skips (or, under CI=true, fails) without benchmark data."""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Callable

import pytest

from rtlgen.cli import main as rtlgen_main
from rtlgen.config import benchmarks_dir


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("bench") and benchmarks_dir(required=False) is None:
        reason = ("benchmark data not found: set RTLGEN_BENCHMARKS to the folder holding verilog-eval/ and rtllm/ "
                  "(default ../shared/benchmarks)")
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)


@pytest.fixture
def bench_root() -> Path:
    """The benchmarks folder (tests using it must carry the ``bench`` marker)."""
    root = benchmarks_dir(required=False)
    assert root is not None, "use @pytest.mark.bench on tests that need benchmark data"
    return root


def _missing_benchmarks(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(reason + " (CI=true: benchmark tests must run)")
    pytest.skip(reason)


@pytest.fixture
def benchmarks() -> Path:
    """The benchmarks folder; skips with the reason when absent, fails instead under CI=true."""
    root = benchmarks_dir(required=False)
    if root is None:
        _missing_benchmarks("benchmark data not found: set RTLGEN_BENCHMARKS to the folder holding verilog-eval/ "
                            "and rtllm/ (default ../shared/benchmarks)")
    return root


def spec_from_rtl(rtl: str, top: str = "TopModule", **fields: object) -> "Spec":
    """A small Spec whose interface (ports, clock, reset) is read from ``rtl``, for tests."""
    from rtlgen.spec.interface import infer_clock, infer_reset, read_ports
    from rtlgen.spec.model import Spec

    ports = read_ports(rtl, top)
    return Spec(top=top, ports=ports, clock=infer_clock(ports, rtl), reset=infer_reset(ports, rtl), name=top, **fields)


@pytest.fixture
def tiny_spec():
    """``tiny_spec(rtl, top="TopModule", **spec_fields)`` -> Spec with the interface of ``rtl``'s module ``top``."""
    return spec_from_rtl


@pytest.fixture
def run_cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> Callable[[list[str]], tuple[int, str]]:
    """``rtlgen ARGS`` through the console entry point (errors become exit codes there): (exit code, stdout+stderr)."""
    def run(args: list[str]) -> tuple[int, str]:
        monkeypatch.setattr(sys, "argv", ["rtlgen", *args])
        with pytest.raises(SystemExit) as info:
            rtlgen_main()
        captured = capsys.readouterr()
        return int(info.value.code), captured.out + captured.err
    return run
