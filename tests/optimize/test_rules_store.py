"""The rule store: the shipped rules load and cover the issue's topics; schema errors name file and field."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from rtlgen.errors import RuleError
from rtlgen.optimize import templates
from rtlgen.optimize.moves import KINDS
from rtlgen.optimize.rules import CATEGORIES, FEATURES, Rule, load_rules


@pytest.fixture(scope="module")
def store():
    return load_rules()


def test_shipped_store_has_at_least_30_valid_rules(store) -> None:
    assert len(store) >= 30
    kinds = Counter(r.kind for r in store)
    assert set(kinds) == set(KINDS)  # every kind of move has rules
    for rule in store:
        assert rule.category in CATEGORIES and rule.goal and rule.risks
        assert all(d.removeprefix("not ") in FEATURES for d in rule.detect)
        assert Path(rule.source).name == f"{rule.id}.yaml"


# each topic the issue asks the store to cover, and the rules that cover it
TOPICS = {
    "FSM state merging": ["fsm-merge-equivalent"],
    "FSM re-encoding": ["fsm-binary-encoding", "fsm-gray-encoding", "fsm-onehot-encoding", "flow-fsm-recode"],
    "resource sharing under exclusive conditions": ["share-add-sub", "share-mux-before-arith", "alu-shared-adder"],
    "constant-multiplier strength reduction": ["const-mult-shift-add"],
    "operand isolation": ["operand-isolation"],
    "comparator/decoder restructuring": ["compare-word-level", "compare-merge-derived", "decoder-compare-per-output"],
    "dead or constant mux branches": ["mux-constant-condition", "mux-identical-branches", "mux-constant-branch-gating"],
    "redundant and constant registers": ["register-duplicate-merge", "constant-register-removal", "flow-dff-sat"],
    "bit-width reduction from value ranges": ["bitwidth-from-range", "counter-width-reduction"],
    "common sub-expressions": ["cse-shared-wire"],
    "clock gating / enable-based power saving": ["clock-gating-enable", "flow-clock-gating"],
}


@pytest.mark.parametrize("topic", sorted(TOPICS))
def test_store_covers_topic(store, topic: str) -> None:
    for rule_id in TOPICS[topic]:
        assert rule_id in store, f"{topic}: rule {rule_id} missing"


def test_every_template_rule_is_implemented_and_every_implementation_has_a_rule(store) -> None:
    assert {r.id for r in store.by_kind("template")} == templates.implemented()


def test_rule_round_trips(store) -> None:
    for rule in store:
        assert Rule.from_dict(rule.to_dict()) == rule


def test_get_and_by_kind_errors(store) -> None:
    assert store.get("share-add-sub").kind == "template"
    with pytest.raises(RuleError, match="no rule 'nope'"):
        store.get("nope")
    with pytest.raises(RuleError, match="'bogus' is not one of"):
        store.by_kind("bogus")


GOOD = {
    "id": "my-rule", "title": "A rule", "category": "mux", "goal": ["area"], "description": "Why and what.",
    "detect": ["has_case_mux"], "kind": "prompt",
    "example": {"before": "module m(input a, output y);\n  assign y = a;\nendmodule\n",
                "after": "module m(input a, output y);\n  assign y = a;\nendmodule\n"},
    "risks": ["none"],
}


def _write(folder: Path, data: dict, name: str = "my-rule") -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def test_a_good_rule_file_loads(tmp_path: Path) -> None:
    _write(tmp_path, GOOD)
    store = load_rules(tmp_path)
    assert store.get("my-rule").detect == ("has_case_mux",)


@pytest.mark.parametrize("change, field, message", [
    ({"kind": "magic"}, "kind", "'magic' is not one of"),
    ({"category": "cooking"}, "category", "'cooking' is not one of"),
    ({"goal": ["speed"]}, "goal", "'speed' is not one of"),
    ({"detect": ["has_flux_capacitor"]}, "detect", "unknown feature 'has_flux_capacitor'"),
    ({"detect": []}, "detect", "non-empty list"),
    ({"title": ""}, "title", "non-empty str"),
    ({"id": "other-name"}, "id", "must match the file name"),
    ({"risks": "just text"}, None, None),  # a single string is accepted as one risk
    ({"example": {"before": "module m(; endmodule", "after": "module m; endmodule"}}, "example.before", "does not parse"),
    ({"example": {"before": "module m; endmodule"}}, "example.after", "non-empty 'after'"),
    ({"colour": "red"}, "colour", "unknown field"),
])
def test_schema_errors_name_the_file_and_field(tmp_path: Path, change: dict, field: str | None, message: str | None) -> None:
    path = _write(tmp_path, {**GOOD, **change})
    if field is None:
        load_rules(tmp_path)
        return
    with pytest.raises(RuleError) as info:
        load_rules(tmp_path)
    assert str(path) in str(info.value) and f"field '{field}'" in str(info.value)
    assert message in str(info.value)


@pytest.mark.parametrize("missing", ["id", "title", "category", "goal", "description", "detect", "kind", "example",
                                     "risks"])
def test_missing_field_is_named(tmp_path: Path, missing: str) -> None:
    path = _write(tmp_path, {k: v for k, v in GOOD.items() if k != missing})
    with pytest.raises(RuleError, match=f"field '{missing}'") as info:
        load_rules(tmp_path)
    assert str(path) in str(info.value)


def test_not_yaml_mapping_and_empty_folder(tmp_path: Path) -> None:
    with pytest.raises(RuleError, match="no \\*.yaml rule files"):
        load_rules(tmp_path)
    (tmp_path / "broken.yaml").write_text("id: [unclosed\n")
    with pytest.raises(RuleError, match="broken.yaml.*not valid YAML"):
        load_rules(tmp_path)
    (tmp_path / "broken.yaml").write_text("- a list\n")
    with pytest.raises(RuleError, match="broken.yaml.*must be a YAML mapping"):
        load_rules(tmp_path)
