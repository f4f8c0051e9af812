"""The values a regression run records: one ``RunInfo`` per run, one ``Item`` per (suite, problem).

Both are frozen and round-trip through ``to_dict``/``from_dict`` exactly: the store keeps the
dict as JSON and gives back equal values (the VerifyResult and SynthReport inside an Item included).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

from rtlgen.regress.records import BenchRecord, JobResult
from rtlgen.synth.report import SynthReport
from rtlgen.verify.result import VerifyResult

# ok: verified (and synthesized when asked); failed: a check found a bug or nothing could be shown;
# error: the harness or a tool could not run; skipped: not attempted; missing: no candidate to judge.
ITEM_STATUSES = ("ok", "failed", "error", "skipped", "missing")
_FROM_BENCH = {"pass": "ok", "fail": "failed", "inconclusive": "failed", "error": "error", "missing": "missing"}
METRICS = ("area_um2", "delay_ns", "power_w")


def _known(cls: type, data: dict[str, Any]) -> dict[str, Any]:
    names = {f.name for f in fields(cls)}
    return {k: v for k, v in data.items() if k in names}


@dataclass(frozen=True)
class RunInfo:
    """What a run was and everything needed to compare it like with like."""

    id: int | None
    suites: tuple[str, ...]
    candidates: str
    started: str
    tag: str | None = None
    ended: str | None = None                      # None: interrupted (or still running); --resume finishes it
    rtlgen_version: str = ""
    git_commit: str | None = None
    tool_versions: dict[str, str] = field(default_factory=dict)
    checks: tuple[str, ...] = ()
    ppa: bool = False
    flow: str | None = None
    liberty: str | None = None                    # liberty name
    liberty_sha256: str | None = None             # liberty content hash: metrics compare only under the same one
    clock_ns: float | None = None
    llm_model: str | None = None
    executor: str = "process"

    @property
    def complete(self) -> bool:
        return self.ended is not None

    def comparable(self, other: "RunInfo") -> bool:
        """Same flow, liberty content and clock: area/delay/power mean the same thing in both runs."""
        return (self.flow, self.liberty_sha256, self.clock_ns) == (other.flow, other.liberty_sha256, other.clock_ns)

    def label(self) -> str:
        return f"run {self.id}" + (f" ({self.tag})" if self.tag else "")

    def with_(self, **changes: Any) -> "RunInfo":
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["suites"], data["checks"] = list(self.suites), list(self.checks)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "RunInfo":
        values = _known(cls, data)
        values["suites"] = tuple(values.get("suites", ()))
        values["checks"] = tuple(values.get("checks", ()))
        values["tool_versions"] = dict(values.get("tool_versions") or {})
        return cls(**values)


@dataclass(frozen=True)
class Item:
    """One problem of one run: its status, the bench record, and the values behind it."""

    suite: str
    problem: str
    status: str
    record: BenchRecord
    verify: VerifyResult | None = None
    synth: SynthReport | None = None
    candidate_hash: str | None = None
    llm: dict[str, Any] = field(default_factory=dict)      # model, calls, prompt_tokens, completion_tokens
    extra: dict[str, Any] = field(default_factory=dict)    # the stage's own result (generation, optimization)
    started: str = ""
    ended: str = ""
    seconds: float = 0.0

    def __post_init__(self) -> None:
        if self.status not in ITEM_STATUSES:
            raise ValueError(f"unknown item status {self.status!r}; expected one of {ITEM_STATUSES}")

    @property
    def ok(self) -> bool:
        """Only ``ok`` passes: skipped, missing and errored items never count as passes."""
        return self.status == "ok"

    @property
    def key(self) -> tuple[str, str]:
        return self.suite, self.problem

    @property
    def proven(self) -> bool:
        return self.record.formal == "proven"

    def with_status(self, status: str) -> "Item":
        return replace(self, status=status)

    def metric(self, name: str) -> float | None:
        return getattr(self.record, name, None)

    @classmethod
    def from_job(cls, suite: str, result: JobResult, *, started: str, ended: str, seconds: float,
                 llm: dict[str, Any] | None = None, extra: dict[str, Any] | None = None) -> "Item":
        record = result.record
        status = _FROM_BENCH.get(record.status, "error")
        return cls(suite=suite, problem=record.problem, status=status, record=record, verify=result.verify,
                   synth=result.synth, candidate_hash=record.candidate_hash, llm=dict(llm or {}),
                   extra=dict(extra or {}), started=started, ended=ended, seconds=round(seconds, 3))

    def to_dict(self) -> dict[str, Any]:
        return {"suite": self.suite, "problem": self.problem, "status": self.status,
                "record": self.record.to_dict(), "verify": self.verify.to_dict() if self.verify else None,
                "synth": self.synth.to_dict() if self.synth else None, "candidate_hash": self.candidate_hash,
                "llm": dict(self.llm), "extra": dict(self.extra), "started": self.started, "ended": self.ended,
                "seconds": self.seconds}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Item":
        values = _known(cls, data)
        values["record"] = BenchRecord.from_dict(data["record"])
        values["verify"] = VerifyResult.from_dict(data["verify"]) if data.get("verify") else None
        values["synth"] = SynthReport.from_dict(data["synth"]) if data.get("synth") else None
        return cls(**values)
