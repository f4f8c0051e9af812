"""Output folders that never mix runs: every command that writes a folder claims it here first.

A folder rtlgen writes holds a manifest (``MANIFEST``) naming the entries rtlgen put there. Claiming the
folder for a new run removes exactly those entries, so nothing of an earlier run survives into the next
(a VERIFIED folder holding a failed run's ``golden_model.py``; a ``--rtl`` run beside an earlier LLM run's
``transcript.jsonl``). Anything else in the folder is the user's: rtlgen refuses such a folder unless told
``--force``, and even then it keeps those entries untouched (and remembers them, so the next run needs no
``--force``). Names are recorded before they are written, so a run that dies half-way still leaves a folder
the next run can clean. A generation run's folder without a manifest is read by its ``summary.json``, which
lists the files that run wrote.
"""
from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rtlgen.errors import ConfigError
from rtlgen.spec.rtl_file import escape_sv_keywords

MANIFEST = ".rtlgen-outputs.json"
RUN_SUMMARY = "summary.json"  # a generation run's record, written last (rtlgen.generate.outputs)
_SHOWN = 5  # foreign entries named in the refusal


@dataclass(frozen=True)
class OutputFolder:
    """A claimed output folder: ``record`` each entry before writing it."""

    path: Path
    command: str

    def record(self, *paths: str | Path) -> None:
        """Mark ``paths`` (in this folder, at any depth; relative to it or absolute) as this run's: their top-level
        entries join the manifest. Creates the folder: a run that writes nothing leaves nothing behind."""
        self.path.mkdir(parents=True, exist_ok=True)
        manifest = _read_manifest(self.path)
        names = {self._entry(Path(p)) for p in paths}
        _write_manifest(self.path, self.command, set(manifest["files"]) | names, set(manifest["kept"]))

    def _entry(self, path: Path) -> str:
        """The top-level entry of this folder that ``path`` (inside it, or relative to it) lies in."""
        try:
            return path.relative_to(self.path).parts[0]
        except ValueError:
            if path.is_absolute():
                return path.resolve().relative_to(self.path.resolve()).parts[0]
            return path.parts[0]


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _read_manifest(path: Path) -> dict[str, list[str]]:
    """The manifest's lists. A folder without one may hold a generation run written before manifests existed:
    its ``summary.json`` lists every file that run wrote. Anything unreadable counts as nothing of rtlgen's."""
    data = _read_json(path / MANIFEST)
    if not data and (path / RUN_SUMMARY).is_file():
        listed = _read_json(path / RUN_SUMMARY).get("files", [])
        names = {Path(n).parts[0] for n in listed if isinstance(n, str) and n} if isinstance(listed, list) else set()
        data = {"files": sorted(names | {RUN_SUMMARY}) if names else []}
    return {key: [str(n) for n in data.get(key, []) if isinstance(n, str)] for key in ("files", "kept")}


def _write_manifest(path: Path, command: str, files: set[str], kept: set[str]) -> None:
    manifest = {"command": command, "files": sorted(files), "kept": sorted(kept)}
    (path / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


def _remove(entry: Path) -> None:
    if entry.is_dir() and not entry.is_symlink():
        shutil.rmtree(entry)
    elif entry.exists() or entry.is_symlink():
        entry.unlink()


def claim(path: str | Path, command: str, *, force: bool = False) -> OutputFolder:
    """Make ``path`` ready for a fresh run of ``command``: remove what an earlier rtlgen run wrote there;
    refuse (``ConfigError``, exit 2) a folder holding anything else, unless ``force`` (then it is kept).
    Claiming again before anything is recorded changes nothing; a folder that does not exist is not created."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise ConfigError(f"output folder '{path}' is a file; give a folder path with --out")
    folder = OutputFolder(path, command)
    if not path.exists():
        return folder
    manifest = _read_manifest(path)
    known = set(manifest["files"]) | set(manifest["kept"]) | {MANIFEST}
    foreign = sorted(e.name for e in path.iterdir() if e.name not in known)
    if foreign and not force:
        shown = ", ".join(foreign[:_SHOWN]) + (f" and {len(foreign) - _SHOWN} more" if len(foreign) > _SHOWN else "")
        raise ConfigError(f"output folder '{path}' holds files rtlgen did not write ({shown}); give an empty or new "
                          "folder with --out, or pass --force to write there anyway (rtlgen then keeps those files "
                          "and replaces only what it wrote itself)")
    for name in set(manifest["files"]) - set(manifest["kept"]) - {"", ".", ".."}:
        _remove(path / name)
    _write_manifest(path, command, set(), set(manifest["kept"]) | set(foreign))
    return folder


def rtl_file_name(top: str, rtl: str) -> str:
    """``<top>.sv`` for a design that uses SystemVerilog keywords (``logic``, ``always_ff``, ``typedef``...),
    else ``<top>.v``: a ``.v`` file is Verilog-2005, where those words are plain names
    (``rtl_file.escape_sv_keywords``); the extension says the language, so reading it back needs no guess."""
    return f"{top}.sv" if escape_sv_keywords(rtl) != rtl else f"{top}.v"
