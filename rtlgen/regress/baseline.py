"""Baselines and rules over the store: which earlier run (or best-of) a run is compared with, where a
suite's threshold rules live, and tightening those rules from the best recorded results."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

from rtlgen.errors import ConfigError
from rtlgen.regress.model import METRICS, Item, RunInfo
from rtlgen.regress.rules import RuleSet, Tightened, load_rules, tighten
from rtlgen.regress.store import Store


def rules_path(db: Store, suite: str) -> Path:
    """Where a suite's rules live by default: ``rules-<suite>.yaml`` beside the store."""
    return db.path.parent / f"rules-{suite}.yaml"


def rules_for(db: Store, suite: str, explicit: str | Path | None = None) -> RuleSet:
    return load_rules(explicit or rules_path(db, suite))


def choose_baseline(db: Store, run: RunInfo, baseline: str) -> tuple[str, dict[tuple[str, str], Item], bool]:
    """(label, items by (suite, problem), comparable) of the baseline named ``baseline`` for ``run``."""
    if baseline == "none":
        return "none", {}, True
    earlier = [r for r in db.runs() if r.complete and r.id != run.id and set(r.suites) & set(run.suites)]
    if baseline == "best":
        pool = [r for r in earlier if r.comparable(run)]
        if not pool:
            return "none (no earlier comparable run)", {}, True
        best: dict[tuple[str, str], Item] = {}
        for r in pool:
            for item in db.items(r.id):
                held = best.get(item.key)
                if held is None or _better(item, held):
                    best[item.key] = item
        return f"best of runs {', '.join(str(r.id) for r in pool)}", best, True
    if baseline == "last":
        chosen = [r for r in earlier if r.id < (run.id or 0)]
        if not chosen:
            return "none (first run)", {}, True
    else:
        chosen = [r for r in db.runs() if r.complete and r.id != run.id and r.tag == baseline]
        if not chosen:
            raise ConfigError(f"baseline '{baseline}': no complete run with that tag in {db.path}; use last, best, "
                              "none or one of the tags: " + ", ".join(sorted({r.tag for r in db.runs() if r.tag})))
    base = chosen[-1]
    return base.label(), {i.key: i for i in db.items(base.id)}, base.comparable(run)


def _better(item: Item, held: Item) -> bool:
    """ok beats not ok; among ok items the smaller (area, delay, power), unknown values last."""
    if item.ok != held.ok:
        return item.ok
    if not item.ok:
        return True  # the newest record of a problem that never passed
    def key(i: Item) -> tuple[float, ...]:
        return tuple(float("inf") if i.metric(m) is None else i.metric(m) for m in METRICS)
    return key(item) < key(held)


def update_rules(db: Store, suites: tuple[str, ...] | None, explicit: str | Path | None,
                 margin: float) -> Iterator[tuple[str, Path, list[Tightened]]]:
    """For each suite: per-design limits at the best ok value of each metric, over the complete runs
    measured like the suite's newest PPA run (same flow, liberty content, clock); written to its rules file."""
    runs = [r for r in db.runs() if r.complete]
    for suite in suites or sorted({s for r in runs for s in r.suites}):
        measured = [r for r in runs if suite in r.suites and r.ppa]
        if not measured:
            raise ConfigError(f"no complete --ppa run of suite '{suite}' in {db.path}: nothing to tighten from")
        newest = measured[-1]
        best: dict[tuple[str, str], float] = {}
        for r in (r for r in measured if r.comparable(newest)):
            for item in db.items(r.id):
                if item.suite != suite or not item.ok:
                    continue
                for metric in METRICS:
                    value = item.metric(metric)
                    if value is not None and value < best.get((item.problem, metric), float("inf")):
                        best[(item.problem, metric)] = value
        path = Path(explicit) if explicit else rules_path(db, suite)
        updated, changes = tighten(load_rules(path), [(d, m, v) for (d, m), v in sorted(best.items())],
                                   margin=margin, liberty_sha256=newest.liberty_sha256, clock_ns=newest.clock_ns)
        updated.write(path)
        yield suite, path, changes
