"""The Dask executor: a worker that dies mid-item gets the item retried once, then an error with the reason;
a regression run on a LocalCluster whose worker is killed mid-run loses nothing."""
from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import pytest

from rtlgen.executor import get_executor
from tests.regress.tiny import write_suite

psutil = pytest.importorskip("psutil")  # a dependency of dask.distributed


def _die_once(marker_dir: str, item: int) -> int:
    """Kill this worker the first time item 1 runs (an OOM kill, say); succeed on the retry."""
    marker = Path(marker_dir) / f"attempt-{item}-{os.getpid()}"
    marker.write_text("")
    if item == 1 and len(list(Path(marker_dir).glob(f"attempt-{item}-*"))) == 1:
        os.kill(os.getpid(), signal.SIGKILL)
    return item * 10


def _always_die(marker_dir: str, item: int) -> int:
    (Path(marker_dir) / f"attempt-{item}-{os.getpid()}").write_text("")
    if item == 1:
        os.kill(os.getpid(), signal.SIGKILL)
    return item * 10


@pytest.mark.slow
def test_a_dead_worker_s_item_is_retried_once_then_reported_with_the_reason(tmp_path: Path) -> None:
    import functools

    once, always = tmp_path / "once", tmp_path / "always"
    once.mkdir(), always.mkdir()
    outcomes = {o.item: o for o in get_executor("dask", 2).map(functools.partial(_die_once, str(once)), [0, 1, 2])}
    assert {i: o.result for i, o in outcomes.items()} == {0: 0, 1: 10, 2: 20}
    assert len(list(once.glob("attempt-1-*"))) == 2

    outcomes = {o.item: o for o in get_executor("dask", 2).map(functools.partial(_always_die, str(always)), [0, 1])}
    assert outcomes[0].ok and outcomes[0].result == 0
    assert not outcomes[1].ok and type(outcomes[1].error).__name__ == "KilledWorker"
    assert "died" in str(outcomes[1].error)
    assert len(list(always.glob("attempt-1-*"))) == 2  # the first try and exactly one retry


def _kill_a_busy_worker(stop: threading.Event, killed: list[int]) -> None:
    """SIGKILL the first Dask worker seen running a tool for an item (an item in flight): the tool's process is a
    child of the job's isolated worker, itself a child of the Dask worker (both spawned: ``spawn_main``)."""
    me = psutil.Process()
    while not stop.is_set() and not killed:
        for proc in me.children(recursive=True):
            try:
                spawned = [p for p in proc.parents() if "spawn_main" in " ".join(p.cmdline())]
                if len(spawned) >= 2 and "spawn_main" not in " ".join(proc.cmdline()):
                    worker = spawned[1]
                    worker.send_signal(signal.SIGKILL)
                    killed.append(worker.pid)
                    return
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                continue
        time.sleep(0.05)


@pytest.mark.sim
@pytest.mark.slow
def test_a_worker_killed_mid_run_loses_nothing(tmp_path: Path) -> None:
    import rtlgen
    from rtlgen.regress.api import Recording, Selection, Workers

    suite = write_suite(tmp_path / "tiny")
    stop, killed = threading.Event(), []
    killer = threading.Thread(target=_kill_a_busy_worker, args=(stop, killed), daemon=True)
    killer.start()
    try:
        result = rtlgen.regress(str(suite), recording=Recording(tmp_path / "r.db"),
                                selection=Selection(checks=("lint",)), workers=Workers("dask", jobs=2))
    finally:
        stop.set()
        killer.join()
    assert killed, "no worker was killed: the test did not exercise a lost worker"
    assert [(i.problem, i.status) for i in result.items] == [("adder", "ok"), ("counter", "ok"), ("mux", "ok")]
    assert result.run.complete and result.exit_code == 0
