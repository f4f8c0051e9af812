"""The `rtlgen` command: thin click commands over the library API.

`rtlgen SPEC.md [...]` (a first argument that is not a command) runs the `run` command.
"""
from __future__ import annotations

import importlib
import logging
import sys

import click

from rtlgen.errors import RtlgenError

# (module, command attribute): each stage's commands live beside nothing else in rtlgen/cli/.
COMMANDS: list[tuple[str, str]] = [
    ("rtlgen.cli.doctor", "doctor"),
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
]


class DefaultToRunGroup(click.Group):
    """A group where an unknown first word is taken as the spec for `run`."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and not args[0].startswith("-") and "run" in self.commands:
            args = ["run", *args]
        return super().parse_args(ctx, args)


@click.group(cls=DefaultToRunGroup, context_settings={"help_option_names": ["-h", "--help"]})
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
