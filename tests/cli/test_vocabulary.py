"""One CLI vocabulary: every registered command's options agree with rtlgen/cli/options.py CANONICAL."""
from __future__ import annotations

import click
import pytest

from rtlgen.cli import cli
from rtlgen.cli.options import CANONICAL, FORBIDDEN


def _commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found = []
    for name, command in sorted(group.commands.items()):
        found.append((f"{prefix}{name}", command))
        if isinstance(command, click.Group):
            found += _commands(command, f"{prefix}{name} ")
    return found


COMMANDS = _commands(cli)
_BY_DECL = {decl: canonical for canonical in CANONICAL.values() for decl in canonical.decls}


def test_every_command_is_walked() -> None:
    names = {n for n, _ in COMMANDS}
    assert {"run", "verify", "synth", "bench", "report", "pdk", "doctor", "mutate", "init", "cache"} <= names


def test_every_command_that_synthesizes_chooses_its_power_engine() -> None:
    """A command with ``--liberty`` builds a Target, so it also takes ``--power-engine`` (who prices its power)."""
    synthesizing = [(name, {decl for param in command.params for decl in param.opts}) for name, command in COMMANDS]
    synthesizing = [(name, flags) for name, flags in synthesizing if "--liberty" in flags]
    assert {"synth", "optimize", "bench", "regress run", "run"} <= {name for name, _ in synthesizing}
    assert [name for name, flags in synthesizing if "--power-engine" not in flags] == []


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[n for n, _ in COMMANDS])
def test_options_follow_the_vocabulary(name: str, command: click.Command) -> None:
    problems = []
    for param in command.params:
        if not isinstance(param, click.Option):
            continue
        decls = [*param.opts, *param.secondary_opts]
        if not param.hidden:
            problems += [f"{d} (say {FORBIDDEN[d]})" for d in decls if d in FORBIDDEN]
            if not param.help:
                problems.append(f"{'/'.join(decls)} has no help text")
        canon = next((_BY_DECL[d] for d in decls if d in _BY_DECL), None)
        if canon is None:
            continue
        if sorted(param.opts) != sorted(canon.decls):
            problems.append(f"{'/'.join(decls)} is spelled {canon.decls} everywhere else")
        if param.is_flag != canon.flag:
            problems.append(f"{'/'.join(decls)} must {'be' if canon.flag else 'take a value, not be'} a flag")
        if canon.decls[-1] == "--json" and not isinstance(param.type, click.Path):
            problems.append("--json takes a FILE ('-' = stdout)")
        if canon.decls[-1] == "--json" and not getattr(param.type, "allow_dash", False):
            problems.append("--json FILE must accept '-' for stdout")
    assert not problems, f"rtlgen {name}: " + "; ".join(problems)


def test_json_dash_is_stdout_everywhere(tmp_path, monkeypatch) -> None:
    """`--json -` prints JSON on stdout (and nothing else there) for a cheap command of each kind."""
    import json  # noqa: PLC0415

    from click.testing import CliRunner  # noqa: PLC0415

    monkeypatch.setenv("RTLGEN_CACHE", str(tmp_path / "cache"))
    result = CliRunner().invoke(cli, ["cache", "info", "--json", "-"])
    assert result.exit_code == 0 and json.loads(result.stdout)["root"] == str(tmp_path / "cache")
