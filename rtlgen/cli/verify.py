"""`rtlgen verify CANDIDATE.v --spec spec.md`: lint, auto testbench, formal and official checks on one file.

Exit codes: 0 pass, 1 fail (or nothing functional verified), 2 error (bad spec/candidate/tool).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

_EXIT = {"pass": 0, "fail": 1, "unverified": 1, "error": 2}
_STYLE = {"pass": "green", "proven": "green", "fail": "red", "counterexample": "red", "error": "red",
          "absent": "dim", "inconclusive": "yellow"}


@click.command("verify")
@click.argument("candidate", type=click.Path(dir_okay=False))
@click.option("--spec", "spec_arg", required=True,
              help="spec.md, or SUITE:PROBLEM from a benchmark (e.g. verilog-eval:Prob040_count10, rtllm:accu).")
@click.option("--simulator", type=click.Choice(["icarus", "verilator"]), default="icarus", show_default=True,
              help="Simulator for the auto-generated testbench.")
@click.option("--checks", default="lint,autotb,formal,official", show_default=True,
              help="Comma-separated checks to run: lint, autotb, formal, official.")
@click.option("--json", "json_file", type=click.Path(dir_okay=False), help="Also write the full result as JSON here.")
@click.option("--keep", is_flag=True, help="Keep the run directory (testbenches, logs, waves) and print its path.")
@click.option("--waves", is_flag=True, help="Dump a VCD of the auto testbench (implies --keep).")
@click.option("--seed", type=int, default=1, show_default=True, help="Auto testbench stimulus seed.")
@click.option("--workdir", type=click.Path(file_okay=False), help="Where run directories go [default: $RTLGEN_WORKDIR "
              "or the cache's runs/].")
def verify(candidate: str, spec_arg: str, simulator: str, checks: str, json_file: str | None,
           keep: bool, waves: bool, seed: int, workdir: str | None) -> None:
    """Verify CANDIDATE (a Verilog file) against --spec; exit 0 pass, 1 fail, 2 error."""
    from rtlgen.errors import ConfigError
    from rtlgen.spec.model import Candidate
    from rtlgen.verify.api import load_spec_argument, overall
    from rtlgen.verify.api import verify as run_verify

    path = Path(candidate)
    if not path.is_file():
        raise ConfigError(f"candidate file '{candidate}' does not exist")
    spec = load_spec_argument(spec_arg)
    try:
        cand = Candidate(rtl=path.read_text(encoding="utf-8"), top=spec.top, origin=str(path))
    except UnicodeDecodeError as exc:
        raise ConfigError(f"candidate file '{candidate}' is not UTF-8 text ({exc.reason}); give a Verilog source file") from exc
    wanted = tuple(c.strip() for c in checks.split(",") if c.strip())
    result = run_verify(cand, spec, simulator=simulator, checks=wanted, workdir=workdir, keep=keep, waves=waves, seed=seed)
    word = overall(result)
    console = Console(highlight=False)
    table = Table(title=escape(f"rtlgen verify {path.name} against {spec.label} [{result.candidate_hash}]"))
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
            console.print(check.message, markup=False)
        if check.mismatch and "first mismatch" not in check.message:
            console.print(check.mismatch.describe(), markup=False)
    colour = {"pass": "green", "unverified": "yellow"}.get(word, "red")
    console.print(f"[bold {colour}]{word.upper()}[/] in {result.seconds:.1f} s"
                  + (f", strongest evidence: {result.strength}" if result.strength else ""))
    kept = sorted({v for c in result.checks for v in c.artifacts.values()})
    if kept:
        console.print("kept:\n" + "\n".join(f"  {a}" for a in kept), markup=False)
    if json_file:
        Path(json_file).write_text(json.dumps({**result.to_dict(), "overall": word}, indent=2, default=str))
    sys.exit(_EXIT[word])  # the CLI layer picks the exit code; the library never exits
