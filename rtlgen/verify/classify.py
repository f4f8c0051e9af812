"""Failure classes from tool logs, in the order VerilogEval v2's ``scripts/sv-iv-analyze`` uses.

The log is scanned line by line and the first line that matches a decisive pattern wins; a few
patterns only mark the log (``Unable to bind wire/reg`` -> port binding, any line containing
``error`` -> other compile error) and apply when nothing decisive matched. Icarus messages are
VerilogEval's own patterns; the Verilator lines are rtlgen's additions for the same classes.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# VerilogEval letter -> rtlgen failure class (a key of rtlgen.verify.result.FAILURE_CLASSES).
LETTERS: dict[str, str] = {
    "S": "syntax_error", "e": "explicit_cast", "0": "zero_width_constant", "n": "no_sensitivity",
    "w": "reg_wire_misuse", "m": "unknown_module", "c": "clock_binding", "T": "timeout",
    "p": "port_binding", "C": "compile_error", "r": "reset_issue", "R": "runtime_mismatch",
}
# Decisive patterns, tried in this order on each line (sv-iv-analyze's order, Verilator's after Icarus's).
_DECISIVE: tuple[tuple[str, re.Pattern[str]], ...] = tuple((letter, re.compile(p)) for letter, p in (
    ("S", r"syntax error"),
    ("e", r"error: This assignment requires an explicit cast|%Error-ENUMVALUE"),
    ("0", r"error: Sized numeric constant must have a size greater than zero"),
    ("n", r"warning: always_comb process has no sensitivities|found no sensitivities so it will never trigger"),
    ("w", r"is declared here as wire|%Error-PROCASSWIRE|%Error-CONTASSREG"),
    ("m", r"Unknown module type|%Error-MODMISSING|Cannot find file containing module"),
    ("c", r"Unable to bind wire/reg/memory `clk'|Can't find definition of variable: 'clk'"),
    ("T", r"TIMEOUT"),
))
_PORT_BINDING = re.compile(r"Unable to bind wire/reg|%Error-PINNOTFOUND|Can't find definition of variable")
_ANY_ERROR = re.compile(r"error")  # sv-iv-analyze: any line containing lower-case "error"
_RESET_HINT = re.compile(r"posedge reset|negedge reset|posedge r\)")
MISMATCH_LINE = re.compile(r"^Mismatches: (\d+) in \d+ samples$")
# Icarus's own admissions that it lacks a (legal) construct: "sorry: This cast operation is not yet supported."
_UNSUPPORTED = re.compile(r"\bsorry:|not (?:yet|currently) supported|\bunsupported\b", re.IGNORECASE)
# Icarus's summary lines after elaboration errors ("7 error(s) during elaboration.", "Elaboration failed").
_ERROR_SUMMARY = re.compile(r"^\s*(?:\d+ error\(s\) during elaboration\.?|Elaboration failed)\s*$")


@dataclass(frozen=True)
class LogScan:
    """What one pass over a log found (see ``scan_log``)."""

    letter: str | None  # decisive letter, or None
    port_binding: bool
    any_error: bool
    mismatches: int | None  # VerilogEval "Mismatches: N in M samples", last one seen
    passed_line: bool  # the pass pattern matched a line


def scan_log(log: str, pass_pattern: str | re.Pattern[str] | None = MISMATCH_LINE.pattern,
             error_scan_lines: int | None = None) -> LogScan:
    """One sv-iv-analyze pass over ``log``.

    ``pass_pattern`` is the testbench's pass line (VerilogEval: ``Mismatches: 0 in N samples``).
    ``error_scan_lines``: apply the lower-case ``error`` rule only to the first N lines (the
    compiler's part of the log) for testbenches whose passing output may contain that word.
    """
    pass_re = re.compile(pass_pattern) if isinstance(pass_pattern, str) else pass_pattern
    port = error = passed = False
    mismatches = None
    for index, line in enumerate(log.splitlines()):
        for letter, pattern in _DECISIVE:
            if pattern.search(line):
                return LogScan(letter, port, error, mismatches, passed)
        if error_scan_lines is None or index < error_scan_lines:
            error = error or bool(_ANY_ERROR.search(line))
        port = port or bool(_PORT_BINDING.search(line))
        match = MISMATCH_LINE.match(line)
        if match:
            mismatches = int(match.group(1))
        if pass_re is not None and pass_re.search(line):
            passed = True
    return LogScan(None, port, error, mismatches, passed)


def verilog_eval_code(log: str, rtl: str = "", pass_pattern: str | None = MISMATCH_LINE.pattern,
                      error_scan_lines: int | None = None) -> str:
    """The sv-iv-analyze letter for a compile+run log: ``.`` for a pass, else one of ``LETTERS``."""
    scan = scan_log(log, pass_pattern, error_scan_lines)
    if scan.letter:
        return scan.letter
    if scan.port_binding:
        return "p"
    if scan.any_error:
        return "C"
    if scan.passed_line:
        return "."
    return "r" if _RESET_HINT.search(rtl) else "R"


def classify_log(log: str, rtl: str = "") -> str:
    """The failure class (a key of FAILURE_CLASSES) of a log from a run that did not pass.

    A log with no recognisable error is a runtime mismatch (``reset_issue`` when ``rtl`` has the
    reset patterns VerilogEval looks for), as in sv-iv-analyze.
    """
    return LETTERS[verilog_eval_code(log, rtl, pass_pattern=None)]


def classify_compile_log(log: str) -> str:
    """Like ``classify_log`` for a compiler that failed: unrecognised errors are ``compile_error``."""
    cls = classify_log(log)
    return "compile_error" if cls in ("runtime_mismatch", "reset_issue") else cls


def unsupported_lines(log: str) -> list[str]:
    """The lines of a failed compile that only admit a simulator limitation ("sorry: ... not yet supported").

    Empty unless every error line of ``log`` is such an admission (or Icarus's error-count summary):
    a log with any other error, or with a decisive class (syntax error, port binding...), is the
    design's fault and stays classified as such.
    """
    scan = scan_log(log, None)
    if scan.letter or scan.port_binding:
        return []
    unsupported: list[str] = []
    for line in log.splitlines():
        if _UNSUPPORTED.search(line):
            unsupported.append(line.strip())
        elif _ANY_ERROR.search(line) and not _ERROR_SUMMARY.match(line):
            return []
    return unsupported
