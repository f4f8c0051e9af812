"""rtlgen synth stage: flows as data, Yosys in a worker process, OpenSTA timing and power, result cache.

Public API: ``synthesize(candidate, target=Target(), *, vcd=None, vcd_scope="dut", timeout=SYNTH_TIMEOUT_S)
-> SynthReport``, the ``Target`` (flow, liberty, clock, dont-use) from ``rtlgen.synth.target``. ``synthesize`` is
imported lazily: every ``rtlgen`` command loads this package, and ``rtlgen.synth.api`` adds ~20 ms to
``rtlgen --help``.
"""
from __future__ import annotations

from typing import Any

from rtlgen.synth.report import SynthReport

__all__ = ["synthesize", "SynthReport", "SYNTH_TIMEOUT_S"]

# Seconds allowed per tool run by default: a real design (verilog-axis axis_fifo at its default 4096-entry
# depth) keeps Yosys busy for minutes on 2 cores.
SYNTH_TIMEOUT_S = 3600


def __getattr__(name: str) -> Any:
    if name == "synthesize":
        from rtlgen.synth.api import synthesize  # noqa: PLC0415 - ~20 ms at CLI start, see the docstring
        return synthesize
    raise AttributeError(f"module 'rtlgen.synth' has no attribute {name!r}")
