"""Tool scripts are jinja2 templates in ``rtlgen/synth/templates``; this renders them strictly."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

TEMPLATES = Path(__file__).parent / "templates"


@lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), undefined=jinja2.StrictUndefined,
                              trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def render(name: str, **values: Any) -> str:
    """Render template ``name`` (undefined variables are errors, not empty strings)."""
    return _env().get_template(name).render(**values)


def templates_text() -> str:
    """All templates' text: part of the result-cache key, so editing a script invalidates old results."""
    return "".join(p.read_text() for p in sorted(TEMPLATES.glob("*.j2")))
