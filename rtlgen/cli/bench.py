"""`rtlgen bench`: verify every problem of a benchmark suite, in parallel, and tabulate the verdicts."""
from __future__ import annotations

import time
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from rtlgen.regress.bench import CHECKS, DEFAULT_TIMEOUT, SIMULATORS, run_bench, select, write_json
from rtlgen.executor import EXECUTORS
from rtlgen.regress.records import BenchRecord, records_table, totals
from rtlgen.spec.suites import load_suite

_STYLE = {"pass": "green", "proven": "green", "fail": "red", "counterexample": "red", "error": "magenta",
          "missing": "magenta", "inconclusive": "yellow", "absent": "dim"}


def _checks(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> tuple[str, ...]:
    names = tuple(n.strip() for v in value for n in v.split(",") if n.strip()) or CHECKS
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
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=1, show_default=True, help="Problems verified at once.")
@click.option("--json", "json_path", type=click.Path(dir_okay=False, path_type=Path), help="Write one JSON record per problem.")
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False, path_type=Path), help="Write the table as CSV.")
@click.option("--simulator", type=click.Choice(SIMULATORS), default="icarus", show_default=True)
@click.option("--checks", multiple=True, callback=_checks, metavar="CHECK[,CHECK]",
              help=f"Checks to run (repeat or comma-separate) [default: {','.join(CHECKS)}].")
@click.option("--only", default=None, metavar="PATTERN", help="Problems to run: comma-separated globs or substrings.")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Run at most this many problems.")
@click.option("--timeout", type=float, default=DEFAULT_TIMEOUT, show_default=True, help="Outer timeout per problem (s).")
@click.option("--executor", type=click.Choice(sorted(EXECUTORS)), default="process", show_default=True)
@click.option("--seed", type=int, default=1, show_default=True, help="Seed of the auto-testbench stimulus.")
@click.option("--ppa", is_flag=True, help="Also synthesize candidates that pass: area, delay and power per record.")
@click.option("--liberty", default=None, help="Liberty file for --ppa (else RTLGEN_LIBERTY / config; none: estimate).")
@click.option("--clock-ns", type=float, default=10.0, show_default=True, help="Clock period for --ppa timing.")
def bench(suite_path: str, candidates: str, jobs: int, json_path: Path | None, csv_path: Path | None, simulator: str,
          checks: tuple[str, ...], only: str | None, limit: int | None, timeout: float, executor: str, seed: int,
          ppa: bool, liberty: str | None, clock_ns: float) -> None:
    """Verify every problem of SUITE_PATH (a VerilogEval spec-to-rtl or RTLLM folder, or the short
    names verilog-eval / rtllm). Exits 1 unless every problem passes."""
    specs = select(load_suite(suite_path), only, limit)
    if not specs:
        raise click.ClickException(f"no problem of {suite_path} matches --only {only!r}")
    console = Console(stderr=True)
    start = time.monotonic()
    with Progress(TextColumn("[bold]bench"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  TextColumn("{task.description}"), console=console) as bar:
        task = bar.add_task("", total=len(specs))

        def advance(record: BenchRecord) -> None:
            bar.update(task, advance=1, description=f"{record.problem}: {_styled(record.status)}")

        records = run_bench(specs, candidates, jobs=jobs, checks=checks, simulator=simulator, progress=advance,
                            timeout=timeout, executor=executor, seed=seed, ppa=ppa, liberty=liberty,
                            clock_ns=clock_ns)
    wall = time.monotonic() - start
    if json_path:
        write_json(records, json_path)
    if csv_path:
        records_table(records).to_csv(csv_path, index=False)
    _print_table(records, wall, jobs)
    failed = sum(not r.passed for r in records)
    if failed:
        raise click.ClickException(f"{failed} of {len(records)} problems did not pass")


def _num(value: float | None, fmt: str) -> str:
    return "-" if value is None else format(value, fmt)


def _print_table(records: list[BenchRecord], wall: float, jobs: int) -> None:
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
    console = Console()
    if not console.is_terminal:  # files and pipes get whole problem names, not 80-column ellipses
        console = Console(width=160)
    console.print(table)
    t = totals(records)
    console.print(
        f"[bold]{t['pass']}/{t['problems']} pass[/], {t['fail']} fail, {t['error']} error, "
        f"{t['inconclusive']} inconclusive, {t['missing']} missing | official pass {t['official_pass']}, "
        f"autotb pass {t['autotb_pass']}, formal proven {t['formal_proven']} | wall {wall:.1f} s at -j {jobs}")
    for r in records:
        if not r.passed and r.message:
            console.print(f"[dim]{r.problem}: {r.message.splitlines()[0][:160]}[/]")
