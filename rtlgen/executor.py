"""One interface for parallel work (many designs, many samples); a local process pool by default.

``DaskExecutor`` spreads the same work over a Dask distributed cluster (a LocalCluster, or an
existing scheduler); items and ``fn`` are shipped by value, so they must not hold client-only paths.
"""
from __future__ import annotations

import concurrent.futures as cf
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator, TypeVar

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
