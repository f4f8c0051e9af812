"""`rtlgen report`: any JSON rtlgen writes as a self-contained HTML page."""
from __future__ import annotations

import click

from rtlgen.cli.options import out_option


@click.command()
@click.argument("results", type=click.Path(dir_okay=False))
@out_option("Where to write the HTML page.", file=True, default="report.html", show_default=True)
@click.option("--title", default=None, help="Page title (default: the results file name).")
def report(results: str, out: str, title: str | None) -> None:
    """Render RESULTS (any JSON rtlgen writes: bench, bench --optimize, regress, synth, optimize, run, verify)
    as HTML with a sortable table and plots."""
    from rtlgen.report.html import write_report  # noqa: PLC0415 - pandas, matplotlib: ~230 ms at every CLI start

    path, kind = write_report(results, out, title)
    click.echo(f"wrote {path} from {results}: {kind.label}")
