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
    assert examples(wide.with_(prose="  a  b  q\n  1  0  0\n")) == []  # hex or decimal?
    clocked = AND.with_(ports=(Port("clk", "input"), *AND.ports), clock=Clock("clk"))
    assert examples(clocked) == []  # which edge does a row follow?
    assert examples(AND.with_(prose="| port | dir |\n| a | input |\n")) == []
