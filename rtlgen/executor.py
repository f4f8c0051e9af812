"""One interface for parallel work (many designs, many samples); a local process pool by default.

``DaskExecutor`` spreads the same work over a Dask distributed cluster (a LocalCluster, or an
existing scheduler); items and ``fn`` are shipped by value, so they must not hold client-only paths.

``call_isolated`` runs one item in a worker process that outlives it (``IsolatedWorker``), so an item that hangs
or crashes costs only itself while the worker's imports are paid once per calling process, not per item.
"""
from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
import signal
import threading
import traceback
from abc import ABC, abstractmethod
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, Callable, Iterable, Iterator, TypeVar

from rtlgen.errors import ItemFailed, ItemTimeout

T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class Outcome:
    """The result of one item, or the error it raised (never lost, never re-raised mid-suite)."""

    item: Any
    result: Any = None
    error: BaseException | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


class Executor(ABC):
    name: str

    def __init__(self, jobs: int = 1) -> None:
        self.jobs = max(1, jobs)

    @abstractmethod
    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[Outcome]:
        """Yield one Outcome per item, in completion order. ``fn`` must be picklable."""


class SerialExecutor(Executor):
    name = "serial"

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[Outcome]:
        for item in items:
            try:
                yield Outcome(item, fn(item))
            except Exception as exc:  # noqa: BLE001 - reported per item
                yield Outcome(item, error=exc)


class _PoolExecutor(Executor):
    """Runs items on a concurrent.futures pool; subclasses choose the pool."""

    pool_class: type[cf.Executor]

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[Outcome]:
        """Outcomes as items finish. Interrupted (Ctrl-C, SIGTERM, the caller stops early), queued items are
        cancelled and running ones are not waited for, so the caller's clean-up (killing tools, stopping
        the local model server, which ends the calls in flight) runs at once."""
        pool = self.pool_class(max_workers=self.jobs)
        try:
            futures = {pool.submit(fn, item): item for item in items}
            for fut in cf.as_completed(futures):
                item = futures[fut]
                try:
                    yield Outcome(item, fut.result())
                except Exception as exc:  # noqa: BLE001 - reported per item
                    yield Outcome(item, error=exc)
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown(wait=True)


class ProcessPoolExecutor(_PoolExecutor):
    """The default: each item in its own worker process, so a crash or leak stays there."""

    name = "process"
    pool_class = cf.ProcessPoolExecutor


class ThreadPoolExecutor(_PoolExecutor):
    """For I/O-bound work (LLM calls) where a process per item is wasteful."""

    name = "thread"
    pool_class = cf.ThreadPoolExecutor


class DaskExecutor(Executor):
    """Items as Dask tasks: a LocalCluster of ``jobs`` single-threaded worker processes, or the cluster
    whose scheduler listens at ``scheduler`` (``tcp://host:8786``; then ``jobs`` is the cluster's business).

    A worker that dies mid-item (OOM kill, lost node) gets the item rescheduled ``retries`` times on
    another worker; after that the item's Outcome carries Dask's ``KilledWorker`` error naming the
    task and the last worker. ``retries`` applies to the LocalCluster started here; an existing
    cluster keeps its scheduler's ``distributed.scheduler.allowed-failures`` setting.
    """

    name = "dask"

    def __init__(self, jobs: int = 1, scheduler: str | None = None, retries: int = 1) -> None:
        super().__init__(jobs)
        self.scheduler = scheduler
        self.retries = retries

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[Outcome]:
        import dask  # noqa: PLC0415 - dask is heavy and only this executor needs it
        from dask.distributed import Client, LocalCluster, as_completed  # noqa: PLC0415

        items = list(items)
        if not items:
            return
        # non-daemonic workers: an item may start its own process pool (as the optimizer's stages do)
        with dask.config.set({"distributed.scheduler.allowed-failures": self.retries, "distributed.worker.daemon": False}):
            cluster = None if self.scheduler else LocalCluster(
                n_workers=self.jobs, threads_per_worker=1, processes=True, dashboard_address=None)
            try:
                with Client(self.scheduler or cluster) as client:
                    futures = client.map(fn, items, pure=False)
                    by_key = {fut.key: item for fut, item in zip(futures, items)}
                    for fut in as_completed(futures):
                        try:
                            yield Outcome(by_key[fut.key], fut.result())
                        except Exception as exc:  # noqa: BLE001 - reported per item (KilledWorker included)
                            yield Outcome(by_key[fut.key], error=exc)
            finally:
                if cluster is not None:
                    cluster.close()


class IsolatedWorker:
    """A child process that runs items one after another for the process that started it.

    Why: starting Python and importing rtlgen's verification stack costs about half a second of CPU, which a
    process per item paid again for every problem of a suite; this process pays it once. Each item is still
    kept apart from the caller: one that outlives its ``timeout`` has the worker killed (``ItemTimeout``), one
    that kills the worker (a crash in a native library) raises ``ItemFailed``; either way the next item gets a
    fresh worker. The worker is spawned (a clean interpreter, whatever threads the caller has) and daemonic, so
    it ends with its caller; it ignores Ctrl-C, which its caller handles by stopping it.
    """

    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child,), daemon=True, name="rtlgen-isolated-worker")
        self.process.start()
        child.close()

    @property
    def alive(self) -> bool:
        return self.process.is_alive()

    def call(self, fn: Callable[[T], R], item: T, timeout: float) -> R:
        """``fn(item)`` in the worker (both picklable); ``fn``'s own exception comes back as ``ItemFailed``."""
        try:
            self._conn.send((fn, item))
            if not self._conn.poll(timeout):
                self.stop()
                raise ItemTimeout(timeout)
            ok, value = self._conn.recv()
        except (EOFError, OSError):
            self.stop()
            raise ItemFailed(f"the worker process died (exit code {self.process.exitcode})") from None
        except BaseException:
            self.stop()
            raise
        if not ok:
            raise ItemFailed(value)
        return value

    def stop(self) -> None:
        """Kill the worker at once (never waits for the item it runs)."""
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self._conn.close()


def _serve(conn: Connection) -> None:
    """The worker's loop: items until the caller is gone; an item's exception is sent back as its traceback."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        while True:
            fn, item = conn.recv()
            try:
                answer = (True, fn(item))
            except Exception:  # noqa: BLE001 - reported to the caller, the worker serves on
                answer = (False, traceback.format_exc())
            conn.send(answer)
    except (EOFError, BrokenPipeError):  # the caller closed the pipe or died: nobody waits for an answer
        return


# One worker per calling process and thread (a forked child or another thread of the thread executor starts its own)
_WORKERS: dict[tuple[int, int], IsolatedWorker] = {}


def call_isolated(fn: Callable[[T], R], item: T, timeout: float) -> R:
    """``fn(item)`` in this thread's ``IsolatedWorker``, started on first use and again after a timeout or crash."""
    key = (os.getpid(), threading.get_ident())
    worker = _WORKERS.get(key)
    if worker is None or not worker.alive:
        worker = _WORKERS[key] = IsolatedWorker()
    return worker.call(fn, item, timeout)


EXECUTORS: dict[str, type[Executor]] = {
    cls.name: cls for cls in (SerialExecutor, ProcessPoolExecutor, ThreadPoolExecutor, DaskExecutor)}


def get_executor(name: str = "process", jobs: int = 1, scheduler: str | None = None) -> Executor:
    """The executor called ``name``; ``jobs == 1`` with the process pool runs serially in-process.

    ``scheduler`` (a Dask scheduler address) is only meaningful for ``dask``.
    """
    if name not in EXECUTORS:
        raise ValueError(f"unknown executor '{name}'; choose one of {sorted(EXECUTORS)}")
    if scheduler and name != "dask":
        raise ValueError(f"a scheduler address only applies to the dask executor, not '{name}'")
    if name == "dask":
        return DaskExecutor(jobs, scheduler)
    if name == "process" and jobs <= 1:
        return SerialExecutor(1)
    return EXECUTORS[name](jobs)
