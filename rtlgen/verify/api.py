"""``verify()``: every check on one candidate, in its own run directory, gathered in a VerifyResult.

Order: the sandbox scan first (unsafe RTL: every requested check is ``error``/``unsafe_rtl`` and
nothing runs), then lint, then the functional checks (auto testbench, formal equivalence; both
skipped as ``absent`` when lint failed; the auto testbench runs under Verilator when Icarus only
lacks support for a construct Verilator accepts), then the benchmark's official testbench. Each check gets
its own sub-directory of one private run directory, deleted afterwards unless ``keep``.

Formal is preceded by the sim/synth agreement check (``agreement``): a design whose synthesized
meaning differs from its simulated one (multiple drivers, unintended latch, loop, incomplete event
list...) is never proven; formal is ``error`` with the agreement's failure class instead.

Time limits: ``timeout`` bounds each check; by default the simulation checks get a limit sized to
the stimulus, the design and the simulator they run under (``default_timeout``: the auto testbench moved to
Verilator gets Verilator's build allowance), lint and agreement 60 s, formal its 120 s budget. The auto
testbench's limit counts the CPU time of each tool it runs, so its verdict does not depend on the machine's load
(the wall clock stops it only at ``simulators.WALL_BACKSTOP`` times the limit).
A check that runs out says so (failure class ``timeout``, the message names the check).

The stimulus is made once per run: it sizes the limits and is what the auto testbench applies.
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Callable, Literal, Sequence

from rtlgen.errors import ConfigError, RtlgenError, ToolTimeout, UnsafeRTL
from rtlgen.spec.model import Candidate, Spec
from rtlgen.spec.parse import load_spec
from rtlgen.spec.suites import SUITE_ALIASES, load_suite
from rtlgen.verify.agreement import CLASSES as AGREEMENT_CLASSES
from rtlgen.verify.agreement import check_agreement
from rtlgen.verify.classify import unsupported_lines
from rtlgen.verify.lint import LINT_TIMEOUT, LINTERS, lint
from rtlgen.verify.official import run_official
from rtlgen.verify import simulators
from rtlgen.verify.result import CheckResult, VerifyResult
from rtlgen.tools.rundir import run_directory
from rtlgen.verify.sandbox import refuse_untrusted, refused
from rtlgen.verify.stimulus import DEFAULT_CYCLES, Stimulus, make_stimulus

CHECKS = ("lint", "autotb", "formal", "official")
SIMULATORS = tuple(sorted(simulators.SIMULATORS))
DEFAULT_SIMULATOR = simulators.DEFAULT_SIMULATOR
LINT_TOOLS = tuple(LINTERS)
Overall = Literal["pass", "fail", "unverified", "error"]
FORMAL_TIMEOUT = 120.0
# default_timeout: the simulator's start-up (Simulator.startup_s), then per stimulus cycle and per RTL line, with
# room for a loaded 2-core machine (2000 cycles take about 1 s there).
SIM_PER_CYCLE_S = 0.005
SIM_PER_LINE_S = 0.02


def _guarded(name: str, call: Callable[[], CheckResult]) -> CheckResult:
    """Run one check; a tool that cannot run becomes an ``error`` verdict naming the problem."""
    start = time.monotonic()
    try:
        return call()
    except ToolTimeout as exc:
        return CheckResult(name, "error", failure_class="timeout", message=str(exc), seconds=time.monotonic() - start)
    except RtlgenError as exc:
        return CheckResult(name, "error", failure_class="tool_error", message=f"{type(exc).__name__}: {exc}",
                           seconds=time.monotonic() - start)


# The auto testbench (cocotb) and the formal stack are imported when a check first runs: at the top they would
# add ~120 ms to every `rtlgen` start-up, `rtlgen --help` included (measured: 70 ms and 55 ms over verify.api).
def _autotb() -> Callable[..., CheckResult]:
    from rtlgen.verify.autotb import run_autotb  # noqa: PLC0415 - start-up cost, see above

    return run_autotb


def _formal() -> Callable[..., CheckResult]:
    from rtlgen.verify.formal import check_equivalence  # noqa: PLC0415 - start-up cost, see above

    return check_equivalence


def _validate(simulator: str, checks: Sequence[str]) -> None:
    if simulator not in SIMULATORS:
        raise ConfigError(f"unknown simulator '{simulator}'; choose from {', '.join(SIMULATORS)}")
    unknown = [c for c in checks if c not in CHECKS]
    if unknown or not checks:
        raise ConfigError(f"unknown check(s) {unknown or '(none given)'}; choose from {', '.join(CHECKS)}")


def _requested_names(checks: Sequence[str]) -> list[str]:
    return [n for c in checks for n in (["lint:interface", *(f"lint:{t}" for t in LINT_TOOLS)] if c == "lint" else [c])]


def _autotb_simulator(simulator: str, lint_checks: Sequence[CheckResult]) -> tuple[str, str]:
    """The simulator for the auto testbench and a note when it is not the one asked for.

    Icarus rejecting the candidate only for constructs it does not support (``lint:iverilog`` is
    ``simulator_unsupported``) while Verilator accepts it: the auto testbench runs under Verilator.
    """
    by_name = {c.check: c for c in lint_checks}
    icarus, verilator = by_name.get("lint:iverilog"), by_name.get("lint:verilator")
    if (simulator == simulators.Icarus.name and icarus is not None and icarus.failure_class == "simulator_unsupported"
            and verilator is not None and verilator.passed):
        lines = unsupported_lines(icarus.log) or ["see lint:iverilog"]
        return simulators.Verilator.name, f"run under verilator: icarus does not support the candidate ({lines[0]})"
    return simulator, ""


def _stimulus(spec: Spec, seed: int) -> Stimulus | None:
    """The auto testbench's stimulus, or None when the spec cannot give one (no ports, or ports it cannot drive)."""
    try:
        return make_stimulus(spec, seed=seed) if spec.ports else None
    except RtlgenError:
        return None


def default_timeout(candidate: Candidate, spec: Spec, simulator: str = DEFAULT_SIMULATOR, seed: int = 1,
                    stimulus: Stimulus | None = None) -> float:
    """Seconds a simulation check (auto testbench, official testbench) may take when the caller sets no
    limit: sized to the stimulus the auto testbench will apply (``stimulus``, made from ``seed`` when not
    given), to the design and to ``simulator``'s start-up, so that a design that hangs the simulator fails in
    well under a minute instead of after five."""
    stimulus = stimulus or _stimulus(spec, seed)
    cycles = len(stimulus) if stimulus is not None else DEFAULT_CYCLES
    startup = simulators.get_simulator(simulator).startup_s
    return round(startup + SIM_PER_CYCLE_S * cycles + SIM_PER_LINE_S * candidate.rtl.count("\n"), 1)


def _timed_out(check: CheckResult, limit: float) -> CheckResult:
    """A check that ran out of time names itself and its limit in the first line of its message."""
    if check.failure_class == "timeout" and not check.message.startswith(check.check):
        check.message = f"{check.check} timed out (limit {limit:g} s): {check.message}"
    return check


def _formal_after(agreement: CheckResult, call: Callable[[], CheckResult]) -> CheckResult:
    """Formal, unless the agreement check found that simulation and synthesis read the design differently:
    then ``error`` with that class, since a proof about the netlist would say nothing about the RTL."""
    if agreement.verdict == "error" and agreement.failure_class in AGREEMENT_CLASSES:
        return CheckResult("formal", "error", failure_class=agreement.failure_class,
                           message="not attempted: " + agreement.message)
    return call()


def _noted(note: str, check: CheckResult) -> CheckResult:
    """``check`` with ``note`` as the first line of its message (unchanged when there is no note)."""
    if note:
        check.message = note + ("\n" + check.message if check.message else "")
    return check


def verify(candidate: Candidate, spec: Spec, *, simulator: str = DEFAULT_SIMULATOR, checks: Sequence[str] = CHECKS,
           workdir: str | Path | None = None, keep: bool = False, waves: bool = False, seed: int = 1,
           timeout: float | None = None, progress: Callable[[str, str], None] | None = None) -> VerifyResult:
    """Verify ``candidate`` against ``spec`` with the requested checks.

    ``workdir`` is where the private run directory is created (default ``$RTLGEN_WORKDIR`` or the
    cache's ``runs/``). ``waves=True`` asks the auto testbench for a VCD and implies ``keep``;
    artifact paths of a run that was not kept are dropped from the result. ``timeout`` is the limit
    of each check in seconds (default: see the module docstring). ``progress(check, summary)`` is called as
    each check finishes (the CLI prints it, so long runs show where they are).
    """
    _validate(simulator, checks)
    if timeout is not None and timeout <= 0:
        raise ConfigError(f"timeout must be a positive number of seconds, not {timeout:g}")
    stimulus = _stimulus(spec, seed) if {"autotb", "official"} & set(checks) else None
    lint_limit, formal_limit = timeout or LINT_TIMEOUT, timeout or FORMAL_TIMEOUT
    start = time.monotonic()
    outcome = VerifyResult(spec=spec.label, candidate_hash=candidate.content_hash)
    try:
        refuse_untrusted(candidate)
    except UnsafeRTL as exc:
        outcome.checks = [refused(name, exc) for name in _requested_names(checks)]
        outcome.seconds = time.monotonic() - start
        return outcome
    keep = keep or waves
    with run_directory(spec.label, keep=keep, base=workdir) as run_dir:
        results: list[CheckResult] = []
        if "lint" in checks:
            results += [_timed_out(c, lint_limit) for c in lint(candidate, spec, run_dir / "lint", LINT_TOOLS,
                                                                   timeout=lint_limit)]
            _tell(progress, results)
        lint_failures = [c for c in results if c.verdict == "fail"]
        skip = ("skipped: lint failed (" + ", ".join(f"{c.check}: {c.failure_class}" for c in lint_failures) + ")"
                if lint_failures else "")
        autotb_sim, note = _autotb_simulator(simulator, results)
        autotb_limit = timeout or default_timeout(candidate, spec, autotb_sim, seed, stimulus)
        limits = {"autotb": autotb_limit, "agreement": lint_limit, "formal": formal_limit}
        calls: dict[str, Callable[[], CheckResult]] = {
            "autotb": lambda: _noted(note, _autotb()(candidate, spec, run_dir / "autotb", simulator=autotb_sim,
                                                     seed=seed, waves=waves, timeout=autotb_limit,
                                                     stimulus=stimulus)),
            "agreement": lambda: check_agreement(candidate, run_dir / "agreement", timeout=lint_limit,
                                                 verilator_log=next((c.log for c in results
                                                                     if c.check == "lint:verilator" and c.log), None),
                                                 free_inits=spec.free_inits),
            "formal": lambda: _formal_after(next(c for c in results if c.check == "agreement"), lambda: _formal()(
                candidate, spec, run_dir / "formal", timeout=formal_limit, free_inits=spec.free_inits)),
        }
        for name, call in calls.items():  # agreement runs whenever formal does
            if name in checks or (name == "agreement" and "formal" in checks and not skip):
                results.append(CheckResult(name, "absent", message=skip) if skip
                               else _timed_out(_guarded(name, call), limits[name]))
                _tell(progress, results[-1:])
        if "official" in checks:
            official_limit = timeout or default_timeout(candidate, spec, simulator, seed, stimulus)
            compiles_alone = any(c.check == "lint:iverilog" and c.passed for c in results)
            results.append(_timed_out(_guarded("official", lambda: run_official(
                candidate, spec, run_dir / "official", timeout=official_limit, compiles_alone=compiles_alone)),
                official_limit))
            _tell(progress, results[-1:])
    for check in results:
        if keep:
            check.artifacts.setdefault("workdir", str(run_dir / check.check.split(":")[0]))
        else:
            check.artifacts = {k: v for k, v in check.artifacts.items() if not str(v).startswith(str(run_dir))}
    outcome.checks = results
    outcome.seconds = time.monotonic() - start
    return outcome


def _tell(progress: Callable[[str, str], None] | None, checks: list[CheckResult]) -> None:
    for check in checks if progress else ():
        progress(check.check, f"{check.verdict}" + (f" [{check.strength}]" if check.strength else "")
                 + f" in {check.seconds:.1f} s")


def overall(result: VerifyResult) -> Overall:
    """One word for a whole result, as ``rtlgen verify`` exits with it (see VerifyResult.overall)."""
    return result.overall


def load_spec_argument(text: str) -> Spec:
    """A spec.md path, or ``SUITE:PROBLEM`` (``verilog-eval:Prob040_count10``, ``rtllm:accu``) from a benchmark
    suite."""
    suite, sep, problem = text.partition(":")
    if sep and suite in SUITE_ALIASES and not Path(text).exists():
        specs = load_suite(suite)
        found = next((s for s in specs if s.name == problem), None)
        if found is None:
            close = [s.name for s in specs if problem.lower() in s.name.lower()][:8]
            raise ConfigError(f"suite '{suite}' has no problem '{problem}'" +
                              (f"; did you mean {', '.join(close)}?" if close else f"; it has {len(specs)} problems"))
        return found
    if not Path(text).is_file():
        raise ConfigError(f"spec file '{text}' does not exist (give a spec.md path or SUITE:PROBLEM, "
                          f"e.g. verilog-eval:Prob040_count10)")
    return load_spec(text)
