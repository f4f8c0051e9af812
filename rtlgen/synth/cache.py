"""Result cache for synthesis: a report is stored under the content hash of everything that made it.

Key parts: design text and top, flow file text, liberty hash, clock, activity (VCD hash + scope),
script templates and tool versions. A hit costs one file read.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from rtlgen.config import cache_dir

CACHE_ENV = "RTLGEN_SYNTH_CACHE"  # "0" disables


def enabled() -> bool:
    return os.environ.get(CACHE_ENV, "1") != "0"


def cache_key(parts: dict[str, Any]) -> str:
    blob = json.dumps(parts, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


def _path(key: str) -> Path:
    return cache_dir() / "synth" / key[:2] / f"{key}.json"


def get(key: str) -> dict[str, Any] | None:
    path = _path(key)
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def put(key: str, data: dict[str, Any]) -> None:
    path = _path(key)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    tmp.write_text(json.dumps(data))
    os.replace(tmp, path)


def file_hash(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
