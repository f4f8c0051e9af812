"""`rtlgen cache info|clean`: what rtlgen keeps on disk (runs, LLM replies, synthesis results...) and freeing it."""
from __future__ import annotations

import json

import click
from rich.console import Console
from rich.table import Table

from rtlgen.cli.options import emit_json, json_option
from rtlgen.store import CACHE_PARTS, CachePart, cache_usage, clean_cache, human_size


@click.group("cache")
def cache() -> None:
    """Show and free rtlgen's cache folder ($RTLGEN_CACHE, default ~/.cache/rtlgen)."""


@cache.command("info")
@json_option("the sizes")
def info(json_out: str | None) -> None:
    """Size of each part of the cache."""
    root, parts = cache_usage()
    emit_json(json_out, json.dumps({"root": str(root), "parts": [p.to_dict() for p in parts]}, indent=2))
    if json_out == "-":
        return
    table = Table(title=f"rtlgen cache: {root}")
    for col, justify in (("part", "left"), ("files", "right"), ("size", "right"), ("what", "left")):
        table.add_column(col, justify=justify)  # type: ignore[arg-type]
    for p in parts:
        table.add_row(p.name, str(p.files), p.size_text, p.what)
    table.add_row("[bold]total", str(sum(p.files for p in parts)), _total(parts), "")
    Console(highlight=False).print(table)


def _total(parts: list[CachePart]) -> str:
    return human_size(sum(p.bytes for p in parts))


@cache.command("clean")
@click.argument("parts", nargs=-1)
@click.option("--all", "everything", is_flag=True, help="Also delete downloaded PDK liberties (pdk).")
def clean(parts: tuple[str, ...], everything: bool) -> None:
    """Delete PARTS of the cache (default: all but the downloaded PDK liberties)."""
    unknown = sorted(set(parts) - set(CACHE_PARTS))
    if unknown:
        raise click.BadParameter(f"unknown part(s) {', '.join(unknown)}; choose from {', '.join(CACHE_PARTS)}",
                                 param_hint="PARTS")
    freed, removed = clean_cache(parts or None, keep_downloads=not everything)
    click.echo(f"freed {human_size(freed)} ({', '.join(removed) or 'nothing to remove'})")
