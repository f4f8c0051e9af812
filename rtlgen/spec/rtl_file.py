"""One design file read as every tool reads it: the one home for reading a design file's text.

Every tool rtlgen runs reads SystemVerilog (Icarus ``-g2012``, Yosys ``-sv``, slang), but a ``.v`` file is
Verilog-2005, whose names may be SystemVerilog keywords (a port named ``dist``). Such names are written as
escaped identifiers (``\\dist ``), the same name in both languages, so every tool accepts the file as its
author meant it. Many ``.v`` files are written in SystemVerilog (``input logic``, ``always_ff``); escaping
their keywords would break them, so such a file is read as written (``read_rtl`` says how it tells them apart).
It sits below ``rtlgen.spec.model`` so that ``Candidate.from_file`` reads through it too.
"""
from __future__ import annotations

import logging
import re
from pathlib import Path

from pyslang.ast import Compilation

from rtlgen.errors import ConfigError
from rtlgen.spec.syntax import parse

log = logging.getLogger("rtlgen.spec")

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
_TOKEN = re.compile(r'//[^\n]*|/\*.*?\*/|"(?:\\.|[^"\\\n])*"|\\\S+'
                    r'|`(?:define|undef|ifdef|ifndef|elsif)[ \t]+[A-Za-z_]\w*|[`$][A-Za-z_][\w$]*|[A-Za-z_][\w$]*',
                    re.DOTALL)


def language_of(path: str | Path, language: str | None = None) -> str:
    """The language a file is read in: ``language`` if given, else by extension (unknown: SystemVerilog)."""
    return language or _BY_SUFFIX.get(Path(path).suffix.lower(), "systemverilog")


def sv_identifier(name: str) -> str:
    """``name`` written so SystemVerilog reads it as that name: escaped (``\\dist ``) if SystemVerilog reserves it."""
    return f"\\{name} " if name in SV_ONLY_KEYWORDS else name


def escape_sv_keywords(text: str) -> str:
    """Verilog-2005 text whose SystemVerilog-keyword names (``logic``) are written as escaped identifiers."""
    return _TOKEN.sub(lambda m: sv_identifier(m.group(0)), text)


def sv_keywords_in(text: str) -> set[str]:
    """The SystemVerilog-only keywords ``text`` uses in its code (not in comments, strings or macro names)."""
    return {m.group(0) for m in _TOKEN.finditer(text) if m.group(0) in SV_ONLY_KEYWORDS}


def read_text(path: str | Path) -> str:
    """A design file's own text, unescaped (what a message quotes back to its author); not UTF-8: ConfigError."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"design file '{path}' is not UTF-8 text ({exc.reason}); give a Verilog source file") from exc


def _error_lines(text: str) -> set[int]:
    """The lines where pyslang finds an error in ``text`` parsed and elaborated on its own: elaboration too, since
    ``input \\logic  a`` parses (a port of a type named ``logic``) and only elaboration finds no such type."""
    tree = parse(text)
    compilation = Compilation()
    compilation.addSyntaxTree(tree)
    return {tree.sourceManager.getLineNumber(d.location) for d in compilation.getAllDiagnostics() if d.isError()}


def _written_in_systemverilog(text: str, escaped: str) -> bool:
    """Whether ``text`` uses SystemVerilog keywords as keywords: its ``escaped`` form has an error on a line that
    reads as written, and no line that reads only escaped (a port named ``dist``). Errors on the same lines in
    both (a module declared in another file, a macro from an include) tell the two readings nothing apart."""
    as_written, as_verilog = _error_lines(text), _error_lines(escaped)
    return bool(as_verilog - as_written) and not as_written - as_verilog


def read_rtl(path: str | Path, language: str | None = None) -> str:
    """A design file's text as every tool reads it. The language is ``language`` if given, else the extension's;
    a Verilog-2005 file has its SystemVerilog-keyword names escaped (a port named ``dist`` stays a port), except
    that a ``.v`` file written in SystemVerilog (``_written_in_systemverilog``) is read as written, with a warning.
    Every design file the pipeline reads (user sources, suite references and designs, ``--rtl`` and
    ``--candidates`` files) is read here; pyslang is run only on a ``.v`` file whose code has such keywords."""
    text = read_text(path)
    if language_of(path, language) != "verilog-2005":
        return text
    escaped = escape_sv_keywords(text)
    if language is None and escaped != text and _written_in_systemverilog(text, escaped):
        log.warning("%s: read as SystemVerilog, not as the Verilog-2005 its .v extension says: it uses %s as "
                    "SystemVerilog keywords (name it .sv to say so)", path, ", ".join(sorted(sv_keywords_in(text))))
        return text
    return escaped
