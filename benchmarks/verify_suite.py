"""How long verification takes: median seconds of each check per suite, and suite wall time at -j 1 and -j 2
beside the wall time of the official testbench alone.

    .venv/bin/python benchmarks/verify_suite.py --limit 5             # quick look, both suites
    .venv/bin/python benchmarks/verify_suite.py --suite rtllm -j 2 --csv rtllm_times.csv

Every run uses the problems' reference RTL as the candidate (``--candidates ref``).
"""
from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import pandas as pd
from rich.console import Console
from rich.table import Table

from rtlgen.regress.bench import CHECKS, DEFAULT_SIMULATOR, SIMULATORS, BenchSettings, run_bench, select
from rtlgen.regress.records import BenchRecord, records_table, totals
from rtlgen.spec.suites import load_suite
from rtlgen.tools.run import unwind_on_sigterm


def timed(specs, jobs: int, checks: tuple[str, ...], simulator: str) -> tuple[list[BenchRecord], float]:
    start = time.monotonic()
    records = run_bench(specs, "ref", BenchSettings(checks, simulator), jobs=jobs)
    return records, time.monotonic() - start


def median_check(records: list[BenchRecord], check: str) -> float | None:
    values = [r.check_seconds[check] for r in records if check in r.check_seconds]
    return statistics.median(values) if values else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--suite", action="append", help="suite folder or name (repeatable) [default: verilog-eval, rtllm]")
    parser.add_argument("-j", "--jobs", default="1,2", help="comma-separated job counts to time [default: 1,2]")
    parser.add_argument("--only", help="problems: comma-separated globs or substrings")
    parser.add_argument("--limit", type=int, help="at most this many problems per suite")
    parser.add_argument("--simulator", default=DEFAULT_SIMULATOR, choices=SIMULATORS)
    parser.add_argument("--csv", type=Path, help="per-problem records (all checks, first job count) as CSV")
    args = parser.parse_args()
    job_counts = [int(j) for j in args.jobs.split(",")]

    summary = Table(title="verification time per suite (reference candidates)")
    for col in ("suite", "problems", *(f"median {c} s" for c in CHECKS), *(f"wall -j{j} all s" for j in job_counts),
                *(f"wall -j{j} official s" for j in job_counts), "pass official/autotb/formal"):
        summary.add_column(col, justify="left" if col == "suite" else "right")
    frames = []
    for suite in args.suite or ["verilog-eval", "rtllm"]:
        specs = select(load_suite(suite), args.only, args.limit)
        if not specs:
            continue
        runs = {j: timed(specs, j, CHECKS, args.simulator) for j in job_counts}
        official = {j: timed(specs, j, ("official",), args.simulator)[1] for j in job_counts}
        records = runs[job_counts[0]][0]
        t = totals(records)
        medians = [median_check(records, c) for c in CHECKS]
        summary.add_row(suite, str(len(specs)), *("-" if m is None else f"{m:.2f}" for m in medians),
                        *(f"{runs[j][1]:.1f}" for j in job_counts), *(f"{official[j]:.1f}" for j in job_counts),
                        f"{t['official_pass']}/{t['autotb_pass']}/{t['formal_proven']}")
        frame = records_table(records)
        for check in CHECKS:
            frame[f"{check}_s"] = [r.check_seconds.get(check) for r in records]
        frames.append(frame)
    (Console() if Console().is_terminal else Console(width=160)).print(summary)
    if args.csv and frames:
        pd.concat(frames).to_csv(args.csv, index=False)
        print(f"per-problem times written to {args.csv}")


if __name__ == "__main__":
    unwind_on_sigterm()
    main()
