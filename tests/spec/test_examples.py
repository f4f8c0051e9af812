"""Example tables in a spec's prose: what is taken, and what is left out because it could be misread."""
from __future__ import annotations

from rtlgen.spec.examples import examples, truth_table
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


ABC = Spec(top="m", name="m", ports=(Port("a", "input"), Port("b", "input"), Port("c", "input"), Port("out", "output")))
KMAP1 = """The module should implement the circuit described by the Karnaugh map below.

          a
   bc   0   1
   00 | 0 | 1 |
   01 | 1 | d |
   11 | 1 | 1 |
   10 | 1 | 1 |
"""


def test_a_karnaugh_map_of_the_one_output_gives_one_example_per_cell():
    """VerilogEval Prob050's layout: the column variables alone, then the row variables and the column codes, then a
    line per row code (bc = 01: b is 0, c is 1); d is don't-care. Read as a table, the map was not an example at all
    (measured: 2 of the 1.5B model's 3 models and 1 of 5 samples read it as a & b & c)."""
    rows = {(r.inputs["a"], r.inputs["b"], r.inputs["c"]): r.outputs["out"] for r in examples(ABC.with_(prose=KMAP1))}
    assert rows == {(0, 0, 0): 0, (1, 0, 0): 1, (0, 0, 1): 1, (1, 0, 1): None, (0, 1, 1): 1, (1, 1, 1): 1,
                    (0, 1, 0): 1, (1, 1, 0): 1}
    assert examples(ABC.with_(prose=KMAP1))[2].line == 6


def test_a_karnaugh_map_is_left_out_unless_its_variables_are_the_inputs_and_it_is_whole():
    """VerilogEval Prob093: a map over a, b, c, d for a module whose inputs are c and d (its outputs feed a mux that
    a and b select) is no example of the module."""
    cd = Spec(top="m", name="m", ports=(Port("c", "input"), Port("d", "input"), Port("mux_in", "output", 4)))
    assert examples(cd.with_(prose="      ab\n  cd  00  01  11  10\n  00 | 0 | 0 | 0 | 1 |\n")) == []
    assert examples(ABC.with_(prose=KMAP1.replace("   10 | 1 | 1 |\n", ""))) == []  # a row code missing
    assert examples(ABC.with_(prose=KMAP1.replace("01 | 1 | d |", "01 | 1 | 2 |"))) == []  # no value of a bit
    two_outputs = ABC.with_(ports=(*ABC.ports, Port("q", "output")))
    assert examples(two_outputs.with_(prose=KMAP1)) == []  # which output do the cells give?


def test_a_complete_truth_table_covers_every_input_with_every_output():
    """A waveform that shows every combination (VerilogEval Prob090, rows repeating) or a whole Karnaugh map is a
    complete truth table; a missing combination or output, or repeats that disagree, are not."""
    assert len(truth_table(ABC.with_(prose=KMAP1))) == 8
    assert len(truth_table(AND.with_(prose=AND.prose.replace("  15ns  1  1  1", "  15ns  1  1  1\n  20ns  1  0  0\n"
                                                                  "  25ns  0  1  0\n  30ns  1  0  0")))) == 4
    assert truth_table(AND) == []  # a=1, b=0 is not shown
    assert truth_table(AND.with_(prose="  a | b | q\n  0 | 0 | 0\n  0 | 1 | 0\n  1 | 0 | 0\n  1 | 1 | 1\n"
                                       "  1 | 1 | 0\n")) == []  # a=b=1 gives q two values
    two_outputs = AND.with_(ports=(*AND.ports, Port("r", "output")))
    assert truth_table(two_outputs.with_(prose="  a | b | q\n  0 | 0 | 0\n  0 | 1 | 0\n  1 | 0 | 0\n"
                                               "  1 | 1 | 1\n")) == []  # r is never given
    clocked = ABC.with_(ports=(Port("clk", "input"), *ABC.ports), clock=Clock("clk"))
    assert truth_table(clocked.with_(prose=KMAP1)) == []
