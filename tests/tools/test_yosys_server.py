"""The pyosys runner's libyosys server: each script in a fresh fork, as a worker process of its own would run it."""
from __future__ import annotations

import os
import re
import threading
import time
from pathlib import Path

import pytest

from rtlgen.errors import ToolTimeout
from rtlgen.tools.run import run
from rtlgen.tools.yosys import PyosysRunner
from rtlgen.tools.yosys_server import _SERVERS
from tests.tools.test_run import alive

GOOD = "module m(input a, input b, output y); assign y = a & ~b; endmodule\n"
BAD = "module m(input a, output b); assign b = a &;\nendmodule\n"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "good.v").write_text(GOOD)
    (tmp_path / "bad.v").write_text(BAD)
    for name in ("good", "bad"):
        (tmp_path / f"{name}.ys").write_text(f"read_verilog -sv {name}.v\nhierarchy -top m\nproc\nopt\nstat\n")
    return tmp_path


@pytest.mark.parametrize("log", ["out.log", None], ids=["log file", "stdout"])
def test_a_served_script_answers_as_its_own_worker_process_does(folder: Path, log: str | None):
    runner = PyosysRunner()
    for name in ("good", "bad"):
        alone = run(runner.command(f"{name}.ys", log), timeout=60, cwd=folder, check=False)
        alone_log = (folder / log).read_text() if log else ""
        served = runner.run(f"{name}.ys", folder, 60, log)
        assert (served.returncode, served.stdout, served.stderr) == (alone.returncode, alone.stdout, alone.stderr)
        assert (folder / log).read_text() == alone_log if log else served.stdout
    assert "syntax error" in (folder / log).read_text() if log else served.stderr


def test_each_script_starts_from_the_same_yosys_state(folder: Path):
    """Yosys numbers the cells it makes from a process-wide counter: equal names twice means a fresh process."""
    (folder / "cells.ys").write_text("read_verilog -sv good.v\nhierarchy -top m\ntechmap\nselect -list t:*\n")
    runner = PyosysRunner()
    names = []
    for _ in range(2):
        runner.run("cells.ys", folder, 60, log="cells.log")
        names.append(re.findall(r"\$auto\$\S+", (folder / "cells.log").read_text()) or ["(none)"])
    assert names[0] == names[1] != ["(none)"]


def test_one_server_per_thread_serves_every_script(folder: Path):
    runner = PyosysRunner()
    runner.run("good.ys", folder, 60)
    runner.run("good.ys", folder, 60)
    here = [key for key in _SERVERS if key[1] == threading.get_ident()]
    other = threading.Thread(target=runner.run, args=("good.ys", folder, 60))
    other.start()
    other.join()
    assert len(here) == 1 and len(_SERVERS) >= 2 and _SERVERS[here[0]].alive


def test_a_script_past_its_time_is_killed_with_its_group_and_the_server_serves_on(folder: Path):
    (folder / "sleeper.sh").write_text("echo $$ > sleeper.pid\nexec sleep 30\n")
    (folder / "slow.ys").write_text("read_verilog -sv good.v\ntee -q exec -- sh sleeper.sh\n")
    runner = PyosysRunner()
    start = time.monotonic()
    with pytest.raises(ToolTimeout, match="Yosys timed out after 1 s"):
        runner.run("slow.ys", folder, 1.0, log="slow.log")
    assert time.monotonic() - start < 10
    sleeper = int((folder / "sleeper.pid").read_text())
    deadline = time.monotonic() + 5
    while alive(sleeper) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(sleeper), "the script's own child survived the timeout"
    assert runner.run("good.ys", folder, 60).returncode == 0


def test_a_forked_child_dropping_the_callers_servers_leaves_them_working(folder: Path):
    """A process pool's worker forked from the caller starts its own server and drops the caller's objects; the
    caller's server must still answer (it kept its output files in a folder the dropped copy deleted)."""
    import multiprocessing  # noqa: PLC0415

    runner = PyosysRunner()
    assert runner.run("good.ys", folder, 60).returncode == 0
    child = multiprocessing.get_context("fork").Process(target=runner.run, args=("good.ys", folder, 60))
    child.start()
    child.join(60)
    served = runner.run("good.ys", folder, 60)
    assert served.returncode == 0 and "$and" in served.stdout, served.stderr


def test_a_served_script_sees_the_environment_of_the_call(folder: Path, monkeypatch):
    runner = PyosysRunner()
    runner.run("good.ys", folder, 60)  # the server starts with the environment as it is now
    monkeypatch.setenv("RTLGEN_TEST_MARK", "seen")
    (folder / "env.ys").write_text("!echo mark=$RTLGEN_TEST_MARK > env.txt\n")
    assert runner.run("env.ys", folder, 60).returncode == 0
    assert (folder / "env.txt").read_text().strip() == "mark=seen"


def test_threads_starting_servers_at_once_retire_each_ended_threads_server_once(monkeypatch):
    """Threads of an executor start their servers together; each stale entry is retired by exactly one of them."""
    from rtlgen.tools import yosys_server

    class Slow:
        """A server whose stop takes a while, so that another thread looks at the registry meanwhile."""
        stops = 0

        def __init__(self, command: list[str]) -> None:
            self.alive = True

        def stop(self) -> None:
            Slow.stops += 1
            time.sleep(0.05)

    monkeypatch.setattr(yosys_server, "YosysServer", Slow)
    monkeypatch.setattr(yosys_server, "_SERVERS", {})
    ended_threads = range(1, 5)  # no live thread has so small an ident
    yosys_server._SERVERS.update({(yosys_server.os.getpid(), ident): Slow([]) for ident in ended_threads})
    errors: list[BaseException] = []
    all_started = threading.Barrier(4)

    def start() -> None:
        try:
            yosys_server.server(["yosys"])
        except BaseException as error:  # noqa: BLE001 - the test reports what any thread raised
            errors.append(error)
        all_started.wait()  # a starter that ended would be retired by the others

    starters = [threading.Thread(target=start) for _ in range(4)]
    for thread in starters:
        thread.start()
    for thread in starters:
        thread.join()
    assert errors == [] and Slow.stops == 4
    assert set(yosys_server._SERVERS) == {(yosys_server.os.getpid(), t.ident) for t in starters}


def test_a_forked_child_lets_go_of_the_callers_server_so_it_ends_with_the_caller(folder: Path):
    """A server ends when its stdin's write end is closed everywhere; a worker forked from the caller must not keep
    a copy of it, or the caller's server outlives the caller as long as the worker runs."""
    import multiprocessing  # noqa: PLC0415

    runner = PyosysRunner()
    assert runner.run("good.ys", folder, 60).returncode == 0
    key = (os.getpid(), threading.get_ident())
    served = _SERVERS[key]
    context = multiprocessing.get_context("fork")
    release = context.Event()
    child = context.Process(target=release.wait, args=(60,))
    child.start()
    try:
        served.process.stdin.close()  # what the caller's end does to its side of the pipe
        served.process.wait(timeout=20)
    finally:
        release.set()
        child.join(60)
        _SERVERS.pop(key, None)
    assert served.process.returncode == 0
