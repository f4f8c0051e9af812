"""Formal self-equivalence of every reference: proven / inconclusive (with its reason) / error, per suite.

    .venv/bin/python benchmarks/formal_coverage.py -j 2                       # VerilogEval and RTLLM
    .venv/bin/python benchmarks/formal_coverage.py --suite rtllm --csv rtllm_formal.csv

    .venv/bin/python benchmarks/formal_coverage.py --design ../shared/benchmarks/realworld/picorv32/picorv32.v:picorv32

Each reference is proved equivalent to itself with ``check_equivalence`` alone (no lint, no agreement
pre-check), so the table shows what the formal engines can do; docs/verification.md explains every
reference that is not proven. ``--design FILE:TOP`` (repeatable; ``--param NAME=VALUE`` sets its top
parameters) proves a real design against itself instead, through the optimizer gate's entry point
``prove_equivalent`` with the clock and reset read from its ports.
"""
from __future__ import annotations

import argparse
import resource
import tempfile
from pathlib import Path

import pandas as pd
from rich.console import Console
from rich.table import Table

from rtlgen.executor import get_executor
from rtlgen.regress.bench import select
from rtlgen.spec.interface import infer_clock, infer_reset, read_ports
from rtlgen.spec.sources import candidate_from_files
from rtlgen.spec.suites import load_suite, reference_candidate
from rtlgen.verify.formal import check_equivalence, prove_equivalent
from rtlgen.tools.run import unwind_on_sigterm
from rtlgen.tools.yosys_server import served_cpu_seconds


def cpu_seconds() -> float:
    """User and system CPU of this process, its finished children (each ABC run is one) and the Yosys scripts its
    Yosys server forked: what a check costs whatever else loads the machine, where its wall time grows with the
    load."""
    return served_cpu_seconds() + sum(usage.ru_utime + usage.ru_stime for usage in (
        resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)))


def prove_self(item: tuple[str, object, str, float]) -> dict:
    suite, spec, workdir, timeout = item
    start = cpu_seconds()
    result = check_equivalence(reference_candidate(spec), spec, Path(workdir) / spec.name, timeout=timeout)
    return {"suite": suite, "problem": spec.name, "verdict": result.verdict, "strength": str(result.strength or ""),
            "seconds": round(result.seconds, 1), "cpu_s": round(cpu_seconds() - start, 1),
            "reason": result.message.splitlines()[0] if result.message else ""}


def prove_design(item: tuple[str, tuple[str, ...], str, float]) -> dict:
    """A real design against itself through ``prove_equivalent`` (the optimizer's gate)."""
    design, params, workdir, timeout = item
    start = cpu_seconds()
    path, top = design.rsplit(":", 1)
    candidate = candidate_from_files([path], top, params=params)
    ports = read_ports(candidate.rtl, candidate.top, candidate.origin)
    result = prove_equivalent(candidate, candidate, clock=infer_clock(ports, candidate.rtl),
                              reset=infer_reset(ports, candidate.rtl), workdir=Path(workdir) / top, timeout=timeout)
    return {"suite": "design", "problem": top, "verdict": result.verdict, "strength": str(result.strength or ""),
            "seconds": round(result.seconds, 1), "cpu_s": round(cpu_seconds() - start, 1),
            "reason": result.message.splitlines()[0] if result.message else ""}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--suite", action="append",
                        help="suite folder or name (repeatable) [default: verilog-eval, rtllm]")
    parser.add_argument("-j", "--jobs", type=int, default=2)
    parser.add_argument("--only", help="problems: comma-separated globs or substrings")
    parser.add_argument("--timeout", type=float, default=120, help="seconds per reference [default: 120]")
    parser.add_argument("--csv", type=Path, help="one row per reference")
    parser.add_argument("--design", action="append", metavar="FILE:TOP", help="a real design against itself instead")
    parser.add_argument("--param", action="append", default=[], metavar="NAME=VALUE", help="top parameter of --design")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="formal_coverage_", dir=Path.cwd()) as workdir:
        if args.design:
            task, items = prove_design, [(d, tuple(args.param), workdir, args.timeout) for d in args.design]
        else:
            task, items = prove_self, [(suite, spec, workdir, args.timeout) for suite in args.suite or
                                       ["verilog-eval", "rtllm"] for spec in select(load_suite(suite), args.only, None)]
        rows = []
        for outcome in get_executor("process", args.jobs).map(task, items):
            name = outcome.item[0] if args.design else outcome.item[1].name
            rows.append(outcome.result if outcome.ok else {"suite": "design" if args.design else outcome.item[0],
                                                           "problem": name, "verdict": "error", "strength": "",
                                                           "seconds": None, "cpu_s": None,
                                                           "reason": f"crashed: {outcome.error!r}"})
    frame = pd.DataFrame(rows).sort_values(["suite", "problem"])
    console = Console() if Console().is_terminal else Console(width=200)
    detail = Table(title="designs and their verdicts" if args.design else "references that are not proven")
    for col in ("suite", "problem", "verdict", "s", "cpu s", "reason"):
        detail.add_column(col, overflow="fold")
    for row in (frame if args.design else frame[frame.verdict != "proven"]).itertuples():
        detail.add_row(row.suite, row.problem, row.verdict, str(row.seconds), str(row.cpu_s), row.reason)
    console.print(detail)
    summary = Table(title="formal self-equivalence of the references")
    for col in ("suite", "references", "proven", "inconclusive", "error", "other", "median s", "max s", "max cpu s",
                "slowest (cpu)"):
        summary.add_column(col, justify="left" if col == "suite" else "right")
    for suite, group in frame.groupby("suite"):
        counts = group.verdict.value_counts()
        other = len(group) - sum(counts.get(v, 0) for v in ("proven", "inconclusive", "error"))
        summary.add_row(suite, str(len(group)), *(str(counts.get(v, 0)) for v in ("proven", "inconclusive", "error")),
                        str(other), f"{group.seconds.median():.1f}", f"{group.seconds.max():.1f}",
                        f"{group.cpu_s.max():.1f}", str(group.loc[group.cpu_s.idxmax(), "problem"]))
    console.print(summary)
    if args.csv:
        frame.to_csv(args.csv, index=False)
        print(f"per-reference verdicts written to {args.csv}")


if __name__ == "__main__":
    unwind_on_sigterm()
    main()
