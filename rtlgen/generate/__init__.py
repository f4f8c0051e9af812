"""The generation loop: spec -> LLM candidates -> verify/repair -> best candidate -> synthesis -> outputs.

``rtlgen.generate(spec, ...)`` is :func:`rtlgen.generate.api.generate`. The package is callable
(see rtlgen._callable), so ``rtlgen.generate(...)`` works whichever was imported first.
"""
from __future__ import annotations

from typing import Any

from rtlgen._callable import make_package_callable


make_package_callable(__name__, "rtlgen.generate.api", "generate")


def __getattr__(name: str) -> Any:
    if name in ("generate", "GenerationResult"):
        from rtlgen.generate import api, result

        return {"generate": api.generate, "GenerationResult": result.GenerationResult}[name]
    raise AttributeError(f"module 'rtlgen.generate' has no attribute {name!r}")
