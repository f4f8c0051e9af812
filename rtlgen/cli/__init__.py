"""The `rtlgen` command: thin click commands over the library API.

`rtlgen SPEC.md [...]` (a first argument that is not a command) runs the `run` command.
"""
from __future__ import annotations

import importlib
import logging
import sys
from pathlib import Path

import click

from rtlgen.cli.groups import DefaultCommandGroup
from rtlgen.errors import RtlgenError
from rtlgen.tools.run import unwind_on_sigterm

# (module, command attribute): each stage's commands live beside nothing else in rtlgen/cli/.
COMMANDS: list[tuple[str, str]] = [
    ("rtlgen.cli.doctor", "doctor"),
    ("rtlgen.cli.lint", "lint"),
    ("rtlgen.cli.verify", "verify"),
    ("rtlgen.cli.synth", "synth"),
    ("rtlgen.cli.pdk", "pdk"),
    ("rtlgen.cli.report", "report"),
    ("rtlgen.cli.mutate", "mutate"),
    ("rtlgen.cli.bench", "bench"),
    ("rtlgen.cli.optimize", "optimize"),
    ("rtlgen.cli.rules", "rules"),
    ("rtlgen.cli.regress", "regress"),
    ("rtlgen.cli.llm", "llm"),
    ("rtlgen.cli.run", "run"),
    ("rtlgen.cli.init", "init"),
    ("rtlgen.cli.cache", "cache"),
]


def _names_a_spec(word: str) -> bool:
    """A first word that is an existing file, or a path, names a spec for `run`."""
    return Path(word).is_file() or "/" in word or word.endswith(".md")


@click.group(cls=DefaultCommandGroup, takes=_names_a_spec, takes_what=" and no spec file of that name",
             context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="rtlgen")
@click.option("-v", "--verbose", count=True, help="Log tool commands (-v) and debug detail (-vv).")
def cli(verbose: int) -> None:
    """rtlgen: verified spec-to-RTL. Generate, verify, synthesize and optimize Verilog."""
    level = logging.WARNING - 10 * verbose
    logging.basicConfig(level=max(level, logging.DEBUG), format="%(levelname)s %(name)s: %(message)s")


for _module, _attr in COMMANDS:
    cli.add_command(getattr(importlib.import_module(_module), _attr))



def main() -> None:
    """Console entry point: errors become a one-paragraph message and a non-zero exit code."""
    unwind_on_sigterm()
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except RtlgenError as exc:
        click.secho(f"error: {exc}", fg="red", err=True)
        sys.exit(2)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
