"""The rule store: one YAML file per optimization rule, validated once at load into frozen ``Rule`` values.

Rules are data an engineer can read and extend (what to change, where it applies, an example,
what can go wrong); code only acts on them: the template rewrites, the FSM optimizer, the flow
portfolio and the LLM prompt each take the rules of their ``kind``.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from rtlgen.errors import RuleError
from rtlgen.optimize.moves import KINDS
from rtlgen.optimize.rules.features import FEATURES
from rtlgen.spec.syntax import parse

CATEGORIES: tuple[str, ...] = ("fsm", "datapath", "mux", "compare", "memory", "power", "register", "logic")
GOALS: tuple[str, ...] = ("area", "power", "delay")
_FIELDS = ("id", "title", "category", "goal", "description", "detect", "kind", "example", "risks")


@dataclass(frozen=True)
class Example:
    before: str
    after: str


@dataclass(frozen=True)
class Rule:
    """One optimization: ``detect`` names the structural features (``FEATURES``) that make it apply.

    A ``detect`` entry ``not has_x`` holds when the design does *not* have feature ``has_x``.
    """

    id: str
    title: str
    category: str
    goal: tuple[str, ...]
    description: str
    detect: tuple[str, ...]
    kind: str
    example: Example
    risks: tuple[str, ...]
    source: str = ""

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["goal"], data["detect"], data["risks"] = list(self.goal), list(self.detect), list(self.risks)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Rule":
        return _validate(dict(data), data.get("source", "") or "<dict>")

    @property
    def text(self) -> str:
        """What text retrieval indexes: title, category, description and the detected features as words."""
        words = " ".join(w for d in self.detect if not d.startswith("not ") for w in d.split("_")[1:])
        return f"{self.id.replace('-', ' ')} {self.title} {self.category} {self.description} {words}"


def _need(data: dict[str, Any], key: str, kind: type, path: str) -> Any:
    if key not in data:
        raise RuleError(f"missing required field '{key}'", path=path, field=key)
    value = data[key]
    if not isinstance(value, kind) or (isinstance(value, (str, list, dict)) and not value):
        raise RuleError(f"must be a non-empty {kind.__name__}, got {value!r}", path=path, field=key)
    return value


def _str_list(data: dict[str, Any], key: str, path: str) -> tuple[str, ...]:
    value = data.get(key)
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
        raise RuleError(f"must be a non-empty list of strings, got {value!r}", path=path, field=key)
    return tuple(value)


def _choice(value: str, allowed: tuple[str, ...], path: str, key: str) -> str:
    if value not in allowed:
        raise RuleError(f"{value!r} is not one of: {', '.join(allowed)}", path=path, field=key)
    return value


def _parses(text: str, path: str, key: str) -> str:
    tree = parse(text)
    errors = [d for d in tree.diagnostics if d.isError()]
    if errors:
        loc = tree.sourceManager.getLineNumber(errors[0].location)
        raise RuleError(f"example Verilog does not parse (line {loc} of the example)", path=path, field=key)
    return text


def _validate(data: dict[str, Any], path: str) -> Rule:
    unknown = sorted(set(data) - set(_FIELDS) - {"source"})
    if unknown:
        raise RuleError(f"unknown field(s) {', '.join(unknown)}; expected {', '.join(_FIELDS)}", path=path,
                        field=unknown[0])
    rule_id = _need(data, "id", str, path)
    stem = Path(path).stem
    if path.endswith((".yaml", ".yml")) and stem != rule_id:
        raise RuleError(f"id {rule_id!r} must match the file name {stem!r}", path=path, field="id")
    goals = tuple(_choice(g, GOALS, path, "goal") for g in _str_list(data, "goal", path))
    detect = _str_list(data, "detect", path)
    for name in detect:
        if name.removeprefix("not ") not in FEATURES:
            raise RuleError(f"unknown feature {name!r}; known: {', '.join(sorted(FEATURES))}", path=path,
                            field="detect")
    example = _need(data, "example", dict, path)
    for part in ("before", "after"):
        if part not in example or not isinstance(example[part], str) or not example[part].strip():
            raise RuleError(f"example needs a non-empty '{part}' Verilog text", path=path, field=f"example.{part}")
        _parses(example[part], path, f"example.{part}")
    return Rule(
        id=rule_id,
        title=_need(data, "title", str, path).strip(),
        category=_choice(_need(data, "category", str, path), CATEGORIES, path, "category"),
        goal=goals,
        description=" ".join(_need(data, "description", str, path).split()),
        detect=detect,
        kind=_choice(_need(data, "kind", str, path), KINDS, path, "kind"),
        example=Example(example["before"], example["after"]),
        risks=_str_list(data, "risks", path),
        source=path,
    )


def load_rule(path: Path) -> Rule:
    """One rule file, validated; errors name the file and the field."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise RuleError(f"not valid YAML: {exc}", path=str(path)) from exc
    if not isinstance(data, dict):
        raise RuleError("a rule file must be a YAML mapping", path=str(path))
    return _validate(data, str(path))


def default_rules_dir() -> Path:
    """The rule files shipped inside the package (package data, so a non-editable install has them)."""
    return Path(str(resources.files("rtlgen.optimize.rules")))


class RuleStore:
    """The loaded rules, by id; ``search`` ranks them for a design (see ``rtlgen.optimize.rules.retrieve``)."""

    def __init__(self, rules: list[Rule]) -> None:
        self._rules: dict[str, Rule] = {}
        for rule in rules:
            if rule.id in self._rules:
                raise RuleError(f"duplicate rule id {rule.id!r} (also in {self._rules[rule.id].source})",
                                path=rule.source, field="id")
            self._rules[rule.id] = rule
        self._index: Any = None

    def __iter__(self):
        return iter(self._rules.values())

    def __len__(self) -> int:
        return len(self._rules)

    def __contains__(self, rule_id: str) -> bool:
        return rule_id in self._rules

    def get(self, rule_id: str) -> Rule:
        try:
            return self._rules[rule_id]
        except KeyError:
            raise RuleError(f"no rule {rule_id!r}; known: {', '.join(sorted(self._rules))}", path="rule store",
                            field="id") from None

    def by_kind(self, kind: str) -> list[Rule]:
        _choice(kind, KINDS, "rule store", "kind")
        return [r for r in self._rules.values() if r.kind == kind]

    def search(self, candidate: Any, k: int = 10) -> list[Any]:
        """The ``k`` rules that fit ``candidate`` best, as ``Ranked(rule, score, why)``, best first."""
        # bm25s: ~100 ms at every CLI start (`rtlgen rules` browses the store); only retrieval needs it
        from rtlgen.optimize.rules.retrieve import rank  # noqa: PLC0415

        return rank(self, candidate, k)


def load_rules(path: str | Path | None = None) -> RuleStore:
    """Every ``*.yaml`` rule under ``path`` (default: the rules shipped with rtlgen)."""
    folder = Path(path) if path is not None else default_rules_dir()
    if not folder.is_dir():
        raise RuleError("rule folder not found", path=str(folder))
    files = sorted(folder.glob("*.yaml"))
    if not files:
        raise RuleError("no *.yaml rule files in the folder", path=str(folder))
    return RuleStore([load_rule(f) for f in files])


__all__ = ["CATEGORIES", "GOALS", "Example", "Rule", "RuleStore", "default_rules_dir", "load_rule", "load_rules"]
