"""Example tables in a spec's prose: what is taken, and what is left out because it could be misread."""
from __future__ import annotations

from rtlgen.spec.examples import examples
from rtlgen.spec.model import Clock, Port, Spec

AND = Spec(top="m", name="m", ports=(Port("a", "input"), Port("b", "input"), Port("q", "output")), prose="""
Read the waveform.

  time  a  b  q
  0ns   0  0  0
  5ns   0  1  x
  10ns  x  1  1
  15ns  1  1  1

Done.""")


def test_a_waveform_listing_gives_one_example_per_row_with_known_inputs():
    rows = examples(AND)
    assert [(r.inputs, r.outputs) for r in rows] == [({"a": 0, "b": 0}, {"q": 0}), ({"a": 0, "b": 1}, {"q": None}),
                                                     ({"a": 1, "b": 1}, {"q": 1})]
    assert rows[0].line == 5 and rows[0].describe() == "a=0, b=0 -> q=0 (line 5 of the spec's prose)"


def test_a_truth_table_with_bars():
    spec = AND.with_(prose="  a | b | q\n  0 | 0 | 0\n  1 | 1 | 1\n")
    assert [(r.inputs, r.outputs) for r in examples(spec)] == [({"a": 0, "b": 0}, {"q": 0}), ({"a": 1, "b": 1},
                                                                                              {"q": 1})]


def test_tables_that_could_be_misread_are_left_out():
    assert examples(AND.with_(prose="  a  q\n  0  0\n")) == []  # input b is missing
    assert examples(AND.with_(prose="  a  b\n  0  0\n")) == []  # no output
    wide = AND.with_(ports=(Port("a", "input", 4), Port("b", "input"), Port("q", "output")))
    assert examples(wide.with_(prose="  a  b  q\n  10  0  0\n")) == []  # hex or decimal, outside a waveform?
    assert examples(wide.with_(prose="  a  b  q\n  1f  0  0\n")) == []  # a hex cell outside a waveform
    assert examples(AND.with_(prose="  a  b  q\n  2  0  0\n")) == []  # no value of a 1-bit port
    clocked = AND.with_(ports=(Port("clk", "input"), *AND.ports), clock=Clock("clk"))
    assert examples(clocked) == []  # the waveform does not show the clock: which edge does a row follow?
    assert examples(AND.with_(prose="| port | dir |\n| a | input |\n")) == []


WIDE = Spec(top="m", name="m", ports=(Port("a", "input", 3), Port("c", "input", 4), Port("q", "output", 16)))


def test_multi_bit_cells_are_hex_in_a_waveform_and_sized_literals_anywhere():
    """VerilogEval prints its waveforms in hex (Prob126: ``20ns  1  aee0``); a sized literal says its own base."""
    waveform = WIDE.with_(prose="  time  a  c  q\n  0ns   x  x  x\n  15ns  1  a  aee0\n  20ns  7  f  ffff\n")
    assert [(r.inputs, r.outputs) for r in examples(waveform)] == [({"a": 1, "c": 10}, {"q": 0xAEE0}),
                                                                  ({"a": 7, "c": 15}, {"q": 0xFFFF})]
    table = WIDE.with_(prose="  a | c | q\n  3'd5 | 4'b1010 | 16'h00ff\n  1 | 9 | 16'hxxxx\n")
    assert [(r.inputs, r.outputs) for r in examples(table)] == [({"a": 5, "c": 10}, {"q": 255}),
                                                                ({"a": 1, "c": 9}, {"q": None})]
    assert examples(WIDE.with_(prose="  time  a  c  q\n  0ns  8  0  0\n")) == []  # 8 does not fit 3 bits


COUNTER = Spec(top="m", name="m", clock=Clock("clk"), ports=(Port("clk", "input"), Port("a", "input"),
                                                             Port("q", "output", 3)), prose="""
  time  clk a   q
  0ns   0   1   x
  5ns   1   1   4
  10ns  0   1   4
  15ns  1   0   4
  20ns  0   0   4
  25ns  1   x   5
  30ns  0   x   5
""")


def test_a_clocked_waveform_gives_one_example_per_cycle_the_row_before_each_active_edge():
    """VerilogEval Prob117's format: a row before an edge holds the inputs the edge samples and the outputs seen
    before it (the golden model's step contract); the last row has no edge after it but shows what precedes one.
    An input left x is driven as 0 (only outputs the listing gives are compared)."""
    cycles = examples(COUNTER)
    assert [(r.line, r.inputs, r.outputs) for r in cycles] == [(3, {"a": 1}, {"q": None}), (5, {"a": 1}, {"q": 4}),
                                                              (7, {"a": 0}, {"q": 4}), (9, {"a": 0}, {"q": 5})]
    falling = COUNTER.with_(clock=Clock("clk", "negedge"))
    assert [r.line for r in examples(falling)] == [4, 6, 8]
