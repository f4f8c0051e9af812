"""Optimization: rules store and retrieval, template rewrites, the FSM optimizer, the flow portfolio, the gate.

``optimize(candidate, liberty=..., goal=...) -> OptResult`` (rtlgen.optimize.loop) is imported lazily;
this package is also callable, ``rtlgen.optimize(candidate, ...)`` (see rtlgen._callable).
"""
from __future__ import annotations

from rtlgen._callable import make_package_callable

__all__ = ["optimize"]

make_package_callable(__name__, "rtlgen.optimize.loop", "optimize")
