"""Where rtlgen finds shared data: benchmark suites, caches. Environment first, then defaults."""
from __future__ import annotations

import os
from pathlib import Path

from rtlgen.errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def benchmarks_dir(required: bool = True) -> Path | None:
    """``RTLGEN_BENCHMARKS``, else ``../shared/benchmarks`` beside the project checkout."""
    env = os.environ.get("RTLGEN_BENCHMARKS")
    path = Path(env) if env else PROJECT_ROOT.parent / "shared" / "benchmarks"
    if path.is_dir():
        return path
    if required:
        raise ConfigError(f"benchmark data not found at {path}; set RTLGEN_BENCHMARKS to the folder "
                          "holding verilog-eval/, rtllm/ and liberty/")
    return None


def cache_dir() -> Path:
    """``RTLGEN_CACHE``, else ``$XDG_CACHE_HOME/rtlgen`` (``~/.cache/rtlgen``)."""
    env = os.environ.get("RTLGEN_CACHE")
    base = Path(env) if env else Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "rtlgen"
    base.mkdir(parents=True, exist_ok=True)
    return base
