"""Compare a run with its baseline: what newly fails or passes, which proofs were lost, which metric moved.

Metrics are compared only between runs under the same flow, liberty content and clock (a changed
liberty is reported as such, never as a PPA regression). An item with no baseline that is not ``ok``
counts as newly failing: there is nothing it could have regressed from, and it is still a failure.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Callable, Iterable

from rtlgen.regress.model import METRICS, Item, RunInfo
from rtlgen.regress.rules import RuleSet

REGRESSIONS = ("newly_failing", "proof_lost", "metric", "limit")
KINDS = (*REGRESSIONS, "newly_passing", "improved", "not_comparable")


@dataclass(frozen=True)
class Change:
    kind: str
    suite: str
    problem: str
    message: str
    metric: str | None = None
    before: float | None = None
    after: float | None = None

    @property
    def regression(self) -> bool:
        return self.kind in REGRESSIONS

    def __str__(self) -> str:
        return f"{self.kind.replace('_', ' ')}: {self.suite}/{self.problem}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Change":
        return cls(**data)


@dataclass(frozen=True)
class Diff:
    baseline: str                 # "run 3 (nightly)", "best of runs 1-4", or "none"
    changes: tuple[Change, ...] = ()

    @property
    def regressions(self) -> list[Change]:
        return [c for c in self.changes if c.regression]

    def of_kind(self, kind: str) -> list[Change]:
        return [c for c in self.changes if c.kind == kind]

    def to_dict(self) -> dict[str, Any]:
        return {"baseline": self.baseline, "changes": [c.to_dict() for c in self.changes]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Diff":
        return cls(data["baseline"], tuple(Change.from_dict(c) for c in data.get("changes", ())))


def _why(item: Item) -> str:
    rec = item.record
    detail = rec.failure_class or rec.status
    first = rec.message.splitlines()[0][:160] if rec.message else ""
    return f"{item.status} ({detail})" + (f": {first}" if first else "")


def compare(run: RunInfo, items: Iterable[Item], baseline: dict[tuple[str, str], Item], label: str,
            comparable: bool, rules: Callable[[str], RuleSet]) -> Diff:
    """The changes of ``items`` (this run) against ``baseline`` items keyed by (suite, problem)."""
    changes: list[Change] = []
    if baseline and not comparable:
        changes.append(Change("not_comparable", "*", "*", f"{label} used another flow, liberty or clock: "
                                                          "PPA is not compared"))
    for item in items:
        before = baseline.get(item.key)
        suite, problem = item.key
        if not item.ok:
            if before is None or before.ok:
                was = "no baseline" if before is None else "ok in the baseline"
                changes.append(Change("newly_failing", suite, problem, f"{_why(item)} ({was})"))
            continue
        if before is not None and not before.ok:
            changes.append(Change("newly_passing", suite, problem, f"ok (was {before.status})"))
        if before is not None and before.proven and not item.proven:
            changes.append(Change("proof_lost", suite, problem,
                                  f"formal {item.record.formal} (was proven)" + (f": {_why(item)}" if item.record.message else "")))
        changes += _metric_changes(run, item, before if (before and before.ok and comparable) else None, rules(suite))
    return Diff(label, tuple(changes))


def _metric_changes(run: RunInfo, item: Item, before: Item | None, rules: RuleSet) -> list[Change]:
    out = []
    suite, problem = item.key
    for metric in METRICS:
        after, prev = item.metric(metric), before.metric(metric) if before else None
        broken = False
        for rule in rules.applicable(problem, metric, run.liberty_sha256, run.clock_ns):
            why = rule.violation(after, prev)
            if why:
                broken = True
                out.append(Change("metric" if rule.compare == "baseline" else "limit", suite, problem, why, metric,
                                  prev if rule.compare == "baseline" else rule.value, after))
        if not broken and after is not None and prev is not None and after < prev * (1 - 1e-9):
            out.append(Change("improved", suite, problem, f"{metric} {after:.6g} < {prev:.6g} in the baseline "
                                                          f"({(after - prev) / prev * 100:+.2f}%)", metric, prev, after))
    return out
