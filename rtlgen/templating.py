"""One place that builds the jinja2 environments for tool scripts, testbenches and prompts.

Every template folder gets one cached environment, so templates are parsed once per process rather
than on every render, and every stage gets the same strictness: an undefined variable is an error.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2


@lru_cache(maxsize=None)
def template_env(directory: str | Path, *, trim: bool = True, keep_trailing_newline: bool = True,
                 autoescape: bool = False) -> jinja2.Environment:
    """The environment for templates in ``directory``; ``trim`` sets jinja's trim_blocks and lstrip_blocks;
    ``autoescape`` for HTML pages (values are escaped, never injected)."""
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(directory)), undefined=jinja2.StrictUndefined,
                              trim_blocks=trim, lstrip_blocks=trim, keep_trailing_newline=keep_trailing_newline,
                              autoescape=autoescape)
