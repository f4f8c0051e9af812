"""One bench record per (problem, candidate): the verdict of each check, flattened for JSON/CSV tables."""
from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Iterable

from rtlgen.synth.report import SynthReport
from rtlgen.verify.result import CheckResult, VerifyResult

if TYPE_CHECKING:  # pandas takes a second to import; bench workers never need it
    import pandas as pd

# Keys every bench JSON record has (the agreed interface), then rtlgen's extras.
RECORD_KEYS = ("problem", "suite", "official", "autotb", "formal", "failure_class", "strength", "seconds", "message")
PPA_KEYS = ("area_um2", "delay_ns", "power_w", "liberty", "clock_ns")
TABLE_COLUMNS = ("problem", "suite", "status", "lint", "official", "autotb", "formal", "failure_class", "strength",
                 "seconds", "message")
STATUSES = ("pass", "fail", "error", "inconclusive", "missing")
_LINT_ORDER = {"fail": 3, "error": 2, "pass": 1, "absent": 0}


@dataclass
class BenchRecord:
    """What bench found for one problem. ``status`` sums it up:

    ``missing`` (no candidate file), ``error`` (the harness or a check could not run),
    ``fail`` (a check found a bug, official testbench included), ``pass`` (a check passed and
    none failed), ``inconclusive`` (nothing passed and nothing failed).
    """

    problem: str
    suite: str | None = None
    official: str = "absent"
    autotb: str = "absent"
    formal: str = "absent"
    failure_class: str | None = None
    strength: str | None = None
    seconds: float = 0.0
    message: str = ""
    status: str = "error"
    lint: str = "absent"
    candidate: str = ""
    candidate_hash: str | None = None
    check_seconds: dict[str, float] = field(default_factory=dict)
    area_um2: float | None = None
    delay_ns: float | None = None
    power_w: float | None = None
    liberty: str | None = None
    clock_ns: float | None = None
    power_detail: dict[str, Any] | None = None  # with --ppa: rtlgen.report.kinds.power_columns of its synthesis
    official_error: str | None = None  # the benchmark's testbench is broken (``testbench_broken``): why

    @property
    def passed(self) -> bool:
        return self.status == "pass"

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        if all(data[k] is None for k in PPA_KEYS):
            for key in (*PPA_KEYS, "power_detail"):
                data.pop(key)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "BenchRecord":
        known = {f for f in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in data.items() if k in known})

    @classmethod
    def from_verify(cls, problem: str, suite: str | None, result: VerifyResult, candidate: str = "") -> "BenchRecord":
        """Flatten a VerifyResult: one verdict per check, the first failure's class and message."""
        def verdict(name: str) -> str:
            check = result.get(name)
            return check.verdict if check else "absent"

        lints = [c for c in result.checks if c.check.startswith("lint")]
        lint = max((c.verdict for c in lints), key=lambda v: _LINT_ORDER.get(v, 0), default="absent")
        # A broken benchmark testbench says nothing about the candidate: reported apart, it decides nothing.
        broken = next((c for c in result.checks if c.failure_class == "testbench_broken"), None)
        deciding = [c for c in result.checks if c is not broken]
        bad = _first_problem(deciding)
        seconds: dict[str, float] = {}
        for c in result.checks:
            key = "lint" if c.check.startswith("lint") else c.check
            seconds[key] = round(seconds.get(key, 0.0) + c.seconds, 3)
        return cls(
            problem=problem, suite=suite, official=verdict("official"), autotb=verdict("autotb"),
            formal=verdict("formal"), failure_class=bad.failure_class if bad else None, strength=result.strength,
            seconds=round(result.seconds, 3), message=bad.summary() if bad else "", status=_status([c for c in deciding if not result.excused(c)]),
            lint=lint, candidate=candidate, candidate_hash=result.candidate_hash, check_seconds=seconds,
            official_error="\n".join(broken.message.splitlines()[:4]) if broken else None,
        )

    @classmethod
    def failure(cls, problem: str, suite: str | None, status: str, failure_class: str, message: str,
                candidate: str = "", seconds: float = 0.0) -> "BenchRecord":
        """A record for a problem that could not be verified at all (missing candidate, harness error)."""
        return cls(problem=problem, suite=suite, status=status, failure_class=failure_class, message=message,
                   candidate=candidate, seconds=round(seconds, 3))


@dataclass(frozen=True)
class JobResult:
    """One job's full outcome: the flat record plus the values it was flattened from (when they exist),
    so a run store can keep them and read them back as the same dataclasses."""

    record: BenchRecord
    verify: VerifyResult | None = None
    synth: SynthReport | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"record": self.record.to_dict(), "verify": self.verify.to_dict() if self.verify else None,
                "synth": self.synth.to_dict() if self.synth else None}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "JobResult":
        return cls(BenchRecord.from_dict(data["record"]),
                   VerifyResult.from_dict(data["verify"]) if data.get("verify") else None,
                   SynthReport.from_dict(data["synth"]) if data.get("synth") else None)


def _first_problem(checks: list[CheckResult]) -> CheckResult | None:
    """The check to blame: the first that failed, else the first that errored, else the first inconclusive."""
    for verdicts in (("fail", "counterexample"), ("error",), ("inconclusive",)):
        found = next((c for c in checks if c.verdict in verdicts), None)
        if found:
            return found
    return None


def _status(checks: list[CheckResult]) -> str:
    verdicts = {c.verdict for c in checks}
    if verdicts & {"fail", "counterexample"}:
        return "fail"
    if "error" in verdicts:
        return "error"
    functional = [c for c in checks if not c.check.startswith("lint") and c.verdict != "absent"]
    if any(c.passed for c in functional or checks):  # lint alone decides only when it was all that ran
        return "pass"
    return "inconclusive"


def records_table(records: Iterable[BenchRecord]) -> "pd.DataFrame":
    """One row per record, the summary columns first (then PPA columns when any record has them)."""
    import pandas as pd

    rows = [r.to_dict() for r in records]
    columns = list(TABLE_COLUMNS)
    if any(key in row for row in rows for key in PPA_KEYS):
        columns += list(PPA_KEYS)
    frame = pd.DataFrame(rows, columns=columns + ["candidate"])
    return frame


def totals(records: Iterable[BenchRecord]) -> dict[str, int]:
    """Counts for the summary line: problems, each status, official/autotb passes, formal proofs."""
    records = list(records)
    counts = Counter(r.status for r in records)
    return {
        "problems": len(records),
        **{status: counts.get(status, 0) for status in STATUSES},
        "official_pass": sum(r.official == "pass" for r in records),
        "autotb_pass": sum(r.autotb == "pass" for r in records),
        "formal_proven": sum(r.formal == "proven" for r in records),
        "lint_pass": sum(r.lint == "pass" for r in records),
    }
