"""The diff and the baselines on recorded values alone (no tools): what counts as a regression, and what does not."""
from __future__ import annotations

from pathlib import Path

import pytest

from rtlgen.errors import ConfigError
from rtlgen.regress.baseline import choose_baseline
from rtlgen.regress.diff import compare
from rtlgen.regress.model import Item, RunInfo
from rtlgen.regress.records import BenchRecord, JobResult
from rtlgen.regress.rules import Rule, RuleSet, load_rules, tighten
from rtlgen.regress.store import Store

DEFAULTS = load_rules(None)


def item(problem: str, status: str = "ok", area: float | None = 100.0, formal: str = "proven") -> Item:
    bench = {"ok": "pass", "failed": "fail", "error": "error", "missing": "missing", "skipped": "missing"}[status]
    record = BenchRecord(problem, "s", formal=formal, status=bench, area_um2=area, failure_class=None if
                         status == "ok" else "runtime_mismatch", message="" if status == "ok" else "it broke")
    return Item.from_job("s", JobResult(record), started="t", ended="t", seconds=1.0).with_status(status)


def run(run_id: int | None = 2, liberty: str = "L1", tag: str | None = None) -> RunInfo:
    return RunInfo(run_id, ("s",), "ref", "t", tag=tag, ended="t", ppa=True, flow="yosys", liberty_sha256=liberty,
                   clock_ns=10.0)


def diff(now: list[Item], before: list[Item], comparable: bool = True, rules: RuleSet = DEFAULTS):
    return compare(run(), now, {i.key: i for i in before}, "run 1", comparable, lambda suite: rules)


def kinds(d) -> set[tuple[str, str]]:
    return {(c.kind, c.problem) for c in d.changes}


def test_each_kind_of_change() -> None:
    d = diff([item("a", area=101.0), item("b", "failed"), item("c"), item("d", formal="inconclusive"), item("e")],
             [item("a"), item("b"), item("c", "error"), item("d"), item("e", area=120.0)])
    assert kinds(d) == {("metric", "a"), ("newly_failing", "b"), ("newly_passing", "c"), ("proof_lost", "d"),
                        ("improved", "e")}
    assert {c.problem for c in d.regressions} == {"a", "b", "d"}


def test_skipped_missing_and_errors_are_never_passes() -> None:
    d = diff([item("a", "skipped"), item("b", "missing"), item("c", "error"), item("n", "failed")], [])
    assert kinds(d) == {("newly_failing", p) for p in "abcn"}  # no baseline: still failures
    still = diff([item("a", "error")], [item("a", "error")])
    assert still.changes == ()  # failing before and now: nothing new (the item itself stays not ok)


def test_within_tolerance_is_not_a_regression_and_another_liberty_is_not_compared() -> None:
    assert diff([item("a", area=100.05)], [item("a")]).changes == ()  # +0.05% < 0.1%
    d = diff([item("a", area=500.0)], [item("a")], comparable=False)
    assert kinds(d) == {("not_comparable", "*")} and not d.regressions


def test_a_design_rule_overrides_the_suite_rule_and_fixed_limits_hold_without_a_baseline() -> None:
    rules = RuleSet((Rule("area_um2", "baseline", tolerance=0.001), Rule("area_um2", "baseline", tolerance=0.5, design="a"),
                     Rule("area_um2", "<=", 90.0, design="b", liberty_sha256="L1", clock_ns=10.0),
                     Rule("area_um2", "<=", 1.0, design="c", liberty_sha256="OTHER")))
    d = diff([item("a", area=140.0), item("b", area=95.0), item("c", area=95.0)], [item("a")], rules=rules)
    assert kinds(d) == {("limit", "b")}


def test_tighten_only_lowers_limits() -> None:
    rules = RuleSet((Rule("area_um2", "<=", 80.0, design="a", liberty_sha256="L1", clock_ns=10.0),))
    updated, changes = tighten(rules, [("a", "area_um2", 90.0), ("b", "area_um2", 50.0)], margin=0.0,
                               liberty_sha256="L1", clock_ns=10.0)
    assert [(c.design, c.before, c.after) for c in changes] == [("b", None, 50.0)]
    again, changes = tighten(updated, [("b", "area_um2", 40.0)], margin=0.1, liberty_sha256="L1", clock_ns=10.0)
    assert changes[0].after == pytest.approx(44.0) and len(again.rules) == 2


def test_bad_rules_are_config_errors(tmp_path: Path) -> None:
    bad = tmp_path / "rules.yaml"
    bad.write_text("rules:\n  - {metric: area, compare: baseline}\n")
    with pytest.raises(ConfigError, match="metric 'area'"):
        load_rules(bad)
    bad.write_text("rules:\n  - {metric: area_um2, compare: '<='}\n")
    with pytest.raises(ConfigError, match="needs a value"):
        load_rules(bad)


def test_baselines_last_best_tag_and_none(tmp_path: Path) -> None:
    db = Store(tmp_path / "r.db")
    areas = {"first": 100.0, "small": 80.0, "other-lib": 10.0}
    for tag, area in areas.items():
        r = db.start_run(run(None, "L2" if tag == "other-lib" else "L1", tag))
        db.record(r.id, item("a", area=area))
        db.finish_run(r)
    current = db.start_run(run(None))
    label, base, comparable = choose_baseline(db, current, "last")
    assert label == "run 3 (other-lib)" and not comparable
    label, base, comparable = choose_baseline(db, current, "best")
    assert label == "best of runs 1, 2" and base[("s", "a")].metric("area_um2") == 80.0 and comparable
    label, base, _ = choose_baseline(db, current, "first")
    assert base[("s", "a")].metric("area_um2") == 100.0
    assert choose_baseline(db, current, "none") == ("none", {}, True)
    with pytest.raises(ConfigError, match="no complete run with that tag"):
        choose_baseline(db, current, "nightly")
