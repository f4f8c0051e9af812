"""Real projects as input: several files, include folders, defines and simulator file lists -> one Candidate.

The pipeline judges one self-contained RTL text (it is hashed, cached, sent to worker processes and
scanned by the sandbox), so the user's sources are combined here, once, at the edge:

- ``+define+``/``-D`` values become ```define`` lines at the top;
- every ```include "x"`` found in the include search path (the including file's folder, then each
  ``-I`` folder in order) is inlined;
- every file and inlined include is bracketed by ```line`` directives, so Icarus, Verilator, Yosys and
  slang name the user's own file and line in their messages, not a temporary copy;
- every file is read by ``rtlgen.spec.rtl_file.read_rtl``: a ``.v`` file is Verilog-2005 (unless
  ``language`` says otherwise, or its code uses SystemVerilog keywords as keywords), its identifiers that are
  SystemVerilog keywords (a signal named ``logic``) become escaped identifiers (``\\logic ``), so every tool
  (which all read SystemVerilog) accepts them;
- top parameters (``-P NAME=VALUE``) are applied by the front end (``rtlgen.spec.frontend``), which
  also elaborates the text once and refuses it, naming every problem, before any tool runs.
"""
from __future__ import annotations

import os
import re
import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from rtlgen.errors import ConfigError
from rtlgen.spec.frontend import DesignView, elaborate
from rtlgen.spec.model import Candidate
from rtlgen.spec.rtl_file import LANGUAGES, read_rtl

_INCLUDE = re.compile(r'^([ \t]*)`include[ \t]+"([^"]+)"[^\n]*$', re.MULTILINE)
_LINE_DIRECTIVE = re.compile(r'^[ \t]*`line[ \t]+\d+[ \t]+"[^"\n]*"[ \t]+[0-2][ \t]*\n', re.MULTILINE)
_NAME = re.compile(r"[A-Za-z_]\w*")


@dataclass(frozen=True)
class Sources:
    """The user's design sources, resolved to absolute paths (so they work from any directory or worker)."""

    files: tuple[str, ...]
    include_dirs: tuple[str, ...] = ()
    defines: tuple[tuple[str, str | None], ...] = ()
    language: str | None = None  # None: from each file's extension
    params: tuple[tuple[str, str], ...] = ()  # the top module's parameters (NAME, VALUE text)

    def to_dict(self) -> dict:
        return {"files": list(self.files), "include_dirs": list(self.include_dirs),
                "defines": [list(d) for d in self.defines], "language": self.language,
                "params": [list(p) for p in self.params]}

    @classmethod
    def from_dict(cls, data: dict) -> "Sources":
        return cls(tuple(data["files"]), tuple(data.get("include_dirs", ())),
                   tuple((n, v) for n, v in data.get("defines", ())), data.get("language"),
                   tuple((n, v) for n, v in data.get("params", ())))


def parse_define(text: str) -> tuple[str, str | None]:
    """``NAME`` or ``NAME=VALUE`` (the ``-D`` / ``+define+`` forms)."""
    name, eq, value = text.partition("=")
    if not _NAME.fullmatch(name):
        raise ConfigError(f"bad define '{text}': expected NAME or NAME=VALUE")
    return name, value if eq else None


def parse_param(text: str | tuple[str, str]) -> tuple[str, str]:
    """``NAME=VALUE`` (the ``-P`` form; VALUE is Verilog text such as ``16`` or ``"fast"``), or (NAME, VALUE)."""
    name, eq, value = text.partition("=") if isinstance(text, str) else (text[0], "=", str(text[1]))
    if not _NAME.fullmatch(name) or not eq or not value.strip():
        raise ConfigError(f"bad parameter '{text}': expected NAME=VALUE (e.g. -P WIDTH=16)")
    return name, value.strip()


def _expand(text: str) -> str:
    return os.path.expanduser(os.path.expandvars(text))


def read_filelist(path: str | Path) -> tuple[list[str], list[str], list[tuple[str, str | None]]]:
    """(files, include dirs, defines) of a simulator file list (``-f files.f``).

    Understands one entry per word: source files, ``+incdir+A+B``, ``+define+X=1+Y``, ``-I DIR``/``-IDIR``,
    ``-D X=1``/``-DX``, nested ``-f``/``-F`` lists, ``//`` and ``#`` comments and ``$VAR`` expansion. Relative
    entries are taken relative to the list's own folder (so a list works from any working directory).
    """
    listfile = Path(path).expanduser().resolve()
    if not listfile.is_file():
        raise ConfigError(f"file list '{path}' does not exist")
    base = listfile.parent
    files: list[str] = []
    incdirs: list[str] = []
    defines: list[tuple[str, str | None]] = []

    lineno = 0

    def here(p: str, kind: str = "design file") -> str:
        """``p`` resolved against the list's folder; a missing one is reported at the list's line (``lineno``)."""
        resolved = (base / _expand(p)).resolve()
        if not (resolved.is_dir() if kind == "include folder" else resolved.is_file()):
            raise ConfigError(f"{listfile}:{lineno}: {kind} '{p}' does not exist (looked for {resolved}; paths "
                              "in a file list are relative to the list's folder)")
        return str(resolved)

    for lineno, raw in enumerate(listfile.read_text(errors="replace").splitlines(), 1):
        line = re.sub(r"(^|\s)(//|#).*$", "", raw).strip()
        try:
            words = iter(shlex.split(line))
        except ValueError as exc:
            raise ConfigError(f"{listfile}:{lineno}: {exc}") from exc
        for word in words:
            if word.startswith("+incdir+"):
                incdirs += [here(d, "include folder") for d in word[len("+incdir+"):].split("+") if d]
            elif word.startswith("+define+"):
                defines += [parse_define(d) for d in word[len("+define+"):].split("+") if d]
            elif word in ("-I", "-D", "-f", "-F"):
                value = next(words, None)
                if value is None:
                    raise ConfigError(f"{listfile}:{lineno}: '{word}' needs a value")
                word += value
                if word.startswith("-I"):
                    incdirs.append(here(value, "include folder"))
                elif word.startswith("-D"):
                    defines.append(parse_define(value))
                else:
                    sub = read_filelist(here(value, "file list"))
                    files, incdirs, defines = files + sub[0], incdirs + sub[1], defines + sub[2]
            elif word.startswith("-I"):
                incdirs.append(here(word[2:], "include folder"))
            elif word.startswith("-D"):
                defines.append(parse_define(word[2:]))
            elif word.startswith(("-", "+")):
                raise ConfigError(f"{listfile}:{lineno}: option '{word}' is not supported in a file list "
                                  "(supported: files, +incdir+, +define+, -I, -D, -f)")
            else:
                files.append(here(word))
    return files, incdirs, defines


def collect(files: Sequence[str | Path] = (), *, include_dirs: Sequence[str | Path] = (),
            defines: Sequence[str | tuple[str, str | None]] = (), filelists: Sequence[str | Path] = (),
            language: str | None = None, params: Sequence[str | tuple[str, str]] = ()) -> Sources:
    """Validate and resolve the user's inputs (files exist, folders exist, defines and top parameters well
    formed) into Sources."""
    if language is not None and language not in LANGUAGES:
        raise ConfigError(f"unknown language '{language}'; choose one of {', '.join(LANGUAGES)}")
    all_files: list[str] = []
    all_dirs = [str(Path(_expand(str(d))).resolve()) for d in include_dirs]
    all_defines = [parse_define(d) if isinstance(d, str) else d for d in defines]
    for fl in filelists:
        f, i, d = read_filelist(_expand(str(fl)))
        all_files += f
        all_dirs += i
        all_defines += d
    all_files += [str(Path(_expand(str(f))).resolve()) for f in files]
    if not all_files:
        raise ConfigError("no design file given (pass FILE... or -f files.f)")
    for f in all_files:
        if not Path(f).is_file():
            raise ConfigError(f"design file '{f}' does not exist")
    for d in all_dirs:
        if not Path(d).is_dir():
            raise ConfigError(f"include folder '{d}' does not exist")
    return Sources(tuple(dict.fromkeys(all_files)), tuple(dict.fromkeys(all_dirs)), tuple(all_defines), language,
                   tuple(dict(parse_param(p) for p in params).items()))


def _inline(path: Path, sources: Sources, depth: int, stack: tuple[Path, ...]) -> str:
    """``path``'s text with its includes inlined, each piece bracketed by ```line`` directives."""
    if path in stack:
        raise ConfigError(f"'{path}' includes itself (through {' -> '.join(p.name for p in stack)})")
    text = read_rtl(path, sources.language)
    pieces: list[str] = []
    pos = 0
    for m in _INCLUDE.finditer(text):
        target = next((d / m.group(2) for d in (path.parent, *map(Path, sources.include_dirs))
                       if (d / m.group(2)).is_file()), None)
        if target is None:  # left as is: the tool reports it at the user's line if the branch is active
            continue
        line = text.count("\n", 0, m.start()) + 1
        pieces.append(text[pos:m.start()])
        pieces.append(_inline(target.resolve(), sources, 1, (*stack, path)))
        pieces.append(f'`line {line + 1} "{path}" 2\n')
        pos = m.end() + 1
    pieces.append(text[pos:])
    body = "".join(pieces)
    return f'`line 1 "{path}" {depth}\n' + body + ("" if body.endswith("\n") else "\n")


def combine(sources: Sources) -> str:
    """One RTL text for the whole design (see the module docstring)."""
    defines = [f"`define {name} {value if value is not None else ''}".rstrip() + "\n"
               for name, value in sources.defines]
    return "".join(defines) + "".join(_inline(Path(f), sources, 0, ()) for f in sources.files)


def without_line_directives(rtl: str) -> str:
    """``rtl`` without its ```line`` directives. They make the tools name the user's files in the combined text;
    RTL handed back to the user (the optimizer's design) is a file of its own and must not point into theirs."""
    return _LINE_DIRECTIVE.sub("", rtl)


@dataclass(frozen=True)
class Design:
    """The user's design read by the front end: the trusted Candidate every tool reads and its parsed view."""

    candidate: Candidate
    view: DesignView


def read_design(sources: Sources, top: str | None = None) -> Design:
    """Combine ``sources``, apply their top parameters and elaborate once (``rtlgen.spec.frontend``).

    ``top`` None: the only module nothing instantiates. Raises DesignInputError naming every problem at
    the user's file:line, ConfigError for a bad top or parameter. The candidate is trusted: the user's own files.
    """
    origin = ", ".join(sources.files)
    rtl, view = elaborate(combine(sources), top, origin, sources.params)
    return Design(Candidate(rtl=rtl, top=view.top, origin=origin, trusted=True), view)


def load_candidate(sources: Sources, top: str | None = None) -> Candidate:
    """The trusted Candidate of ``sources`` (``read_design`` without the view)."""
    return read_design(sources, top).candidate


def candidate_from_files(files: Iterable[str | Path], top: str | None = None, **options: object) -> Candidate:
    """Library shortcut: ``collect(files, **options)`` then ``load_candidate`` (``params=`` sets top parameters)."""
    return load_candidate(collect(list(files), **options), top)  # type: ignore[arg-type]
