"""rtlgen: a verified spec-to-RTL pipeline (generate, verify, synthesize, optimize).

The stage entry points are attributes resolved on first use, so ``import rtlgen`` stays cheap:
``rtlgen.verify(candidate, spec)``, ``rtlgen.synthesize(candidate)``, ``rtlgen.generate(spec)``.
"""
from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# attribute -> (module, attribute in it); None means the module itself (a callable package).
_LAZY: dict[str, tuple[str, str | None]] = {
    "verify": ("rtlgen.verify", None),
    "synthesize": ("rtlgen.synth", "synthesize"),
    "generate": ("rtlgen.generate", None),
    "optimize": ("rtlgen.optimize", None),
    "regress": ("rtlgen.regress", None),
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'rtlgen' has no attribute '{name}'")
    module_name, attr = _LAZY[name]
    module = importlib.import_module(module_name)
    return module if attr is None else getattr(module, attr)


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])
