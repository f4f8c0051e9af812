"""`rtlgen verify FILE... --spec spec.md`: lint, auto testbench, formal and official checks on one file.

Exit codes: 0 pass, 1 fail (or nothing functional verified), 2 error (bad spec/candidate/tool).
A design the front end cannot read (syntax errors, missing modules, hierarchical references) is the
design under test failing, so it exits 1 with the problems at the user's file:line, before any check.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from rtlgen.cli import options
from rtlgen.cli.options import (GivenDesign, emit_json, human_stream_is_stderr, json_option, read_user_design,
                                seed_option, simulator_option, sources_options, timeout_option)
from rtlgen.cli.progress import stage_printer
from rtlgen.errors import DesignInputError
from rtlgen.verify.api import load_spec_argument, overall, verify as run_verify

_EXIT = {"pass": 0, "fail": 1, "unverified": 1, "error": 2}
_STYLE = {"pass": "green", "proven": "green", "fail": "red", "counterexample": "red", "error": "red",
          "absent": "dim", "inconclusive": "yellow"}


@click.command("verify")
@sources_options(top=False)
@click.option("--spec", "spec_arg", required=True,
              help="spec.md, or SUITE:PROBLEM from a benchmark (e.g. verilog-eval:Prob040_count10, rtllm:accu).")
@simulator_option()
@options.checks_option("lint,autotb,formal,official", "Comma-separated checks to run: lint, autotb, formal, official.")
@json_option("the full result")
@click.option("--keep", is_flag=True, help="Keep the run directory (testbenches, logs, waves) and print its path.")
@click.option("--waves", is_flag=True, help="Dump a VCD of the auto testbench (implies --keep).")
@seed_option()
@timeout_option(None, "Time limit of each check [default: simulation sized to the design and stimulus, lint 60, "
                "formal 120].")
@click.option("--workdir", type=click.Path(file_okay=False), help="Where run directories go [default: $RTLGEN_WORKDIR "
              "or the cache's runs/].")
def verify(design: GivenDesign, spec_arg: str, simulator: str, checks: str, json_out: str | None,
           keep: bool, waves: bool, seed: int, timeout: float | None, workdir: str | None) -> None:
    """Verify FILES (Verilog/SystemVerilog, or -f files.f) against --spec; exit 0 pass, 1 fail, 2 error."""
    spec = load_spec_argument(spec_arg)
    console = Console(highlight=False, stderr=human_stream_is_stderr(json_out))
    names = ", ".join(Path(f).name for f in design.sources.files)
    say = stage_printer(console)
    try:
        cand = read_user_design(design, say, top=spec.top).candidate  # verify's own lint check runs the linters
    except DesignInputError as exc:
        console.print(f"[bold red]FAIL[/] {escape(str(exc))}", soft_wrap=True)
        sys.exit(_EXIT["fail"])
    say("verify", f"{names} against {spec.label}: checks {checks}")
    wanted = tuple(c.strip() for c in checks.split(",") if c.strip())
    result = run_verify(cand, spec, simulator=simulator, checks=wanted, workdir=workdir, keep=keep, waves=waves,
                        seed=seed, timeout=timeout, progress=say)
    word = overall(result)
    table = Table(title=escape(f"rtlgen verify {names} against {spec.label} [{result.candidate_hash}]"))
    for col in ("check", "verdict", "strength", "failure class", "seconds"):
        table.add_column(col, no_wrap=True)
    for check in result.checks:
        style = _STYLE.get(check.verdict, "")
        table.add_row(check.check, f"[{style}]{check.verdict}[/]" if style else check.verdict, check.strength or "",
                      check.failure_class or "", f"{check.seconds:.2f}")
    console.print(table)
    for check in result.checks:
        if not check.passed and check.message:
            console.print(f"[bold]{check.check}[/]:", markup=True)
            # Tool messages carry file:line locations: never hard-wrap them (soft_wrap), or they cannot be searched.
            console.print(check.message, markup=False, soft_wrap=True)
        if check.mismatch and "first mismatch" not in check.message:
            console.print(check.mismatch.describe(), markup=False, soft_wrap=True)
    if result.disagreement:
        console.print(f"[bold red]{escape(result.disagreement)}[/]")
    colour = {"pass": "green", "unverified": "yellow"}.get(word, "red")
    console.print(f"[bold {colour}]{word.upper()}[/] in {result.seconds:.1f} s"
                  + (f", strongest evidence: {result.strength}" if result.strength else ""))
    kept = sorted({v for c in result.checks for v in c.artifacts.values()})
    if kept:
        console.print("kept:\n" + "\n".join(f"  {a}" for a in kept), markup=False, soft_wrap=True)
    emit_json(json_out, json.dumps({**result.to_dict(), "overall": word}, indent=2, default=str))
    sys.exit(_EXIT[word])  # the CLI layer picks the exit code; the library never exits
