"""Verification: lint, auto-generated cocotb testbenches, formal equivalence, official testbenches.

``verify(candidate, spec, ...)`` (rtlgen.verify.api) runs them all. It is imported lazily, so
that importing ``rtlgen.verify.result`` does not pull in pyslang and the tool wrappers.

This package is also callable, ``rtlgen.verify(candidate, spec)``: Python binds the name
``rtlgen.verify`` to this package as soon as any of its modules is imported, so a plain
``verify`` function attribute on ``rtlgen`` could not survive; the package's module class
forwards calls to ``verify`` instead.
"""
from __future__ import annotations

import sys
import types
from typing import Any

__all__ = ["verify"]


def __getattr__(name: str) -> Any:
    if name == "verify":
        from rtlgen.verify.api import verify  # noqa: PLC0415 - lazy on purpose

        return verify
    raise AttributeError(f"module 'rtlgen.verify' has no attribute '{name}'")


class _CallablePackage(types.ModuleType):
    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """``rtlgen.verify(candidate, spec, ...)``: the same as ``rtlgen.verify.verify``."""
        from rtlgen.verify.api import verify  # noqa: PLC0415

        return verify(*args, **kwargs)


sys.modules[__name__].__class__ = _CallablePackage
