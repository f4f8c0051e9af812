"""One interface for parallel work (many designs, many samples); a local process pool by default.

A distributed engine is another subclass of :class:`Executor`.
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
        with self.pool_class(max_workers=self.jobs) as pool:
            futures = {pool.submit(fn, item): item for item in items}
            for fut in cf.as_completed(futures):
                item = futures[fut]
                try:
                    yield Outcome(item, fut.result())
                except Exception as exc:  # noqa: BLE001 - reported per item
                    yield Outcome(item, error=exc)


class ProcessPoolExecutor(_PoolExecutor):
    """The default: each item in its own worker process, so a crash or leak stays there."""

    name = "process"
    pool_class = cf.ProcessPoolExecutor


class ThreadPoolExecutor(_PoolExecutor):
    """For I/O-bound work (LLM calls) where a process per item is wasteful."""

    name = "thread"
    pool_class = cf.ThreadPoolExecutor


EXECUTORS: dict[str, type[Executor]] = {cls.name: cls for cls in (SerialExecutor, ProcessPoolExecutor, ThreadPoolExecutor)}


def get_executor(name: str = "process", jobs: int = 1) -> Executor:
    """The executor called ``name``; ``jobs == 1`` with the process pool runs serially in-process."""
    if name not in EXECUTORS:
        raise ValueError(f"unknown executor '{name}'; choose one of {sorted(EXECUTORS)}")
    if name == "process" and jobs <= 1:
        return SerialExecutor(1)
    return EXECUTORS[name](jobs)
