"""Progress that shows everywhere: a rich bar on a terminal, plain lines in CI logs and pipes.

Plain mode prints one line per finished item (``[3/62] Prob003_x: pass (4.1 s elapsed)``) and one
per stage, flushed at once, so a CI log shows progress while the run goes on.
"""
from __future__ import annotations

import time
from types import TracebackType
from typing import Callable

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn


class ItemProgress:
    """``with ItemProgress(console, "bench", total) as p: p.done(name, status_markup)``."""

    def __init__(self, console: Console, label: str, total: int, *, plain: bool | None = None) -> None:
        self.console = console
        self.label = label
        self.total = total
        self.plain = (not console.is_terminal) if plain is None else plain
        self.count = 0
        self.start = time.monotonic()
        self._bar: Progress | None = None
        self._task = None

    def __enter__(self) -> "ItemProgress":
        self.start = time.monotonic()
        if not self.plain:
            self._bar = Progress(TextColumn(f"[bold]{escape(self.label)}"), BarColumn(), MofNCompleteColumn(),
                                 TimeElapsedColumn(), TextColumn("{task.description}"), console=self.console)
            self._bar.__enter__()
            self._task = self._bar.add_task("", total=self.total)
        return self

    def done(self, name: str, status: str = "") -> None:
        """One item finished; ``status`` may hold rich markup."""
        self.count += 1
        text = f"{escape(name)}: {status}" if status else escape(name)
        if self._bar is not None:
            self._bar.update(self._task, advance=1, description=text)
        else:
            elapsed = time.monotonic() - self.start
            self.console.print(f"{self.label} [{self.count}/{self.total}] {text} ({elapsed:.1f} s elapsed)",
                               highlight=False, soft_wrap=True)
            self.console.file.flush()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._bar is not None:
            self._bar.__exit__(exc_type, exc, tb)


def stage_printer(console: Console, styles: dict[str, str] | None = None,
                  budget_s: float | None = None) -> Callable[[str, str], None]:
    """A ``progress(stage, message)`` callback printing ``stage  message (t s)`` lines, on any stream;
    with ``budget_s``, ``(t/budget s)``: the elapsed time against a whole-run time budget."""
    start = time.monotonic()
    styles = styles or {}
    of = f"/{budget_s:g}" if budget_s else ""

    def say(stage: str, message: str) -> None:
        elapsed = time.monotonic() - start
        console.print(f"[bold {styles.get(stage, 'white')}]{stage:>9}[/] {escape(message)} "
                      f"[dim]({elapsed:.1f}{of} s)[/]", highlight=False, soft_wrap=True)
        console.file.flush()

    return say
