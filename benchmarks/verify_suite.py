"""How long verification takes beside the benchmark's own harness: per suite, the wall time of the raw harness
(iverilog + vvp of each problem's testbench with the reference as the candidate, no rtlgen), of rtlgen with all
checks and with the official testbench only, at each job count, in one invocation (same machine, same load), plus
the per-problem medians and the median of each check.

    .venv/bin/python benchmarks/verify_suite.py --suite verilog-eval -j 2             # the issue's figure
    .venv/bin/python benchmarks/verify_suite.py --limit 5 --repeat 2                  # quick look, both suites
    .venv/bin/python benchmarks/verify_suite.py --suite rtllm -j 2 --csv rtllm_times.csv
    .venv/bin/python benchmarks/verify_suite.py --suite verilog-eval --cpu-csv ve_cpu.csv      # CPU per check

Every run uses the problems' reference RTL as the candidate (``--candidates ref``). ``--csv`` keeps the per-problem
records of the all-checks run (verdicts, failure classes, strengths, messages and check times), so two trees'
verdicts can be compared with a diff of the verdict columns. ``--cpu-csv`` instead verifies the problems one after
another in this process and keeps each check's CPU seconds (this process, the tools it ran and its Yosys server's
scripts) beside each check's verdict, class, strength and first message line: unlike wall time, CPU time hardly moves
with the machine's load, so two trees can be compared on a busy machine. A tool killed at its time limit through a
shell (the official testbench's simulation) is not counted, its shell having been killed before it reaped the tool.
"""
from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from rich.console import Console
from rich.table import Table

from rtlgen.executor import get_executor
from rtlgen.regress.bench import CHECKS, DEFAULT_SIMULATOR, SIMULATORS, BenchJob, BenchSettings, candidate_jobs, \
    run_jobs, select
from rtlgen.regress.records import BenchRecord, records_table, totals
from rtlgen.spec.suites import load_suite
from rtlgen.tools import find, run
from rtlgen.tools.run import unwind_on_sigterm
from rtlgen.tools.yosys_server import served_cpu_seconds
from rtlgen.verify.api import verify
from rtlgen.verify.lint import icarus_command
from rtlgen.verify.official import RULES, SuiteRules, write_testbench_sources

RAW_TIMEOUT_S = 60.0


@dataclass(frozen=True)
class Timing:
    """One way of checking a suite: its wall time and each problem's seconds."""

    wall: float
    per_problem: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.per_problem) if self.per_problem else 0.0


def raw_harness(job: BenchJob) -> float:
    """Seconds the benchmark's own harness takes on one problem: compile the testbench with the reference as the
    candidate (VerilogEval's iverilog line), run it with vvp; nothing of rtlgen's checks, no verdict read."""
    start = time.monotonic()
    spec = job.spec
    rules = RULES.get(spec.suite or "", SuiteRules())
    with tempfile.TemporaryDirectory(prefix="raw-harness-") as tmp:
        for data in spec.data_files:
            shutil.copy(data, Path(tmp) / Path(data).name)
        (Path(tmp) / "prelude.sv").write_text(f"`timescale {rules.timescale}\n" if rules.timescale else "")
        (Path(tmp) / "candidate.sv").write_text(job.candidate.rtl)
        files = ["prelude.sv", *write_testbench_sources(spec, Path(tmp)), "candidate.sv"]
        run(icarus_command(files, "sim.vvp", top=spec.official_top), timeout=RAW_TIMEOUT_S, cwd=tmp, check=False)
        run([find("vvp"), "-n", "sim.vvp"], timeout=RAW_TIMEOUT_S, cwd=tmp, check=False)
    return time.monotonic() - start


def time_raw(jobs: list[BenchJob], workers: int) -> Timing:
    start = time.monotonic()
    seconds = [o.result for o in get_executor("process", workers).map(raw_harness, jobs) if o.ok]
    return Timing(time.monotonic() - start, tuple(seconds))


def time_rtlgen(jobs: list[BenchJob], workers: int, checks: tuple[str, ...],
                simulator: str) -> tuple[list[BenchRecord], Timing]:
    start = time.monotonic()
    records = run_jobs(jobs, BenchSettings(checks, simulator), jobs=workers)
    return records, Timing(time.monotonic() - start, tuple(r.seconds for r in records))


def cpu_seconds() -> float:
    """CPU seconds of this process, of the tools it ran to their end, and of its Yosys servers' scripts."""
    own, tools = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + tools.ru_utime + tools.ru_stime + served_cpu_seconds()


def cpu_per_check(jobs: list[BenchJob], simulator: str) -> pd.DataFrame:
    """Each problem verified with all checks in this process, one at a time: the CPU seconds each check took (its
    lint tools together) and, per check, ``verdict|class|strength|first message line``."""
    rows = []
    for job in jobs:
        marks: list[tuple[str, float]] = []
        start = cpu_seconds()
        result = verify(job.candidate, job.spec, simulator=simulator,
                        progress=lambda check, _: marks.append((check.split(":")[0], cpu_seconds())))
        row: dict[str, object] = {"problem": job.spec.name, "status": result.overall}
        for (check, now), before in zip(marks, [start, *(t for _, t in marks)]):
            row[f"{check}_cpu"] = round(float(row.get(f"{check}_cpu", 0.0)) + now - before, 3)
        for check in result.checks:
            row[check.check] = "|".join(str(part) for part in (check.verdict, check.failure_class, check.strength,
                                                                 (check.message or "").split("\n")[0]))
        rows.append(row)
    return pd.DataFrame(rows)


def main_cpu(args: argparse.Namespace) -> None:
    frames = []
    for suite in args.suite or ["verilog-eval", "rtllm"]:
        frame = cpu_per_check(candidate_jobs(select(load_suite(suite), args.only, args.limit), "ref"), args.simulator)
        frames.append(frame.assign(suite=suite))
        cpu = frame[[c for c in frame.columns if c.endswith("_cpu")]]
        print(f"{suite}: CPU seconds per check over {len(frame)} problems (total, median)")
        print(pd.DataFrame({"total": cpu.sum(), "median": cpu.median()}).round(3).to_string())
    pd.concat(frames).to_csv(args.cpu_csv, index=False)
    print(f"per-problem CPU and verdicts written to {args.cpu_csv}")


def median_check(records: list[BenchRecord], check: str) -> float | None:
    values = [r.check_seconds[check] for r in records if check in r.check_seconds]
    return statistics.median(values) if values else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--suite", action="append",
                        help="suite folder or name (repeatable) [default: verilog-eval, rtllm]")
    parser.add_argument("-j", "--jobs", default="2", help="comma-separated job counts to time [default: 2]")
    parser.add_argument("--only", help="problems: comma-separated globs or substrings")
    parser.add_argument("--limit", type=int, help="at most this many problems per suite")
    parser.add_argument("--repeat", type=int, default=1, help="time everything this many times (one row each)")
    parser.add_argument("--simulator", default=DEFAULT_SIMULATOR, choices=SIMULATORS)
    parser.add_argument("--csv", type=Path, help="per-problem records of the first all-checks run, as CSV")
    parser.add_argument("--cpu-csv", type=Path, help="instead of timing: each check's CPU seconds, one problem at a "
                                                     "time in this process, and verdicts, as CSV")
    args = parser.parse_args()
    if args.cpu_csv:
        main_cpu(args)
        return
    job_counts = [int(j) for j in args.jobs.split(",")]
    timed_checks = ("agreement", *CHECKS)

    summary = Table(title="verification time per suite (reference candidates; seconds)")
    for col in ("suite", "problems", "-j", "raw wall", "all wall", "official wall", "all / raw", "raw median",
                "all median", "official median", *(f"median {c}" for c in timed_checks), "pass official/autotb/formal"):
        summary.add_column(col, justify="left" if col == "suite" else "right")
    first: dict[str, list[BenchRecord]] = {}
    for suite in args.suite or ["verilog-eval", "rtllm"]:
        jobs = candidate_jobs(select(load_suite(suite), args.only, args.limit), "ref")
        for j in [j for _ in range(args.repeat) for j in job_counts]:
            raw = time_raw([job for job in jobs if job.candidate and job.spec.official_testbench], j)
            records, every = time_rtlgen(jobs, j, CHECKS, args.simulator)
            _, official = time_rtlgen(jobs, j, ("official",), args.simulator)
            t = totals(records)
            medians = [median_check(records, c) for c in timed_checks]
            summary.add_row(suite, str(len(jobs)), str(j), f"{raw.wall:.1f}", f"{every.wall:.1f}",
                            f"{official.wall:.1f}", f"{every.wall / raw.wall:.1f}x", f"{raw.median:.2f}",
                            f"{every.median:.2f}", f"{official.median:.2f}",
                            *("-" if m is None else f"{m:.2f}" for m in medians),
                            f"{t['official_pass']}/{t['autotb_pass']}/{t['formal_proven']}")
            first.setdefault(suite, records)
    (Console() if Console().is_terminal else Console(width=200)).print(summary)
    if args.csv and first:
        pd.concat(_frame(records, timed_checks) for records in first.values()).to_csv(args.csv, index=False)
        print(f"per-problem records written to {args.csv}")


def _frame(records: list[BenchRecord], checks: tuple[str, ...]) -> pd.DataFrame:
    frame = records_table(records)
    for check in checks:
        frame[f"{check}_s"] = [r.check_seconds.get(check) for r in records]
    return frame


if __name__ == "__main__":
    unwind_on_sigterm()
    main()
