"""Prompts are jinja2 templates in ``templates/``: ``<name>.system.j2`` and ``<name>.user.j2``.

``render_prompt(name, **context)`` gives chat messages. Templates see the context plus a helper for
cycle tables. Prompt names: ``spec_to_rtl`` (spec, examples), ``repair_compile`` (spec, code,
failure_class, failure_text, message), ``repair_mismatch`` (spec, code, mismatch[, failure_class,
failure_text, message]), ``golden_model`` (spec). The caller (generate, which sits right of verify)
passes the failure class's description as ``failure_text``: llm does not depend on verify.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

from rtlgen.config import PROJECT_ROOT
from rtlgen.errors import RtlgenError, SpecError
from rtlgen.spec.model import Spec
from rtlgen.spec.parse import load_spec
from rtlgen.templating import template_env

TEMPLATES = Path(__file__).parent / "templates"
PROMPTS = ("spec_to_rtl", "repair_compile", "repair_mismatch", "golden_model")


@dataclass(frozen=True)
class Example:
    """An in-context example: a spec (prose + interface) and RTL that meets it."""

    name: str
    spec: Spec
    rtl: str


@lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    env = template_env(TEMPLATES, keep_trailing_newline=False)
    env.globals.update(window_table=window_table)
    return env


def render_prompt(name: str, **context: Any) -> list[dict[str, str]]:
    """System and user messages for prompt ``name`` (one of PROMPTS)."""
    if name not in PROMPTS:
        raise ValueError(f"unknown prompt '{name}'; choose one of {', '.join(PROMPTS)}")
    context.setdefault("examples", [])
    env = _env()
    try:
        return [{"role": role, "content": env.get_template(f"{name}.{role}.j2").render(**context).strip() + "\n"}
                for role in ("system", "user")]
    except jinja2.UndefinedError as exc:
        raise ValueError(f"prompt '{name}' needs more context: {exc.message}") from None


def _flatten(row: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in row.items():
        if isinstance(value, dict):
            out.update(_flatten(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


def window_table(window: list[dict[str, Any]], mark_cycle: int | None = None) -> str:
    """A Markdown table of a mismatch's cycle window (nested dicts become ``outer.inner`` columns)."""
    rows = [_flatten(r) for r in window]
    columns: list[str] = []
    for row in rows:
        columns.extend(k for k in row if k not in columns)
    if not columns:
        return "(no cycle window recorded)"
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for row in rows:
        cells = ["" if row.get(c) is None else str(row.get(c)) for c in columns]
        flag = "  <- first mismatch" if mark_cycle is not None and row.get("cycle") == mark_cycle else ""
        lines.append("| " + " | ".join(cells) + " |" + flag)
    return "\n".join(lines)


def _design_rtl(spec: Spec, folder: Path) -> Path | None:
    if spec.reference_rtl:
        return Path(spec.reference_rtl)
    named = [folder / f"{spec.top}{ext}" for ext in (".v", ".sv")]
    found = [p for p in named if p.is_file()] or sorted([*folder.glob("*.v"), *folder.glob("*.sv")])
    return found[0] if len(found) == 1 or (found and found[0] in named) else None


def load_examples(designs_dir: str | Path | None = None) -> list[Example]:
    """Every ``designs/*/spec.md`` with its RTL (``<top>.v``), as in-context examples."""
    root = Path(designs_dir) if designs_dir else PROJECT_ROOT / "designs"
    examples = []
    for spec_md in sorted(root.glob("*/spec.md")):
        try:
            spec = load_spec(spec_md)
        except (SpecError, RtlgenError, OSError) as exc:
            warnings.warn(f"skipping example {spec_md}: {exc}", stacklevel=2)
            continue
        rtl = _design_rtl(spec, spec_md.parent)
        if rtl is not None:
            examples.append(Example(spec_md.parent.name, spec, rtl.read_text(encoding="utf-8", errors="replace")))
    return examples


def select_examples(spec: Spec, examples: list[Example], k: int = 1) -> list[Example]:
    """Up to ``k`` examples other than ``spec`` itself, same kind (sequential/combinational) first, short first."""
    others = [e for e in examples if e.spec.top != spec.top and e.name != spec.name]
    others.sort(key=lambda e: (e.spec.is_sequential != spec.is_sequential, len(e.rtl)))
    return others[:k]
