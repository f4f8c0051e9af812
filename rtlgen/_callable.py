"""Let a stage package be called like its main function: ``rtlgen.verify(...)``, ``rtlgen.generate(...)``.

Importing any submodule binds the package itself to ``rtlgen.<stage>``, so a function attribute of the
same name on ``rtlgen`` could not survive; the package's module class forwards calls instead.
"""
from __future__ import annotations

import importlib
import sys
import types
from typing import Any


def make_package_callable(package: str, target_module: str, target: str) -> None:
    """Calls of ``package`` go to ``target_module.target`` (imported on first call, so imports stay cheap)."""

    class _CallablePackage(types.ModuleType):
        def __call__(self, *args: Any, **kwargs: Any) -> Any:
            return getattr(importlib.import_module(target_module), target)(*args, **kwargs)

    _CallablePackage.__call__.__doc__ = f"``{package}(...)`` is ``{target_module}.{target}(...)``."
    sys.modules[package].__class__ = _CallablePackage
