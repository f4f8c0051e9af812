"""Log classification follows sv-iv-analyze: first decisive line wins, then p, C, pass, r, R.

The logs here are the tools' real messages (copied from Icarus 11 / Verilator 5.048 runs); the
lint tests check the same classes against live tool runs.
"""
from __future__ import annotations

import pytest

from rtlgen.verify.classify import classify_compile_log, classify_log, verilog_eval_code
from rtlgen.verify.result import FAILURE_CLASSES


@pytest.mark.parametrize("log, cls", [
    ("c.sv:2: syntax error\nI give up.\n", "syntax_error"),
    ("c.sv:4: error: This assignment requires an explicit cast.\n", "explicit_cast"),
    ("c.sv:2: error: Sized numeric constant must have a size greater than zero.\n", "zero_width_constant"),
    ("c.sv:2: warning: always_comb process has no sensitivities.\n", "no_sensitivity"),
    ("c.sv:2: error: b is not a valid l-value in tb.top_module1.\nc.sv:1:      : b is declared here as wire.\n",
     "reg_wire_misuse"),
    ("c.sv:2: error: Unknown module type: foo\n", "unknown_module"),
    ("c.sv:2: error: Unable to bind wire/reg/memory `clk' in `TopModule'\n", "clock_binding"),
    ("c.sv:2: error: Unable to bind wire/reg/memory `rst' in `TopModule'\n", "port_binding"),
    ("Mismatches: 0 in 10 samples\nTIMEOUT\n", "timeout"),
    ("c.sv:2: sorry: This cast operation is not yet supported.\n7 error(s) during elaboration.\n", "compile_error"),
    ("%Error-PROCASSWIRE: c.sv:2:25: Procedural assignment to wire, perhaps intended var: 'b'\n", "reg_wire_misuse"),
    ("%Error-MODMISSING: c.sv:2:3: Cannot find file containing module: 'foo'\n", "unknown_module"),
    ("%Error-PINNOTFOUND: c.sv:3:17: Pin not found: 'c'\n", "port_binding"),
    ("Hint: Output 'q' has 3 mismatches.\nMismatches: 3 in 40 samples\n", "runtime_mismatch"),
])
def test_classes(log: str, cls: str) -> None:
    assert classify_log(log) == cls
    assert cls in FAILURE_CLASSES


def test_first_decisive_line_wins_and_flags_apply_last() -> None:
    # an unknown module reported before a syntax error: sv-iv-analyze stops at the first line
    assert classify_log("a.sv:1: error: Unknown module type: x\nb.sv:9: syntax error\n") == "unknown_module"
    # "Unable to bind" only marks the log; a later decisive line still wins
    assert classify_log("a.sv:1: error: Unable to bind wire/reg/memory `r'\nTIMEOUT\n") == "timeout"


def test_reset_issue_needs_the_reset_pattern_in_the_rtl() -> None:
    log = "Mismatches: 5 in 100 samples\n"
    assert classify_log(log, rtl="always @(posedge clk or posedge reset)") == "reset_issue"
    assert classify_log(log, rtl="always @(posedge clk)") == "runtime_mismatch"


def test_pass_code_and_error_lines_override_the_pass_line() -> None:
    assert verilog_eval_code("Hint: no mismatches.\nMismatches: 0 in 439 samples\n") == "."
    assert verilog_eval_code("x.sv:3: error: something\nMismatches: 0 in 439 samples\n") == "C"
    assert verilog_eval_code("Mismatches: 0 in 439 samples (extra)\n") == "R"  # the line must match exactly
    # the error rule can be limited to the compiler's lines (testbenches that print "errors" on a pass)
    rtllm = "Test completed with 0 errors.\n=== Your Design Passed ===\n"
    assert verilog_eval_code(rtllm, pass_pattern="Your Design Passed", error_scan_lines=0) == "."
    assert verilog_eval_code(rtllm, pass_pattern="Your Design Passed") == "C"


def test_compile_logs_never_classify_as_runtime() -> None:
    assert classify_compile_log("%Error: c.sv:1: Unsupported: something\n") == "compile_error"
    assert classify_compile_log("c.sv:2: syntax error\n") == "syntax_error"
