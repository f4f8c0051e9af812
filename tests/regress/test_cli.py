"""The regress command line: the nightly workflow's and the documented cron line's commands parse, bad input is exit 2."""
from __future__ import annotations

import re
import shlex
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from rtlgen.cli import cli
from rtlgen.cli.regress import run_cmd

ROOT = Path(__file__).resolve().parents[2]


def _regress_args(command: str) -> list[str]:
    """The arguments after `rtlgen regress` in a shell line, with variables and $(...) made literal."""
    command = re.sub(r"\$\(.*?\)", "2", command.replace("\\\n", " "))
    command = re.sub(r"\$\{?\w+\}?", "VAR", command)
    words = shlex.split(command)
    return words[words.index("regress") + 1:]


def _documented_commands() -> list[str]:
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "nightly.yml").read_text())
    steps = [s.get("run", "") for s in workflow["jobs"]["regress"]["steps"]]
    lines = [s for s in steps if "rtlgen regress" in s]
    doc = (ROOT / "docs" / "regress.md").read_text()
    lines += [line.split(" ", 5)[5] for line in doc.splitlines() if re.match(r"^[0-9*]+ [0-9*]+ .*rtlgen regress", line)]
    return lines


def test_the_nightly_workflow_and_cron_line_use_real_options() -> None:
    commands = _documented_commands()
    assert len(commands) == 2, commands
    for command in commands:
        args = _regress_args(command.split(">>")[0])
        ctx = run_cmd.make_context("run", args)  # raises on an unknown option or a bad value
        assert ctx.params["store"] and ctx.params["ppa"] and ctx.params["baseline"] == "last"


@pytest.mark.parametrize("args, message", [
    (["designs", "--store", "{tmp}/r.db", "--candidates", "{tmp}/nope"], "--candidates must be"),
    (["no-such-suite", "--store", "{tmp}/r.db"], "neither an alias"),
    (["designs", "--store", "{tmp}/r.db", "--scheduler", "tcp://x:8786"], "--scheduler needs --executor dask"),
])
def test_bad_input_is_exit_2_with_the_reason(tmp_path: Path, args: list[str], message: str,
                                             monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    from rtlgen.cli import main

    monkeypatch.setattr(sys, "argv", ["rtlgen", "regress", *[a.format(tmp=tmp_path) for a in args]])
    with pytest.raises(SystemExit) as exit_:
        main()
    assert exit_.value.code == 2
    assert message in capsys.readouterr().err


class _Called(Exception):
    """Raised by the stand-in regress() with the keywords the command passed it."""


def _regress_called_with(args: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict:
    from rtlgen.regress import api

    def called(*given, **kwargs):
        raise _Called(given, kwargs)

    monkeypatch.setattr(api, "regress", called)
    monkeypatch.delenv("RTLGEN_LIBERTY", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))  # no config file: no default liberty
    result = CliRunner().invoke(cli, ["regress", "run", *args])
    assert isinstance(result.exception, _Called), result.output
    given, kwargs = result.exception.args
    assert given == (["tiny"], "ref")
    return kwargs


def test_run_hands_regress_the_dataclasses_it_takes(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from rtlgen.generate.api import Sampling
    from rtlgen.regress.api import Recording, Selection, Workers
    from rtlgen.synth.target import Target

    given = _regress_called_with(
        ["tiny", "--store", "r.db", "--tag", "t", "--resume", "--baseline", "best", "--rules", "rules.yaml",
         "--executor", "dask", "--scheduler", "tcp://x:8786", "-j", "3", "--timeout", "5", "--only", "mux",
         "--limit", "2", "--checks", "lint", "--checks", "formal", "--ppa", "--clock-period", "4", "--seed", "7",
         "--simulator", "verilator", "-n", "2", "--rounds", "1"], monkeypatch, tmp_path)
    assert given["recording"] == Recording(Path("r.db"), "best", "t", True, Path("rules.yaml"))
    assert given["workers"] == Workers("dask", "tcp://x:8786", 3, 5.0)
    assert given["selection"] == Selection("mux", 2, ("lint", "formal"))
    assert given["synth"] == Target(liberty=None, clock_ns=4.0)
    assert given["sampling"] == Sampling(2, 1, 7, "verilator")

    defaults = _regress_called_with(["tiny", "--store", "r.db"], monkeypatch, tmp_path)
    assert defaults["recording"] == Recording(Path("r.db"))
    assert (defaults["workers"], defaults["selection"], defaults["sampling"]) == (Workers(), Selection(), Sampling())
    assert defaults["synth"] is None


def test_history_and_report_need_an_existing_store(tmp_path: Path) -> None:
    for sub in ("history", "report"):
        result = CliRunner().invoke(cli, ["regress", sub, "--store", str(tmp_path / "none.db")])
        assert result.exit_code == 2 and "does not exist" in result.output
