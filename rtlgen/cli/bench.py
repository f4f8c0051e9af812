"""`rtlgen bench`: verify every problem of a benchmark suite, in parallel, and tabulate the verdicts."""
from __future__ import annotations

import json
import time
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.console import Console
from rich.table import Table

from rtlgen.regress.bench import (CHECKS, DEFAULT_TIMEOUT, BenchSettings, checks_for, problem_job, run_jobs,
                                  select_problems, write_json)
from rtlgen.executor import EXECUTORS
from rtlgen.regress.records import BenchRecord, records_table, totals
from rtlgen.spec.suites import Problem, Suite, load
from rtlgen.cli.options import (Outputs, checks_option, clock_period_option, deferred, emit_json, grouped, jobs_option,
                                json_option, liberty_option, power_engine_option, seed_option, simulator_option,
                                timeout_option)
from rtlgen.cli.progress import ItemProgress
from rtlgen.synth.target import Target

if TYPE_CHECKING:  # built when the command runs (options.deferred): rtlgen.regress.api adds ~350 ms CPU at start-up
    from rtlgen.regress.api import Selection, Workers

_STYLE = {"pass": "green", "proven": "green", "fail": "red", "counterexample": "red", "error": "magenta",
          "missing": "magenta", "inconclusive": "yellow", "absent": "dim"}


def _checks(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> tuple[str, ...]:
    names = tuple(n.strip() for v in value for n in v.split(",") if n.strip())  # none: the suite's own
    bad = [n for n in names if n not in CHECKS]
    if bad:
        raise click.BadParameter(f"unknown check(s) {', '.join(bad)}; choose from {', '.join(CHECKS)}")
    return names


def _styled(verdict: str | None) -> str:
    verdict = verdict or "-"
    style = _STYLE.get(verdict)
    return f"[{style}]{verdict}[/]" if style else verdict


@click.command()
@click.argument("suite_path")
@click.option("--candidates", default="ref", show_default=True,
              help="'ref' (each problem's reference) or a folder holding <problem>.v or <problem>.sv per problem.")
@grouped("workers", deferred("rtlgen.regress.api", "Workers"), jobs_option("Problems verified at once."),
         timeout_option(DEFAULT_TIMEOUT, "Outer timeout per problem (s)."),
         click.option("--executor", type=click.Choice(sorted(EXECUTORS)), default="process", show_default=True,
                      help="Where problems run: worker processes on this machine, threads, or a Dask cluster."))
@grouped("outputs", Outputs, json_option("one record per problem"),
         click.option("--csv", "csv_path", type=click.Path(dir_okay=False, path_type=Path),
                      help="Write the table as CSV."))
@simulator_option()
@seed_option()
@grouped("selection", deferred("rtlgen.regress.api", "Selection"),
         checks_option(None, f"Checks to run (repeat or comma-separate) [default: {','.join(CHECKS)}; "
                             "realworld, which has no testbench or golden model: lint,formal].", multiple=True,
                       callback=_checks),
         click.option("--only", default=None, metavar="PATTERN",
                      help="Problems to run: comma-separated globs or substrings."),
         click.option("--limit", type=click.IntRange(min=1), default=None, help="Run at most this many problems."))
@click.option("--ppa", is_flag=True, help="Also synthesize candidates that pass: area, delay and power per record.")
@click.option("--optimize", "optimize_pairs", is_flag=True,
              help="Run `rtlgen optimize` on each problem instead (rtl-opt: the suboptimal design, compared with "
                   "the expert's); per pair the input, optimized and expert PPA and the proof.")
@grouped("target", Target, liberty_option("For --ppa and --optimize; none: transistor estimate."),
         clock_period_option(), power_engine_option())
def bench(suite_path: str, candidates: str, workers: Workers, outputs: Outputs, simulator: str, seed: int,
          selection: Selection, ppa: bool, optimize_pairs: bool, target: Target) -> None:
    """Verify every problem of SUITE_PATH (a suite folder, or the short names verilog-eval, rtllm, rtl-opt,
    realworld; realworld designs, which have no spec, get lint and a proof against themselves, and PPA with
    --ppa). Exits 1 unless every problem passes."""
    if optimize_pairs:
        _bench_optimize(suite_path, selection, workers, target, outputs)
        return
    suite, problems = _problems(suite_path, selection)  # suite paths come back absolute: workers see them
    if candidates != "ref":
        candidates = str(Path(candidates).resolve())
    settings = BenchSettings(checks_for(suite, selection.checks), simulator, seed, workers.timeout,
                             ppa=target if ppa else None)
    console = Console(stderr=True)
    start = time.monotonic()
    with ItemProgress(console, "bench", len(problems)) as bar:

        def advance(record: BenchRecord) -> None:
            bar.done(record.problem, _styled(record.status))

        records = run_jobs([problem_job(p, candidates) for p in problems], settings, jobs=workers.jobs,
                           executor=workers.executor, progress=advance)
    wall = time.monotonic() - start
    if outputs.json_out == "-":
        emit_json(outputs.json_out, json.dumps([r.to_dict() for r in records], indent=2))
    elif outputs.json_out:
        write_json(records, outputs.json_out)
    if outputs.csv_path:
        records_table(records).to_csv(outputs.csv_path, index=False)
    _print_table(records, wall, workers.jobs, stderr=outputs.json_out == "-")
    failed = sum(not r.passed for r in records)
    if failed:
        raise click.ClickException(f"{failed} of {len(records)} problems did not pass")


def _bench_optimize(suite_path: str, selection: Selection, workers: Workers, target: Target,
                    outputs: Outputs) -> None:
    """``--optimize``: optimize every problem; exits 1 unless every result is proven equivalent to its input."""
    import pandas as pd  # noqa: PLC0415
    from rtlgen.optimize.pairs import PairRecord, run_pairs  # noqa: PLC0415 - the optimizer: ~300 ms at CLI start

    problems = _problems(suite_path, selection)[1]
    console = Console(stderr=True)
    with ItemProgress(console, "optimize", len(problems)) as bar:
        def advance(record: PairRecord) -> None:
            bar.done(record.design, _styled(record.equivalence) if not record.error else _styled("error"))

        records = run_pairs(problems, target, jobs=workers.jobs, executor=workers.executor, progress=advance)
    emit_json(outputs.json_out, json.dumps([r.to_dict() for r in records], indent=2))
    df = pd.DataFrame([{**r.to_dict(), **{f"{w}_ratio": r.ratio(w) for w in ("rtl", "final", "expert", "power")}}
                       for r in records])
    if outputs.csv_path:
        df.to_csv(outputs.csv_path, index=False)
    table = Table(title=f"rtlgen bench --optimize: {len(records)} pairs")
    for col in ("design", "proven", "input um2", "optimized um2", "expert um2", "ratio", "expert ratio",
                "power ratio", "steps", "s"):
        table.add_column(col, justify="left" if col in ("design", "proven", "steps") else "right")
    for r in records:
        table.add_row(r.design, _styled(r.equivalence if not r.error else "error"), _num(r.input_area, ".1f"),
                      _num(r.final_area, ".1f"), _num(r.expert_area, ".1f"), _num(r.ratio("final"), ".3f"),
                      _num(r.ratio("expert"), ".3f"), _num(r.ratio("power"), ".3f"),
                      ", ".join([*r.rules, *([r.flow] if r.flow != "yosys" else [])])[:50] or r.error[:50],
                      f"{r.seconds:.1f}")
    Console(stderr=outputs.json_out == "-", width=None if console.is_terminal else 160).print(table)
    unproven = [r.design for r in records if r.equivalence != "proven"]
    if unproven:
        raise click.ClickException(f"{len(unproven)} of {len(records)} results not proven: {', '.join(unproven)}")


def _problems(suite_path: str, selection: Selection) -> tuple[Suite, list[Problem]]:
    """The problems of SUITE_PATH that ``selection`` (a rtlgen.regress.api.Selection) picks."""
    suite = load(suite_path)
    problems = select_problems(suite.problems, selection.only, selection.limit)
    if not problems:
        raise click.ClickException(f"no problem of {suite_path} matches --only {selection.only!r}")
    return suite, problems


def _num(value: float | None, fmt: str) -> str:
    return "-" if value is None else format(value, fmt)


def _print_table(records: list[BenchRecord], wall: float, jobs: int, *, stderr: bool = False) -> None:
    table = Table(title=f"rtlgen bench: {len(records)} problems")
    with_ppa = any(r.area_um2 is not None or r.delay_ns is not None for r in records)
    columns = ["problem", "status", "lint", "official", "autotb", "formal", "strength", "class", "s"]
    columns += ["area um2", "delay ns", "power W"] if with_ppa else []
    for col in columns:
        table.add_column(col, justify="right" if col in ("s", "area um2", "delay ns", "power W") else "left")
    for r in records:
        ppa = [_num(r.area_um2, ".1f"), _num(r.delay_ns, ".3f"), _num(r.power_w, ".3g")] if with_ppa else []
        table.add_row(r.problem, _styled(r.status), _styled(r.lint), _styled(r.official), _styled(r.autotb),
                      _styled(r.formal), r.strength or "-", r.failure_class or "-", f"{r.seconds:.1f}", *ppa)
    console = Console(stderr=stderr)
    if not console.is_terminal:  # files and pipes get whole problem names, not 80-column ellipses
        console = Console(width=160, stderr=stderr)
    console.print(table)
    t = totals(records)
    console.print(
        f"[bold]{t['pass']}/{t['problems']} pass[/], {t['fail']} fail, {t['error']} error, "
        f"{t['inconclusive']} inconclusive, {t['missing']} missing | official pass {t['official_pass']}, "
        f"autotb pass {t['autotb_pass']}, formal proven {t['formal_proven']} | wall {wall:.1f} s at -j {jobs}")
    for r in records:
        if not r.passed and r.message:
            console.print(f"[dim]{r.problem}: {r.message.splitlines()[0][:160]}[/]")
