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
    """Calls of ``package`` go to ``target_module.target``, and so does the attribute ``package.target``.

    Both import ``target_module`` on first use, so importing the package stays cheap: every ``rtlgen`` command
    loads the stage packages, and their main modules would add to each start-up (CPU after ``import rtlgen.cli``,
    min of 10: ``rtlgen.regress.api`` 88 ms, ``rtlgen.generate.api`` 28 ms, ``rtlgen.optimize.loop`` 240 ms).
    """

    class _CallablePackage(types.ModuleType):
        def __call__(self, *args: Any, **kwargs: Any) -> Any:
            return getattr(importlib.import_module(target_module), target)(*args, **kwargs)

        def __getattr__(self, name: str) -> Any:  # only for attributes the package does not have
            if name == target:
                return getattr(importlib.import_module(target_module), target)
            raise AttributeError(f"module '{package}' has no attribute '{name}'")

    _CallablePackage.__call__.__doc__ = f"``{package}(...)`` is ``{target_module}.{target}(...)``."
    sys.modules[package].__class__ = _CallablePackage
