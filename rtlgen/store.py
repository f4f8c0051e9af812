"""The one on-disk store: atomic writes, keyed JSON caches, and the cache folder's parts (sizes, cleaning).

Every cache of rtlgen (LLM replies, synthesis results, decompressed liberties, run folders) lives in
``rtlgen.config.cache_dir()`` under one of ``CACHE_PARTS``, and every file rtlgen writes that another
process may read at the same time is written with ``atomic_write`` (temp file + ``os.replace``).
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from rtlgen.config import cache_dir

# part -> what it holds (shown by `rtlgen cache info`)
CACHE_PARTS: dict[str, str] = {
    "runs": "kept verify/synth run folders (--keep, generate outputs' work dirs)",
    "bench": "bench worker requests (removed after each problem)",
    "llm": "LLM replies keyed by endpoint, model, messages and parameters",
    "synth": "synthesis reports keyed by design, flow, liberty, clock and tool versions",
    "liberty": "decompressed liberty files and their parsed cell data",
    "pdk": "liberty files downloaded by `rtlgen pdk fetch` (kept by `clean` unless --all)",
    "models": "local LLM weights (kept by `clean` unless --all)",
    "other": "anything else in the cache folder",
}
DOWNLOADS = ("pdk", "models")


def atomic_write(path: str | Path, data: str | bytes) -> Path:
    """Write ``data`` to ``path`` so readers see the old file or the whole new one, never a part.

    The temp file is created with mode 0666 less the umask, as ``open(path, "w")`` would (``tempfile.mkstemp``
    makes it 0600, which the rename would carry to a user's output file)."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.parent / f".tmp-{target.name}.{uuid.uuid4().hex}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode() if isinstance(data, str) else data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


class JsonStore:
    """JSON values under ``<directory>/<key[:2]>/<key>.json``; a missing or unreadable entry is a miss.

    Safe across threads and processes: writes are atomic, so a reader sees a whole entry or none.
    """

    def __init__(self, directory: str | Path) -> None:
        self.dir = Path(directory)

    @classmethod
    def part(cls, name: str) -> "JsonStore":
        """The store of cache part ``name`` (one of ``CACHE_PARTS``)."""
        return cls(cache_dir() / name)

    def path(self, key: str) -> Path:
        return self.dir / key[:2] / f"{key}.json"

    def get(self, key: str) -> Any:
        try:
            return json.loads(self.path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def put(self, key: str, value: Any) -> None:
        atomic_write(self.path(key), json.dumps(value, ensure_ascii=False, indent=1))

    def __len__(self) -> int:
        return sum(1 for _ in self.dir.glob("*/*.json"))


def content_key(parts: Any) -> str:
    """SHA-256 of a JSON-able value, keys sorted: the key of everything that made a cached result."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True, separators=(",", ":"), default=str).encode()).hexdigest()


def human_size(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} GB"


@dataclass(frozen=True)
class CachePart:
    name: str
    files: int
    bytes: int
    what: str

    @property
    def size_text(self) -> str:
        return human_size(self.bytes)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _entries(root: Path, part: str) -> list[Path]:
    if part != "other":
        return [root / part] if (root / part).exists() else []
    return [p for p in root.iterdir() if p.name not in CACHE_PARTS]


def _usage(paths: list[Path]) -> tuple[int, int]:
    """Regular files and their bytes under ``paths``. Other processes make and remove run folders meanwhile: a
    folder or file gone before it is read is not counted (``os.walk`` passes over a folder it cannot list)."""
    files = size = 0
    for path in paths:
        for folder, _, names in os.walk(path) if path.is_dir() else [(path.parent, [], [path.name])]:
            for name in names:
                try:
                    found = os.lstat(os.path.join(folder, name))
                except FileNotFoundError:
                    continue
                if stat.S_ISREG(found.st_mode):
                    files += 1
                    size += found.st_size
    return files, size


def cache_usage() -> tuple[Path, list[CachePart]]:
    """The cache folder and each part's file count and size."""
    root = cache_dir()
    parts = []
    for name, what in CACHE_PARTS.items():
        files, size = _usage(_entries(root, name))
        parts.append(CachePart(name, files, size, what))
    return root, parts


def clean_cache(parts: "tuple[str, ...] | list[str] | None" = None, *, keep_downloads: bool = True) -> tuple[int, list[str]]:
    """Delete ``parts`` (default: all, less the downloads when ``keep_downloads``); returns (bytes freed, parts)."""
    root = cache_dir()
    chosen = list(parts) if parts else [p for p in CACHE_PARTS if not (keep_downloads and p in DOWNLOADS)]
    freed, removed = 0, []
    for name in chosen:
        paths = _entries(root, name)
        size = _usage(paths)[1]
        for path in paths:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
        if paths:
            freed += size
            removed.append(name)
    return freed, removed
