"""Readable formal counterexamples (issue 7): the input sequence from reset, differing bits, a VCD of both designs."""
from __future__ import annotations

from pathlib import Path

import pandas
import pytest
from vcd.reader import TokenKind, tokenize

from rtlgen.spec.model import Port
from rtlgen.verify.formal.trace import cycle_table, differing_bits, name_bits, write_vcd
from tests.verify.test_formal import COUNTER_REF, check

ACC_REF = """
module acc_ref(input clk, input rst, input [31:0] d, output reg [31:0] q);
  always @(posedge clk) if (rst) q <= 32'd0; else q <= q + d;
endmodule
"""
# bits 9 and 3:1 flip once q passes 1000: a bug on a wide bus, some cycles after reset
ACC_BUG = ACC_REF.replace("module acc_ref(", "module acc(").replace(
    "q <= q + d;", "q <= (q > 32'd1000) ? (q + d) ^ 32'h20e : q + d;")


def test_differing_bits_are_named_as_ranges():
    assert differing_bits("1010", "1001") == [1, 0]
    assert differing_bits("1x10", "0110") == [3]  # a reference x is a don't-care
    assert name_bits("q", [9, 3, 2, 1], 32) == "q[9], q[3:1]"
    assert name_bits("y", [0], 1) == "y"


def test_cycle_table_and_vcd_of_a_trace(tmp_path):
    inputs, outputs = (Port("clk", "input"), Port("d", "input", 8)), (Port("q", "output", 8),)
    trace = {1: {"clk": "0", "d": "00000011", "gold__q": "00000000", "gate__q": "00000000"},
             2: {"clk": "0", "d": "00000101", "gold__q": "00000011", "gate__q": "0000001x"}}
    table = cycle_table(trace, inputs, outputs, "clk")
    assert list(table.columns) == ["cycle", "d", "q", "q_expected"]
    assert table.to_dict("records")[1] == {"cycle": 1, "d": "8'h05", "q": "8'b0000001x", "q_expected": "8'h03"}
    vcd = write_vcd(tmp_path / "t.vcd", trace, inputs, outputs, "clk")
    changes = [(t.scalar_change if t.kind is TokenKind.CHANGE_SCALAR else t.vector_change)
               for t in tokenize(vcd.open("rb")) if t.kind in (TokenKind.CHANGE_SCALAR, TokenKind.CHANGE_VECTOR)]
    assert len(changes) >= 6  # d, gold q, dut q per step, and the clock rising in each cycle
    scopes = [t.data.ident for t in tokenize(vcd.open("rb")) if t.kind is TokenKind.SCOPE]
    assert sorted(scopes) == ["dut", "gold", "miter"]


@pytest.mark.formal
def test_counterexample_on_a_wide_bus_names_bits_and_lists_inputs_from_reset(tmp_path):
    result = check(tmp_path, ACC_REF, "acc_ref", ACC_BUG, "acc")
    assert result.verdict == "counterexample", result.log[-3000:]
    m = result.mismatch
    assert m.signal == "q"
    expected, actual = int(m.expected.split("'h")[1], 16), int(m.actual.split("'h")[1], 16)
    assert expected ^ actual == 0x20E
    assert "differing bits: q[9], q[3:1]" in result.message
    cycles = pandas.read_csv(result.artifacts["cycles"], dtype=str)
    assert cycles["cycle"].tolist() == [str(c) for c in range(m.cycle + 1)]  # from reset to the mismatch
    assert cycles["rst"].iloc[0] == "1"  # the forced reset of cycle 0
    assert "input sequence from reset" in result.message and "q_expected" in result.message
    names = {t.data.reference for t in tokenize(Path(result.artifacts["trace"]).open("rb"))
             if t.kind is TokenKind.VAR}
    assert {"d", "rst", "q"} <= names


@pytest.mark.formal
def test_long_counterexample_table_keeps_its_first_and_last_cycles(tmp_path):
    bug = COUNTER_REF.replace("module counter_ref(", "module counter(").replace(
        "r <= r + 16'd1;", "r <= (r == 16'd60) ? 16'd0 : r + 16'd1;")
    result = check(tmp_path, COUNTER_REF, "counter_ref", bug, "counter")
    assert result.verdict == "counterexample", result.log[-3000:]
    assert "cycles ..." in result.message and len(result.message.splitlines()) < 50
    assert len(pandas.read_csv(result.artifacts["cycles"])) == result.mismatch.cycle + 1
