"""The optimizer's jinja2 templates (``templates/``: recipe flows, LLM prompts, changes.md), rendered in one place."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from rtlgen.templating import template_env

TEMPLATES = Path(__file__).resolve().parent / "templates"


def render(template: str, /, **context: Any) -> str:
    return template_env(TEMPLATES).get_template(template).render(**context)
