"""Formal equivalence (rtlgen.verify.formal) against real Yosys and ABC runs."""
from __future__ import annotations

import statistics
from pathlib import Path

import pytest

from rtlgen.spec.interface import infer_clock, infer_reset, read_ports
from rtlgen.spec.model import Candidate, Spec
from rtlgen.verify.formal import check_equivalence
from rtlgen.verify.formal import logs

# ---------------------------------------------------------------- designs

COMB_GOLD = """
module ref_top(input [7:0] a, input [7:0] b, input [7:0] c, output [7:0] y, output [8:0] z);
  assign y = (a & b) | (a & c);
  assign z = a + b;
endmodule
"""
COMB_REWRITE = """
module top(input [7:0] a, input [7:0] b, input [7:0] c, output [7:0] y, output [8:0] z);
  wire [7:0] bc = b | c;
  assign y = a & bc;
  assign z = {1'b0, b} + {1'b0, a};
endmodule
"""
COMB_BUG = """
module top(input [7:0] a, input [7:0] b, input [7:0] c, output [7:0] y, output [8:0] z);
  assign y = a & (b | c);
  assign z = (a == 8'd77) ? 9'd0 : a + b;
endmodule
"""
COMB_X = """
module top(input [7:0] a, input [7:0] b, input [7:0] c, output [7:0] y, output [8:0] z);
  assign y = a & (b | c);
  assign z = (a == 8'd77) ? 9'bx : a + b;
endmodule
"""

FSM_BINARY = """
module fsm_ref(input clk, input reset, input in, output out);
  localparam A = 2'd0, B = 2'd1, C = 2'd2, D = 2'd3;
  reg [1:0] s, n;
  always @* case (s)
    A: n = in ? B : A;
    B: n = in ? B : C;
    C: n = in ? D : A;
    default: n = in ? B : C;
  endcase
  always @(posedge clk) if (reset) s <= A; else s <= n;
  assign out = (s == D);
endmodule
"""
FSM_ONEHOT = """
module fsm(input clk, input reset, input in, output out);
  reg [3:0] s;  // one-hot: s[0]=A s[1]=B s[2]=C s[3]=D
  always @(posedge clk)
    if (reset) s <= 4'b0001;
    else s <= {s[2] & in, (s[1] | s[3]) & ~in, (s[0] | s[1] | s[3]) & in, (s[0] | s[2]) & ~in};
  assign out = s[3];
endmodule
"""

COUNTER_REF = """
module counter_ref(input clk, input rst, output [15:0] q);
  reg [15:0] r;
  always @(posedge clk) if (rst) r <= 16'd0; else r <= r + 16'd1;
  assign q = r;
endmodule
"""
COUNTER_BUG = """
module counter(input clk, input rst, output [15:0] q);
  reg [15:0] r;
  always @(posedge clk)
    if (rst) r <= 16'd0;
    else if (r == 16'd256) r <= 16'd258;  // skips 257: visible 258 cycles after reset
    else r <= r + 16'd1;
  assign q = r;
endmodule
"""

NORESET_REF = """
module pipe_ref(input clk, input [3:0] d, output [3:0] q);
  reg [3:0] r;  // no reset, no initial value: X until the first clock edge
  always @(posedge clk) r <= d;
  assign q = r;
endmodule
"""

DUALEDGE_REF = """
module de_ref(input clk, input reset, input d, output q);
  reg p, n;
  always @(posedge clk) if (reset) p <= 1'b0; else p <= d;
  always @(negedge clk) if (reset) n <= 1'b0; else n <= d;
  assign q = clk ? p : n;
endmodule
"""
DUALEDGE_INV = """
module de(input clk, input reset, input d, output q);
  reg pn, nn;  // stores the complement of d on each edge
  always @(posedge clk) if (reset) pn <= 1'b1; else pn <= ~d;
  always @(negedge clk) if (reset) nn <= 1'b1; else nn <= ~d;
  assign q = ~(clk ? pn : nn);
endmodule
"""
POSEDGE_COUNTER = """
module cnt_ref(input clk, input rst, output reg [3:0] q);
  always @(posedge clk) if (rst) q <= 4'd0; else q <= q + 4'd1;
endmodule
"""
TWO_CLOCKS = """
module two_ref(input clk_a, input clk_b, input d, output reg qa, output reg qb);
  always @(posedge clk_a) qa <= d;
  always @(posedge clk_b) qb <= d;
endmodule
"""

SHARED_NAMES_REF = """
module add1(input [3:0] a, output [3:0] y); assign y = a + 4'd1; endmodule
module verified_inc2(input [3:0] a, output [3:0] y);
  wire [3:0] t;
  add1 u0(.a(a), .y(t));
  add1 u1(.a(t), .y(y));
endmodule
"""
SHARED_NAMES_CAND = """
module add1(input [3:0] a, output [3:0] y); assign y = a + 4'd2; endmodule  // same name, other function
module inc2(input [3:0] a, output [3:0] y);
  add1 u0(.a(a), .y(y));
endmodule
"""


def make_spec(tmp_path: Path, rtl: str, top: str, spec_top: str) -> Spec:
    ref = tmp_path / "ref.v"
    ref.write_text(rtl)
    ports = read_ports(rtl, top)
    return Spec(top=spec_top, ports=ports, clock=infer_clock(ports), reset=infer_reset(ports, rtl),
                reference_rtl=str(ref), reference_top=top, name=spec_top)


def check(tmp_path: Path, ref: str, ref_top: str, cand: str, top: str, **kw):
    spec = make_spec(tmp_path, ref, ref_top, top)
    return check_equivalence(Candidate(cand, top), spec, tmp_path / "run", **kw)


def comb_gold(row: dict) -> dict:
    a, b, c = row["a"], row["b"], row["c"]
    return {"y": a & (b | c), "z": a + b}


# ---------------------------------------------------------------- tests with tools

@pytest.mark.formal
def test_rewritten_combinational_design_is_proven(tmp_path):
    result = check(tmp_path, COMB_GOLD, "ref_top", COMB_REWRITE, "top")
    assert result.verdict == "proven", result.log[-3000:]
    assert result.strength == "proven"
    assert result.mismatch is None


@pytest.mark.formal
def test_combinational_bug_gives_counterexample_naming_the_output(tmp_path):
    result = check(tmp_path, COMB_GOLD, "ref_top", COMB_BUG, "top")
    assert result.verdict == "counterexample", result.log[-3000:]
    assert result.failure_class == "runtime_mismatch"
    m = result.mismatch
    assert m is not None and m.signal == "z"
    row = m.window[-1]
    assert row["a"] == 77  # the only input value where the bug shows
    # The reported expected value is what the reference computes for the trace's inputs.
    assert row["z_expected"] == comb_gold(row)["z"] and row["z"] == 0
    assert m.expected == f"9'h{comb_gold(row)['z']:03x}" and m.actual == "9'h000"
    vcd = Path(result.artifacts["trace"]).read_text()
    assert "$scope module dut $end" in vcd and "$var wire 9" in vcd


@pytest.mark.formal
def test_x_in_candidate_is_not_equivalent(tmp_path):
    """An X where the reference is defined must not be proven (X never makes designs look equal)."""
    result = check(tmp_path, COMB_GOLD, "ref_top", COMB_X, "top")
    assert result.verdict == "counterexample", result.log[-3000:]
    assert result.mismatch.signal == "z" and "x" in result.mismatch.actual


@pytest.mark.formal
def test_binary_vs_onehot_fsm_is_proven_by_the_miter(tmp_path):
    result = check(tmp_path, FSM_BINARY, "fsm_ref", FSM_ONEHOT, "fsm")
    assert result.verdict == "proven", result.log[-3000:]
    assert "miter" in result.message  # stage 2: equiv_induct cannot match re-encoded state


@pytest.mark.formal
def test_fsm_bug_after_reset_is_a_counterexample(tmp_path):
    buggy = FSM_ONEHOT.replace("assign out = s[3];", "assign out = s[3] | (s[2] & in & reset);")
    result = check(tmp_path, FSM_BINARY, "fsm_ref", buggy, "fsm")
    assert result.verdict == "counterexample", result.log[-3000:]
    m = result.mismatch
    assert m.signal == "out" and m.expected == "1'b0" and m.actual == "1'b1"
    assert m.window[-1]["reset"] == 1 and m.window[-1]["in"] == 1
    assert m.window[0]["reset"] == 1  # the forced reset of cycle 0 is shown


@pytest.mark.formal
def test_counter_bug_after_256_cycles_found_by_pdr_at_the_right_cycle(tmp_path):
    result = check(tmp_path, COUNTER_REF, "counter_ref", COUNTER_BUG, "counter", timeout=180)
    assert result.verdict == "counterexample", result.log[-3000:]
    assert "pdr" in result.message
    m = result.mismatch
    # reset in cycle 0, r = cycle - 1 afterwards: r == 256 in cycle 257, so 258 vs 257 in cycle 258
    assert (m.cycle, m.signal, m.expected, m.actual) == (258, "q", "16'h0101", "16'h0102")
    assert [row["q_expected"] for row in m.window] == list(range(m.cycle - len(m.window), m.cycle))
    assert Path(result.artifacts["trace"]).exists()


@pytest.mark.formal
def test_counter_equal_to_itself_is_proven(tmp_path):
    result = check(tmp_path, COUNTER_REF, "counter_ref", COUNTER_REF.replace("counter_ref", "counter"), "counter")
    assert result.verdict == "proven", result.log[-3000:]


SHIFT_NORESET = """
module shift_ref(input clk, input d, output q, output [3:0] taps);
  reg [3:0] sr;  // no reset, no initial value
  always @(posedge clk) sr <= {sr[2:0], d};
  assign q = sr[3];
  assign taps = sr;
endmodule
"""
SHIFT_REENCODED = """
module shift(input clk, input d, output q, output [3:0] taps);
  reg [3:0] inv;  // stores the complement under another name: equal outputs, no register partner
  always @(posedge clk) inv <= ~{inv[2:0] ^ 3'b111, d};
  assign q = ~inv[3];
  assign taps = ~inv;
endmodule
"""


@pytest.mark.formal
def test_identical_noreset_designs_are_proven_under_register_correspondence(tmp_path):
    result = check(tmp_path, SHIFT_NORESET, "shift_ref", SHIFT_NORESET.replace("shift_ref", "shift"), "shift")
    assert result.verdict == "proven" and result.strength == "proven", result.log[-3000:]
    assert ("proven under register correspondence: 1 matched registers (4 bits, matched by name) start equal"
            in result.message)


@pytest.mark.formal
def test_noreset_bug_is_never_proven_by_register_correspondence(tmp_path):
    buggy = SHIFT_NORESET.replace("shift_ref", "shift").replace("{sr[2:0], d}", "{sr[2:1], sr[0] ^ d, d}")
    result = check(tmp_path, SHIFT_NORESET, "shift_ref", buggy, "shift")
    assert result.verdict == "counterexample", result.log[-3000:]
    assert "some output or next state differs" in result.log


@pytest.mark.formal
def test_renamed_noreset_register_is_not_proven_by_register_correspondence(tmp_path):
    """Equal behaviour, but no register partner: the stage must not prove; later stages decide."""
    result = check(tmp_path, SHIFT_NORESET, "shift_ref", SHIFT_REENCODED, "shift", timeout=30)
    assert not result.message.startswith(("proven under register correspondence", "proven by register correspondence"))
    assert result.verdict != "counterexample", result.log[-3000:]
    assert "no register bits to pair (without a partner: reference:q" in result.log and "candidate:inv[0]" in result.log


@pytest.mark.formal
def test_noreset_partial_correspondence_is_not_proven(tmp_path):
    """One register matches, the other does not: no proof from this stage."""
    ref = NORESET_REF.replace("reg [3:0] r;", "reg [3:0] r; reg [3:0] s;").replace(
        "r <= d;", "begin r <= d; s <= r; end").replace("assign q = r;", "assign q = r ^ s;")
    cand = (ref.replace("pipe_ref", "pipe").replace(" s;", " t;").replace("s <= r", "t <= r")
            .replace("r ^ s", "r ^ t"))
    result = check(tmp_path, ref, "pipe_ref", cand, "pipe", timeout=30)
    assert not result.message.startswith(("proven under register correspondence", "proven by register correspondence"))
    assert result.verdict != "counterexample", result.log[-3000:]
    assert "without a partner, free: reference:s[0]" in result.log and "candidate:t[0]" in result.log


@pytest.mark.formal
def test_undefined_initial_state_still_finds_real_bugs(tmp_path):
    buggy = NORESET_REF.replace("pipe_ref", "pipe").replace("r <= d;", "r <= d ^ {3'b0, d[3]};")
    result = check(tmp_path, NORESET_REF, "pipe_ref", buggy, "pipe")
    assert result.verdict == "counterexample", result.log[-3000:]
    assert result.mismatch.signal == "q" and result.mismatch.cycle >= 1


@pytest.mark.formal
def test_dual_edge_designs_are_proven_with_clk2fflogic(tmp_path):
    result = check(tmp_path, DUALEDGE_REF, "de_ref", DUALEDGE_INV, "de")
    assert result.verdict == "proven", result.log[-3000:]


@pytest.mark.formal
def test_dual_edge_bug_is_a_counterexample(tmp_path):
    buggy = DUALEDGE_INV.replace("assign q = ~(clk ? pn : nn);", "assign q = ~pn;")
    result = check(tmp_path, DUALEDGE_REF, "de_ref", buggy, "de")
    assert result.verdict == "counterexample", result.log[-3000:]
    assert result.mismatch.signal == "q" and result.mismatch.cycle >= 1
    assert "clk" in result.mismatch.window[-1]  # half-cycle steps show the clock


@pytest.mark.formal
def test_wrong_clock_edge_is_a_counterexample(tmp_path):
    negedge = POSEDGE_COUNTER.replace("cnt_ref", "cnt").replace("posedge", "negedge")
    result = check(tmp_path, POSEDGE_COUNTER, "cnt_ref", negedge, "cnt")
    assert result.verdict == "counterexample", result.log[-3000:]
    m = result.mismatch
    # cycle 0 resets both; in cycle 1 the reference has counted (posedge) and the candidate not yet
    assert (m.cycle, m.signal, m.expected, m.actual) == (1, "q", "4'h1", "4'h0")


@pytest.mark.formal
def test_two_clock_inputs_are_proven_with_the_clocks_left_free(tmp_path):
    """Two clocks, no reset: every relation between the clocks, registers matched by name start equal."""
    (tmp_path / "same").mkdir(), (tmp_path / "bug").mkdir()
    result = check(tmp_path / "same", TWO_CLOCKS, "two_ref", TWO_CLOCKS.replace("two_ref", "two"), "two")
    assert result.verdict == "proven", result.message
    assert "start equal" in result.message and "qa, qb" in result.message
    bug = check(tmp_path / "bug", TWO_CLOCKS, "two_ref", TWO_CLOCKS.replace("two_ref", "two").replace(
        "qb <= d", "qb <= ~d"), "two")
    assert bug.verdict == "counterexample" and bug.mismatch.signal == "qb", bug.message


@pytest.mark.formal
def test_clashing_submodule_names_are_kept_apart(tmp_path):
    result = check(tmp_path, SHARED_NAMES_REF, "verified_inc2", SHARED_NAMES_CAND, "inc2")
    assert result.verdict == "proven", result.log[-3000:]
    wrong = SHARED_NAMES_CAND.replace("4'd2", "4'd3")
    result = check(tmp_path, SHARED_NAMES_REF, "verified_inc2", wrong, "inc2")
    assert result.verdict == "counterexample"


@pytest.mark.formal
def test_candidate_that_does_not_parse_is_an_error(tmp_path):
    result = check(tmp_path, COMB_GOLD, "ref_top", COMB_REWRITE.replace("assign y", "assign y ="), "top")
    assert result.verdict == "error" and result.failure_class in ("syntax_error", "compile_error")
    assert "candidate" in result.message


def test_no_reference_is_absent(tmp_path):
    spec = Spec(top="top")
    assert check_equivalence(Candidate(COMB_REWRITE, "top"), spec, tmp_path).verdict == "absent"


@pytest.mark.formal
def test_missing_top_module_is_no_module(tmp_path):
    result = check(tmp_path, COMB_GOLD, "ref_top", COMB_REWRITE, "other")
    assert (result.verdict, result.failure_class) == ("error", "no_module")


# ---------------------------------------------------------------- log parsing (no tools)

def test_maximum_time_steps_is_bounded_not_a_counterexample():
    log = ("Base case for induction length 19 proven.\nInduction step failed. Incrementing induction length.\n"
           "Base case for induction length 20 proven.\nReached maximum number of time steps -> proof failed.\n"
           "ERROR: Called with -verify and proof did fail!\n")
    outcome = logs.sat_outcome(log)
    assert (outcome.kind, outcome.depth) == ("bounded", 20)


def test_base_case_model_is_a_counterexample_with_its_table():
    log = ("SAT temporal induction proof finished - model found for base case: FAIL!\n\n"
           "  Time Signal Name             Dec       Hex           Bin\n"
           "  ---- --------------- ----------- --------- -------------\n"
           "     1 \\in                       1         1             1\n"
           "     2 \\gold__q                  2         2            10\n"
           "     2 \\gate__q                  3         3            11\n"
           "Dumping SAT model to VCD file x.vcd\n")
    outcome = logs.sat_outcome(log)
    assert outcome.kind == "counterexample"
    assert outcome.trace == {1: {"in": "1"}, 2: {"gold__q": "10", "gate__q": "11"}}


def test_equiv_status_counts_unproven_cells():
    assert logs.equiv_status("Found 5 $equiv cells in equiv:\n  Of those cells 3 are proven and 2 are unproven.") == (5, 2)
    assert logs.equiv_status("nothing") is None


def test_pdr_frame_is_read():
    out = logs.pdr_outcome('Output 0 of miter "miter" was asserted in frame 258.  Time =     0.82 sec')
    assert (out.kind, out.frame) == ("counterexample", 258)
    assert logs.pdr_outcome("Property UNDECIDED.").kind == "undecided"


# ---------------------------------------------------------------- benchmark references against themselves

def _self_equivalence(specs, tmp_path):
    from rtlgen.spec.suites import reference_candidate
    rows = []
    for spec in specs:
        result = check_equivalence(reference_candidate(spec), spec, tmp_path / spec.name, timeout=120)
        rows.append((spec.name, result))
    return rows


@pytest.mark.formal
@pytest.mark.bench
def test_some_references_are_equivalent_to_themselves(tmp_path, bench_root):
    from rtlgen.spec.suites import load_suite
    wanted = {"Prob040_count10", "Prob150_review2015_fsmonehot", "Prob009_popcount3"}
    specs = [s for s in load_suite(bench_root / "verilog-eval" / "spec-to-rtl") if s.name in wanted]
    specs += [s for s in load_suite(bench_root / "rtllm") if s.name in {"adder_32bit", "up_down_counter"}]
    assert len(specs) == 5
    for name, result in _self_equivalence(specs, tmp_path):
        assert result.verdict == "proven", (name, result.message, result.log[-2000:])


@pytest.mark.formal
@pytest.mark.bench
@pytest.mark.slow
@pytest.mark.timeout(3600)  # every reference of the suite, up to 120 s each
@pytest.mark.parametrize("suite", ["verilog-eval/spec-to-rtl", "rtllm"])
def test_every_reference_self_equivalence_is_never_a_counterexample(tmp_path, bench_root, suite):
    """A reference can be unprovable (clocking, X state, timeouts) but never differ from itself."""
    from rtlgen.spec.suites import load_suite
    rows = _self_equivalence(load_suite(bench_root / suite), tmp_path)
    for name, result in rows:
        print(f"{name:40s} {result.verdict:15s} {result.seconds:6.1f}s {result.message.splitlines()[0][:150]}")
    times = [r.seconds for _, r in rows]
    print(f"proven {sum(r.verdict == 'proven' for _, r in rows)}/{len(rows)}; "
          f"median {statistics.median(times):.1f}s max {max(times):.1f}s")
    assert not [name for name, r in rows if r.verdict == "counterexample"]
    # a reference Yosys cannot synthesize is inconclusive with the reason (docs/verification.md), never an error
    assert not [(name, r.message) for name, r in rows if r.verdict == "error"]
    assert sum(r.verdict == "proven" for _, r in rows) >= len(rows) * 3 // 4


@pytest.mark.formal
def test_candidate_with_other_port_names_is_a_port_binding_error(tmp_path):
    renamed = COMB_REWRITE.replace("input [7:0] b,", "input [7:0] bb,").replace("b | c", "bb | c").replace(
        "{1'b0, b}", "{1'b0, bb}")
    result = check(tmp_path, COMB_GOLD, "ref_top", renamed, "top")
    assert (result.verdict, result.failure_class) == ("error", "port_binding"), result.message
    assert "'b'" in result.message


@pytest.mark.formal
def test_candidate_assumptions_do_not_constrain_the_proof(tmp_path):
    """A candidate cannot make itself 'equivalent' by assuming away the inputs where it is wrong."""
    cheat = COMB_BUG.replace("endmodule", "  always @* assume (a != 8'd77);\nendmodule")
    result = check(tmp_path, COMB_GOLD, "ref_top", cheat, "top")
    assert result.verdict == "counterexample", result.log[-3000:]
    assert result.mismatch.window[-1]["a"] == 77


def test_written_scripts_avoid_the_known_traps(tmp_path):
    """Scripts are written before they run; check what they say without running any tool."""
    from rtlgen.spec.model import Port, Reset
    from rtlgen.verify.formal.scripts import render

    ports = (Port("clk", "input"), Port("rst_n", "input"), Port("d", "input", 4), Port("q", "output", 4))
    common = dict(gold_file="gold.sv", gate_file="gate.sv", extra_files=["miter.sv"], top="rtlgen_miter",
                  show="gold__q,gate__q", sat_timeout=10, maxsteps=20, sequential=True, multiclock=False)
    miter = render("miter.sv.j2", tmp_path, "miter.sv", inputs=ports[:3], outputs=ports[3:], ports=ports,
                   reset=Reset("rst_n", active_low=True), clock="clk", clock_edge="posedge", multiclock=False,
                   gold_top="g", gate_top="d", xmode=False, hold_reset=False).read_text()
    assert "reg rtlgen_init = 1'b1;" in miter and "rtlgen_init ? 1'b0 : rst_n" in miter
    assert "if (rtlgen_check) assert (rtlgen_equal)" in miter and "(gold__q == gate__q)" in miter
    strict = render("prove.ys.j2", tmp_path, "prove.ys", xmode=False, **common).read_text()
    relaxed = render("prove.ys.j2", tmp_path, "prove_x.ys", xmode=True, **common).read_text()
    for script in (strict, relaxed):
        assert "-set-init-zero" not in script and "ignore_gold_x" not in script
        assert "-tempinduct -maxsteps 20" in script and "chformal -remove rtlgen_gold_* rtlgen_gate_*" in script
    assert "setundef -undriven -anyseq" in strict and "-enable_undef" not in strict
    assert "-enable_undef -set-init-undef" in relaxed and "-anyseq" not in relaxed


ARST_REF = """
module acc_ref(input clk, input rst_n, input [3:0] d, output reg [3:0] q);
  always @(posedge clk or negedge rst_n) if (!rst_n) q <= 4'd0; else if (d[0]) q <= q + d;
endmodule
"""


@pytest.mark.formal
def test_inverted_async_reset_is_a_counterexample_read_as_synchronous(tmp_path):
    """Yosys cannot map `if (rst_n)` under `negedge rst_n`: read synchronously, X-confirmed -> a real bug."""
    broken = ARST_REF.replace("acc_ref", "acc").replace("if (!rst_n)", "if (rst_n)")
    result = check(tmp_path, ARST_REF, "acc_ref", broken, "acc")
    assert result.verdict == "counterexample" and result.failure_class == "runtime_mismatch", result.log[-3000:]
    assert "async reset assigns non-constant values" in result.message
    assert result.mismatch.signal == "q" and result.mismatch.window[0]["rst_n"] == 0


@pytest.mark.formal
def test_unmappable_async_reset_without_a_confirmed_mismatch_is_the_candidates_compile_error(tmp_path):
    """The same structure, equal outputs while the reset stays high: no verdict but the candidate's error."""
    ref = ARST_REF.replace("output reg [3:0] q", "output [3:0] q").replace(
        "endmodule", "  assign q = 4'd0;\nendmodule").replace("output [3:0] q);", "output [3:0] q);\n  reg [3:0] r;")
    ref = ref.replace("q <= 4'd0; else if (d[0]) q <= q + d;", "r <= 4'd0; else if (d[0]) r <= r + d;")
    broken = ref.replace("acc_ref", "acc").replace("if (!rst_n)", "if (rst_n)")
    result = check(tmp_path, ref, "acc_ref", broken, "acc")
    assert result.verdict == "error" and result.failure_class == "compile_error", result.message
    assert "Async reset" in result.message and "candidate's asynchronous reset" in result.message


@pytest.mark.formal
def test_register_correspondence_never_accepts_x_in_a_next_state(tmp_path):
    """An x loaded into a register is X in both designs: equal as X, but no proof from equal states."""
    ref = SHIFT_NORESET.replace("{sr[2:0], d}", "d ? {sr[2:0], d} : 4'bx")
    result = check(tmp_path, ref, "shift_ref", ref.replace("shift_ref", "shift"), "shift", timeout=30)
    assert not result.message.startswith(("proven under register correspondence", "proven by register correspondence"))
    assert result.verdict != "proven", result.message
    assert "some output or next state differs" in result.log


@pytest.mark.formal
def test_register_correspondence_treats_reference_x_outputs_as_dont_care(tmp_path):
    ref = SHIFT_NORESET.replace("assign q = sr[3];", "assign q = d ? sr[3] : 1'bx;")
    cand = SHIFT_NORESET.replace("shift_ref", "shift").replace("assign q = sr[3];", "assign q = d & sr[3];")
    result = check(tmp_path, ref, "shift_ref", cand, "shift", timeout=30)
    assert result.verdict == "proven" and "register correspondence" in result.message, result.log[-3000:]
    (tmp_path / "rev").mkdir()
    reverse = check(tmp_path / "rev", cand.replace("module shift", "module shift_ref"), "shift_ref",
                    ref.replace("shift_ref", "shift"), "shift", timeout=30)
    assert reverse.verdict != "proven", reverse.message


@pytest.mark.formal
def test_register_correspondence_needs_no_assumption_when_the_reset_sets_every_register(tmp_path):
    ref = COUNTER_REF.replace("input rst,", "input rst, input en,").replace(
        "assign q = r;", "assign q = en ? r : 16'bx;")
    result = check(tmp_path, ref, "counter_ref", ref.replace("counter_ref", "counter"), "counter", timeout=30)
    assert result.verdict == "proven", result.log[-3000:]
    assert result.message.startswith("proven by register correspondence: the reset sets all 1 matched registers")


@pytest.mark.formal
@pytest.mark.parametrize("runner", ["pyosys", "cli"])
def test_both_yosys_runners_give_the_same_verdicts(tmp_path, monkeypatch, runner):
    """Formal runs through the one Yosys runner (native pyosys worker by default); the yowasp CLI must agree."""
    from rtlgen.tools.yosys import RUNNER_ENV  # noqa: PLC0415

    monkeypatch.setenv(RUNNER_ENV, runner)
    for sub in "pbe":
        (tmp_path / sub).mkdir()
    proven = check(tmp_path / "p", FSM_BINARY, "fsm_ref", FSM_ONEHOT, "fsm")
    bug = check(tmp_path / "b", COMB_GOLD, "ref_top", COMB_BUG, "top")
    broken = check(tmp_path / "e", COMB_GOLD, "ref_top", COMB_REWRITE.replace("assign y", "assign y ="), "top")
    assert proven.verdict == "proven", proven.log[-3000:]
    assert bug.verdict == "counterexample" and bug.mismatch.signal == "z" and bug.mismatch.window[-1]["a"] == 77
    assert broken.verdict == "error" and "syntax error" in broken.message, broken.message


KEYWORD_NAME_REF = """
module kw_ref(input [3:0] a, input [3:0] b, output [4:0] y);
  wire [4:0] logic = a + b;
  assign y = logic;
endmodule
"""


@pytest.mark.formal
def test_verilog_2005_reference_with_a_systemverilog_keyword_name_is_read_as_verilog(tmp_path):
    """A .v reference is Verilog-2005, where `logic` is a name: formal reads it through rtl_file.read_rtl as every
    other tool does (was: read raw, Yosys -sv refused it and the reference counted as not synthesizable)."""
    result = check(tmp_path, KEYWORD_NAME_REF, "kw_ref",
                   "module kw(input [3:0] a, input [3:0] b, output [4:0] y);\n  assign y = a + b;\nendmodule\n", "kw")
    assert result.verdict == "proven", result.message
