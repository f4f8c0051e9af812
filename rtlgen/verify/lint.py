"""Lint a candidate: does it declare the spec's module and ports, and do Icarus and Verilator accept it?

Three checks, each a CheckResult:
- ``lint:interface``: pyslang reads the candidate's modules; the spec's top must be declared with
  the spec's port names, directions and widths (``no_module`` / ``port_binding`` otherwise, and
  ``syntax_error`` for text that is not Verilog at all).
- ``lint:iverilog``: ``iverilog -g2012`` with VerilogEval's warning flags, elaborating every
  module on its own (no testbench); classified like VerilogEval's sv-iv-analyze.
- ``lint:verilator``: ``verilator --lint-only -Wno-fatal`` (warnings are reported, errors fail).

When Icarus rejects the candidate only with "sorry: ... not yet supported" lines and Verilator
accepts it, ``lint:iverilog`` is ``error`` / ``simulator_unsupported`` (a limitation of the
simulator, not a bug in the design) instead of ``fail``.

A user's own design has no spec: ``lint_design`` runs the two linters alone (``rtlgen lint``), and
``require_clean`` refuses, before synthesis or optimization, a design they fail (Yosys accepts
some designs Icarus rejects, such as a wire assigned in an always block, and builds another circuit).
Where Icarus accepts it, ``lint:time-zero`` then runs the design's own checks: real RTL checks its parameters in
``initial`` blocks (verilog-axis: ``if (...) begin $error(...); $finish; end``), which no linter evaluates, so a
``-P`` value the design forbids would otherwise pass.
"""
from __future__ import annotations

import functools
import re
import shlex
import time
from pathlib import Path
from typing import Callable, Sequence

from pyslang.syntax import SyntaxKind

from rtlgen.errors import ConfigError, DesignInputError, SpecError, ToolError, ToolNotFound, ToolTimeout, UnsafeRTL
from rtlgen.spec.interface import read_ports
from rtlgen.spec.model import Candidate, Port, Spec
from rtlgen.spec.syntax import parse
from rtlgen.tools import find, run
from rtlgen.verify.classify import classify_compile_log, scan_log, unsupported_lines
from rtlgen.verify.result import FAILURE_CLASSES, CheckResult
from rtlgen.tools.rundir import run_directory
from rtlgen.verify.sandbox import refuse_untrusted, refused

ICARUS_FLAGS = ("-Wall", "-Winfloop", "-Wno-timescale", "-g2012")  # as VerilogEval's Makefile
VERILATOR_FLAGS = ("--lint-only", "-Wno-fatal", "--timing")
CANDIDATE_FILE = "candidate.sv"
LINT_TIMEOUT = 60.0
LINT_MEMORY_MB = 2048
TIME_ZERO_MODULE = "rtlgen_time_zero"
TIME_ZERO_MARK = "time_zero.done"
# A second root beside the top: once time 0 is over (Icarus's $finish lets the rest of its time step run, so a #0 is
# not enough), one femtosecond later, it writes a file the design has no reason to touch and ends the run.
_TIME_ZERO_ROOT = f"""`timescale 1fs/1fs
module {TIME_ZERO_MODULE};
  integer done;
  initial begin
    #1;
    done = $fopen("{TIME_ZERO_MARK}", "w");
    $fclose(done);
    $finish;
  end
endmodule
"""


def write_candidate(candidate: Candidate, workdir: Path) -> Path:
    """The candidate's RTL as a file in ``workdir`` (created if needed)."""
    workdir.mkdir(parents=True, exist_ok=True)
    path = workdir / CANDIDATE_FILE
    path.write_text(candidate.rtl, encoding="utf-8")
    return path


_QUOTED = re.compile(r"error|sorry|fatal|syntax|unable|cannot|can't|no sensitivities|declared here|infinite loop"
                     r"|not found",
                     re.IGNORECASE)


def quote(log: str, limit: int = 12) -> str:
    """The tool's own error lines (Icarus "sorry:" included, Verilator's manual pointers left out), indented."""
    lines = [ln.rstrip() for ln in log.splitlines() if ln.strip() and not ln.strip().startswith("... ")]
    picked = [ln for ln in lines if _QUOTED.search(ln)] or lines[-limit:]
    return "\n".join(f"  | {line}" for line in picked[:limit])


def complete_modules(rtl: str) -> list[str]:
    """Modules declared with both ``module`` and ``endmodule`` (prose can look like a module header)."""
    names: list[str] = []

    def visit(node: object) -> None:
        if getattr(node, "kind", None) == SyntaxKind.ModuleDeclaration and not node.endmodule.isMissing:
            names.append(node.header.name.valueText)

    parse(rtl, CANDIDATE_FILE).root.visit(visit)  # the name the agreement check's blocks read it under: one parse
    return names


def _port_problems(wanted: Sequence[Port], found: Sequence[Port]) -> list[str]:
    have = {p.name: p for p in found}
    want = {p.name: p for p in wanted}
    problems = []
    for port in wanted:
        got = have.get(port.name)
        if got is None:
            problems.append(f"port '{port.name}' is missing (the spec has '{port}')")
        elif got.direction != port.direction:
            problems.append(f"port '{port.name}' is an {got.direction}, the spec says {port.direction} ('{port}')")
        elif got.width != port.width:
            problems.append(f"port '{port.name}' is {got.width} bit(s) wide, the spec says {port.width} ('{port}')")
    problems += [f"port '{p.name}' ('{p}') is not in the spec" for p in found if p.name not in want]
    return problems


def check_interface(candidate: Candidate, spec: Spec) -> CheckResult:
    """``lint:interface``: the candidate declares ``spec.top`` with the spec's ports."""
    start = time.monotonic()

    def result(verdict: str, failure_class: str | None, message: str) -> CheckResult:
        return CheckResult("lint:interface", verdict, failure_class=failure_class, message=message,
                           seconds=time.monotonic() - start)

    rtl = candidate.rtl
    if "```" in rtl:
        return result("fail", "syntax_error",
                      "the candidate contains Markdown code fences (```): pass only the Verilog source")
    names = complete_modules(rtl)
    if not names:
        begins = " ".join(rtl.split())[:80]
        return result("fail", "syntax_error", "the candidate declares no complete module (module ... endmodule); "
                      f"it does not look like Verilog (text begins: {begins!r})")
    if spec.top not in names:
        return result("fail", "no_module", f"module '{spec.top}' is not declared; modules found: {', '.join(names)}")
    try:
        ports = read_ports(rtl, spec.top, source=CANDIDATE_FILE)
    except SpecError as exc:
        return result("fail", "no_module", f"module '{spec.top}' cannot be used as the top: {exc}")
    if not spec.ports:
        return result("pass", None,
                      f"declares '{spec.top}' with {len(ports)} port(s); the spec lists no ports to compare")
    problems = _port_problems(spec.ports, ports)
    if problems:
        return result("fail", "port_binding", f"module '{spec.top}' does not match the spec's ports:\n" +
                      "\n".join(f"  - {p}" for p in problems))
    message = f"declares '{spec.top}' with the spec's {len(ports)} port(s)"
    if [p.name for p in ports] != [p.name for p in spec.ports]:
        message += ("; note: the port order differs from the spec ("
                    f"{', '.join(p.name for p in ports)}), which breaks testbenches that connect ports by position")
    return result("pass", None, message)


def _tool_check(check: str, cmd: list[str], workdir: Path, timeout: float,
                extra_failure: Callable[[str], str | None] = lambda log: None) -> CheckResult:
    """Run one linter; a non-zero exit (or ``extra_failure``) fails with the tool's lines quoted."""
    start = time.monotonic()
    try:
        res = run(cmd, timeout=timeout, cwd=workdir, check=False, memory_mb=LINT_MEMORY_MB)
    except ToolTimeout as exc:
        return CheckResult(check, "fail", failure_class="timeout", log=exc.output + "\nTIMEOUT\n",
                           message=f"{check} did not finish within {timeout:g} s", seconds=time.monotonic() - start)
    except ToolError as exc:
        return CheckResult(check, "error", failure_class="tool_error", message=str(exc),
                           seconds=time.monotonic() - start)
    log = res.output
    tool = check.split(":", 1)[1]
    failure = classify_compile_log(log) if res.returncode != 0 else extra_failure(log)
    if failure:
        return CheckResult(check, "fail", failure_class=failure, log=log, seconds=res.seconds,
                           message=f"{tool}: {FAILURE_CLASSES[failure]}\n{quote(log)}")
    warnings = [ln for ln in log.splitlines() if "warning" in ln.lower()]
    message = f"{tool} accepts the candidate" + (f" with {len(warnings)} warning line(s):\n" +
                                                "\n".join(f"  | {w}" for w in warnings[:8]) if warnings else "")
    return CheckResult(check, "pass", log=log, seconds=res.seconds, message=message)


def icarus_command(files: Sequence[Path | str], output: Path | str, top: str | None = None) -> list[str]:
    """The VerilogEval compile line: ``iverilog -Wall -Winfloop -Wno-timescale -g2012 [-s top] -o out files``."""
    return [find("iverilog"), *ICARUS_FLAGS, *(["-s", top] if top else []), "-o", str(output), *map(str, files)]


def lint_iverilog(path: Path, spec: Spec, workdir: Path, timeout: float = LINT_TIMEOUT) -> CheckResult:
    """Compile and elaborate every module of the candidate on its own (no testbench, no ``-s``)."""
    def no_sensitivity(log: str) -> str | None:
        # VerilogEval fails a sample on these warnings too (letter 'n').
        return "no_sensitivity" if scan_log(log, None).letter == "n" else None

    try:
        cmd = icarus_command([path.name], "lint.vvp")
    except ToolError as exc:
        return CheckResult("lint:iverilog", "error", failure_class="tool_error", message=str(exc))
    return _tool_check("lint:iverilog", cmd, workdir, timeout, no_sensitivity)


@functools.lru_cache(maxsize=1)
def _verilator_binary() -> tuple[str, str]:
    """Verilator's VERILATOR_ROOT and the ``verilator_bin`` its ``verilator`` script runs (asked once per process)."""
    root = run([find("verilator"), "--getenv", "VERILATOR_ROOT"], timeout=LINT_TIMEOUT).stdout.strip()
    binary = Path(root) / "bin" / "verilator_bin"
    if not binary.is_file():
        raise ToolNotFound("verilator_bin", f"`verilator --getenv VERILATOR_ROOT` names {root}, which has no "
                                            "bin/verilator_bin; reinstall Verilator (./setup.sh)")
    return root, str(binary)


def verilator_lint_command(args: Sequence[str]) -> list[str]:
    """``verilator ARGS`` for a lint, run as the ``verilator`` script runs it: ``verilator_bin`` under an unlimited
    stack with VERILATOR_ROOT set. Why not the script itself: it is a Perl program that starts three more processes
    (two shells and a probe of the binary) before the binary, ~50 ms of CPU per call where a lint takes ~8 ms."""
    root, binary = _verilator_binary()
    return ["sh", "-c", f'ulimit -s unlimited 2>/dev/null; VERILATOR_ROOT={shlex.quote(root)} exec "$0" "$@"',
            binary, *args]


def lint_verilator(path: Path, spec: Spec, workdir: Path, timeout: float = LINT_TIMEOUT) -> CheckResult:
    try:
        top = ["--top-module", spec.top] if spec.top in complete_modules(path.read_text()) else []
        cmd = verilator_lint_command([*VERILATOR_FLAGS, *top, path.name])
    except ToolError as exc:
        return CheckResult("lint:verilator", "error", failure_class="tool_error", message=str(exc))
    return _tool_check("lint:verilator", cmd, workdir, timeout)


LINTERS: dict[str, Callable[[Path, Spec, Path, float], CheckResult]] = {
    "iverilog": lint_iverilog,
    "verilator": lint_verilator,
}


def excuse_simulator_limits(checks: list[CheckResult]) -> list[CheckResult]:
    """``lint:iverilog`` failing only on constructs Icarus admits it lacks, while ``lint:verilator``
    passes, becomes ``error`` / ``simulator_unsupported`` quoting Icarus's lines; otherwise unchanged."""
    by_name = {c.check: c for c in checks}
    icarus, verilator = by_name.get("lint:iverilog"), by_name.get("lint:verilator")
    if icarus is None or verilator is None or not verilator.passed or icarus.verdict != "fail":
        return checks
    lines = unsupported_lines(icarus.log) if icarus.failure_class == "compile_error" else []
    if not lines:
        return checks
    excused = CheckResult("lint:iverilog", "error", failure_class="simulator_unsupported", log=icarus.log,
                          seconds=icarus.seconds, message="iverilog: " + FAILURE_CLASSES["simulator_unsupported"] +
                          "; verilator accepts it\n" + "\n".join(f"  | {ln}" for ln in lines[:12]))
    return [excused if c is icarus else c for c in checks]


def lint(candidate: Candidate, spec: Spec, workdir: Path, tools: Sequence[str] = tuple(LINTERS),
         *, timeout: float = LINT_TIMEOUT) -> list[CheckResult]:
    """``lint:interface`` then one ``lint:<tool>`` check per tool; unsafe RTL gives ``error`` checks."""
    unknown = [t for t in tools if t not in LINTERS]
    if unknown:
        raise ConfigError(f"unknown linter(s) {unknown}; choose from {sorted(LINTERS)}")
    names = ["lint:interface", *(f"lint:{t}" for t in tools)]
    try:
        refuse_untrusted(candidate)
    except UnsafeRTL as exc:
        return [refused(name, exc) for name in names]
    path = write_candidate(candidate, Path(workdir))
    checks = [check_interface(candidate, spec), *(LINTERS[t](path, spec, Path(workdir), timeout) for t in tools)]
    return excuse_simulator_limits(checks)


def _time_zero_verdict(log: str, ran: bool, seconds: float) -> CheckResult:
    """The time-0 run fails when the design stopped it itself (``$finish``, ``$fatal``) before the marker; Icarus's
    lines of the design's severity tasks are quoted either way."""
    lines = [ln.strip() for ln in log.splitlines() if ln.strip().startswith(("ERROR:", "FATAL:", "WARNING:"))]
    quoted = "\n".join(f"  | {ln}" for ln in lines[:12])
    if not ran:
        return CheckResult("lint:time-zero", "fail", failure_class="design_check", log=log, seconds=seconds,
                           message=f"{FAILURE_CLASSES['design_check']}:\n{quoted or quote(log)}")
    note = f"; its messages at time 0:\n{quoted}" if lines else ""
    return CheckResult("lint:time-zero", "pass", log=log, seconds=seconds,
                       message=f"the design's initial blocks run time 0 without stopping it{note}")


def lint_time_zero(path: Path, top: str, workdir: Path, timeout: float = LINT_TIMEOUT) -> CheckResult:
    """``lint:time-zero``: ``top`` elaborated by Icarus and run to the end of time 0, so its own parameter checks
    (an ``initial`` block's ``$error``/``$fatal``/``$finish``) judge the parameters given; a design that ends the
    run at time 0 fails, quoting Icarus's lines (the user's file:line and the design's message)."""
    start = time.monotonic()
    (workdir / f"{TIME_ZERO_MODULE}.v").write_text(_TIME_ZERO_ROOT)
    (workdir / TIME_ZERO_MARK).unlink(missing_ok=True)
    try:
        cmd = [find("iverilog"), "-g2012", "-s", top, "-s", TIME_ZERO_MODULE, "-o", "time_zero.vvp", path.name,
               f"{TIME_ZERO_MODULE}.v"]
        run(cmd, timeout=timeout, cwd=workdir, memory_mb=LINT_MEMORY_MB)
        res = run([find("vvp"), "-n", "time_zero.vvp"], timeout=timeout, cwd=workdir, check=False,
                  memory_mb=LINT_MEMORY_MB)
    except ToolTimeout as exc:
        return CheckResult("lint:time-zero", "fail", failure_class="timeout", log=exc.output,
                           message=f"time 0 of the design did not end within {timeout:g} s (a loop without delay)",
                           seconds=time.monotonic() - start)
    except ToolError as exc:
        return CheckResult("lint:time-zero", "error", failure_class="tool_error", message=str(exc),
                           seconds=time.monotonic() - start)
    return _time_zero_verdict(res.output, (workdir / TIME_ZERO_MARK).is_file(), time.monotonic() - start)


def lint_design(candidate: Candidate, workdir: Path, *, timeout: float = LINT_TIMEOUT) -> list[CheckResult]:
    """``lint:<tool>`` for every linter on a design without a spec (its top is the candidate's), then, where Icarus
    accepts it, ``lint:time-zero`` (the design's own checks of its parameters)."""
    path = write_candidate(candidate, Path(workdir))
    spec = Spec(top=candidate.top)
    checks = excuse_simulator_limits([check(path, spec, Path(workdir), timeout) for check in LINTERS.values()])
    if all(c.passed for c in checks if c.check == "lint:iverilog"):
        checks.append(lint_time_zero(path, candidate.top, Path(workdir), timeout))
    return checks


def require_clean(candidate: Candidate, *, timeout: float = LINT_TIMEOUT) -> list[CheckResult]:
    """The linters' checks of ``candidate``; DesignInputError quoting each failing tool (its lines name the
    user's file:line through the ```line`` directives) when one fails."""
    with run_directory(f"lint-{candidate.top}") as workdir:
        checks = lint_design(candidate, workdir, timeout=timeout)
    failed = [c for c in checks if c.verdict == "fail"]
    if failed:
        raise DesignInputError([c.message for c in failed],
                               "the design was refused before any other tool ran: fix what the linter names "
                               "(`rtlgen lint` shows every check)")
    return checks
