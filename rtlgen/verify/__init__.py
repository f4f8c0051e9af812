"""Verification: lint, auto-generated cocotb testbenches, formal equivalence, official testbenches.

``verify(candidate, spec, ...)`` (rtlgen.verify.api) runs them all. It is imported lazily, so
that importing ``rtlgen.verify.result`` does not pull in pyslang and the tool wrappers.

This package is also callable, ``rtlgen.verify(candidate, spec)`` (see rtlgen._callable).
"""
from __future__ import annotations

from rtlgen._callable import make_package_callable

__all__ = ["verify"]

make_package_callable(__name__, "rtlgen.verify.api", "verify")
