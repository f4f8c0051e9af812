"""`rtlgen doctor`: what tools are here, against tools.lock, and how to fix what is not."""
from __future__ import annotations

import json
import tempfile
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from rtlgen.cli.options import emit_json, json_option
from rtlgen.tools import check_tools
from rtlgen.verify.simulators import Verilator

#: seconds the runtime compile may take on a loaded 2-core machine (~20 s of CPU)
PREPARE_TIMEOUT_S = 600


@click.command()
@json_option("the findings")
@click.option("--prepare", is_flag=True,
              help="also compile Verilator's runtime objects into the cache (make setup does), so that the first "
                   "verification does not")
def doctor(json_out: str | None, prepare: bool) -> None:
    """Check the external tools against tools.lock; exit 1 when a required tool is missing."""
    statuses = check_tools()
    emit_json(json_out, json.dumps([s.as_dict() for s in statuses], indent=2))
    if json_out != "-":
        table = Table(title="rtlgen doctor (versions pinned in tools.lock)")
        for col in ("tool", "found", "tools.lock", "path", "status"):
            table.add_column(col)
        for s in statuses:
            colour = "red" if s.required else "yellow"
            status = "[green]ok" if s.ok else f"[{colour}]{s.problem}\n  fix: {s.fix}"
            table.add_row(s.name, s.version or "-", s.wanted or "-", s.path or "-", status)
        Console().print(table)
    missing = [s.name for s in statuses if s.required and s.version is None]
    if missing:
        raise click.ClickException(f"required tool(s) missing: {', '.join(missing)}")
    if prepare:
        with tempfile.TemporaryDirectory(prefix="rtlgen_doctor_") as workdir:
            runtime = Verilator().prepare_runtime(Path(workdir), timeout=PREPARE_TIMEOUT_S)
        click.echo(f"Verilator's runtime objects: {runtime}", err=json_out == "-")
