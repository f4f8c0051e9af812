"""On-disk cache of LLM replies keyed by the content of the request, so re-runs make no calls.

One JSON file per (endpoint, model, messages, parameters, sample index); writes go through a temp
file and an atomic rename, so concurrent threads and processes never see half-written entries.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from rtlgen.config import cache_dir


def cache_key(base_url: str, model: str, messages: list[dict[str, str]], params: dict[str, Any], sample: int) -> str:
    """sha256 over everything that determines a reply; ``sample`` separates the n samples of one prompt."""
    payload = json.dumps({"base_url": base_url.rstrip("/"), "model": model, "messages": messages,
                          "params": params, "sample": sample}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


class CallCache:
    """Reply records stored as ``<dir>/<key[:2]>/<key>.json``."""

    def __init__(self, directory: str | Path | None = None) -> None:
        self.dir = Path(directory) if directory is not None else cache_dir() / "llm"
        self.dir.mkdir(parents=True, exist_ok=True)

    def _path(self, key: str) -> Path:
        return self.dir / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict[str, Any] | None:
        """The stored record, or None when absent or unreadable (a corrupt entry is a miss)."""
        try:
            return json.loads(self._path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def put(self, key: str, record: dict[str, Any]) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(record, fh, ensure_ascii=False, indent=1)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def __len__(self) -> int:
        return sum(1 for _ in self.dir.glob("*/*.json"))
