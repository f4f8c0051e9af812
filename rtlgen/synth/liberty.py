"""Liberty files: find one (argument, env, config file), validate it, read what synthesis needs.

Where a name is looked up (``find_liberty``), in this order:
1. an existing file path (absolute, or relative to the working directory; ``~`` expanded);
2. a PDK name (``sky130``, ``nangate45``) or a bare file name (``sky130hd_tt.lib.gz``) in each folder of
   ``$RTLGEN_LIBERTY_PATH`` (``os.pathsep``-separated), then ``<benchmarks>/liberty`` (``$RTLGEN_BENCHMARKS``,
   default ``../shared/benchmarks`` beside the checkout), then the cache's ``pdk/`` (``rtlgen pdk fetch``).
Only when all of these miss does the error suggest ``rtlgen pdk fetch`` (which needs the internet).

A ``.lib.gz`` is decompressed once into the cache, keyed by the file's content hash, so every
tool reads a plain file. Liberty files are never copied into the project. The result is a typed
``Liberty`` (path + content hash computed once) that callers pass down instead of the raw name.
"""
from __future__ import annotations

import difflib
import fnmatch
import gzip
import hashlib
import json
import os
import re
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import yaml

from rtlgen.config import benchmarks_dir, cache_dir
from rtlgen.errors import ConfigError
from rtlgen.store import atomic_write
from rtlgen.synth.cache import file_hash
from rtlgen.synth.pdk import PDKS

ENV_VAR = "RTLGEN_LIBERTY"
PATH_ENV = "RTLGEN_LIBERTY_PATH"
PARSE_VERSION = 5
DONT_USE_FILE = Path(__file__).resolve().parent / "dont_use.yaml"  # package data
FIX = ("pass --liberty PATH, set RTLGEN_LIBERTY, put `liberty: PATH` in ~/.config/rtlgen/config.yaml, "
       "or run `rtlgen pdk fetch sky130`")

_LIBRARY = re.compile(r'^\s*library\s*\(\s*"?([^")\s]+)"?\s*\)', re.MULTILINE)
_CELL = re.compile(r'\bcell\s*\(\s*"?([^")\s]+)"?\s*\)\s*\{')
_AREA = re.compile(r'\barea\s*:\s*([0-9.eE+-]+)')
_PIN = re.compile(r'\bpin\s*\(\s*"?([^")\s]+)"?\s*\)')
_FUNCTION = re.compile(r'\bfunction\s*:\s*"([^"]*)"')
_SEQ = re.compile(r'\b(ff|latch|ff_bank|latch_bank|statetable)\s*\(')
_CLOCK = re.compile(r'\b(?:clocked_on|enable)\s*:\s*"!?\(?\s*([A-Za-z_]\w*)')
_FF = re.compile(r'\bff\s*\(\s*"?(\w+)"?\s*,\s*"?(\w+)"?\s*\)\s*\{([^}]*)\}')
_NEXT_STATE = re.compile(r'\bnext_state\s*:\s*"\s*([A-Za-z_]\w*)\s*"')
_GATE_FLAG = re.compile(r'\bclock_gate_(clock|enable|test|out)_pin\s*:\s*"?true"?')
_GATE_KIND = re.compile(r'\bclock_gating_integrated_cell\s*:\s*"?latch_(posedge|negedge)')
_CLOCKED_ON = re.compile(r'\bclocked_on\s*:\s*"\s*(!?)\s*\(?\s*[A-Za-z_]\w*\s*\)?\s*"')


class LibertyError(ConfigError):
    """A liberty file is missing, unreadable or not a liberty library; names the file and the fix."""


@dataclass(frozen=True)
class ClockGate:
    """An integrated clock-gating cell (``clock_gating_integrated_cell``): ``output`` follows ``clock`` on the cycles
    where ``enable`` was 1 at the ``edge``; ``test`` pins (scan test enable) force it on."""

    clock: str
    output: str
    enable: str
    test: tuple[str, ...]
    edge: str  # "posedge" (latch_posedge*: an AND gate after the latch) or "negedge"


@dataclass(frozen=True)
class FlopPins:
    """A flip-flop whose next state is one data pin: where it reads it, which output pins give the state, and the
    clock edge it captures on."""

    data: str
    state: tuple[str, ...]
    edge: str  # "posedge" or "negedge"


@dataclass(frozen=True)
class CellInfo:
    area: float
    sequential: bool = False
    clock_pins: tuple[str, ...] = ()
    clock_gate: ClockGate | None = None
    flop: FlopPins | None = None

    @classmethod
    def from_dict(cls, data: dict) -> "CellInfo":
        gate, flop = data.get("clock_gate"), data.get("flop")
        return cls(data["area"], data["sequential"], tuple(data["clock_pins"]),
                   ClockGate(**{**gate, "test": tuple(gate["test"])}) if gate else None,
                   FlopPins(**{**flop, "state": tuple(flop["state"])}) if flop else None)


@dataclass(frozen=True)
class DontUse:
    """Cells synthesis must not map onto: ``lists`` names where the patterns came from (an entry of
    ``dont_use.yaml``, ``--dont-use``), ``patterns`` are fnmatch patterns over cell names."""

    lists: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()

    def excluded(self, cells: Iterable[str]) -> list[str]:
        """The names among ``cells`` that a pattern matches, sorted."""
        return sorted(c for c in cells if any(fnmatch.fnmatchcase(c, p) for p in self.patterns))

    def absent(self, cells: Iterable[str]) -> list[str]:
        """The patterns that match none of ``cells``, in order."""
        names = list(cells)
        return [p for p in self.patterns if not any(fnmatch.fnmatchcase(c, p) for c in names)]

    def plus(self, patterns: Sequence[str], origin: str) -> "DontUse":
        """These patterns added (as list ``origin``); the same value when there is nothing new."""
        new = tuple(p for p in dict.fromkeys(patterns) if p not in self.patterns)
        return DontUse((*self.lists, origin), (*self.patterns, *new)) if new else self

    @classmethod
    def from_dict(cls, data: dict) -> "DontUse":
        return cls(tuple(data["lists"]), tuple(data["patterns"]))


@lru_cache(maxsize=1)
def _dont_use_table() -> dict[str, dict]:
    return yaml.safe_load(DONT_USE_FILE.read_text())


def default_dont_use(library: str) -> DontUse:
    """The ``dont_use.yaml`` entry whose ``library`` pattern matches the liberty's library name (none: empty)."""
    for key, entry in _dont_use_table().items():
        if fnmatch.fnmatchcase(library, entry["library"]):
            return DontUse((key,), tuple(entry["cells"]))
    return DontUse()


@dataclass(frozen=True)
class Liberty:
    """A validated liberty library: where it came from, its hash, the plain file tools read, and the cells
    synthesis keeps out of (``dont_use``: mapping reads ``mapping_path``, a copy without them)."""

    name: str
    path: str
    sha256: str
    plain_path: str
    cells: dict[str, CellInfo] = field(default_factory=dict, compare=False, repr=False)
    tie_hi: tuple[str, str] | None = None
    tie_lo: tuple[str, str] | None = None
    dont_use: DontUse = DontUse()

    @property
    def excluded_cells(self) -> list[str]:
        """The liberty's cells that ``dont_use`` keeps synthesis off."""
        return self.dont_use.excluded(self.cells)

    def with_dont_use(self, patterns: Sequence[str], origin: str = "--dont-use") -> "Liberty":
        """This liberty with ``patterns`` added to its dont-use list; a pattern that matches no cell is a typo,
        refused (LibertyError)."""
        absent = DontUse((), tuple(patterns)).absent(self.cells)
        if absent:
            raise LibertyError(f"dont-use pattern {absent[0]!r} matches no cell of the liberty {self.name}; cell "
                               f"names look like {', '.join(sorted(self.cells)[:3])} (globs: * and ?)")
        return replace(self, dont_use=self.dont_use.plus(patterns, origin))

    @property
    def mapping_path(self) -> str:
        """The liberty file flows map onto: the plain file without the dont-use cells (written once to the
        cache, keyed by the liberty's hash and the excluded cells), or the plain file when none is excluded."""
        excluded = self.excluded_cells
        if not excluded:
            return self.plain_path
        key = hashlib.sha256("\n".join(excluded).encode()).hexdigest()[:16]
        target = cache_dir() / "liberty" / f"{self.sha256}-without-{key}.lib"
        if not target.is_file():
            text = Path(self.plain_path).read_text(errors="replace")
            atomic_write(target, _without_cells(text, set(excluded)).encode())
        return str(target)

    def describe(self) -> dict:
        """The JSON form recorded in a SynthReport; ``patterns_absent`` are the dont-use patterns that match no cell
        of this liberty (a shared list names cells some versions of the library lack), so none is counted."""
        return {"name": self.name, "path": self.path, "sha256": self.sha256,
                "dont_use": {"lists": list(self.dont_use.lists), "patterns": list(self.dont_use.patterns),
                             "cells_excluded": len(self.excluded_cells),
                             "patterns_absent": self.dont_use.absent(self.cells)}}

    @property
    def label(self) -> str:
        """What a summary line prints: the library name and the file it came from."""
        return f"{self.name} ({Path(self.path).name})"

    def __str__(self) -> str:
        return self.label

    def __fspath__(self) -> str:
        """The liberty file it was resolved from, so ``Path(liberty)`` and ``open(liberty)`` work."""
        return self.path

    def to_dict(self) -> dict:
        """Everything, so a worker process rebuilds the value without re-hashing or re-parsing the file."""
        return {**asdict(self), "tie_hi": list(self.tie_hi) if self.tie_hi else None,
                "tie_lo": list(self.tie_lo) if self.tie_lo else None}

    @classmethod
    def from_dict(cls, data: dict) -> "Liberty":
        cells = {k: CellInfo.from_dict(v) for k, v in data["cells"].items()}
        return cls(data["name"], data["path"], data["sha256"], data["plain_path"], cells,
                   tuple(data["tie_hi"]) if data.get("tie_hi") else None,
                   tuple(data["tie_lo"]) if data.get("tie_lo") else None,
                   DontUse.from_dict(data["dont_use"]) if data.get("dont_use") else DontUse())


def _config_file() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "rtlgen" / "config.yaml"


def _from_config() -> str | None:
    path = _config_file()
    if not path.is_file():
        return None
    try:
        data = yaml.safe_load(path.read_text()) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML ({exc}); fix or remove the file") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping with key 'liberty'")
    value = data.get("liberty")
    if value is not None and not isinstance(value, str):
        raise ConfigError(f"{path}: key 'liberty' must be a path string, got {type(value).__name__}")
    return value


def liberty_source(explicit: str | None = None) -> tuple[str | None, str]:
    """The liberty path to use and where it was found (argument, env, config); (None, 'none') if nowhere."""
    if explicit:
        return explicit, "argument"
    if os.environ.get(ENV_VAR):
        return os.environ[ENV_VAR], f"env {ENV_VAR}"
    value = _from_config()
    if value:
        return value, f"config {_config_file()}"
    return None, "none"


def search_dirs() -> list[Path]:
    """Folders searched for a PDK name or a bare liberty file name, in order (see the module docstring)."""
    dirs = [Path(d).expanduser() for d in os.environ.get(PATH_ENV, "").split(os.pathsep) if d]
    bench = benchmarks_dir(required=False)
    if bench is not None:
        dirs.append(bench / "liberty")
    dirs.append(cache_dir() / "pdk")
    return dirs


def find_liberty(value: str | os.PathLike) -> Path:
    """The liberty file meant by ``value``: a path, a PDK name or a bare file name (see the module docstring)."""
    text = str(value)
    given = Path(text).expanduser()
    if given.is_file():
        return given.resolve()
    names = [PDKS[text].filename] if text in PDKS else []
    if given.name == text:  # a bare name: look in the liberty folders
        names.append(text)
    dirs = search_dirs()
    for folder in dirs:
        for name in names:
            if (folder / name).is_file():
                return (folder / name).resolve()
    where = ", ".join(str(d) for d in dirs)
    if text in PDKS:
        raise LibertyError(f"liberty '{text}' ({PDKS[text].filename}) is in none of {where}; set RTLGEN_BENCHMARKS "
                           f"or {PATH_ENV} to the folder holding it, or run `rtlgen pdk fetch {text}` (needs internet)")
    looked = f" (looked in the working directory and {where})" if names else ""
    close = _close_names(text, dirs, set(PDKS)) if names else []
    hint = f" (did you mean {' or '.join(close)}?)" if close else ""
    raise LibertyError(f"liberty file not found: {given}{looked}{hint}; {FIX}")


def _close_names(text: str, dirs: list[Path], pdk_names: set[str]) -> list[str]:
    """PDK names and liberty files in ``dirs`` that look like ``text`` (``sky130hd`` -> ``sky130``)."""
    files = {f.name for d in dirs if d.is_dir() for f in d.iterdir() if ".lib" in f.name}
    known = sorted(pdk_names | files)
    prefixed = [n for n in known if n.startswith(text) or text.startswith(n)]
    return prefixed or difflib.get_close_matches(text, known, n=3, cutoff=0.6)


def _plain_file(path: Path, digest: str) -> Path:
    """A decompressed copy in the cache for .gz files; the file itself otherwise."""
    with path.open("rb") as fh:
        gzipped = fh.read(2) == b"\x1f\x8b"
    if not gzipped:
        return path
    target = cache_dir() / "liberty" / f"{digest}.lib"
    if target.is_file():
        return target
    try:
        with gzip.open(path, "rb") as src:
            data = src.read()
    except (OSError, EOFError, zlib.error) as exc:
        raise LibertyError(f"liberty file {path} is a corrupt gzip file ({exc}); re-download it, or {FIX}") from exc
    return atomic_write(target, data)


def _pins(body: str) -> list[tuple[str, str]]:
    """(name, text up to the next pin) of each pin group of a cell body."""
    found = list(_PIN.finditer(body))
    return [(p.group(1), body[p.end(): found[j + 1].start() if j + 1 < len(found) else len(body)])
            for j, p in enumerate(found)]


def _clock_gate(body: str, pins: list[tuple[str, str]]) -> ClockGate | None:
    kind = _GATE_KIND.search(body)
    roles: dict[str, list[str]] = {}
    for name, text in pins:
        for role in _GATE_FLAG.findall(text):
            roles.setdefault(role, []).append(name)
    if not kind or any(len(roles.get(role, [])) != 1 for role in ("clock", "out", "enable")):
        return None
    return ClockGate(roles["clock"][0], roles["out"][0], roles["enable"][0], tuple(roles.get("test", [])),
                     kind.group(1))


def _flop(body: str, pins: list[tuple[str, str]]) -> FlopPins | None:
    """The pins of a single-bit flip-flop whose next state is a plain data pin (not a scan mux or a bank)."""
    ff = _FF.search(body)
    data = _NEXT_STATE.search(ff.group(3)) if ff else None
    clocked_on = _CLOCKED_ON.search(ff.group(3)) if ff else None
    if not ff or not data or not clocked_on:
        return None
    functions = {name: fn.group(1).replace(" ", "") for name, text in pins if (fn := _FUNCTION.search(text))}
    state = tuple(name for name, function in functions.items() if function == ff.group(1))
    return FlopPins(data.group(1), state, "negedge" if clocked_on.group(1) else "posedge") if state else None


def _parse_cells(text: str) -> dict[str, CellInfo]:
    cells: dict[str, CellInfo] = {}
    starts = list(_CELL.finditer(text))
    for i, m in enumerate(starts):
        body = text[m.end(): starts[i + 1].start() if i + 1 < len(starts) else len(text)]
        area = _AREA.search(body)
        seq = bool(_SEQ.search(body))
        clocks = tuple(dict.fromkeys(_CLOCK.findall(body))) if seq else ()
        pins = _pins(body)
        cells[m.group(1)] = CellInfo(float(area.group(1)) if area else 0.0, seq, clocks,
                                     _clock_gate(body, pins) if seq else None, _flop(body, pins) if seq else None)
    return cells


def _tie_cells(text: str) -> tuple[tuple[str, str] | None, tuple[str, str] | None]:
    """(cell, pin) of the smallest usable constant-1 and constant-0 drivers, for hilomap."""
    found: dict[str, list[tuple[float, str, str]]] = {"1": [], "0": []}
    starts = list(_CELL.finditer(text))
    for i, m in enumerate(starts):
        body = text[m.end(): starts[i + 1].start() if i + 1 < len(starts) else len(text)]
        if '"1"' not in body and '"0"' not in body:
            continue
        for pin, pbody in _pins(body):
            fn = _FUNCTION.search(pbody)
            if fn and fn.group(1).strip() in ("1", "0"):
                area = _AREA.search(body)
                found[fn.group(1).strip()].append((float(area.group(1)) if area else 0.0, m.group(1), pin))
    pick = {k: (min(v)[1], min(v)[2]) if v else None for k, v in found.items()}
    return pick["1"], pick["0"]


def _without_cells(text: str, names: set[str]) -> str:
    """Liberty ``text`` with the ``cell (NAME) { ... }`` groups of ``names`` cut out (braces matched)."""
    kept, end = [], 0
    for m in _CELL.finditer(text):
        if m.group(1) not in names or m.start() < end:
            continue
        depth, i = 1, m.end()
        while depth and i < len(text):
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            i += 1
        kept.append(text[end:m.start()])
        end = i
    return "".join(kept) + text[end:]


def _read_info(plain: Path, digest: str, origin: Path) -> dict:
    info_file = cache_dir() / "liberty" / f"{digest}.info.json"
    if info_file.is_file():
        info = json.loads(info_file.read_text())
        if info.get("version") == PARSE_VERSION:
            return info
    try:
        text = plain.read_text(errors="replace")
    except OSError as exc:
        raise LibertyError(f"cannot read liberty file {origin}: {exc}") from exc
    lib = _LIBRARY.search(text[:1 << 16])
    if not lib:
        raise LibertyError(f"{origin} is not a liberty file (no `library (...)` header in its first 64 KiB); {FIX}")
    if text.count("{") != text.count("}"):
        raise LibertyError(f"{origin} is truncated or corrupt (unbalanced braces: {text.count('{')} '{{' vs "
                           f"{text.count('}')} '}}'); re-download it, or {FIX}")
    cells = _parse_cells(text)
    if not cells:
        raise LibertyError(f"{origin} defines no cells; {FIX}")
    hi, lo = _tie_cells(text)
    info = {"version": PARSE_VERSION, "name": lib.group(1), "tie_hi": hi, "tie_lo": lo,
            "cells": {k: asdict(v) for k, v in cells.items()}}
    atomic_write(info_file, json.dumps(info))
    return info


def load_liberty(path: str | os.PathLike) -> Liberty:
    """Validate ``path`` (plain or .gz) and read its name, cell areas, flip-flop clock pins and tie cells."""
    origin = find_liberty(path)
    digest = file_hash(origin)
    plain = _plain_file(origin, digest)
    try:
        info = _read_info(plain, digest, origin)
    except LibertyError:
        if plain != origin:  # a rejected liberty does not stay decompressed in the cache
            plain.unlink(missing_ok=True)
        raise
    cells = {k: CellInfo.from_dict(v) for k, v in info["cells"].items()}
    return Liberty(info["name"], str(origin), digest, str(plain), cells,
                   tuple(info["tie_hi"]) if info["tie_hi"] else None,
                   tuple(info["tie_lo"]) if info["tie_lo"] else None, default_dont_use(info["name"]))


def resolve_liberty(explicit: "str | os.PathLike | Liberty | None" = None) -> Liberty | None:
    """The liberty chosen by argument, ``RTLGEN_LIBERTY`` or the config file; None when none is configured.

    An already resolved ``Liberty`` is returned as it is (resolve once at the edge, pass the value down).
    """
    if isinstance(explicit, Liberty):
        return explicit
    path, _ = liberty_source(str(explicit) if explicit else None)
    return load_liberty(path) if path else None
