"""`rtlgen mutate`: write single-bug mutants of a design (to measure how many bugs a check catches)."""
from __future__ import annotations

from pathlib import Path
from textwrap import shorten

import click
from rich.console import Console
from rich.table import Table

from rtlgen.cli.options import claim_out, force_option, out_option, top_option
from rtlgen.spec.rtl_file import read_rtl
from rtlgen.verify.mutate import mutate as make_mutants
from rtlgen.verify.mutate import write_mutants


@click.command()
@click.argument("design", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-n", "count", type=click.IntRange(min=1), default=10, show_default=True, help="Number of mutants.")
@top_option("Top module (passed to iverilog -s when checking that mutants compile).")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed for picking mutation spots.")
@out_option("Folder for the mutants and mutants.json [default: <design>_mutants beside the design].",
            dest="out_dir", type=click.Path(file_okay=False, path_type=Path))
@force_option()
def mutate(design: Path, count: int, top: str | None, seed: int, out_dir: Path | None, force: bool) -> None:
    """Write COUNT compiling, distinct mutants of DESIGN (operator swaps, off-by-one constants,
    inverted conditions, swapped branches, wrong reset values), one bug each."""
    out = out_dir or design.parent / f"{design.stem}_mutants"
    folder = claim_out(out, "mutate", force)  # an earlier run's mutants never sit beside this run's
    mutants = make_mutants(read_rtl(design), count, seed=seed, top=top)
    paths = write_mutants(mutants, out, design.stem, design.suffix or ".v")
    folder.record(*paths, out / "mutants.json")
    table = Table(title=f"{len(mutants)} mutants of {design} in {out}")
    for col in ("file", "line", "operator", "original", "replacement"):
        table.add_column(col)
    for m, p in zip(mutants, paths):
        table.add_row(p.name, str(m.line), m.operator, shorten(m.original, 60), shorten(m.replacement, 60))
    Console().print(table)
    if len(mutants) < count:
        click.secho(f"only {len(mutants)} distinct compiling mutants exist (asked for {count})", fg="yellow", err=True)
