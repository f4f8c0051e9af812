"""Real projects as input: several files, include folders, defines and simulator file lists -> one Candidate.

The pipeline judges one self-contained RTL text (it is hashed, cached, sent to worker processes and
scanned by the sandbox), so the user's sources are combined here, once, at the edge:

- ``+define+``/``-D`` values become ```define`` lines at the top;
- every ```include "x"`` found in the include search path (the including file's folder, then each
  ``-I`` folder in order) is inlined;
- every file and inlined include is bracketed by ```line`` directives, so Icarus, Verilator, Yosys and
  slang name the user's own file and line in their messages, not a temporary copy;
- a ``.v`` file is Verilog-2005 (unless ``language`` says otherwise): its identifiers that are
  SystemVerilog keywords (a signal named ``logic``) become escaped identifiers (``\\logic ``), the
  same name in both languages, so every tool (which all read SystemVerilog) accepts them.
"""
from __future__ import annotations

import os
import re
import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from rtlgen.errors import ConfigError
from rtlgen.spec.model import Candidate

LANGUAGES = ("verilog-2005", "systemverilog")
_BY_SUFFIX = {".v": "verilog-2005", ".vh": "verilog-2005", ".sv": "systemverilog", ".svh": "systemverilog"}

# Keywords of IEEE 1800-2017 that are not keywords of IEEE 1364-2005: legal names in a .v file.
SV_ONLY_KEYWORDS = frozenset("""
accept_on alias always_comb always_ff always_latch assert assume before bind bins binsof bit break byte chandle
checker class clocking const constraint context continue cover covergroup coverpoint cross dist do endchecker
endclass endclocking endgroup endinterface endpackage endprogram endproperty endsequence enum eventually expect
export extends extern final first_match foreach forkjoin global iff ignore_bins illegal_bins implies import inside
int interface intersect join_any join_none let local logic longint matches modport new nexttime null package packed
priority program property protected pure rand randc randcase randsequence ref reject_on restrict return s_always
s_eventually s_nexttime s_until s_until_with sequence shortint shortreal solve static string strong struct super
sync_accept_on sync_reject_on tagged this throughout timeprecision timeunit type typedef union unique unique0 until
until_with untyped var virtual void wait_order weak wildcard with within
""".split())

# Comments, strings, escaped identifiers, macro names after the directives that name one (a macro name is
# never an identifier: `define \assert is no macro), directives/system names, plain identifiers (in that priority).
_TOKEN = re.compile(r'//[^\n]*|/\*.*?\*/|"(?:\\.|[^"\\\n])*"|\\\S+|`(?:define|undef|ifdef|ifndef|elsif)[ \t]+[A-Za-z_]\w*'
                    r'|[`$][A-Za-z_][\w$]*|[A-Za-z_][\w$]*', re.DOTALL)
_INCLUDE = re.compile(r'^([ \t]*)`include[ \t]+"([^"]+)"[^\n]*$', re.MULTILINE)
_NAME = re.compile(r"[A-Za-z_]\w*")


@dataclass(frozen=True)
class Sources:
    """The user's design sources, resolved to absolute paths (so they work from any directory or worker)."""

    files: tuple[str, ...]
    include_dirs: tuple[str, ...] = ()
    defines: tuple[tuple[str, str | None], ...] = ()
    language: str | None = None  # None: from each file's extension

    def to_dict(self) -> dict:
        return {"files": list(self.files), "include_dirs": list(self.include_dirs),
                "defines": [list(d) for d in self.defines], "language": self.language}

    @classmethod
    def from_dict(cls, data: dict) -> "Sources":
        return cls(tuple(data["files"]), tuple(data.get("include_dirs", ())),
                   tuple((n, v) for n, v in data.get("defines", ())), data.get("language"))


def parse_define(text: str) -> tuple[str, str | None]:
    """``NAME`` or ``NAME=VALUE`` (the ``-D`` / ``+define+`` forms)."""
    name, eq, value = text.partition("=")
    if not _NAME.fullmatch(name):
        raise ConfigError(f"bad define '{text}': expected NAME or NAME=VALUE")
    return name, value if eq else None


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

    def here(p: str) -> str:
        return str((base / _expand(p)).resolve())

    for lineno, raw in enumerate(listfile.read_text(errors="replace").splitlines(), 1):
        line = re.sub(r"(^|\s)(//|#).*$", "", raw).strip()
        try:
            words = iter(shlex.split(line))
        except ValueError as exc:
            raise ConfigError(f"{listfile}:{lineno}: {exc}") from exc
        for word in words:
            if word.startswith("+incdir+"):
                incdirs += [here(d) for d in word[len("+incdir+"):].split("+") if d]
            elif word.startswith("+define+"):
                defines += [parse_define(d) for d in word[len("+define+"):].split("+") if d]
            elif word in ("-I", "-D", "-f", "-F"):
                value = next(words, None)
                if value is None:
                    raise ConfigError(f"{listfile}:{lineno}: '{word}' needs a value")
                word += value
                if word.startswith("-I"):
                    incdirs.append(here(value))
                elif word.startswith("-D"):
                    defines.append(parse_define(value))
                else:
                    sub = read_filelist(here(value))
                    files, incdirs, defines = files + sub[0], incdirs + sub[1], defines + sub[2]
            elif word.startswith("-I"):
                incdirs.append(here(word[2:]))
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
            language: str | None = None) -> Sources:
    """Validate and resolve the user's inputs (files exist, folders exist, defines well formed) into Sources."""
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
    return Sources(tuple(dict.fromkeys(all_files)), tuple(dict.fromkeys(all_dirs)), tuple(all_defines), language)


def language_of(path: str | Path, language: str | None = None) -> str:
    """The language a file is read in: ``language`` if given, else by extension (unknown: SystemVerilog)."""
    return language or _BY_SUFFIX.get(Path(path).suffix.lower(), "systemverilog")


def escape_sv_keywords(text: str) -> str:
    """Verilog-2005 text whose SystemVerilog-keyword names (``logic``) are written as escaped identifiers."""
    def fix(m: re.Match) -> str:
        word = m.group(0)
        return f"\\{word} " if word in SV_ONLY_KEYWORDS else word
    return _TOKEN.sub(fix, text)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"design file '{path}' is not UTF-8 text ({exc.reason}); give a Verilog source file") from exc


def _inline(path: Path, sources: Sources, depth: int, stack: tuple[Path, ...]) -> str:
    """``path``'s text with its includes inlined, each piece bracketed by ```line`` directives."""
    if path in stack:
        raise ConfigError(f"'{path}' includes itself (through {' -> '.join(p.name for p in stack)})")
    text = _read(path)
    if language_of(path, sources.language) == "verilog-2005":
        text = escape_sv_keywords(text)
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
    defines = [f"`define {name} {value if value is not None else ''}".rstrip() + "\n" for name, value in sources.defines]
    return "".join(defines) + "".join(_inline(Path(f), sources, 0, ()) for f in sources.files)


def top_modules(rtl: str) -> list[str]:
    """Modules of ``rtl`` that nothing instantiates (the candidates for ``--top``), in source order."""
    from pyslang.ast import Compilation  # noqa: PLC0415 - heavy import
    from pyslang.syntax import SyntaxTree  # noqa: PLC0415

    compilation = Compilation()
    compilation.addSyntaxTree(SyntaxTree.fromText(rtl))
    return [inst.name for inst in compilation.getRoot().topInstances]


def pick_top(rtl: str, top: str | None, origin: str) -> str:
    """``top`` if given, else the one uninstantiated module; several or none is an input error."""
    if top:
        return top
    tops = top_modules(rtl)
    if len(tops) == 1:
        return tops[0]
    if not tops:
        raise ConfigError(f"{origin} declares no module; give a Verilog design")
    raise ConfigError(f"{origin} has several top-level modules ({', '.join(tops)}); choose one with --top")


def load_candidate(sources: Sources, top: str | None = None) -> Candidate:
    """The Candidate of ``sources``: combined text, ``top`` (or the only top-level module), origin = the files,
    trusted (the user's own files: the sandbox scan reports instead of refusing)."""
    rtl = combine(sources)
    origin = ", ".join(sources.files)
    return Candidate(rtl=rtl, top=pick_top(rtl, top, origin), origin=origin, trusted=True)


def candidate_from_files(files: Iterable[str | Path], top: str | None = None, **options: object) -> Candidate:
    """Library shortcut: ``collect(files, **options)`` then ``load_candidate``."""
    return load_candidate(collect(list(files), **options), top)  # type: ignore[arg-type]
