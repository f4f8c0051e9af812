"""sources_options hands a command the user's design sources as one resolved value."""
from __future__ import annotations

from pathlib import Path

import click
from click.testing import CliRunner

from rtlgen.cli.options import GivenDesign, sources_options


def _command(top: bool) -> tuple[click.Command, list[GivenDesign]]:
    seen: list[GivenDesign] = []

    @click.command()
    @sources_options(top=top)
    def command(design: GivenDesign) -> None:
        seen.append(design)
    return command, seen


def test_the_command_gets_the_resolved_sources_and_top(tmp_path: Path) -> None:
    (tmp_path / "a.v").write_text("module a; endmodule\n")
    command, seen = _command(top=True)
    result = CliRunner().invoke(command, [str(tmp_path / "a.v"), "-D", "W=4", "-P", "N=2", "--top", "a"])
    assert result.exit_code == 0, result.output
    assert seen == [GivenDesign(seen[0].sources, "a")]
    assert seen[0].sources.files == (str((tmp_path / "a.v").resolve()),)
    assert seen[0].sources.defines == (("W", "4"),) and seen[0].sources.params == (("N", "2"),)


def test_without_top_there_is_no_top_option(tmp_path: Path) -> None:
    (tmp_path / "a.v").write_text("module a; endmodule\n")
    command, seen = _command(top=False)
    assert CliRunner().invoke(command, [str(tmp_path / "a.v"), "--top", "a"]).exit_code == 2
    assert CliRunner().invoke(command, [str(tmp_path / "a.v")]).exit_code == 0
    assert seen[0].top is None


def test_bad_sources_are_a_usage_error_before_the_command_runs(tmp_path: Path) -> None:
    command, seen = _command(top=True)
    result = CliRunner().invoke(command, [str(tmp_path / "missing.v")])
    assert result.exit_code == 2 and seen == []
