"""The clock of one optimization run: its whole-run time budget, and the signals that end it early.

Why one home: on a real design a single synthesis or proof can take minutes, so a run bounded only by
rounds can outlast anyone's patience and leave nothing behind. The loop asks the budget before each
move and gives every tool call what is left (``limit``), keeping ``reserve`` seconds for the closing
checks (end-to-end proof, simulation), so the best proven design is written inside the budget. A
SIGINT (Ctrl-C) or SIGTERM ends the current move the same way: the tool wrapper kills the tool's
process group as the signal unwinds (``rtlgen.tools.run``), and the loop keeps what was proven.
"""
from __future__ import annotations

import signal
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterator

DEFAULT_TIME_BUDGET_S = 900.0
RESERVE_SHARE = 0.2     # of the budget, kept for the closing checks once the moves stop
MIN_TOOL_S = 10.0       # the least any started tool call gets, even with the budget spent
TIME_BUDGET = "time budget"
SIGNAL_EXIT = {"SIGINT": 128 + signal.SIGINT, "SIGTERM": 128 + signal.SIGTERM}   # 130, 143: the shell's codes
_HELD = {signal.SIGINT, signal.SIGTERM}


@dataclass(frozen=True)
class Budget:
    """``seconds`` of wall time from ``start`` (``time.monotonic``) for one run."""

    seconds: float = DEFAULT_TIME_BUDGET_S
    start: float = field(default_factory=time.monotonic)

    def __post_init__(self) -> None:
        if self.seconds <= 0:
            raise ValueError(f"time budget must be positive, got {self.seconds:g} s")

    @property
    def reserve(self) -> float:
        return self.seconds * RESERVE_SHARE

    def elapsed(self) -> float:
        return time.monotonic() - self.start

    def left(self) -> float:
        return self.seconds - self.elapsed()

    def moves_over(self) -> bool:
        """Whether the time for moves is spent (what is left is the closing checks' reserve)."""
        return self.left() <= self.reserve

    def limit(self, cap: float) -> float:
        """The timeout of a tool call: ``cap`` (``--timeout``), at most what is left, at least ``MIN_TOOL_S``."""
        return min(cap, max(self.left(), MIN_TOOL_S))

    def status(self) -> str:
        """``12.3/300 s``: elapsed against the budget, for progress lines."""
        return f"{self.elapsed():.1f}/{self.seconds:g} s"


@dataclass
class ToolLimit:
    """The timeout of each synthesis in a run: ``cap`` seconds, at most what is left of ``budget``, and inside a phase
    (``within``) at most what is left of the phase, so a phase with a share of the budget (the flow portfolio) ends
    on time even when one of its syntheses would not: that synthesis is cut and counted as failed."""

    budget: Budget
    cap: float
    phase_end: float | None = None  # time.monotonic() at which the current phase ends

    def __call__(self) -> float:
        cap = self.cap
        if self.phase_end is not None:
            cap = min(cap, max(self.phase_end - time.monotonic(), MIN_TOOL_S))
        return self.budget.limit(cap)

    @contextmanager
    def within(self, seconds: float) -> Iterator[None]:
        """Tool calls in the block end within ``seconds`` from now (at least ``MIN_TOOL_S`` each) and within the
        enclosing phase, if any: a phase nested in another cannot outlast it, and the enclosing phase's end holds
        again after the block."""
        outer = self.phase_end
        end = time.monotonic() + seconds
        self.phase_end = end if outer is None else min(outer, end)
        try:
            yield
        finally:
            self.phase_end = outer


@dataclass
class ProofCost:
    """What proving the flow portfolio's best recipe costs, from what this run's tools took so far.

    Why: a search that runs until the time for moves is spent finds gains it has no time left to prove, and an
    unproven recipe is dropped (verilog-axis ``axis_pipeline_register``, 300 s: clock gating -18.9 % found after
    119 s, never proven). So the search stops this much before the closing reserve. A recipe's proof maps its
    netlist (two Yosys runs, about one synthesis) and puts it through the gate (admission, then the equivalence
    proof, which elaborates both designs in Yosys: at least the input's admission plus one synthesis; on
    ``axis_pipeline_register`` 7.0 s mapping + 1.5 s admission + 8.5 s proof, its input admitted in 1.5 s)."""

    synthesis: float = 0.0  # the slowest synthesis measured (a cached one costs a file read)
    admission: float = 0.0  # the input's admission check
    check: float = 0.0      # the slowest gate check (admission and proof) of a change measured

    def synthesized(self, seconds: float) -> None:
        self.synthesis = max(self.synthesis, seconds)

    def checked(self, seconds: float) -> None:
        self.check = max(self.check, seconds)

    def flow_proof(self) -> float:
        """Seconds to keep for proving one recipe: its netlist mapped, then checked as the slowest check so far,
        at least the input's admission plus one synthesis."""
        return self.synthesis + max(self.check, self.admission + self.synthesis)


def interruption(exc: BaseException) -> str | None:
    """``SIGINT`` or ``SIGTERM`` when ``exc`` is how that signal unwinds the stack, else None.

    Ctrl-C raises KeyboardInterrupt; the CLI's SIGTERM handler raises ``SystemExit(143)``
    (``rtlgen.tools.run.unwind_on_sigterm``)."""
    if isinstance(exc, KeyboardInterrupt):
        return "SIGINT"
    if isinstance(exc, SystemExit) and exc.code == SIGNAL_EXIT["SIGTERM"]:
        return "SIGTERM"
    return None


@contextmanager
def signals_held() -> Iterator[None]:
    """SIGINT and SIGTERM wait until the block ends (then arrive as usual), so what it writes is never half done."""
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
