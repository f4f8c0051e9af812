"""Soundness of every template rewrite: the rewrite is proven equivalent; a planted wrong variant is not.

The wrong variants are the mistakes a careless rewrite makes (a shift-add with a wrong constant, a
missing carry-in, swapped select polarity, the dead branch kept, branches merged that differ, a
comparison off by equality); the equivalence gate must reject each with a counterexample.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest

from rtlgen.optimize.rules import load_rules
from rtlgen.optimize.templates import implemented, propose
from rtlgen.spec.interface import infer_clock, infer_reset, read_ports
from rtlgen.spec.model import Candidate
from rtlgen.verify.formal.pairwise import prove_equivalent

pytestmark = pytest.mark.formal


def _replace(old: str, new: str) -> Callable[[str], str]:
    def plant(rtl: str) -> str:
        assert old in rtl, f"{old!r} not in the rewritten design:\n{rtl}"
        return rtl.replace(old, new)
    return plant


NOT_IDENTICAL = """module same(input c, input [3:0] a, output reg [3:0] y);
  always @(*) begin
    if (c) y = a + 4'd1;
    else   y = a + 4'd2;
  end
endmodule
"""

# rule -> (a planted wrong version of its rewrite of the rule's own example)
WRONG: dict[str, Callable[[str], str]] = {
    "const-mult-shift-add": _replace("(a << 3) + a", "(a << 3) + (a << 1)"),        # x * 10, not x * 9
    "share-add-sub": _replace("(c ? 1'b0 : 1'b1)", "(c ? 1'b0 : 1'b0)"),           # carry-in of the subtract lost
    "absolute-difference": _replace("absdiff_wide[16] ?", "absdiff_wide[15] ?"),   # a data bit as the borrow
    "share-mux-before-arith": _replace("(c ? p : q)", "(c ? q : p)"),               # select polarity swapped
    "mux-constant-condition": _replace("assign y = a;", "assign y = b;"),           # the dead branch kept
    "mux-identical-branches": lambda rtl: NOT_IDENTICAL.replace(
        "    if (c) y = a + 4'd1;\n    else   y = a + 4'd2;", "    y = a + 4'd1;"),  # merged branches that differ
    "compare-word-level": _replace("A > B", "A >= B"),                               # off by equality
    "compare-merge-derived": _replace("a >= b", "a > b"),                            # eq || gt taken as gt
    "compare-from-borrow": _replace("borrow = a < b", "borrow = a <= b"),           # a borrow when equal
    "operand-isolation": _replace("(sel ? a :", "(!sel ? a :"),                      # gated by the wrong polarity
    "constant-register-removal": _replace("= 4'hF;", "= 4'hE;"),                     # not the value it held
    "decoder-compare-per-output": _replace("(in == 7), (in == 6)", "(in == 6), (in == 7)"),  # outputs swapped
    "table-for-narrow-function": _replace("= 6'd14;", "= 6'd15;"),                      # one entry off
    "mux-andor-to-index": _replace("(sel == 1) ? b", "(sel == 1) ? c"),                 # wrong input routed
    "alu-shared-adder": _replace("(op == 1) ? 1'b1 : 1'b1)", "(op == 1) ? 1'b0 : 1'b1)"),  # a - b without carry-in
    "share-operator-across-branches": _replace("((m == 2'd0) ? b : d)", "((m == 2'd0) ? d : b)"),  # operands swapped
    "register-range-narrowing": _replace("& 8'hf;", "& 8'h7;"),                          # the count wraps at 8
    "word-level-operators": _replace("r__b_zero : a % b", "r__b_zero : a / b"),        # quotient as remainder
}


# proving multipliers equal is hard for SAT: the isolation rule is checked on a 4-bit multiplier
SMALL_MULTIPLIER = """module iso(input sel, input [3:0] a, b, c, output [7:0] y);
  assign y = sel ? a * b : {4'd0, c};
endmodule
"""


def _top(rtl: str) -> str:
    return rtl.split("module", 1)[1].split("(", 1)[0].strip()


def _designs(rule_id: str) -> tuple[Candidate, Candidate]:
    """(design the right rewrite starts from, design the wrong variant is compared with)."""
    before = SMALL_MULTIPLIER if rule_id == "operand-isolation" else load_rules().get(rule_id).example.before
    wrong_gold = NOT_IDENTICAL if rule_id == "mux-identical-branches" else before
    return Candidate(before, _top(before)), Candidate(wrong_gold, _top(wrong_gold))


def test_every_template_rule_has_a_planted_wrong_variant() -> None:
    assert set(WRONG) == implemented()


@pytest.mark.parametrize("rule_id", sorted(WRONG))
def test_right_rewrite_is_proven_and_wrong_one_has_a_counterexample(rule_id: str, tmp_path: Path) -> None:
    start, gold = _designs(rule_id)
    ports = read_ports(start.rtl, start.top)
    clocking = {"clock": infer_clock(ports, start.rtl), "reset": infer_reset(ports, start.rtl)}
    proposal = propose(start, rule_id)[0]
    proven = prove_equivalent(start, proposal.candidate, workdir=tmp_path / "right", **clocking)
    assert proven.verdict == "proven", proven.message

    wrong = Candidate(WRONG[rule_id](proposal.candidate.rtl), gold.top)
    assert wrong.rtl != gold.rtl
    refuted = prove_equivalent(gold, wrong, workdir=tmp_path / "wrong", **clocking)
    assert refuted.verdict == "counterexample", refuted.message


RTL_OPT_SITES = {"mul_const": "const-mult-shift-add", "add_sub": "share-add-sub", "addr_calcu": "share-mux-before-arith",
                 "comparator": "compare-merge-derived", "comparator_8bit": "compare-word-level",
                 "decoder_8bit": "decoder-compare-per-output", "selector": "table-for-narrow-function",
                 "mux_4to1_64bit": "mux-andor-to-index", "alu_8bit": "alu-shared-adder"}


@pytest.mark.bench
@pytest.mark.slow
@pytest.mark.parametrize("design", sorted(RTL_OPT_SITES))
def test_every_site_on_rtl_opt_designs_is_proven(design: str, benchmarks: Path, tmp_path: Path) -> None:
    path = next((benchmarks / "rtl-opt" / design).glob(f"{design}.*v"))
    gold = Candidate(path.read_text(), design)
    proposals = propose(gold, RTL_OPT_SITES[design])
    assert proposals
    for i, proposal in enumerate(proposals):
        result = prove_equivalent(gold, proposal.candidate, clock=None, reset=None, workdir=tmp_path / str(i))
        assert result.verdict == "proven", (proposal.description, result.message)
