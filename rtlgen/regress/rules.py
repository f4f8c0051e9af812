"""Regression thresholds as data: a YAML file per suite, rules per metric and optionally per design.

In the spirit of OpenROAD-flow-scripts' ``rules-*.json`` (metric, comparison, value): a rule either
compares with the baseline run (``compare: baseline`` with a relative ``tolerance``) or with a fixed
limit (``compare: "<="`` / ``">="`` with a ``value``). A rule naming a ``design`` replaces the
suite-wide rule of the same metric and kind for that design. ``tighten`` turns the best recorded
results into per-design limits, never loosening one.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any, Iterable

import yaml

from rtlgen.errors import ConfigError
from rtlgen.regress.model import METRICS

COMPARES = ("baseline", "<=", ">=")
DEFAULTS = Path(__file__).parent / "rules_default.yaml"
_HEADER = ("# rtlgen regress rules (see docs/regress.md). compare: baseline (relative tolerance) or <= / >= (value).\n"
           "# Per-design limits are written by `rtlgen regress rules update` from the best recorded results.\n")


@dataclass(frozen=True)
class Rule:
    metric: str
    compare: str
    value: float | None = None
    tolerance: float = 0.0
    design: str | None = None
    liberty_sha256: str | None = None     # a fixed limit holds only under the liberty and clock it was measured with
    clock_ns: float | None = None

    def __post_init__(self) -> None:
        if self.metric not in METRICS:
            raise ConfigError(f"rule metric {self.metric!r} is not one of {', '.join(METRICS)}")
        if self.compare not in COMPARES:
            raise ConfigError(f"rule compare {self.compare!r} is not one of {', '.join(COMPARES)}")
        if self.compare != "baseline" and self.value is None:
            raise ConfigError(f"rule '{self.metric} {self.compare}' needs a value")
        if self.tolerance < 0:
            raise ConfigError(f"rule tolerance must be >= 0, got {self.tolerance}")

    def applies(self, problem: str, liberty_sha256: str | None, clock_ns: float | None) -> bool:
        if self.design is not None and self.design != problem:
            return False
        if self.liberty_sha256 is not None and self.liberty_sha256 != liberty_sha256:
            return False
        return self.clock_ns is None or self.clock_ns == clock_ns

    def violation(self, after: float | None, before: float | None) -> str | None:
        """Why ``after`` breaks this rule, or None (also when a value it needs is unknown)."""
        if after is None:
            return None
        if self.compare == "baseline":
            if before is None:
                return None
            limit = before * (1 + self.tolerance)
            if after > limit * (1 + 1e-9):
                change = (after - before) / before * 100 if before else float("inf")
                return (f"{self.metric} {after:.6g} > {before:.6g} in the baseline (+{change:.2f}%, "
                        f"tolerance {self.tolerance * 100:g}%)")
            return None
        assert self.value is not None
        if (self.compare == "<=" and after > self.value) or (self.compare == ">=" and after < self.value):
            return f"{self.metric} {after:.6g} breaks the limit {self.compare} {self.value:.6g}"
        return None

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None and not (k == "tolerance" and v == 0.0)}

    @classmethod
    def from_dict(cls, data: dict[str, Any], where: str = "rules") -> "Rule":
        if not isinstance(data, dict):
            raise ConfigError(f"{where}: each rule must be a mapping (metric, compare, value/tolerance)")
        unknown = set(data) - {f for f in cls.__dataclass_fields__}
        if unknown:
            raise ConfigError(f"{where}: unknown rule key(s) {sorted(unknown)}")
        try:
            return cls(**data)
        except TypeError as exc:
            raise ConfigError(f"{where}: {exc}") from exc


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]
    path: str | None = None

    def applicable(self, problem: str, metric: str, liberty_sha256: str | None, clock_ns: float | None) -> list[Rule]:
        """The rules for ``problem``'s ``metric``: a design's own rule replaces the suite-wide one of its kind."""
        found = [r for r in self.rules if r.metric == metric and r.applies(problem, liberty_sha256, clock_ns)]
        kinds = {("baseline" if r.compare == "baseline" else "limit") for r in found if r.design}
        return [r for r in found if r.design or ("baseline" if r.compare == "baseline" else "limit") not in kinds]

    def to_yaml(self) -> str:
        return _HEADER + yaml.safe_dump({"rules": [r.to_dict() for r in self.rules]}, sort_keys=False)

    def write(self, path: str | Path) -> Path:
        out = Path(path)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(self.to_yaml())
        return out


def load_rules(path: str | Path | None) -> RuleSet:
    """Rules from ``path``, or the packaged defaults when ``path`` is None or does not exist yet."""
    source = Path(path) if path and Path(path).is_file() else DEFAULTS
    try:
        data = yaml.safe_load(source.read_text()) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"{source}: not valid YAML ({exc})") from exc
    if not isinstance(data, dict) or not isinstance(data.get("rules", []), list):
        raise ConfigError(f"{source}: expected a mapping with a list 'rules'")
    rules = tuple(Rule.from_dict(r, f"{source} rule {i + 1}") for i, r in enumerate(data.get("rules", [])))
    return RuleSet(rules, str(path) if path else None)


@dataclass(frozen=True)
class Tightened:
    design: str
    metric: str
    before: float | None
    after: float


def tighten(rules: RuleSet, best: Iterable[tuple[str, str, float]], *, margin: float, liberty_sha256: str | None,
            clock_ns: float | None) -> tuple[RuleSet, list[Tightened]]:
    """Per-design ``<=`` limits at best * (1 + margin) for each (design, metric, best value); only lowers limits."""
    kept = list(rules.rules)
    changes = []
    for design, metric, value in best:
        limit = value * (1 + margin)
        mine = [r for r in kept if r.design == design and r.metric == metric and r.compare == "<="
                and r.liberty_sha256 == liberty_sha256 and r.clock_ns == clock_ns]
        current = mine[0].value if mine else None
        if current is not None and current <= limit:
            continue
        if mine:
            kept[kept.index(mine[0])] = replace(mine[0], value=limit)
        else:
            kept.append(Rule(metric, "<=", limit, design=design, liberty_sha256=liberty_sha256, clock_ns=clock_ns))
        changes.append(Tightened(design, metric, current, limit))
    return RuleSet(tuple(kept), rules.path), changes
