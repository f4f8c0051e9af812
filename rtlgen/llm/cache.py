"""On-disk cache of LLM replies keyed by the content of the request, so re-runs make no calls.

One JSON file per (endpoint, model, messages, parameters, sample index); writes go through a temp
file and an atomic rename, so concurrent threads and processes never see half-written entries.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from rtlgen.config import cache_dir
from rtlgen.store import JsonStore


def cache_key(base_url: str, model: str, messages: list[dict[str, str]], params: dict[str, Any], sample: int) -> str:
    """sha256 over everything that determines a reply; ``sample`` separates the n samples of one prompt."""
    payload = json.dumps({"base_url": base_url.rstrip("/"), "model": model, "messages": messages,
                          "params": params, "sample": sample}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


class CallCache(JsonStore):
    """Reply records stored as ``<dir>/<key[:2]>/<key>.json`` (the one JSON store, rtlgen.store)."""

    def __init__(self, directory: str | Path | None = None) -> None:
        super().__init__(Path(directory) if directory is not None else cache_dir() / "llm")
        self.dir.mkdir(parents=True, exist_ok=True)
