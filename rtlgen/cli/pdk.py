"""`rtlgen pdk fetch NAME`: download a public liberty into the user cache (checksum-checked)."""
from __future__ import annotations

import click

from rtlgen.synth.pdk import PDKS, fetch_pdk


@click.group("pdk")
def pdk() -> None:
    """Standard-cell libraries (liberty files) for synthesis."""


@pdk.command("fetch")
@click.argument("name", type=click.Choice(sorted(PDKS)))
@click.option("--timeout", type=float, default=10.0, show_default=True, help="Network timeout in seconds.")
def fetch(name: str, timeout: float) -> None:
    """Download NAME's typical-corner liberty and check its SHA-256; then use `--liberty NAME`."""
    path = fetch_pdk(name, timeout=timeout)
    click.echo(f"{PDKS[name].description}\n{path}")


@pdk.command("list")
def list_() -> None:
    """List the liberty files `rtlgen pdk fetch` knows."""
    for spec in PDKS.values():
        click.echo(f"{spec.name:10s} {spec.description}\n{'':10s} {spec.url}")
