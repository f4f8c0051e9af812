"""Where a running local model server is published: ``<cache>/llm-server.json`` (pid, port, model).

``rtlgen llm serve`` writes it once its model answers (``rtlgen.llm.local.llama_process``), and other
commands read it (``rtlgen.llm.local.launcher``) to use that server instead of starting their own. A record
whose pid is gone, or that cannot be read, is stale and is removed on read.
"""
from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from rtlgen.config import cache_dir


@dataclass(frozen=True)
class ServerRecord:
    """Where a running local server listens and what it serves."""

    pid: int
    port: int
    model: str  # LocalModel.key
    alias: str
    threads: int
    slots: int
    started: float

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "ServerRecord":
        return cls(**{k: data[k] for k in cls.__dataclass_fields__})


def record_path() -> Path:
    return cache_dir() / "llm-server.json"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def answers(port: int, timeout: float = 2.0) -> bool:
    """The server on ``port`` is up and its model loaded (llama.cpp's /health says 200 only then)."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=timeout) as resp:
            return resp.status == 200
    except (urllib.error.URLError, OSError, ValueError):
        return False


def read_record() -> ServerRecord | None:
    """The running ``rtlgen llm serve`` server, or None (a stale record is deleted)."""
    path = record_path()
    try:
        record = ServerRecord.from_dict(json.loads(path.read_text()))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        path.unlink(missing_ok=True)
        return None
    alive = _alive(record.pid)
    if alive and answers(record.port):
        return record
    if not alive:
        path.unlink(missing_ok=True)
    return None


__all__ = ["ServerRecord", "answers", "read_record", "record_path"]
