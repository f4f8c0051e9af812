"""The generation loop: spec -> LLM candidates -> verify/repair -> best candidate -> synthesis -> outputs.

``rtlgen.generate(spec, ...)`` is :func:`rtlgen.generate.api.generate`. Because importing any
submodule binds the package itself to ``rtlgen.generate``, the package is made callable (it forwards
to that function), so ``rtlgen.generate(...)`` works whichever was imported first.
"""
from __future__ import annotations

import sys
import types
from typing import Any


class _CallablePackage(types.ModuleType):
    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        from rtlgen.generate.api import generate

        return generate(*args, **kwargs)


sys.modules[__name__].__class__ = _CallablePackage


def __getattr__(name: str) -> Any:
    if name in ("generate", "GenerationResult"):
        from rtlgen.generate import api, result

        return {"generate": api.generate, "GenerationResult": result.GenerationResult}[name]
    raise AttributeError(f"module 'rtlgen.generate' has no attribute {name!r}")
