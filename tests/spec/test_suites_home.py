"""Suites have one home (rtlgen.spec.suites): every stage that runs a suite imports it from there, none from another."""
from __future__ import annotations

import ast
from pathlib import Path

import rtlgen

PACKAGE = Path(rtlgen.__file__).parent


def _imported(folder: str) -> set[str]:
    """Every rtlgen module imported anywhere in ``folder`` (top level, inside functions, under TYPE_CHECKING)."""
    found: set[str] = set()
    for path in (PACKAGE / folder).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                found.add(node.module)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
    return {m for m in found if m.startswith("rtlgen.")}


def test_the_optimizer_does_not_reach_into_regress() -> None:
    assert not {m for m in _imported("optimize") if m.startswith("rtlgen.regress")}


def test_suites_are_declared_in_one_module() -> None:
    declares = ("RTL_OPT =", "SUITE_ALIASES =", "class Problem")
    homes = [str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py")
             if any(line.startswith(declares) for line in p.read_text().splitlines())]
    assert homes == ["spec/suites.py"]
