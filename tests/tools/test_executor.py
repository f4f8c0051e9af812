"""The executor interface: every item yields one Outcome, errors are captured per item, never raised."""
from __future__ import annotations

import os
import signal
import threading
import time

import pytest

from rtlgen.errors import ItemFailed, ItemTimeout
from rtlgen.executor import EXECUTORS, Outcome, SerialExecutor, call_isolated, get_executor


def square_or_fail(x: int) -> tuple[int, int]:
    if x == 3:
        raise ValueError("three is bad")
    return x * x, os.getpid()


@pytest.mark.parametrize("name", ["serial", "process", "thread"])
def test_every_item_has_one_outcome_and_errors_stay_per_item(name: str) -> None:
    outcomes = list(get_executor(name, jobs=2).map(square_or_fail, range(6)))
    assert sorted(o.item for o in outcomes) == list(range(6))
    by_item = {o.item: o for o in outcomes}
    assert not by_item[3].ok and isinstance(by_item[3].error, ValueError) and "three" in str(by_item[3].error)
    assert by_item[3].result is None
    assert all(by_item[i].ok and by_item[i].result[0] == i * i for i in (0, 1, 2, 4, 5))


def test_process_pool_runs_in_other_processes() -> None:
    pids = {o.result[1] for o in get_executor("process", jobs=2).map(square_or_fail, [1, 2, 4, 5]) if o.ok}
    assert pids and os.getpid() not in pids


def test_single_job_process_pool_runs_serially_in_process() -> None:
    executor = get_executor("process", jobs=1)
    assert isinstance(executor, SerialExecutor)
    assert {o.result[1] for o in executor.map(square_or_fail, [1, 2])} == {os.getpid()}


def test_unknown_executor_lists_the_valid_names() -> None:
    with pytest.raises(ValueError, match="choose one of"):
        get_executor("cluster-of-dreams")
    assert set(EXECUTORS) == {"serial", "process", "thread", "dask"}


def test_outcome_ok_and_jobs_floor() -> None:
    assert Outcome(1, 2).ok and not Outcome(1, error=RuntimeError()).ok
    assert get_executor("thread", jobs=0).jobs == 1


def test_interrupted_thread_map_does_not_wait_for_running_items():
    """A signal while items run (SIGTERM in the CLI) leaves map at once: clean-up must not queue behind them."""
    release, finished = threading.Event(), []

    def slow(item: int) -> int:
        release.wait(30)
        finished.append(item)
        return item

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGUSR1, interrupt)
    timer = threading.Timer(0.2, os.kill, (os.getpid(), signal.SIGUSR1))
    try:
        timer.start()
        with pytest.raises(KeyboardInterrupt):
            list(get_executor("thread", 2).map(slow, [1, 2, 3]))
        assert finished == []  # left while both running items were still blocked
    finally:
        release.set()
        timer.cancel()
        signal.signal(signal.SIGUSR1, previous)


def pid_after(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()


def exit_with(code: int) -> None:
    os._exit(code)


def test_isolated_items_share_one_worker_process_that_is_not_the_caller() -> None:
    first, second = call_isolated(pid_after, 0, timeout=60), call_isolated(pid_after, 0, timeout=60)
    assert first == second != os.getpid()


def test_each_thread_gets_its_own_isolated_worker() -> None:
    pids = [o.result for o in get_executor("thread", 2).map(lambda _: call_isolated(pid_after, 1, timeout=60), [0, 1])]
    assert len(set(pids)) == 2 and os.getpid() not in pids


def test_an_isolated_item_that_runs_out_of_time_or_kills_its_worker_costs_only_itself() -> None:
    before = call_isolated(pid_after, 0, timeout=60)
    start = time.monotonic()
    with pytest.raises(ItemTimeout, match="within 0.5 s"):
        call_isolated(pid_after, 30, timeout=0.5)
    assert time.monotonic() - start < 10
    after_timeout = call_isolated(pid_after, 0, timeout=60)
    with pytest.raises(ItemFailed, match="exit code 3"):
        call_isolated(exit_with, 3, timeout=60)
    assert len({before, after_timeout, call_isolated(pid_after, 0, timeout=60)}) == 3


def test_an_isolated_items_exception_comes_back_with_its_traceback_and_the_worker_serves_on() -> None:
    before = call_isolated(pid_after, 0, timeout=60)
    with pytest.raises(ItemFailed, match="(?s)in square_or_fail.*ValueError: three is bad"):
        call_isolated(square_or_fail, 3, timeout=60)
    assert call_isolated(pid_after, 0, timeout=60) == before
