"""The optimizer's jinja2 templates (``jinja/``: recipe flows, LLM prompts, changes.md), rendered in one place."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from rtlgen.templating import template_env

JINJA = Path(__file__).resolve().parent / "jinja"


def render(template: str, /, **context: Any) -> str:
    return template_env(JINJA).get_template(template).render(**context)
