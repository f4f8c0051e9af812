"""Optimization: rules store and retrieval, template rewrites, the FSM optimizer, the flow portfolio, the gate.

``optimize(candidate, target, search, limits, *, spec, workdir, progress) -> OptResult`` (rtlgen.optimize.loop,
with its ``Search`` and ``Limits``) is imported lazily;
this package is also callable, ``rtlgen.optimize(candidate, ...)`` (see rtlgen._callable).
"""
from __future__ import annotations

from rtlgen._callable import make_package_callable

__all__ = ["optimize"]

make_package_callable(__name__, "rtlgen.optimize.loop", "optimize")
