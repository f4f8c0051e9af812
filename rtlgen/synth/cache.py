"""Result cache for synthesis: a report is stored under the content hash of everything that made it.

Key parts: design text and top, flow file text, liberty hash, clock, activity (VCD hash + scope),
script templates and tool versions. A hit costs one file read.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

from rtlgen.store import JsonStore, content_key

CACHE_ENV = "RTLGEN_SYNTH_CACHE"  # "0" disables


def enabled() -> bool:
    return os.environ.get(CACHE_ENV, "1") != "0"


def cache_key(parts: dict[str, Any]) -> str:
    return content_key(parts)


def get(key: str) -> dict[str, Any] | None:
    return JsonStore.part("synth").get(key)


def put(key: str, data: dict[str, Any]) -> None:
    JsonStore.part("synth").put(key, data)


def file_hash(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
