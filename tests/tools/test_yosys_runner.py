"""The one Yosys runner: selection, the bad-name error, and the worker's log file (like ``yosys -q -l``)."""
from __future__ import annotations

from pathlib import Path

import pytest

from rtlgen.errors import ConfigError
from rtlgen.tools.run import run
from rtlgen.tools.yosys import RUNNER_ENV, CliRunner, PyosysRunner, get_runner


def test_runner_comes_from_the_environment_and_a_bad_name_lists_the_choices(monkeypatch):
    monkeypatch.delenv(RUNNER_ENV, raising=False)
    assert isinstance(get_runner(), PyosysRunner)
    monkeypatch.setenv(RUNNER_ENV, "cli")
    assert isinstance(get_runner(), CliRunner)
    monkeypatch.setenv(RUNNER_ENV, "vivado")
    with pytest.raises(ConfigError, match=r"unknown Yosys runner 'vivado' .*choose one of cli, pyosys"):
        get_runner()


@pytest.mark.parametrize("runner", [PyosysRunner(), CliRunner()], ids=["pyosys", "cli"])
def test_log_file_holds_the_whole_log_and_the_error_line(tmp_path: Path, runner):
    (tmp_path / "good.v").write_text("module m(input a, output b); assign b = ~a; endmodule\n")
    (tmp_path / "bad.v").write_text("module m(input a, output b); assign b = a &;\nendmodule\n")
    for name in ("good", "bad"):
        (tmp_path / f"{name}.ys").write_text(f"read_verilog -sv {name}.v\nhierarchy -top m\nproc\nstat\n")
    good = run(runner.command("good.ys", log="good.log"), timeout=60, cwd=tmp_path, check=False)
    bad = run(runner.command("bad.ys", log="bad.log"), timeout=60, cwd=tmp_path, check=False)
    assert good.returncode == 0 and "$not" in (tmp_path / "good.log").read_text()
    assert "$not" not in good.output  # quiet: the log went to the file
    assert bad.returncode != 0 and "bad.v:1: ERROR: syntax error" in (tmp_path / "bad.log").read_text()
