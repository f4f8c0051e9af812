"""Result caches for synthesis, both under the content hash of everything that made them.

Reports: design text and top, flow file text, liberty hash, clock, activity (VCD hash + scope), script templates and
tool versions. A hit costs one file read.

Mapped runs: the same key parts less the activity. Power is priced per stimulus on one mapped netlist, so a design
measured under several activities (the optimizer's input: simulated and vectorless) goes through Yosys once; a hit
costs the timing and power analysis only.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from rtlgen.config import cache_dir
from rtlgen.store import JsonStore, content_key

CACHE_ENV = "RTLGEN_SYNTH_CACHE"  # "0" disables
MAPPED_DIR = "mapped"             # mapped runs, one folder each, inside the "synth" cache part
MAPPED_RUN_FILE = "run.json"      # written last: a folder with it is complete


def enabled() -> bool:
    return os.environ.get(CACHE_ENV, "1") != "0"


def cache_key(parts: dict[str, Any]) -> str:
    return content_key(parts)


def get(key: str) -> dict[str, Any] | None:
    return JsonStore.part("synth").get(key)


def put(key: str, data: dict[str, Any]) -> None:
    JsonStore.part("synth").put(key, data)


def _mapped_folder(key: str) -> Path:
    return cache_dir() / "synth" / MAPPED_DIR / key[:2] / key


def get_mapped(key: str, into: Path) -> dict[str, Any] | None:
    """The data stored with mapped run ``key``, its files copied into ``into``; None when it is not stored whole."""
    folder = _mapped_folder(key)
    try:
        data = json.loads((folder / MAPPED_RUN_FILE).read_text(encoding="utf-8"))
        for name in data["files"]:
            with gzip.open(folder / f"{name}.gz", "rb") as stored:
                (into / name).write_bytes(stored.read())
    except (OSError, ValueError, KeyError, EOFError):  # a partly deleted or corrupt entry is a miss
        return None
    return data


def put_mapped(key: str, data: dict[str, Any], files: list[Path]) -> None:
    """Store ``data`` and ``files`` (compressed) as mapped run ``key``.

    The folder is filled under a temporary name and renamed into place, so a reader sees it whole or not at all;
    when another process stored the same run first, its copy stays."""
    folder = _mapped_folder(key)
    if folder.is_dir():
        return
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=folder.parent))
    try:
        for path in files:
            with gzip.open(tmp / f"{path.name}.gz", "wb", compresslevel=1) as stored:
                stored.write(path.read_bytes())
        (tmp / MAPPED_RUN_FILE).write_text(json.dumps({**data, "files": [p.name for p in files]}), encoding="utf-8")
        os.rename(tmp, folder)
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)


def file_hash(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
