"""Verification: lint, auto-generated cocotb testbenches, formal equivalence, official testbenches.

``verify(candidate, spec, ...)`` (rtlgen.verify.api) runs them all. It is imported lazily, so
that importing ``rtlgen.verify.result`` does not pull in pyslang and the tool wrappers.

This package is also callable, ``rtlgen.verify(candidate, spec)`` (see rtlgen._callable).
"""
from __future__ import annotations

from typing import Any

from rtlgen._callable import make_package_callable

__all__ = ["verify"]


def __getattr__(name: str) -> Any:
    if name == "verify":
        from rtlgen.verify.api import verify  # noqa: PLC0415 - lazy on purpose

        return verify
    raise AttributeError(f"module 'rtlgen.verify' has no attribute '{name}'")


make_package_callable(__name__, "rtlgen.verify.api", "verify")
