"""Tool scripts are jinja2 templates in ``rtlgen/synth/templates``; this renders them strictly."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2

from rtlgen.templating import template_env

TEMPLATES = Path(__file__).parent / "templates"


def _env() -> jinja2.Environment:
    return template_env(TEMPLATES)


def render(name: str, **values: Any) -> str:
    """Render template ``name`` (undefined variables are errors, not empty strings)."""
    return _env().get_template(name).render(**values)


def templates_text() -> str:
    """All templates' text: part of the result-cache key, so editing a script invalidates old results."""
    return "".join(p.read_text() for p in sorted(TEMPLATES.glob("*.j2")))
