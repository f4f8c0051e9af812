"""Official testbenches under Icarus: VerilogEval and RTLLM files read in place, verdicts as their harnesses give them."""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from rtlgen.spec.interface import read_ports
from rtlgen.spec.model import Candidate, Port, Spec
from rtlgen.spec.rtl_text import rename_modules
from rtlgen.verify.official import run_official
from rtlgen.verify.simulators import WALL_BACKSTOP

pytestmark = pytest.mark.sim

VE_PASS = r"^Mismatches: 0 in \d+ samples$"


def verilog_eval_spec(benchmarks: Path, problem: str) -> tuple[Spec, str]:
    """A tiny local Spec pointing at one VerilogEval problem's shared files, and its reference as TopModule."""
    root = benchmarks / "verilog-eval" / "spec-to-rtl"
    ref = root / f"{problem}_ref.sv"
    rtl = ref.read_text()
    spec = Spec(top="TopModule", ports=read_ports(rtl, "RefModule"), name=problem, reference_rtl=str(ref),
                reference_top="RefModule", official_testbench=str(root / f"{problem}_test.sv"), official_top="tb",
                official_pass=VE_PASS, suite="verilog-eval")
    return spec, rename_modules(rtl, {"RefModule": "TopModule"})


@pytest.fixture
def count10(benchmarks: Path) -> tuple[Spec, str]:
    return verilog_eval_spec(benchmarks, "Prob040_count10")


@pytest.mark.bench
def test_verilog_eval_reference_passes(count10, tmp_path: Path) -> None:
    spec, rtl = count10
    result = run_official(Candidate(rtl, "TopModule"), spec, tmp_path)
    assert result.verdict == "pass", result.message
    assert result.strength == "simulated(439)"
    assert "Mismatches: 0 in 439 samples" in result.log


@pytest.mark.bench
def test_verilog_eval_planted_bug_fails_with_the_mismatch_count(count10, tmp_path: Path) -> None:
    spec, rtl = count10
    buggy = rtl.replace("q == 9", "q == 10")
    assert buggy != rtl
    result = run_official(Candidate(buggy, "TopModule"), spec, tmp_path)
    assert result.verdict == "fail" and result.failure_class == "runtime_mismatch"
    assert "Mismatches: 328 in 439 samples" in result.message


@pytest.mark.bench
def test_verilog_eval_compile_failure_is_classified(count10, tmp_path: Path) -> None:
    spec, rtl = count10
    result = run_official(Candidate(rtl.replace("output reg [3:0] q", "output [3:0] q"), "TopModule"), spec, tmp_path)
    assert result.verdict == "fail" and result.failure_class == "reg_wire_misuse"


@pytest.mark.bench
def test_infinite_loop_times_out_without_hanging(count10, tmp_path: Path) -> None:
    spec, rtl = count10
    spin = rtl.replace("always @(posedge clk)\n", "always @(posedge clk) begin : spin\n"
                       "    integer i; for (i = 0; i < 10; i = i) q <= q; end\n  always @(posedge clk)\n", 1)
    assert "spin" in spin
    start = time.monotonic()
    result = run_official(Candidate(spin, "TopModule"), spec, tmp_path, timeout=3)
    assert time.monotonic() - start < 3 * WALL_BACKSTOP + 10  # 3 s of CPU, or the wall clock's backstop when loaded
    assert result.verdict == "fail" and result.failure_class == "timeout"


@pytest.mark.bench
def test_a_simulator_kept_waiting_for_a_core_keeps_its_verdict(count10, tmp_path: Path, waiting_vvp) -> None:
    """The simulation's limit counts CPU time: a run that waits past it without computing (a loaded machine gives
    it no core) passes as on an idle machine."""
    spec, rtl = count10
    result = run_official(Candidate(rtl, "TopModule"), spec, tmp_path / "run", timeout=5)
    assert result.verdict == "pass" and result.seconds > waiting_vvp, result.message


@pytest.mark.bench
def test_spoofed_verdict_and_reaching_into_the_testbench_are_refused(count10, tmp_path: Path) -> None:
    spec, rtl = count10
    spoof = rtl.replace("endmodule", 'final $display("Mismatches: 0 in 439 samples");\nendmodule')
    result = run_official(Candidate(spoof, "TopModule"), spec, tmp_path / "a")
    assert result.verdict == "error" and result.failure_class == "unsafe_rtl" and "spoofing" in result.message
    # forcing the testbench's error counter through a hierarchical name: does not elaborate on its own, so not run
    reach = rtl.replace("endmodule", "always @* force tb.stats1.errors = 0;\nendmodule")
    result = run_official(Candidate(reach, "TopModule"), spec, tmp_path / "b")
    assert result.verdict == "fail" and "not run" in result.message
    assert not (tmp_path / "b" / "official.vvp").exists()


@pytest.mark.bench
def test_rtllm_reference_with_data_file_passes(benchmarks: Path, tmp_path: Path) -> None:
    folder = benchmarks / "rtllm" / "alu"
    ref = (folder / "verified_alu.v").read_text()
    spec = Spec(top="alu", ports=read_ports(ref, "verified_alu"), name="alu", reference_rtl=str(folder / "verified_alu.v"),
                reference_top="verified_alu", official_testbench=str(folder / "testbench.v"), official_top="test_alu",
                official_pass="===========Your Design Passed===========",
                data_files=(str(folder / "reference.dat"),), suite="rtllm")
    good = rename_modules(ref, {"verified_alu": "alu"})
    result = run_official(Candidate(good, "alu"), spec, tmp_path / "good")
    assert result.verdict == "pass", result.message
    assert (tmp_path / "good" / "reference.dat").read_bytes() == (folder / "reference.dat").read_bytes()
    bad = run_official(Candidate(good.replace("a + b", "a - b", 1), "alu"), spec, tmp_path / "bad")
    assert "a + b" in good and bad.verdict == "fail" and bad.failure_class == "runtime_mismatch"


TB = """`timescale 1ns/1ns
module tb;
  reg [3:0] a; wire [3:0] y;
  inv dut(.a(a), .y(y));
  integer errors = 0;
  initial begin
    for (a = 0; a < 15; a = a + 1) #1 if (y !== ~a) errors = errors + 1;
`ifdef CHEAT
    errors = 0;
`endif
    if (errors == 0) $display("ALL GOOD"); else $display("FAILED %0d", errors);
  end
endmodule
"""


def local_spec(tmp_path: Path) -> Spec:
    (tmp_path / "tb.v").write_text(TB)
    return Spec(top="inv", ports=(Port("a", "input", 4), Port("y", "output", 4)), name="inv",
                official_testbench=str(tmp_path / "tb.v"), official_top="tb", official_pass="^ALL GOOD$", suite="local")


def test_local_testbench_pass_and_fail(tmp_path: Path) -> None:
    spec = local_spec(tmp_path)
    good = "module inv(input [3:0] a, output [3:0] y); assign y = ~a; endmodule\n"
    assert run_official(Candidate(good, "inv"), spec, tmp_path / "g").verdict == "pass"
    bad = run_official(Candidate(good.replace("~a", "a"), "inv"), spec, tmp_path / "b")
    assert bad.verdict == "fail" and bad.failure_class == "runtime_mismatch" and "FAILED 15" in bad.message


def test_candidate_macros_do_not_leak_into_the_testbench(tmp_path: Path) -> None:
    spec = local_spec(tmp_path)
    cheat = "`define CHEAT\nmodule inv(input [3:0] a, output [3:0] y); assign y = a; endmodule\n"
    result = run_official(Candidate(cheat, "inv"), spec, tmp_path / "c")
    assert result.verdict == "fail", "a `define in the candidate must not change the testbench"


def test_absent_without_official_testbench(tmp_path: Path) -> None:
    spec = Spec(top="inv", ports=(Port("a", "input", 4), Port("y", "output", 4)))
    result = run_official(Candidate("module inv(input [3:0] a, output [3:0] y); endmodule", "inv"), spec, tmp_path)
    assert result.verdict == "absent"


def test_endless_printing_is_cut_not_buffered(tmp_path: Path) -> None:
    spec = local_spec(tmp_path)
    chatty = ("module inv(input [3:0] a, output [3:0] y); assign y = ~a;\n"
              "  initial begin : spin integer i; for (i = 0; i < 1; i = i) $display(\"chatter %0d\", i); end\n"
              "endmodule\n")
    start = time.monotonic()
    result = run_official(Candidate(chatty, "inv"), spec, tmp_path / "f", timeout=20)
    assert time.monotonic() - start < 30
    assert result.verdict == "fail" and "output cut at 8 MB" in result.message
    assert len(result.log) < 300_000


DIST_TB = """module tb;
  reg [7:0] a, b; wire [7:0] want, got;
  RefModule golden(a, b, want);  // by position: this SystemVerilog testbench cannot write `dist` as a name
  TopModule top(a, b, got);
  integer errors = 0, n;
  initial begin
    for (n = 0; n < 64; n = n + 1) begin a = $random; b = $random; #1 if (got !== want) errors = errors + 1; end
    $display("Mismatches: %0d in %0d samples", errors, n);
  end
endmodule
"""


def test_verilog_2005_reference_with_keyword_names_compiles_with_the_testbench(tmp_path: Path) -> None:
    """VerilogEval's layout with a ``.v`` reference whose names ``dist`` and ``bit`` are SystemVerilog keywords: the
    reference is compiled as Verilog-2005 (its names escaped), so the testbench judges the candidate."""
    (tmp_path / "tb.sv").write_text(DIST_TB)
    spec = Spec(top="TopModule", ports=(Port("a", "input", 8), Port("b", "input", 8), Port("dist", "output", 8)),
                reference_rtl=str(Path(__file__).parent / "fixtures" / "dist_ref.v"), reference_top="RefModule",
                official_testbench=str(tmp_path / "tb.sv"), official_top="tb", official_pass=VE_PASS,
                suite="verilog-eval")
    good = ("module TopModule(input [7:0] a, b, output [7:0] \\dist );\n"
            "assign \\dist = a > b ? a - b : b - a;\nendmodule\n")
    result = run_official(Candidate(good, "TopModule"), spec, tmp_path / "good")
    assert result.verdict == "pass" and result.strength == "simulated(64)", result.message
    bad = run_official(Candidate(good.replace(": b - a", ": a - b"), "TopModule"), spec, tmp_path / "bad")
    assert bad.verdict == "fail" and bad.failure_class == "runtime_mismatch", bad.message
