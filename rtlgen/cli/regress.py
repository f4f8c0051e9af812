"""`rtlgen regress`: run suites into a run store, diff against a baseline, history, threshold rules."""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

import click
from rich.console import Console
from rich.table import Table

from rtlgen.cli.bench import _checks
from rtlgen.cli.groups import DefaultCommandGroup
from rtlgen.cli.options import (Outputs, checks_option, clock_period_option, deferred, emit_json, grouped,
                                human_stream_is_stderr, jobs_option, json_option, liberty_option, llm_options,
                                power_engine_option, rounds_option, samples_option, seed_option, simulator_option,
                                timeout_option)
from rtlgen.llm.config import LlmSettings
from rtlgen.regress.baseline import rules_for, rules_path, update_rules
from rtlgen.regress.bench import CHECKS, DEFAULT_TIMEOUT
from rtlgen.regress.store import ITEM_COLUMNS, Store
from rtlgen.synth.target import Target

if TYPE_CHECKING:
    from rtlgen.generate.api import Sampling
    from rtlgen.regress.api import Recording, RegressResult, Selection, Workers

# rtlgen.regress.api (with the generate and optimize stages it runs) is imported by the commands that run or report:
# at the top it would add ~350 ms CPU to every `rtlgen` start-up, `rtlgen --help` included (import rtlgen.cli: ~470 ms;
# measured after it, min of 15). So are the dataclasses the run command builds (options.deferred).

EXECUTOR_CHOICES = ["local", "dask"]  # local: the process pool (serial with -j 1)
_STYLE = {"ok": "green", "failed": "red", "error": "magenta", "missing": "magenta", "skipped": "yellow"}


@click.group(cls=DefaultCommandGroup, options_too=True)
def regress() -> None:
    """Nightly regression: `rtlgen regress SUITE... --store DB [OPTIONS]` runs suites, records every item
    in the store and exits 1 naming each regression against the baseline (its options:
    `rtlgen regress run --help`); see also `history`, `rules`, `report`."""


def _store_option(f):
    return click.option("--store", required=True, type=click.Path(dir_okay=False, path_type=Path),
                        help="The run store (an SQLite file; created when absent).")(f)


def _rules_option(f):
    return click.option("--rules", type=click.Path(dir_okay=False, path_type=Path), default=None,
                        help="Threshold rules YAML for every suite [default: rules-<suite>.yaml beside the store, "
                             "else built-in].")(f)


def _baseline_option(f):
    return click.option("--baseline", default="last", show_default=True, metavar="last|best|none|TAG",
                        help="The run to compare with: the previous run, the best per problem, none, or a tag.")(f)


def _outputs(f: Callable[..., Any]) -> Callable[..., Any]:
    """``--json``, ``--junit`` and ``--html``, handed to the command as one ``outputs``."""
    return grouped("outputs", Outputs, json_option("the run, its items and its diff"),
                   click.option("--junit", "junit_path", type=click.Path(dir_okay=False, path_type=Path),
                                help="JUnit XML: one test case per problem."),
                   click.option("--html", "html_path", type=click.Path(dir_okay=False, path_type=Path),
                                help="HTML page: diff, items, trends."))(f)


def _workers(executor: str, scheduler: str | None, **values: Any) -> Any:
    """The library's Workers: ``local`` is its process pool; a scheduler address is for Dask only."""
    if scheduler and executor != "dask":
        raise click.UsageError("--scheduler needs --executor dask")
    return deferred("rtlgen.regress.api", "Workers")(executor="process" if executor == "local" else executor,
                                                     scheduler=scheduler, **values)


def _synthesis(ppa: bool, **values: Any) -> Target | None:
    """``--ppa`` with its liberty and clock: the Target regress() synthesizes onto (None: no PPA)."""
    return Target(**values) if ppa else None


@regress.command("run", hidden=True)
@click.argument("suites", nargs=-1, required=True)
@click.option("--candidates", default="ref", show_default=True,
              help="ref (each problem's reference), a folder of <problem>.v/.sv, generate (LLM) or optimize.")
@grouped("recording", deferred("rtlgen.regress.api", "Recording"), _store_option,
         click.option("--tag", default=None, help="A name for this run (usable as --baseline TAG later)."),
         click.option("--resume", is_flag=True,
                      help="Finish the newest interrupted run of these suites (recorded items are kept)."),
         _baseline_option, _rules_option)
@grouped("workers", _workers,
         click.option("--executor", type=click.Choice(EXECUTOR_CHOICES), default="local", show_default=True,
                      help="local: process pool on this machine; dask: a Dask cluster (LocalCluster unless "
                           "--scheduler)."),
         click.option("--scheduler", default=None, metavar="ADDRESS",
                      help="An existing Dask scheduler, e.g. tcp://host:8786."),
         jobs_option("Items at once (workers)."), timeout_option(DEFAULT_TIMEOUT, "Outer timeout per problem (s)."))
@grouped("selection", deferred("rtlgen.regress.api", "Selection"),
         click.option("--only", default=None, metavar="PATTERN",
                      help="Problems to run: comma-separated globs or substrings."),
         click.option("--limit", type=click.IntRange(min=1), default=None,
                      help="At most this many problems per suite."),
         checks_option(None, f"Checks to run (repeat or comma-separate) [default: {','.join(CHECKS)}; realworld: "
                             "lint,formal].", multiple=True, callback=_checks))
@grouped("synth", _synthesis,
         click.option("--ppa", is_flag=True, help="Synthesize verified candidates: area, delay and power per item."),
         liberty_option("For --ppa."), clock_period_option(), power_engine_option())
@grouped("sampling", deferred("rtlgen.generate.api", "Sampling"), seed_option(), simulator_option(),
         samples_option("--candidates generate: "), rounds_option("--candidates generate: "))
@llm_options("base_url", "model", prefix="--candidates generate: ")
@_outputs
def run_cmd(suites: tuple[str, ...], candidates: str, recording: Recording, workers: Workers, selection: Selection,
            synth: Target | None, sampling: Sampling, llm: LlmSettings, outputs: Outputs) -> None:
    from rtlgen.regress.api import regress as run_regress  # noqa: PLC0415 - start-up cost, see the top

    console = Console(stderr=True)
    start = time.monotonic()

    def progress(item, n: int, total: int) -> None:
        style = _STYLE.get(item.status, "")
        console.print(f"[{n}/{total}] {item.suite}/{item.problem}: [{style}]{item.status}[/] "
                      f"({item.seconds:.1f} s, {time.monotonic() - start:.0f} s elapsed)", highlight=False)

    result = run_regress(list(suites), candidates, recording=recording, workers=workers, selection=selection,
                         sampling=sampling, synth=synth, llm=llm, progress=progress,
                         say=lambda msg: console.print(msg, highlight=False))
    _finish(result, outputs)


@regress.command()
@_store_option
@click.option("--run", "run_id", type=int, default=None, help="The run to report [default: the newest].")
@_outputs
@_rules_option
@_baseline_option
def report(store: Path, run_id: int | None, outputs: Outputs, rules: Path | None, baseline: str) -> None:
    """Report a recorded run again (diff, JSON, JUnit, HTML) without running anything; exits 1 on regressions."""
    from rtlgen.regress.api import result_of  # noqa: PLC0415 - start-up cost, see the top

    db = _existing(store)
    runs = db.runs()
    if not runs:
        raise click.ClickException(f"{store} holds no run yet")
    run = db.run(run_id) if run_id is not None else runs[-1]
    _finish(result_of(db, run, baseline, rules), outputs)


def _existing(store: Path) -> Store:
    if not store.is_file():
        raise click.BadParameter(f"{store} does not exist (a run creates it: rtlgen regress SUITE --store {store})",
                                 param_hint="--store")
    return Store(store)


def _finish(result: RegressResult, outputs: Outputs) -> None:
    """Print the items and the diff, write the requested files, exit 1 naming each regression."""
    emit_json(outputs.json_out, json.dumps(result.to_dict(), indent=2))
    if outputs.junit_path:
        from rtlgen.regress.junit import write_junit  # noqa: PLC0415 - it imports rtlgen.regress.api

        write_junit(result, outputs.junit_path)
    if outputs.html_path:
        from rtlgen.regress.html import write_html  # noqa: PLC0415 - matplotlib and pandas: ~0.6 s

        write_html(result, Store(result.store), outputs.html_path)
    console = Console(stderr=human_stream_is_stderr(outputs.json_out), width=None if sys.stdout.isatty() else 160)
    _print_items(console, result)
    counts = ", ".join(f"{n} {s}" for s, n in result.counts().items() if n)
    console.print(f"[bold]{result.run.label()}[/] recorded in {result.store}: {counts}; "
                  f"baseline: {result.diff.baseline}", highlight=False)
    for change in result.diff.changes:
        if not change.regression:
            console.print(f"[dim]{change}[/]", highlight=False)
    for change in result.regressions:
        console.print(f"[red]REGRESSION {change}[/]", highlight=False)
    if result.regressions:
        console.print(f"[red bold]{len(result.regressions)} regression(s)[/]")
        sys.exit(1)


def _print_items(console: Console, result: RegressResult) -> None:
    table = Table(title=f"rtlgen regress {result.run.label()}")
    for col in ("suite", "problem", "status", "lint", "autotb", "formal", "official", "area um2", "delay ns", "s"):
        table.add_column(col, justify="right" if col in ("area um2", "delay ns", "s") else "left")
    for item in result.items:
        r = item.record
        style = _STYLE.get(item.status, "")
        table.add_row(item.suite, item.problem, f"[{style}]{item.status}[/]", r.lint, r.autotb, r.formal, r.official,
                      "-" if r.area_um2 is None else f"{r.area_um2:.1f}",
                      "-" if r.delay_ns is None else f"{r.delay_ns:.3f}", f"{item.seconds:.1f}")
    console.print(table)


@regress.command()
@_store_option
@click.option("--problem", default=None, help="Only this problem.")
@click.option("--suite", default=None, help="Only this suite.")
@click.option("--metric", default=None, help="Pivot one column (e.g. area_um2, status, formal) to problem x run.")
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False, path_type=Path), help="Write the table as CSV.")
def history(store: Path, problem: str | None, suite: str | None, metric: str | None, csv_path: Path | None) -> None:
    """The recorded items over runs, as a table (pandas)."""
    table = _existing(store).table(problem=problem, suite=suite)
    if metric:
        if metric not in ITEM_COLUMNS:
            raise click.BadParameter(f"{metric!r} is not a recorded column; choose from {', '.join(ITEM_COLUMNS[1:])}",
                                     param_hint="--metric")
        table = table.pivot_table(index=["suite", "problem"], columns="run", values=metric, aggfunc="last")
        table.columns = [f"run {c}" for c in table.columns]
    else:
        table = table[["run", "tag", "suite", "problem", "status", "formal", "strength", "area_um2", "delay_ns",
                       "power_w", "seconds", "candidate_hash"]]
    if csv_path:
        table.to_csv(csv_path)
    if table.empty:
        click.echo("no recorded items match")
        return
    with_index = metric is not None
    click.echo(table.to_string(index=with_index, max_colwidth=40, na_rep="-", float_format=lambda v: f"{v:.6g}"))


@regress.group()
def rules() -> None:
    """Threshold rules per suite (YAML): show them, or tighten them from the best recorded results."""


@rules.command("show")
@_store_option
@click.option("--suite", required=True, help="The suite whose rules to show.")
@click.option("--rules", "rules_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="A rules file to show instead [default: rules-<suite>.yaml beside the store, else built-in].")
def rules_show(store: Path, suite: str, rules_file: Path | None) -> None:
    """Print the rules a run of SUITE is checked with (and the file they come from)."""
    db = _existing(store)
    path = rules_file or rules_path(db, suite)
    click.echo(f"# from {path if path.is_file() else 'built-in defaults (' + str(path) + ' does not exist yet)'}")
    click.echo(rules_for(db, suite, rules_file).to_yaml())


@rules.command("update")
@_store_option
@click.option("--suite", "suites", multiple=True, help="Suites to update [default: every suite in the store].")
@click.option("--rules", "rules_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write this file [default: rules-<suite>.yaml beside the store].")
@click.option("--margin", type=click.FloatRange(min=0), default=0.0, show_default=True,
              help="Headroom over the best value (0.01 = 1%).")
def rules_update(store: Path, suites: tuple[str, ...], rules_file: Path | None, margin: float) -> None:
    """Tighten per-design limits to the best recorded ok results (never loosens a limit)."""
    db = _existing(store)
    for suite, path, changes in update_rules(db, suites or None, rules_file, margin):
        click.echo(f"{suite}: {len(changes)} limit(s) tightened in {path}")
        for c in changes:
            before = "none" if c.before is None else f"{c.before:.6g}"
            click.echo(f"  {c.design} {c.metric} <= {c.after:.6g} (was {before})")
