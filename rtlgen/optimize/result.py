"""OptResult: what ``rtlgen.optimize`` did to one design, as plain JSON-serialisable data.

Every accepted change is a ``Step`` (rule, kind, PPA after it, its proof); every tried change that
was not kept is a ``Rejected`` with the reason (``counterexample``, ``inconclusive``, ``not better``,
``unsafe``, ``error``). The final design's equivalence is proven against the *input*, end to end.
RTL gains and flow gains are kept apart: ``area_rtl_um2`` is the optimized RTL under the input's
flow, ``area_after_um2`` adds the best flow of the portfolio. ``stopped`` says why a run ended before its
moves were done (the time budget, SIGINT, SIGTERM); its design is still the best proven one so far.
"""
from __future__ import annotations

import json
import shlex
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

from rtlgen.optimize.budget import SIGNAL_EXIT, TIME_BUDGET

SCHEMA = "rtlgen.optimize.result/1"
REJECT_REASONS = ("counterexample", "inconclusive", "not better", "unsafe", "error")
STOPS = ("", TIME_BUDGET, *SIGNAL_EXIT)   # "": the moves ran until none helped or the rounds were spent


def error_detail(exc: BaseException) -> str:
    """A failure as a rejection records it: the whole message on one line (a tool's quoted error lines
    included), then the command when a tool failed, so the reason is readable without the logs."""
    text = " ".join(line.strip() for line in str(exc).splitlines() if line.strip()) or type(exc).__name__
    cmd = getattr(exc, "cmd", None)
    return f"{text}\ncommand: {shlex.join(map(str, cmd))}" if cmd else text


@dataclass(frozen=True)
class Step:
    """One accepted change and the design's PPA after it (under ``flow``)."""

    rule: str
    kind: str
    description: str
    area_um2: float | None
    power_w: float | None
    delay_ns: float | None
    equivalence: str          # proven (only proven changes are accepted)
    proof: str                # the engine's one-line message
    seconds: float
    flow: str = "yosys"
    diff: str = ""            # unified diff of the RTL (empty for flow steps)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Rejected:
    """One tried change that was not kept, and why."""

    rule: str
    kind: str
    reason: str               # one of REJECT_REASONS
    detail: str = ""

    def __post_init__(self) -> None:
        if self.reason not in REJECT_REASONS:
            raise ValueError(f"unknown rejection reason {self.reason!r}; expected one of {REJECT_REASONS}")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class OptResult:
    top: str
    liberty: str | None
    clock_ns: float
    goal: str
    area_before_um2: float | None
    area_after_um2: float | None
    delay_before_ns: float | None
    delay_after_ns: float | None
    power_before_w: float | None
    power_after_w: float | None
    equivalence: str                          # final design vs input: proven / counterexample / inconclusive / error
    equivalence_message: str = ""
    area_rtl_um2: float | None = None         # RTL changes only, under the input's flow
    flow_before: str = "yosys"
    flow_after: str = "yosys"
    autotb: str = "absent"                    # the optimized design simulated against the input as golden
    autotb_message: str = ""
    power_source: str = ""                    # "engine <gate|sta>, <activity>" (see loop._close)
    steps: tuple[Step, ...] = ()
    rejected: tuple[Rejected, ...] = ()
    providers: dict[str, str] = field(default_factory=dict)   # move kind -> "ok" or why it was not tried
    tried: int = 0
    llm_calls: int = 0
    llm_seconds: float = 0.0                  # wall time waiting for the LLM's replies
    seconds: float = 0.0
    rtl: str = ""                             # the optimized RTL
    input_hash: str = ""
    output_hash: str = ""
    stopped: str = ""                         # one of STOPS
    time_budget_s: float | None = None

    def __post_init__(self) -> None:
        if self.stopped not in STOPS:
            raise ValueError(f"unknown stop {self.stopped!r}; expected one of {STOPS}")

    @property
    def proven(self) -> bool:
        return self.equivalence == "proven"

    @property
    def exit_code(self) -> int:
        """0 proven (even with no improvement, or ended by the time budget), 1 nothing could be proven (or the
        simulation contradicts it); a run a signal stopped exits as the shell expects (130 SIGINT, 143 SIGTERM)."""
        if self.stopped in SIGNAL_EXIT:
            return SIGNAL_EXIT[self.stopped]
        return 0 if self.proven and self.autotb != "fail" else 1

    def count(self, reason: str) -> int:
        return sum(r.reason == reason for r in self.rejected)

    def ratio(self, metric: str = "area") -> float | None:
        """after / before for ``area``, ``power`` or ``delay`` (None when either is unknown or zero)."""
        unit = {"area": "um2", "power": "w", "delay": "ns"}[metric]
        before, after = getattr(self, f"{metric}_before_{unit}"), getattr(self, f"{metric}_after_{unit}")
        return after / before if before and after is not None else None

    def with_(self, **changes: Any) -> "OptResult":
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["steps"] = [s.to_dict() for s in self.steps]
        data["rejected"] = [r.to_dict() for r in self.rejected]
        return {"schema": SCHEMA, **data}

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "OptResult":
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        values["steps"] = tuple(Step(**s) for s in values.get("steps", ()))
        values["rejected"] = tuple(Rejected(**r) for r in values.get("rejected", ()))
        values["providers"] = dict(values.get("providers", {}))
        return cls(**values)
