"""`rtlgen report`: a suite run as a self-contained HTML page."""
from __future__ import annotations

import click

from rtlgen.cli.options import out_option


@click.command()
@click.argument("results", type=click.Path(dir_okay=False))
@out_option("Where to write the HTML page.", file=True, default="report.html", show_default=True)
@click.option("--title", default=None, help="Page title (default: the results file name).")
def report(results: str, out: str, title: str | None) -> None:
    """Render RESULTS (the JSON written by `rtlgen bench --json`) as HTML with a sortable table and plots."""
    from rtlgen.report.html import write_report  # noqa: PLC0415 - pandas loads only for this command

    path = write_report(results, out, title)
    click.echo(f"wrote {path}")
