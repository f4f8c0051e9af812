"""Register correspondence on what synthesis makes of a design.

Bit by bit: a register that synthesis split into one-bit flip-flops (``r_reg[2]``) or stripped of a bit no output
reads is proven against the RTL's whole register; a planted wrong bit is refused. x constants (picorv32's
``reg_out <= 'bx`` defaults): resolved as Yosys synthesis resolves them in the optimizer's gate, saying so; never in
the check of a candidate against a spec's reference, whose x the simulation shows."""
from __future__ import annotations

import pytest

from rtlgen.spec.model import Candidate, Clock
from rtlgen.verify.formal import prove_equivalent
from rtlgen.verify.formal.corr import RESOLVED_X, Register, pair_bits

from tests.verify.test_formal_coverage import STORES_X

# r starts free (no reset, no initial value); r[4] reaches q only through a term that is always 0, which
# Yosys's front end keeps and synthesis removes (the shape of axis_adapter's s_axis_tkeep_reg[0])
WHOLE = """
module acc(input clk, input load, input en, input [3:0] d, output [3:0] q);
  reg [4:0] r;
  always @(posedge clk) begin
    if (load) r[3:0] <= d; else if (en) r[3:0] <= r[3:0] + 4'd1;
    r[4] <= r[4] ^ d[0];
  end
  assign q = r[3:0] ^ d ^ {3'd0, r[4] & load & ~load};
endmodule
"""
# the netlist's shape: one flip-flop per bit, named as Yosys and other tools name them, no wire of all four
SPLIT = """
module acc(input clk, input load, input en, input [3:0] d, output [3:0] q);
  reg \\r_reg[0] , \\r_reg[1] , \\r_reg[2] , \\r_reg[3] ;
  wire [3:0] next = load ? d : en ? {\\r_reg[3] , \\r_reg[2] , \\r_reg[1] , \\r_reg[0] } + 4'd1
                                 : {\\r_reg[3] , \\r_reg[2] , \\r_reg[1] , \\r_reg[0] };
  always @(posedge clk) begin
    \\r_reg[0] <= next[0]; \\r_reg[1] <= next[1]; \\r_reg[2] <= next[2]; \\r_reg[3] <= next[3];
  end
  assign q = {\\r_reg[3] , \\r_reg[2] , \\r_reg[1] , \\r_reg[0] } ^ d;
endmodule
"""
SPLIT_BUG = SPLIT.replace("\\r_reg[2] <= next[2];", "\\r_reg[2] <= next[1];")  # bit 2 loads bit 1's value


@pytest.mark.formal
def test_a_register_split_into_bits_and_stripped_of_a_dead_bit_is_proven_naming_the_pairing(tmp_path):
    result = prove_equivalent(Candidate(WHOLE, "acc"), Candidate(SPLIT, "acc"), clock=Clock("clk"), reset=None,
                              workdir=tmp_path)
    assert (result.verdict, result.strength) == ("proven", "proven"), result.log[-3000:]
    assert "proven under register correspondence" in result.message
    assert "4 bits paired bit by bit across registers of another name or width (r[0]=r_reg[0]" in result.message
    assert "1 bits without a partner start free in their design" in result.message
    assert "reference:r[4]" in result.message


@pytest.mark.formal
def test_a_wrong_bit_in_the_split_register_is_a_counterexample(tmp_path):
    result = prove_equivalent(Candidate(WHOLE, "acc"), Candidate(SPLIT_BUG, "acc"), clock=Clock("clk"), reset=None,
                              workdir=tmp_path)
    assert result.verdict == "counterexample", result.message
    assert result.mismatch.signal == "q"
    assert "next state of r" in result.log  # the correspondence stage names the bits that differ


def test_bits_pair_by_name_exact_names_first_and_never_twice():
    gold = [Register("r", 4, {"d": 4, "c": 1}), Register("s", 1, {"d": 1, "c": 1})]
    gate = [Register("r_reg[1]", 1, {"d": 1, "c": 1}), Register("r[1]", 1, {"d": 1, "c": 1}),
            Register("s_reg", 1, {"d": 1, "c": 1}), Register("r_reg[2]", 1, {"d": 1, "r": 1, "c": 1})]
    pairing = pair_bits(gold, gate)
    assert pairing.pairs == {("r", 1): ("r[1]", 0), ("s", 0): ("s_reg", 0)}
    # r_reg[2] has an async reset, r none: flip-flops of different kinds stay apart
    assert pairing.unpaired == ["reference:r[0]", "reference:r[2]", "reference:r[3]", "candidate:r_reg[1]",
                                "candidate:r_reg[2]"]


def test_a_name_two_bits_of_one_design_share_pairs_neither():
    gold = [Register("r", 2, {"d": 2, "c": 1})]
    gate = [Register("r[1]", 1, {"d": 1, "c": 1}), Register("r", 2, {"d": 2, "c": 1})]
    assert pair_bits(gold, gate).pairs == {("r", 0): ("r", 0)}


def test_a_piece_splitnets_cut_from_a_wire_keeps_the_wires_bit_numbers():
    gold = [Register("r[3:0]", 4, {"d": 4, "c": 1}, "r", 0)]
    gate = [Register("r_reg[2]", 1, {"d": 1, "c": 1})]
    assert pair_bits(gold, gate).pairs == {("r[3:0]", 2): ("r_reg[2]", 0)}


# picorv32's shape: a default of x that a case overwrites, and an enable whose hold path is x
LOADS_X = """
module alu(input clk, input [1:0] op, input [3:0] a, input go, output [3:0] q);
  reg [3:0] r, s;  // no reset
  always @(posedge clk) begin
    r <= 4'bx;
    case (op) 2'd0: r <= a; 2'd1: r <= r + a; 2'd2: r <= s; endcase
    s <= go ? r : 4'bx;
  end
  assign q = r ^ s;
endmodule
"""


@pytest.mark.formal
def test_x_constants_are_resolved_as_synthesis_does_and_the_verdict_says_so(tmp_path):
    result = prove_equivalent(Candidate(LOADS_X, "alu"), Candidate(LOADS_X, "alu"), clock=Clock("clk"), reset=None,
                              workdir=tmp_path)
    assert (result.verdict, result.strength) == ("proven", "proven"), result.log[-3000:]
    assert RESOLVED_X in result.message
    assert "(not proven: some output or next state differs" in result.log  # without the resolution: no proof


@pytest.mark.formal
def test_a_bug_beside_resolved_x_constants_is_a_counterexample(tmp_path):
    bug = LOADS_X.replace("2'd1: r <= r + a;", "2'd1: r <= r - a;")
    result = prove_equivalent(Candidate(LOADS_X, "alu"), Candidate(bug, "alu"), clock=Clock("clk"), reset=None,
                              workdir=tmp_path)
    assert result.verdict == "counterexample", result.message
    assert result.mismatch.signal == "q"


@pytest.mark.formal
def test_a_candidate_that_puts_x_where_the_reference_has_a_value_is_not_proven(tmp_path):
    """Resolved, the candidate's x is the other input (a), not the reference's value (d + 1)."""
    gold = STORES_X.replace("en ? d : 4'bx", "en ? d : d + 4'd1")
    result = prove_equivalent(Candidate(gold, "xs"), Candidate(STORES_X, "xs"), clock=Clock("clk"), reset=None,
                              workdir=tmp_path, timeout=60)
    assert result.verdict != "proven", result.message


def test_memory_words_are_registers_of_their_own_not_pieces_of_the_memory():
    """`pht[1]` two bits wide is a memory word: its bits are pht[1][0] and pht[1][1], not pht[1] and pht[2]."""
    from rtlgen.verify.formal.corr import registers
    module = {"ports": {f"pht[{i}]__rtlgen_{part}": {"direction": "input" if part == "q" else "output",
                                                     "bits": [10 * i + b + (5 if part == "d" else 0) for b in (0, 1)]}
                        for i in (1, 2) for part in ("q", "d")},
              "cells": {"read": {"connections": {"A": [10, 11, 20, 21]}}}}
    words = registers(module, set())
    assert [w.bit_name(b) for w in words for b in (0, 1)] == ["pht[1][0]", "pht[1][1]", "pht[2][0]", "pht[2][1]"]
    assert len(pair_bits(words, words).pairs) == 4
