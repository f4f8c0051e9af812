"""The auto-generated testbench: the candidate against the spec's golden, cycle by cycle.

``write_autotb`` renders the bench into a run directory (harness, stimulus, checker config; templates in
``testbenches/``); ``run_autotb`` writes it, compiles and simulates it with a ``Simulator`` and turns the
checker's JSON verdict into a CheckResult. Nothing the design prints is read.

Under a simulator with timing (Icarus) the harness is plain Verilog: it replays the stimulus from a hex file and
writes each cycle's outputs to a file, and the checker (``rtlgen.verify.golden.judge``) reads them after the run,
so no cocotb or embedded Python starts in the simulator (cocotb's start-up was most of autotb's time). A
simulator without timing (Verilator, ``--no-timing``) runs a cocotb test that drives the clock and stimulus and
checks each cycle inside the simulation; its results file must agree with the verdict.
"""
from __future__ import annotations

import functools
import json
import os
import re
import secrets
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import jinja2

from rtlgen.errors import ConfigError, SpecError, ToolError, ToolFailed, ToolTimeout
from rtlgen.spec.interface import module_names
from rtlgen.spec.model import Candidate, Port, Spec
from rtlgen.spec.rtl_file import read_rtl, sv_identifier
from rtlgen.spec.rtl_text import prefix_modules
from rtlgen.spec.yosys_compat import packed_ports
from rtlgen.verify.classify import classify_compile_log
from rtlgen.tools.run import ToolResult, run
from rtlgen.verify.golden import END_MARK, MAX_MISMATCHES, CheckerConfig, Layout, judge, model_clock
from rtlgen.verify.result import CheckResult, Mismatch
from rtlgen.verify.simulators import DEFAULT_SIM_MEMORY_MB, DEFAULT_SIMULATOR, WALL_BACKSTOP, Build, Simulator, \
    SimRun, get_simulator
from rtlgen.verify.stimulus import Stimulus, driven_inputs, make_stimulus
from rtlgen.templating import template_env

CHECK = "autotb"
HARNESS = "rtlgen_autotb"
TEST_MODULE = "rtlgen_autotb_test"
REF_PREFIX = "rtlgen_ref_"
STIMULUS_HEX, OUTPUTS = "stimulus.hex", "outputs.txt"  # the replaying harness's input and output files
PERIOD_NS = 10  # clock period, and the time each combinational vector is held
BUDGET_FRACTION = 0.5  # share of the time limit the checking loop may use (CPU time) before it stops early
MAX_LOG_CHARS = 20000
MAX_ERROR_LINES = 15
_COMPILE_ERROR = re.compile(r"error|sorry|syntax|%Warning-.*fatal", re.IGNORECASE)
_PORT_ERROR = re.compile(r"\bport\b|\bPin\b|PINNOTFOUND|PINMISSING|bind", re.IGNORECASE)


def templates_dir() -> Path:
    """``rtlgen/verify/testbenches/``: package data, so a non-editable install finds it too."""
    path = Path(__file__).resolve().parent / "testbenches"
    if not (path / "autotb_harness.v.j2").is_file():
        raise ConfigError(f"testbench templates not found in {path}; reinstall rtlgen (the package is incomplete)")
    return path


def _env() -> jinja2.Environment:
    return template_env(templates_dir())


def golden_kind(spec: Spec) -> str | None:
    """``model`` (Python file), ``reference`` (RTL) or None: the model wins when both exist."""
    if spec.model:
        return "model"
    if spec.reference_rtl and spec.reference_top:
        return "reference"
    return None


@dataclass(frozen=True)
class Bench:
    """A written testbench: everything needed to compile and run it.

    ``outputs`` is the file a replaying harness writes (``test`` is then None); a cocotb bench has ``test``."""

    run_dir: Path
    build: Build
    test: SimRun | None
    result_file: Path
    token: str
    stimulus: Stimulus
    vcd: Path | None
    files: dict[str, str]
    golden: str
    outputs: Path | None = None


def write_autotb(candidate: Candidate, spec: Spec, run_dir: Path, *, seed: int = 1, cycles: int | None = None,
                 waves: bool = False, budget_s: float = 120.0, harness_clock: bool = True,
                 max_mismatches: int = MAX_MISMATCHES, stimulus: Stimulus | None = None) -> Bench:
    """Render the harness, stimulus and checker config (and the cocotb test) into ``run_dir``; SpecError if unusable.
    ``stimulus``: the cycles to drive instead of ``make_stimulus``'s (a spec's own example waveform, or the vectors
    ``verify`` already made to size its time limit). ``harness_clock`` (a simulator with timing): the harness makes
    the clock and replays the stimulus itself, without cocotb; otherwise cocotb drives both."""
    golden = golden_kind(spec)
    if golden is None:
        raise SpecError("the spec has no golden reference (neither a Python model nor a reference RTL)",
                        path=spec.source, field="reference")
    _check_interface(spec)
    run_dir = Path(run_dir).resolve()
    run_dir.mkdir(parents=True, exist_ok=True)
    inputs = driven_inputs(spec)
    outputs = Layout(tuple(p.name for p in spec.outputs), tuple(p.width for p in spec.outputs))
    stimulus = stimulus or make_stimulus(spec, seed=seed, cycles=cycles)
    stimulus.write(run_dir / "stimulus.json")
    if harness_clock:
        (run_dir / STIMULUS_HEX).write_text("".join(f"{v:x}\n" for v in stimulus.packed()))

    sources, instances = _write_sources(candidate, spec, golden, run_dir, inputs)

    token = secrets.token_hex(16)
    vcd = run_dir / "autotb.vcd" if waves else None
    harness = run_dir / "harness.v"
    harness.write_text(_env().get_template("autotb_harness.v.j2").render(
        label=spec.label, harness=HARNESS, reference=golden == "reference", clock=spec.clock, period=PERIOD_NS,
        in_width=max(1, sum(p.width for p in inputs)), out_width=outputs.width, instances=instances,
        waves=waves, vcd=vcd.name if vcd else "", replay=harness_clock, stimulus=STIMULUS_HEX, outputs=OUTPUTS,
        end_mark=END_MARK, cycles=len(stimulus), first_sample_ns=PERIOD_NS * 0.75))
    config_path = run_dir / "checker.json"
    result_file = run_dir / "verdict.json"
    CheckerConfig(
        outputs=outputs, stimulus="stimulus.json", result=result_file.name, token=token,
        golden=golden, model=str(Path(spec.model).resolve()) if spec.model else None,
        compare_from=_compare_from(spec), warmup=spec.is_sequential and spec.reset is None and golden == "model",
        budget_s=budget_s, sequential=spec.is_sequential, max_mismatches=max(1, max_mismatches),
        clock=model_clock(spec),
    ).write(config_path)
    build = Build(sources=(harness, *sources), top=HARNESS, build_dir=run_dir / "build", waves=waves)
    files = {"harness": str(harness), "stimulus": str(run_dir / "stimulus.json"), "checker": str(config_path)}
    if harness_clock:
        return Bench(run_dir, build, None, result_file, token, stimulus, vcd, files, golden, run_dir / OUTPUTS)
    test_file = run_dir / f"{TEST_MODULE}.py"
    test_file.write_text(_env().get_template("autotb_test.py.j2").render(
        label=spec.label, golden=golden, sequential=spec.is_sequential, config=str(config_path),
        cocotb_clock=spec.is_sequential, start_high=bool(spec.clock) and spec.clock.edge == "posedge",
        first_sample_ps=PERIOD_NS * 750, period_ps=PERIOD_NS * 1000))
    # random initial state only where a reset must define it and the golden cannot be uninitialised itself
    random_init = golden == "model" and spec.reset is not None
    test = SimRun(TEST_MODULE, run_dir, run_dir / "results.xml", seed, random_init)
    return Bench(run_dir, build, test, result_file, token, stimulus, vcd, {**files, "testbench": str(test_file)},
                 golden)


def _write_sources(candidate: Candidate, spec: Spec, golden: str, run_dir: Path,
                   inputs: tuple[Port, ...]) -> tuple[list[Path], list[dict]]:
    """The candidate as instance ``dut``; a reference RTL, its modules prefixed, as instance ``golden``."""
    sources = [run_dir / "candidate.sv"]
    sources[0].write_text(packed_ports(candidate.rtl))  # the harness drives every port as a slice of one vector
    instances = [_instance(candidate.top, "dut", spec, inputs, "dut_out")]
    if golden == "reference":
        ref_text, mapping = _prefixed_reference(read_rtl(spec.reference_rtl))
        if spec.reference_top not in mapping:
            raise SpecError(f"reference RTL {spec.reference_rtl} does not declare module '{spec.reference_top}'",
                            path=spec.source, field="reference.top")
        sources.append(run_dir / "reference.sv")
        sources[1].write_text(ref_text)
        instances.append(_instance(mapping[spec.reference_top], "golden", spec, inputs, "ref_out"))
    return sources, instances


@functools.lru_cache(maxsize=8)
def _prefixed_reference(text: str) -> tuple[str, dict[str, str]]:
    """The reference's text as the harness instantiates it (modules prefixed, ports packed) and the new module names:
    made once per reference text, though every candidate of a problem (a generation loop's, a suite's) needs it."""
    prefixed, mapping = prefix_modules(text, REF_PREFIX, module_names(text))
    return packed_ports(prefixed), mapping


def run_autotb(candidate: Candidate, spec: Spec, workdir: Path, *, simulator: str = DEFAULT_SIMULATOR, seed: int = 1,
               cycles: int | None = None, waves: bool = False, timeout: float = 300,
               max_mismatches: int = MAX_MISMATCHES, stimulus: Stimulus | None = None) -> CheckResult:
    """Simulate ``candidate`` against the spec's golden (Python model or reference RTL) and judge it (on
    ``stimulus`` when given, see ``write_autotb``).

    A failing run goes on past its first mismatch and reports the mismatching cycles in
    ``CheckResult.mismatches`` (counting stops after ``max_mismatches`` of them) and per output in
    ``mismatch.outputs``, so candidates can be ranked by how wrong they are.
    """
    start = time.monotonic()
    if golden_kind(spec) is None:
        return CheckResult(CHECK, "absent", message="the spec has no golden reference (Python model or reference RTL)")
    sim = get_simulator(simulator)
    try:
        bench = write_autotb(candidate, spec, Path(workdir) / CHECK, seed=seed, cycles=cycles, waves=waves,
                             budget_s=timeout * BUDGET_FRACTION, harness_clock=sim.harness_clock,
                             max_mismatches=max_mismatches, stimulus=stimulus)
    except SpecError as exc:
        return CheckResult(CHECK, "error", failure_class="tool_error", message=str(exc),
                           seconds=time.monotonic() - start)
    try:
        result = _execute(bench, sim, _Limits(timeout, start + WALL_BACKSTOP * timeout))
    except ToolError as exc:  # the simulator is missing or broken: nothing said about the candidate
        result = CheckResult(CHECK, "error", failure_class="tool_error", message=str(exc))
    result.seconds = time.monotonic() - start
    return result


@dataclass(frozen=True)
class _Limits:
    """A run's time limits: ``cpu_s`` of CPU time for each tool it starts, which a simulation that hangs reaches on
    an idle and a loaded machine alike (a wall-clock limit is reached on a loaded machine by reference designs:
    VerilogEval's Prob144 needs ~2 s of CPU per simulated design, and at load 6-11 its 25.7 s pass before it ends),
    and the wall clock at ``deadline`` as a backstop for a process that waits without computing."""

    cpu_s: float
    deadline: float

    def wall(self) -> float:
        """Wall-clock seconds left for the next tool run."""
        return max(5.0, self.deadline - time.monotonic())


def _execute(bench: Bench, sim: Simulator, limits: _Limits) -> CheckResult:
    artifacts = dict(bench.files)
    try:
        sim.build(bench.build, timeout=limits.wall(), cpu_s=limits.cpu_s)
    except ToolTimeout as exc:
        return CheckResult(CHECK, "fail", failure_class="timeout", message=f"{sim.name} compile: {exc}",
                           log=_tail(exc.output), artifacts=artifacts)
    except ToolFailed as exc:
        return _compile_failure(exc, sim, bench, artifacts)
    try:
        proc = _simulate(bench, sim, limits)
    except ToolTimeout as exc:
        return CheckResult(CHECK, "fail", failure_class="timeout", artifacts=artifacts, log=_tail(exc.output),
                           message=f"the simulation did not finish within {exc.timeout:g} s"
                                   f"{' of CPU time' if exc.cpu else ''} "
                                   "(a combinational loop or an infinite loop in the design?)")
    log = _tail(proc.output)
    if bench.vcd is not None and bench.vcd.is_file():
        artifacts["vcd"] = str(bench.vcd)
    tests, failed = None, None
    if bench.test is not None:
        artifacts["results"] = str(bench.test.results_file)
        tests, failed = _read_results(bench.test.results_file)
    verdict = _read_verdict(bench)
    if verdict is None:
        why = ("the harness did not write its last line" if bench.test is None else
               "no cocotb results file" if tests is None else "the testbench did not write its verdict")
        return CheckResult(CHECK, "fail" if tests else "error", failure_class="simulator_error", log=log,
                           artifacts=artifacts,
                           message=f"{sim.name}: the simulation ended before the testbench finished ({why}; "
                                   f"exit code {proc.returncode})")
    artifacts["verdict"] = str(bench.result_file)
    strength = f"simulated({verdict['compared']})"
    status = verdict["status"]
    if status == "pass" and bench.test is not None and (tests != 1 or failed != 0):
        return CheckResult(CHECK, "error", strength, "simulator_error", log=log, artifacts=artifacts,
                           message=f"the checker passed but cocotb's results file says {failed} of {tests} tests "
                                   "failed")
    mismatch = None
    if verdict.get("mismatch") and status == "fail":
        mismatch = Mismatch(**verdict["mismatch"], count=verdict["mismatches"], outputs=verdict["outputs"])
    message = verdict["message"]
    if mismatch is not None:
        message = f"{mismatch.describe()}\n{_tally(mismatch, verdict)}"
    return CheckResult(CHECK, status, strength, verdict.get("failure_class"), message, mismatch, log,
                       artifacts=artifacts, mismatches=verdict["mismatches"] if status in ("pass", "fail") else None,
                       compared=verdict["compared"], care=verdict.get("care"),
                       golden_varied=verdict.get("golden_varied"),
                       design_varied=verdict.get("design_varied") if status in ("pass", "fail") else None,
                       trace=verdict.get("trace") if status in ("pass", "fail") else None)


def _simulate(bench: Bench, sim: Simulator, limits: _Limits) -> ToolResult:
    """Run the bench: the cocotb test, or the replaying harness and then its checker (raises ToolTimeout)."""
    if bench.test is not None:
        return sim.simulate(bench.build, bench.test, timeout=limits.wall(), cpu_s=limits.cpu_s)
    proc = sim.replay(bench.build, bench.run_dir, timeout=limits.wall(), cpu_s=limits.cpu_s)
    if bench.golden == "reference":  # comparing the two designs' output lines runs no code but rtlgen's
        judge(bench.files["checker"], bench.outputs)
        return proc
    # the spec's Python model (written by an LLM, maybe) runs in a process of its own, under the same limits
    checked = run([sys.executable, "-m", "rtlgen.verify.golden", bench.files["checker"], str(bench.outputs)],
                  timeout=limits.wall(), cpu_s=limits.cpu_s, cwd=bench.run_dir, check=False,
                  memory_mb=DEFAULT_SIM_MEMORY_MB, env={"PYTHONPATH": os.pathsep.join(p for p in sys.path if p)})
    return ToolResult(proc.cmd, proc.returncode, proc.stdout + checked.output, proc.stderr, proc.seconds)


def _tally(mismatch: Mismatch, verdict: dict) -> str:
    """The whole run's count after the first-mismatch report: how many cycles, which outputs, how far."""
    text = f"{mismatch.tally()} ({verdict['compared']} cycles compared"
    if verdict.get("capped"):
        text += f"; counting stopped after {verdict['mismatches']} mismatching cycles, so these are lower bounds"
    elif verdict.get("stopped"):
        text += f"; stopped early: {verdict['stopped']}"
    return text + ")"


def _compile_failure(exc: ToolFailed, sim: Simulator, bench: Bench, artifacts: dict[str, str]) -> CheckResult:
    """Blame the file the compiler's errors point at: candidate, reference or harness (port binding)."""
    log = exc.log.replace(str(bench.run_dir) + "/", "")
    errors = "\n".join([ln for ln in log.splitlines() if _COMPILE_ERROR.search(ln)][:MAX_ERROR_LINES]
                       or [ln for ln in log.splitlines() if ln.strip()][-MAX_ERROR_LINES:])
    if "candidate.sv" in errors or ("reference.sv" not in errors and "harness.v" not in errors):
        return CheckResult(CHECK, "fail", failure_class=classify_compile_log(log), log=_tail(log),
                           artifacts=artifacts, message=f"{sim.name} could not compile the candidate:\n{errors}")
    if "reference.sv" in errors:
        return CheckResult(CHECK, "error", failure_class="tool_error", log=_tail(log), artifacts=artifacts,
                           message=f"{sim.name} could not compile the reference RTL:\n{errors}")
    if _PORT_ERROR.search(errors):
        return CheckResult(CHECK, "fail", failure_class="port_binding", log=_tail(log), artifacts=artifacts,
                           message=f"the candidate's ports do not match the spec ({sim.name}):\n{errors}")
    return CheckResult(CHECK, "error", failure_class="tool_error", log=_tail(log), artifacts=artifacts,
                       message=f"{sim.name} could not compile the generated harness (an rtlgen bug):\n{errors}")


def _read_verdict(bench: Bench) -> dict | None:
    try:
        data = json.loads(bench.result_file.read_text())
    except (OSError, ValueError):
        return None
    return data if data.get("token") == bench.token else None


def _read_results(path: Path) -> tuple[int | None, int | None]:
    from cocotb_tools.check_results import get_results  # noqa: PLC0415

    try:
        return get_results(path)
    except (RuntimeError, OSError, ValueError):
        return None, None


def _compare_from(spec: Spec) -> int:
    """A synchronous reset takes effect at the first clock edge: its first cycle is not compared."""
    return 1 if spec.reset is not None and spec.reset.kind == "sync" else 0


def _check_interface(spec: Spec) -> None:
    names = {p.name for p in spec.ports}
    if any(p.direction == "inout" for p in spec.ports):
        raise SpecError("autotb cannot drive inout ports", path=spec.source, field="ports")
    if not spec.outputs:
        raise SpecError("the spec has no output ports to compare", path=spec.source, field="ports")
    for what, sig in (("clock", spec.clock), ("reset", spec.reset)):
        if sig is not None and sig.name not in names:
            raise SpecError(f"{what} '{sig.name}' is not an input port", path=spec.source, field=what)


def _instance(module: str, name: str, spec: Spec, inputs: tuple[Port, ...], out_net: str) -> dict:
    conns = []
    if spec.clock is not None:
        conns.append({"port": sv_identifier(spec.clock.name), "net": "clk"})
    offset = 0
    for port in inputs:
        conns.append({"port": sv_identifier(port.name), "net": f"ins[{offset + port.width - 1}:{offset}]"})
        offset += port.width
    offset = 0
    for port in spec.outputs:
        conns.append({"port": sv_identifier(port.name), "net": f"{out_net}[{offset + port.width - 1}:{offset}]"})
        offset += port.width
    return {"module": module, "name": name, "connections": conns}


def _tail(text: str) -> str:
    return text if len(text) <= MAX_LOG_CHARS else "...\n" + text[-MAX_LOG_CHARS:]
