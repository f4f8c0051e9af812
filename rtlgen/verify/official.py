"""Run a benchmark's own testbench (VerilogEval, RTLLM) on a candidate, judged as that benchmark judges.

VerilogEval: ``iverilog -Wall -Winfloop -Wno-timescale -g2012 -s tb`` over the candidate, ``_test.sv``
and ``_ref.sv``, ``vvp`` with a 30 s limit (here of CPU time), and sv-iv-analyze's reading of the log (pass =
``Mismatches: 0 in N samples`` with no error line). RTLLM: the candidate with ``testbench.v`` in a
run directory holding copies of the data files the testbench opens by relative path; pass = the
design's pass line (``spec.official_pass``).

Caveat, and why the autotb/formal checks exist: these verdicts are text that the simulated design
could print itself. rtlgen refuses candidates whose strings contain ``Mismatches:`` or match the
pass line, and the sandbox refuses ``$finish``/``$fatal`` and file tasks, but a design that
assembled the pass line from pieces could still fake it. The official testbench only runs when
the candidate elaborates on its own, so a candidate cannot reach into the testbench through
hierarchical names (those do not resolve without the testbench).

A candidate that compiles on its own and has the spec's ports, but not with the official testbench,
is not blamed: the check is ``error`` / ``testbench_broken`` (VerilogEval's Prob099 testbench binds
ports that its own prompt and reference do not have).

Differences from the original harnesses, both to keep the testbench out of the candidate's reach:
the candidate is compiled last, after a ```resetall`` (its macros cannot leak into the
testbench; it still gets the default timescale, as when compiled first), and RTLLM's VCS flag
``-timescale=1ns/1ns`` becomes a ```timescale 1ns/1ns`` before the candidate.
"""
from __future__ import annotations

import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from pyslang.syntax import SyntaxKind

from rtlgen.errors import ToolError, ToolTimeout, UnsafeRTL
from rtlgen.spec.model import Candidate, Spec
from rtlgen.spec.rtl_file import read_rtl
from rtlgen.spec.syntax import parse
from rtlgen.tools import find, run
from rtlgen.tools.run import CPU_LIMIT_SIGNALS
from rtlgen.verify.classify import LETTERS, MISMATCH_LINE, classify_compile_log, verilog_eval_code
from rtlgen.verify.lint import check_interface, icarus_command, quote, write_candidate
from rtlgen.verify.result import FAILURE_CLASSES, CheckResult
from rtlgen.verify.sandbox import refuse_untrusted, refused
from rtlgen.verify.simulators import WALL_BACKSTOP

OFFICIAL_MEMORY_MB = 2048
MAX_SIM_OUTPUT = 8_000_000  # bytes of simulator output kept; VerilogEval/RTLLM testbenches print a few KB
SPOOF_TEXT = (re.escape("Mismatches:"),)  # VerilogEval's verdict line
REFERENCE_FILE = "reference.sv"  # the reference as the tools read it, in the run directory
STATUS_MARK = "rtlgen-simulator-exit"  # before the simulator's exit status, on the capped run's stderr
_STATUS = re.compile(rf"^{STATUS_MARK} (\d+)\n", re.MULTILINE)


@dataclass(frozen=True)
class SuiteRules:
    """How one benchmark's harness runs and reads its testbench."""

    sim_timeout: float | None = None  # the harness's own simulation limit (None: the caller's timeout)
    error_rule_on_sim: bool = False  # apply sv-iv-analyze's "a line containing 'error'" rule to the run output too
    timescale: str | None = None  # default timescale the harness gives the candidate


RULES: dict[str, SuiteRules] = {
    "verilog-eval": SuiteRules(sim_timeout=30.0, error_rule_on_sim=True),
    "rtllm": SuiteRules(timescale="1ns/1ns"),  # RTLLM's makefiles: vcs -timescale=1ns/1ns
}


def instantiated_modules(rtl: str) -> set[str]:
    """Module names that ``rtl`` instantiates."""
    names: set[str] = set()

    def visit(node: object) -> None:
        if getattr(node, "kind", None) == SyntaxKind.HierarchyInstantiation:
            names.add(node.type.valueText)

    parse(rtl).root.visit(visit)
    return names


def write_testbench_sources(spec: Spec, workdir: Path) -> list[str]:
    """The testbench, plus the reference when the testbench instantiates it (VerilogEval's RefModule), written
    into ``workdir`` as every tool reads it (``read_rtl``: a ``.v`` reference's keyword-named ports stay ports)."""
    tb = Path(spec.official_testbench)
    files = [str(tb)]
    if spec.reference_rtl and spec.reference_top and spec.reference_top != spec.top:
        if spec.reference_top in instantiated_modules(tb.read_text(errors="replace")):
            (workdir / REFERENCE_FILE).write_text(read_rtl(spec.reference_rtl), encoding="utf-8")
            files.append(REFERENCE_FILE)
    return files


def _capped(cmd: list[str]) -> list[str]:
    """``cmd`` with its output cut at MAX_SIM_OUTPUT bytes: a design printing in a loop cannot flood memory
    (the simulator dies of SIGPIPE once the cap is reached). Its exit status goes to stderr after STATUS_MARK (the
    pipeline's own is ``head``'s): it tells a simulator its CPU limit ended, and is part of no other verdict."""
    return ["sh", "-c", f'("$@" 2>&1; echo "{STATUS_MARK} $?" >&2) | head -c {MAX_SIM_OUTPUT}', "sh", *cmd]


def _simulate(workdir: Path, limit: float) -> str:
    """The testbench's run under vvp: its output, ending in a TIMEOUT line (the harness's reading: ``[T]``) when it
    used ``limit`` seconds of CPU time, or ``WALL_BACKSTOP`` times that of the wall clock. The harness's own limit is
    the wall clock; here it counts CPU time, which is the same on an idle machine and does not make a reference time
    out on a loaded one (VerilogEval's Prob144 needs ~4.5 s of CPU, and ran past its 25.7 s at load 6-11)."""
    try:
        proc = run(_capped([find("vvp"), "-n", "official.vvp"]), timeout=WALL_BACKSTOP * limit, cpu_s=limit,
                   cwd=workdir, check=False, memory_mb=OFFICIAL_MEMORY_MB)
    except ToolTimeout as exc:
        return exc.output + f"\nTIMEOUT\n(vvp killed after {exc.timeout:g} s)\n"
    status = _STATUS.search(proc.stderr)
    stderr = _STATUS.sub("", proc.stderr)
    if status and int(status.group(1)) - 128 in CPU_LIMIT_SIGNALS:  # a shell's status: 128 + the signal
        return proc.stdout + stderr + f"\nTIMEOUT\n(vvp killed after {limit:g} s of CPU time)\n"
    return proc.stdout + stderr


def _clip(log: str, keep: int = 100_000) -> str:
    """A log short enough to store in results: its head and tail around a marker."""
    if len(log) <= 2 * keep:
        return log
    return log[:keep] + f"\n[... {len(log) - 2 * keep} characters cut ...]\n" + log[-keep:]


def _tail(log: str, limit: int = 12) -> str:
    lines = [ln.rstrip() for ln in log.splitlines() if ln.strip()]
    return "\n".join(f"  | {ln}" for ln in lines[-limit:])


def run_official(candidate: Candidate, spec: Spec, workdir: Path, *, timeout: float = 60,
                 compiles_alone: bool = False) -> CheckResult:
    """Check ``official``: the benchmark's testbench on the candidate under Icarus (see module docstring).

    ``compiles_alone``: the caller's lint already compiled the candidate on its own with the same command
    (``lint:iverilog`` passed), so that compile is not repeated before the testbench's."""
    start = time.monotonic()
    workdir = Path(workdir)

    def result(verdict: str, failure_class: str | None = None, message: str = "", log: str = "",
               strength: str | None = None) -> CheckResult:
        return CheckResult("official", verdict, strength=strength, failure_class=failure_class, message=message,
                           log=log, seconds=time.monotonic() - start,
                           artifacts={"workdir": str(workdir)} if workdir.exists() else {})

    if not spec.official_testbench:
        return result("absent", message="the spec has no official testbench")
    rules = RULES.get(spec.suite or "", SuiteRules())
    try:
        refuse_untrusted(candidate, forbidden_text=SPOOF_TEXT + ((spec.official_pass,) if spec.official_pass else ()))
    except UnsafeRTL as exc:
        return refused("official", exc)
    cand = write_candidate(candidate, workdir)
    try:
        alone = None if compiles_alone else run(icarus_command([cand.name], "alone.vvp"), timeout=timeout,
                                                cwd=workdir, check=False, memory_mb=OFFICIAL_MEMORY_MB)
        if alone is not None and alone.returncode != 0:
            cls = classify_compile_log(alone.output)
            return result("fail", cls, log=alone.output, message="official testbench not run: the candidate does not "
                          f"compile on its own ({FAILURE_CLASSES[cls]}):\n{quote(alone.output)}")
        for data in spec.data_files:
            shutil.copy(data, workdir / Path(data).name)
        timescale = f"`timescale {rules.timescale}\n" if rules.timescale else ""
        (workdir / "prelude.sv").write_text(timescale)  # the harness's default timescale, for the testbench too
        # nothing of the testbench's leaks into the candidate
        (workdir / "guard.sv").write_text("`resetall\n" + timescale)
        files = ["prelude.sv", *write_testbench_sources(spec, workdir), "guard.sv", cand.name]
        compiled = run(icarus_command(files, "official.vvp", top=spec.official_top),
                       timeout=timeout, cwd=workdir, check=False, memory_mb=OFFICIAL_MEMORY_MB)
        compile_log = compiled.output
        if compiled.returncode != 0:
            cls = classify_compile_log(compile_log)
            if spec.ports and check_interface(candidate, spec).passed:
                return result("error", "testbench_broken", log=compile_log, message="the official testbench does "
                              "not compile with a candidate that compiles alone and has the spec's ports (a defect of "
                              f"the benchmark; {FAILURE_CLASSES[cls]}):\n{quote(compile_log)}")
            return result("fail", cls, log=compile_log, message=f"the candidate does not compile with the official "
                          f"testbench ({FAILURE_CLASSES[cls]}):\n{quote(compile_log)}")
        sim_log = _simulate(workdir, min(timeout, rules.sim_timeout or timeout))
    except ToolTimeout as exc:
        return result("fail", "timeout", log=exc.output,
                      message=f"compiling the official testbench took over {timeout:g} s")
    except ToolError as exc:
        return result("error", "tool_error", message=str(exc))
    log = compile_log + sim_log
    compile_lines = None if rules.error_rule_on_sim else len(compile_log.splitlines())
    code = verilog_eval_code(log, candidate.rtl, spec.official_pass, error_scan_lines=compile_lines)
    if code == ".":
        samples = re.search(r"^Mismatches: 0 in (\d+) samples$", sim_log, re.MULTILINE)
        strength = f"simulated({samples.group(1)})" if samples else None
        return result("pass", log=log, strength=strength,
                      message="the official testbench printed its pass line (text the design could also print)")
    cls = LETTERS[code]
    mismatch = [m for m in (MISMATCH_LINE.match(ln) for ln in sim_log.splitlines()) if m]
    detail = f" ({mismatch[-1].group(0)})" if mismatch else ""
    if len(sim_log.encode(errors="replace")) >= MAX_SIM_OUTPUT:
        detail += f" (simulator output cut at {MAX_SIM_OUTPUT // 1_000_000} MB: the design prints without end)"
    shown = quote(log) if cls not in ("runtime_mismatch", "reset_issue", "timeout") else _tail(sim_log)
    return result("fail", cls, log=_clip(log), message=f"official testbench: {FAILURE_CLASSES[cls]}{detail}\n{shown}")
