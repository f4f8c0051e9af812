"""Synthesis flows as data: ``flows_data/*.yaml`` loaded once into frozen dataclasses and validated.

A flow is an ordered list of Yosys passes; every option of every pass is declared with a
description. Options may use the placeholders ``{top}``, ``{liberty}``, ``{clock_ps}``, ``{adder_map}`` (the
techmap of the liberty's full-adder cell, ``rtlgen.synth.adders``), ``{memory_macros}`` (the techmap keeping large
memories as macros) and ``{memory_macro_cell}`` (the macro's black box; both ``rtlgen.synth.memories``).
The last step must be ``stat`` (its JSON output is where the area comes from).
"""
from __future__ import annotations

import re
import string
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from rtlgen.errors import ConfigError

FLOWS_DIR = Path(__file__).resolve().parent / "flows_data"  # package data: works in any install
PLACEHOLDERS = frozenset({"top", "liberty", "clock_ps", "adder_map", "memory_macros", "memory_macro_cell"})
LIBERTY_PLACEHOLDERS = ("liberty", "adder_map")  # files made from the liberty
AREA_KINDS = ("um2", "transistors")
_FLOW_KEYS = {"name": str, "description": str, "needs_liberty": bool, "area_kind": str, "steps": list}
_STEP_KEYS = {"pass": str, "description": str, "options": list}
_OPTION_KEYS = {"flag": str, "description": str}
_PASS_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class FlowError(ConfigError):
    """A flow file is malformed or a flow name is unknown; names the file and the key."""


@dataclass(frozen=True)
class FlowOption:
    flag: str
    description: str


@dataclass(frozen=True)
class FlowStep:
    pass_name: str
    description: str
    options: tuple[FlowOption, ...] = ()

    def render(self, values: dict[str, Any]) -> str:
        return " ".join([self.pass_name, *(o.flag.format(**values) for o in self.options)])


@dataclass(frozen=True)
class Flow:
    name: str
    description: str
    needs_liberty: bool
    area_kind: str
    steps: tuple[FlowStep, ...]
    path: str
    text: str  # the file's exact content: part of the result-cache key

    def commands(self, values: dict[str, Any]) -> list[str]:
        """The Yosys commands of this flow with placeholders filled in."""
        return [step.render(values) for step in self.steps]

    def uses(self, placeholder: str) -> bool:
        """Whether an option of this flow names ``{placeholder}``."""
        return any(f"{{{placeholder}}}" in o.flag for s in self.steps for o in s.options)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "description": self.description, "needs_liberty": self.needs_liberty,
                "area_kind": self.area_kind, "path": self.path,
                "steps": [{"pass": s.pass_name, "description": s.description,
                           "options": [{"flag": o.flag, "description": o.description} for o in s.options]}
                          for s in self.steps]}


def _check_keys(data: Any, schema: dict[str, type], where: str, path: str, required: set[str]) -> None:
    if not isinstance(data, dict):
        raise FlowError(f"{path}: {where} must be a mapping, got {type(data).__name__}")
    for key in data:
        if key not in schema:
            raise FlowError(f"{path}: unknown key '{where}.{key}' (allowed: {', '.join(schema)})")
    for key in sorted(required):
        if key not in data:
            raise FlowError(f"{path}: missing key '{where}.{key}'")
    for key, typ in schema.items():
        if key in data and not isinstance(data[key], typ):
            raise FlowError(f"{path}: key '{where}.{key}' must be {typ.__name__}, got {type(data[key]).__name__}")


def _option(data: Any, where: str, path: str) -> FlowOption:
    _check_keys(data, _OPTION_KEYS, where, path, {"flag", "description"})
    for _, field, _, _ in string.Formatter().parse(data["flag"]):
        if field is not None and field not in PLACEHOLDERS:
            raise FlowError(f"{path}: key '{where}.flag' uses unknown placeholder '{{{field}}}' "
                            f"(allowed: {', '.join(sorted(PLACEHOLDERS))})")
    return FlowOption(data["flag"], data["description"])


def _step(data: Any, where: str, path: str) -> FlowStep:
    _check_keys(data, _STEP_KEYS, where, path, {"pass", "description"})
    if not _PASS_NAME.match(data["pass"]):
        raise FlowError(f"{path}: key '{where}.pass' must be one Yosys pass name, got {data['pass']!r}")
    options = tuple(_option(o, f"{where}.options[{i}]", path) for i, o in enumerate(data.get("options", [])))
    return FlowStep(data["pass"], data["description"], options)


def parse_flow(text: str, path: str) -> Flow:
    """Validate one flow file's text; every problem raises FlowError naming ``path`` and the key."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise FlowError(f"{path}: not valid YAML: {exc}") from exc
    _check_keys(data, _FLOW_KEYS, "flow", path, set(_FLOW_KEYS))
    if data["area_kind"] not in AREA_KINDS:
        raise FlowError(f"{path}: key 'flow.area_kind' must be one of {AREA_KINDS}, got {data['area_kind']!r}")
    if not data["steps"]:
        raise FlowError(f"{path}: key 'flow.steps' is empty")
    steps = tuple(_step(s, f"steps[{i}]", path) for i, s in enumerate(data["steps"]))
    if steps[-1].pass_name != "stat":
        raise FlowError(f"{path}: key 'steps[{len(steps) - 1}].pass' must be 'stat' (the area report comes "
                        f"from the last step), got {steps[-1].pass_name!r}")
    flow = Flow(data["name"], data["description"], data["needs_liberty"], data["area_kind"], steps, path, text)
    uses_liberty = [p for p in LIBERTY_PLACEHOLDERS if flow.uses(p)]
    if uses_liberty and not flow.needs_liberty:
        raise FlowError(f"{path}: key 'flow.needs_liberty' is false but a step uses '{{{uses_liberty[0]}}}'")
    if flow.needs_liberty and flow.area_kind != "um2":
        raise FlowError(f"{path}: key 'flow.area_kind' must be 'um2' for a flow that maps to a liberty")
    return flow


def load_flow(name_or_path: str) -> Flow:
    """Flow ``name`` from ``flows_data/<name>.yaml``, or a flow file given by path.

    Parsed once per file version: every synthesis asks for its flow, and a suite run synthesizes hundreds of
    designs with the same one (an edited flow file has a new modification time, so it is read again)."""
    candidate = Path(name_or_path)
    path = candidate if candidate.suffix in (".yaml", ".yml") else FLOWS_DIR / f"{name_or_path}.yaml"
    if not path.is_file():
        raise FlowError(f"unknown flow '{name_or_path}' ({path} does not exist); choose one of {available_flows()} "
                        "or pass a path to a flow .yaml file")
    return _parsed(str(path), path.stat().st_mtime_ns)


@lru_cache(maxsize=64)
def _parsed(path: str, mtime_ns: int) -> Flow:  # noqa: ARG001 - mtime_ns is part of the cache key
    return parse_flow(Path(path).read_text(), path)


def available_flows() -> list[str]:
    return sorted(p.stem for p in FLOWS_DIR.glob("*.yaml"))
