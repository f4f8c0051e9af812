"""Pipelines over whole suites: bench runs, the run store, baselines with threshold rules, history, JUnit.

This package is also callable: ``rtlgen.regress(suites, candidates, recording=Recording(store))`` is
``rtlgen.regress.api.regress`` (see rtlgen._callable), returning a ``RegressResult``.
"""
from __future__ import annotations

from rtlgen._callable import make_package_callable

make_package_callable(__name__, "rtlgen.regress.api", "regress")
