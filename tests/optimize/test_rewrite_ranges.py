"""Register range analysis: the masks it finds, the registers it leaves alone, and the gate's verdicts.

The designs are this file's own (none is an RTL-OPT pair): a saturating counter, a one-hot-ish state
register, a register loaded from a narrow input, and a counter whose compare is only a flag.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from rtlgen.optimize.gate import Gate
from rtlgen.optimize.templates import propose
from rtlgen.spec.model import Candidate, Clock, Reset

RULE = "register-range-narrowing"

# saturates at 20: five bits of eight; a state register with codes 1, 2, 4; a 4-bit input plus 3 in 8 bits
REGS = """module regs(input clk, input rst, input go, input [3:0] d, output [7:0] q, output reg [7:0] st,
                  output reg [7:0] s);
  reg [7:0] n;
  always @(posedge clk)
    if (rst) n <= 8'd0;
    else if (go && n != 8'd20) n <= n + 8'd1;
  always @(posedge clk)
    if (rst) st <= 8'h01;
    else st <= st[0] ? 8'h02 : (st[1] ? 8'h04 : 8'h01);
  always @(posedge clk)
    if (rst) s <= 8'd0;
    else s <= {4'd0, d} + 8'd3;
  assign q = n;
endmodule
"""

# n == 9 only drives a flag: n runs to 255, so the hypothesis "n stays below 16" is wrong
FLAG = """module flag(input clk, input rst, output nine, output [7:0] q);
  reg [7:0] n;
  always @(posedge clk)
    if (rst) n <= 8'd0;
    else n <= n + 8'd1;
  assign nine = (n == 8'd9);
  assign q = n;
endmodule
"""


def _proposals(rtl: str, top: str) -> list[str]:
    return [p.candidate.rtl for p in propose(Candidate(rtl, top), RULE)]


def test_bits_from_comparisons_constants_and_narrow_inputs() -> None:
    counter, state, loaded = _proposals(REGS, "regs")
    assert "else if (go && n != 8'd20) n <= (n + 8'd1) & 8'h1f;" in counter        # 20 needs five bits
    assert "else st <= (st[0] ? 8'h02 : (st[1] ? 8'h04 : 8'h01)) & 8'h7;" in state  # codes 1, 2, 4
    assert "else s <= ({4'd0, d} + 8'd3) & 8'h1f;" in loaded                        # at most 15 + 3
    assert all("if (rst) n <= 8'd0;" in out for out in (counter, state, loaded))     # constant loads kept


def test_registers_it_leaves_alone() -> None:
    signed = REGS.replace("output reg [7:0] s", "output reg signed [7:0] s").replace("{4'd0, d}", "$signed(d)")
    assert not any("s <= (" in out for out in _proposals(signed, "regs"))  # sign extension is not a mask
    halves = """module halves(input clk, input [3:0] d, output reg [7:0] r);
  always @(posedge clk) begin r[3:0] <= d; r[7:4] <= 4'd0; end
endmodule
"""
    assert _proposals(halves, "halves") == []  # loaded in parts: not one value to bound
    full = """module full(input clk, input [7:0] d, output reg [7:0] r);
  always @(posedge clk) r <= d ^ r;
endmodule
"""
    assert _proposals(full, "full") == []  # every bit can be set
    comb = """module comb(input [3:0] d, output reg [7:0] r);
  always @(*) r = d + 8'd1;
endmodule
"""
    assert _proposals(comb, "comb") == []  # not a register: synthesis sees its bits already


@pytest.mark.formal
def test_the_gate_proves_the_masks_and_refuses_a_planted_wrong_one(tmp_path: Path) -> None:
    original = Candidate(REGS, "regs")
    gate = Gate(original, clock=Clock("clk"), reset=Reset("rst"), workdir=tmp_path, timeout=120)
    for i, proposal in enumerate(propose(original, RULE)):
        verdict = gate.check(original, proposal.candidate, f"right{i}")
        assert verdict.status == "proven", (proposal.description, verdict.message)
    counter = propose(original, RULE)[0].candidate.rtl
    planted = Candidate(counter.replace("& 8'h1f", "& 8'h0f"), "regs")  # drops bit 4: 16..20 wrap to 0..4
    assert gate.check(original, planted, "wrong").status == "counterexample"


@pytest.mark.formal
def test_a_wrong_bound_from_a_comparison_is_refused_by_the_gate(tmp_path: Path) -> None:
    original = Candidate(FLAG, "flag")
    (proposal,) = propose(original, RULE)
    assert "n <= (n + 8'd1) & 8'hf;" in proposal.candidate.rtl
    gate = Gate(original, clock=Clock("clk"), reset=Reset("rst"), workdir=tmp_path, timeout=120)
    assert gate.check(original, proposal.candidate, "flag").status == "counterexample"
