"""The auto-generated testbench against real designs with planted bugs (Icarus and Verilator)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from rtlgen.spec.model import Candidate, Clock
from rtlgen.verify.autotb import STIMULUS_HEX, run_autotb, write_autotb
from rtlgen.verify.simulators import WALL_BACKSTOP
from rtlgen.verify.result import VerifyResult
from rtlgen.verify.stimulus import make_stimulus

FIXTURES = Path(__file__).parent / "fixtures"


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text()


@pytest.fixture
def counter_spec(tiny_spec):
    return tiny_spec(fixture("dec_counter.v"), "dec_counter", model=str(FIXTURES / "dec_counter_model.py"))


@pytest.fixture
def addsub_spec(tiny_spec):
    return tiny_spec(fixture("addsub.v"), "addsub", model=str(FIXTURES / "addsub_model.py"))


@pytest.fixture
def pipe_spec(tiny_spec):
    """A VerilogEval-style spec: the candidate is TopModule, the golden is RefModule simulated beside it."""
    return tiny_spec(fixture("pipe_ref.sv"), "RefModule", reference_rtl=str(FIXTURES / "pipe_ref.sv"),
                     reference_top="RefModule").with_(top="TopModule")


def candidate(name: str, top: str) -> Candidate:
    return Candidate.from_file(str(FIXTURES / name), top)


def first_divergence(spec, wrap_at: int, seed: int = 1) -> tuple[int, str]:
    """Where a counter wrapping at ``wrap_at`` first differs from the golden (0..9) on autotb's stimulus."""
    stim = make_stimulus(spec, seed=seed)
    good = bad = 0
    for cycle, inputs in enumerate(stim.as_dicts()):
        if cycle >= 1 and good != bad:  # the first cycle of a synchronous reset is not compared
            return cycle, "q"
        if inputs["rst"]:
            good = bad = 0
        elif inputs["en"]:
            good = 0 if good == 9 else good + 1
            bad = 0 if bad == wrap_at else bad + 1
    raise AssertionError("the stimulus never exposes the bug")


@pytest.mark.sim
def test_correct_counter_passes_against_python_model(counter_spec, tmp_path):
    result = run_autotb(candidate("dec_counter.v", "dec_counter"), counter_spec, tmp_path)
    assert result.check == "autotb"
    assert result.verdict == "pass", result.message + result.log[-2000:]
    assert result.strength == "simulated(1999)"  # 2000 cycles, the first (sync reset) one not compared
    assert result.failure_class is None and result.mismatch is None


@pytest.mark.sim
def test_off_by_one_is_caught_at_the_right_cycle(counter_spec, tmp_path):
    cycle, signal = first_divergence(counter_spec, wrap_at=10)
    result = run_autotb(candidate("dec_counter_offbyone.v", "dec_counter"), counter_spec, tmp_path)
    assert result.verdict == "fail"
    assert result.failure_class == "runtime_mismatch"
    m = result.mismatch
    assert (m.cycle, m.signal, m.expected, m.actual) == (cycle, signal, "4'h0", "4'ha")
    assert len(m.window) == 10 and m.window[-1]["cycle"] == cycle
    assert m.window[-1]["q"] == "4'ha" and m.window[-1]["expected.q"] == "4'h0"
    assert [row["cycle"] for row in m.window] == list(range(cycle - 9, cycle + 1))
    assert "cycle" in result.message and "'q'" in result.message
    # the counter is out of phase from then on: counting stops at the bound, and says so
    assert result.mismatches == 1000 and m.count == 1000 and "lower bounds" in result.message


def wrap_bug_cycles(spec, seed: int = 1) -> list[int]:
    """Cycles where dec_counter_wrapbug.v's wrap differs from the golden: en high and q == 5 (q is right)."""
    q, bad = 0, []
    for cycle, inputs in enumerate(make_stimulus(spec, seed=seed).as_dicts()):
        if cycle >= 1 and inputs["en"] and q == 5:  # the first cycle of a synchronous reset is not compared
            bad.append(cycle)
        if inputs["rst"]:
            q = 0
        elif inputs["en"]:
            q = 0 if q == 9 else q + 1
    return bad


@pytest.mark.sim
def test_sparse_bug_is_counted_over_the_whole_run(counter_spec, tmp_path):
    bad = wrap_bug_cycles(counter_spec)
    assert 20 < len(bad) < 1000  # some cycles, not all, and under the counting bound
    result = run_autotb(candidate("dec_counter_wrapbug.v", "dec_counter"), counter_spec, tmp_path)
    assert result.verdict == "fail" and result.failure_class == "runtime_mismatch", result.message
    assert result.mismatches == len(bad) and result.compared == 1999  # ran to the end of the stimulus
    assert result.strength == "simulated(1999)"
    m = result.mismatch
    assert (m.cycle, m.signal, m.expected, m.actual) == (bad[0], "wrap", "0", "1")  # the first one, as before
    assert len(m.window) == 10 and m.window[-1]["cycle"] == bad[0]
    assert m.count == len(bad) and m.outputs == {"wrap": len(bad)} and m.pairs == len(bad)
    assert result.message.startswith(f"first mismatch at cycle {bad[0]}: output 'wrap'")
    assert f"{len(bad)} mismatching cycles in total; wrong outputs: 'wrap' in {len(bad)}" in result.message
    check = json.loads(VerifyResult("dec_counter", "h", [result]).to_json())["checks"][0]
    assert check["mismatches"] == len(bad) and check["mismatch"]["outputs"] == {"wrap": len(bad)}


@pytest.mark.sim
def test_x_output_after_reset_is_a_reset_issue(counter_spec, tmp_path):
    result = run_autotb(candidate("dec_counter_noreset.v", "dec_counter"), counter_spec, tmp_path)
    assert result.verdict == "fail"
    assert result.failure_class == "reset_issue"
    assert result.mismatch.cycle == 1 and result.mismatch.signal == "q"
    assert result.mismatch.actual == "4'bxxxx" and result.mismatch.expected == "4'h0"


@pytest.mark.sim
def test_printing_pass_does_not_pass(counter_spec, tmp_path):
    result = run_autotb(candidate("dec_counter_prints_pass.v", "dec_counter"), counter_spec, tmp_path)
    assert "Mismatches: 0 in 100 samples" in result.log  # it did print, and was not believed
    assert result.verdict == "fail" and result.failure_class == "runtime_mismatch"
    assert json.loads(Path(result.artifacts["verdict"]).read_text())["status"] == "fail"  # the checker's own file


@pytest.mark.sim
def test_combinational_exhaustive_pass_and_x_caught(addsub_spec, tmp_path):
    good = run_autotb(candidate("addsub.v", "addsub"), addsub_spec, tmp_path / "good")
    assert good.verdict == "pass", good.message
    assert good.strength == "simulated(512)"  # 9 input bits, every combination
    bad = run_autotb(candidate("addsub_xbug.v", "addsub"), addsub_spec, tmp_path / "bad")
    assert bad.verdict == "fail" and bad.failure_class == "runtime_mismatch"
    assert bad.mismatch.signal == "y" and bad.mismatch.actual == "4'bxxxx"
    assert bad.mismatch.window[-1]["a"] == "4'hf"
    # exhaustive order: a is the lowest field, so the first vector with a == 15 is vector 15
    assert bad.mismatch.cycle == 15


@pytest.mark.sim
def test_infinite_loop_times_out_cleanly(addsub_spec, tmp_path):
    result = run_autotb(candidate("addsub_loop.v", "addsub"), addsub_spec, tmp_path, timeout=8)
    assert result.verdict == "fail" and result.failure_class == "timeout"
    assert result.seconds < 8 * WALL_BACKSTOP + 10  # 8 s of CPU, or the wall clock's backstop on a loaded machine
    assert "did not finish within" in result.message


@pytest.mark.sim
def test_a_simulator_kept_waiting_for_a_core_keeps_its_verdict(pipe_spec, tmp_path, waiting_vvp):
    """The limit counts CPU time: a simulation that waits past it without computing (a loaded machine gives it no
    core) is judged as on an idle machine, not as a design that hangs."""
    result = run_autotb(candidate("pipe_top.sv", "TopModule"), pipe_spec, tmp_path / "run", timeout=5)
    assert result.verdict == "pass" and result.seconds > waiting_vvp, (result.message, result.seconds)


@pytest.mark.sim
def test_async_reset_done_synchronously_is_a_reset_issue(tiny_spec, tmp_path):
    spec = tiny_spec(fixture("dff_arstn.v"), "dff_arstn", model=str(FIXTURES / "dff_arstn_model.py"))
    assert spec.reset.kind == "async" and spec.reset.active_low
    good = run_autotb(candidate("dff_arstn.v", "dff_arstn"), spec, tmp_path / "good")
    assert good.verdict == "pass", good.message
    bad = run_autotb(candidate("dff_arstn_sync.v", "dff_arstn"), spec, tmp_path / "bad")
    assert bad.verdict == "fail" and bad.failure_class == "reset_issue", bad.message
    stim = make_stimulus(spec)
    assert bad.mismatch.cycle in stim.reset_cycles


@pytest.mark.sim
def test_reference_rtl_beside_candidate_with_clashing_module_names(pipe_spec, tmp_path):
    good = run_autotb(candidate("pipe_top.sv", "TopModule"), pipe_spec, tmp_path / "good")
    assert good.verdict == "pass", good.message + good.log[-2000:]
    assert good.strength.kind == "simulated" and good.strength.n > 1900
    bad = run_autotb(candidate("pipe_top_bug.sv", "TopModule"), pipe_spec, tmp_path / "bad")
    assert bad.verdict == "fail" and bad.failure_class == "runtime_mismatch"
    m = bad.mismatch
    assert m.signal == "out"
    # the bug adds 2 to an input of 8'h80: two cycles later out is 8'h82 instead of 8'h81
    assert (m.expected, m.actual) == ("8'h81", "8'h82")
    assert m.window[-3]["in"] == "8'h80"


@pytest.mark.sim
def test_waves_give_a_vcd_with_a_dut_scope(counter_spec, tmp_path):
    result = run_autotb(candidate("dec_counter.v", "dec_counter"), counter_spec, tmp_path, waves=True, cycles=50)
    assert result.verdict == "pass"
    vcd = Path(result.artifacts["vcd"]).read_text()
    assert "$scope module dut $end" in vcd and "$var" in vcd


@pytest.mark.sim
def test_compile_error_is_classified(counter_spec, tmp_path):
    broken = Candidate("module dec_counter(input clk, input rst, input en, output [3:0] q, output wrap)\n"
                       "  assign q = 4'd0\nendmodule\n", "dec_counter")
    result = run_autotb(broken, counter_spec, tmp_path)
    assert result.verdict == "fail" and result.failure_class == "syntax_error"
    assert "candidate.sv" in result.message


@pytest.mark.sim
def test_missing_port_is_a_port_binding_failure(counter_spec, tmp_path):
    no_wrap = Candidate("module dec_counter(input clk, input rst, input en, output reg [3:0] q);\n"
                        "  always @(posedge clk) q <= rst ? 4'd0 : q;\nendmodule\n", "dec_counter")
    result = run_autotb(no_wrap, counter_spec, tmp_path)
    assert result.verdict == "fail" and result.failure_class == "port_binding", result.message


def test_absent_without_golden(tiny_spec, tmp_path):
    spec = tiny_spec(fixture("dec_counter.v"), "dec_counter")
    result = run_autotb(candidate("dec_counter.v", "dec_counter"), spec, tmp_path)
    assert result.verdict == "absent"


def test_written_bench_is_consistent(counter_spec, tmp_path):
    bench = write_autotb(candidate("dec_counter.v", "dec_counter"), counter_spec, tmp_path, seed=7, cycles=100)
    harness = Path(bench.files["harness"]).read_text()
    assert "dec_counter dut (" in harness and ".q(dut_out[3:0])" in harness and ".wrap(dut_out[4:4])" in harness
    assert ".rst(ins[0:0])" in harness and ".en(ins[1:1])" in harness and ".clk(clk)" in harness
    assert "always @(negedge clk) ins <= stim;" in harness
    config = json.loads(Path(bench.files["checker"]).read_text())
    assert config["compare_from"] == 1 and config["golden"] == "model" and len(config["token"]) == 32
    assert len(bench.stimulus) == 100 and bench.test is None  # Icarus: the harness replays the stimulus itself
    assert f'$readmemh("{STIMULUS_HEX}", vectors);' in harness and "for (k = 0; k < 100; k = k + 1)" in harness
    hex_lines = (tmp_path / STIMULUS_HEX).read_text().split()
    assert [int(v, 16) for v in hex_lines] == bench.stimulus.packed()
    cocotb = write_autotb(candidate("dec_counter.v", "dec_counter"), counter_spec, tmp_path / "cocotb", seed=7,
                          cycles=100, harness_clock=False)
    compile(Path(cocotb.files["testbench"]).read_text(), "tb", "exec")  # the rendered test module is valid Python
    assert "$readmemh" not in Path(cocotb.files["harness"]).read_text() and cocotb.outputs is None


@pytest.mark.sim
def test_verilator_path(counter_spec, tmp_path):
    good = run_autotb(candidate("dec_counter.v", "dec_counter"), counter_spec, tmp_path / "good",
                      simulator="verilator")
    assert good.verdict == "pass", good.message + good.log[-3000:]
    assert good.strength == "simulated(1999)"
    cycle, signal = first_divergence(counter_spec, wrap_at=10)
    bad = run_autotb(candidate("dec_counter_offbyone.v", "dec_counter"), counter_spec, tmp_path / "bad",
                     simulator="verilator")
    assert bad.verdict == "fail" and bad.failure_class == "runtime_mismatch"
    assert (bad.mismatch.cycle, bad.mismatch.signal) == (cycle, signal)
    # 2-state, but uninitialised state is randomised: a missing reset still shows up at cycle 1
    noreset = run_autotb(candidate("dec_counter_noreset.v", "dec_counter"), counter_spec, tmp_path / "noreset",
                         simulator="verilator")
    assert noreset.verdict == "fail" and noreset.failure_class == "reset_issue"
    assert noreset.mismatch.cycle == 1


DESIGNS = Path(__file__).resolve().parents[2] / "designs"


@pytest.mark.sim
@pytest.mark.parametrize("folder", sorted(p.parent.name for p in DESIGNS.glob("*/spec.md")))
def test_example_designs_pass_against_their_models(folder, tmp_path):
    from rtlgen.spec.parse import load_spec

    spec = load_spec(str(DESIGNS / folder / "spec.md"))
    rtl = DESIGNS / folder / f"{spec.top}.v"
    assert spec.model and rtl.is_file(), "each example design ships its RTL and a Python golden model"
    result = run_autotb(Candidate.from_file(str(rtl), spec.top), spec, tmp_path)
    assert result.verdict == "pass", result.message


@pytest.mark.sim
def test_negedge_clock(tiny_spec, tmp_path):
    rtl = ("module negff(input clk, input [3:0] d, output reg [3:0] q, output [3:0] nq);\n"
           "  assign nq = ~q;\n  initial q = 4'd0;\n  always @(negedge clk) q <= d;\nendmodule\n")
    model = tmp_path / "negff.py"
    model.write_text("class Model:\n    def reset(self):\n        self.q = 0\n"
                     "    def step(self, i):\n        out = {'q': self.q, 'nq': ~self.q & 15}\n"
                     "        self.q = i['d']\n        return out\n")
    spec = tiny_spec(rtl, "negff", model=str(model))
    spec = spec.with_(clock=Clock(spec.clock.name, "negedge"))
    assert spec.reset is None
    result = run_autotb(Candidate(rtl, "negff"), spec, tmp_path / "run")
    assert result.verdict == "pass", result.message
    assert "always @(posedge clk) ins <= stim;" in Path(result.artifacts["harness"]).read_text()
    late = run_autotb(Candidate(rtl.replace("q <= d", "q <= d + 4'd1"), "negff"), spec, tmp_path / "late")
    assert late.verdict == "fail" and late.mismatch.signal == "q"


@pytest.mark.sim
def test_second_reset_domain_runs_long_enough_to_show_its_bug(tiny_spec, tmp_path):
    """brst_n is not the spec's reset: driven like data it held domain B in reset half the time, so its
    counter never made six steps and a bug at count 6 passed (RTLLM synchronizer mutants did this)."""
    ref = str(FIXTURES / "two_domains.v")
    spec = tiny_spec(fixture("two_domains.v"), "two_domains", reference_rtl=ref, reference_top="two_domains")
    assert (spec.clock.name, spec.reset.name) == ("clk", "rst_n")
    good = run_autotb(candidate("two_domains.v", "two_domains"), spec, tmp_path / "good")
    assert good.verdict == "pass", good.message
    increment = "else         count_b <= count_b + 3'd1;"
    stuck = fixture("two_domains.v").replace(increment, "else if (count_b != 3'd6) count_b <= count_b + 3'd1;")
    assert stuck.count("!= 3'd6") == 1  # the planted bug: the counter stops at 6
    bad = run_autotb(Candidate(stuck, "two_domains"), spec, tmp_path / "bad")
    assert bad.verdict == "fail" and bad.failure_class == "runtime_mismatch", bad.message
    assert bad.mismatch.signal == "count_b" and (bad.mismatch.expected, bad.mismatch.actual) == ("3'h7", "3'h6")


DIST_CANDIDATE = """module TopModule (input [7:0] a, input [7:0] b, output [7:0] \\dist );
    assign \\dist = a > b ? a - b : b - a;
endmodule
"""


@pytest.mark.sim
def test_verilog_2005_reference_with_keyword_names_is_the_golden(tiny_spec, tmp_path):
    """A ``.v`` reference whose port ``dist`` and wire ``bit`` are SystemVerilog keywords: the harness reads it as
    Verilog-2005 and names the port ``\\dist ``, so a right candidate passes and a wrong one fails."""
    spec = tiny_spec(DIST_CANDIDATE, "TopModule", reference_rtl=str(FIXTURES / "dist_ref.v"), reference_top="RefModule")
    assert [p.name for p in spec.outputs] == ["dist"]
    good = run_autotb(Candidate(DIST_CANDIDATE, "TopModule"), spec, tmp_path / "good")
    assert good.verdict == "pass", good.message
    bad = run_autotb(Candidate(DIST_CANDIDATE.replace(": b - a", ": a - b"), "TopModule"), spec, tmp_path / "bad")
    assert bad.verdict == "fail" and bad.failure_class == "runtime_mismatch", bad.message
