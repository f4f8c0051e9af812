"""The generation loop: spec -> LLM candidates -> verify/repair -> best candidate -> synthesis -> outputs.

``rtlgen.generate(spec, ...)`` is :func:`rtlgen.generate.api.generate`. The package is callable
(see rtlgen._callable), so ``rtlgen.generate(...)`` works whichever was imported first.
"""
from __future__ import annotations

from rtlgen._callable import make_package_callable
from rtlgen.generate.result import GenerationResult

__all__ = ["GenerationResult", "generate"]

make_package_callable(__name__, "rtlgen.generate.api", "generate")
