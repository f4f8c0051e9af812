"""Memory macros in the optimizer: recipes keep them as the synthesis flows do, and the gate proves designs holding
them with each macro a black box (its read data free inputs shared by both designs, its inputs compared)."""
from __future__ import annotations

from pathlib import Path

import pytest

import rtlgen
from rtlgen.optimize import portfolio
from rtlgen.optimize.gate import Gate
from rtlgen.optimize.loop import Search
from rtlgen.spec.model import Candidate, Clock, Reset
from rtlgen.synth.liberty import resolve_liberty
from rtlgen.synth.memories import MACRO_CELL
from rtlgen.synth.target import Target

# 64 x 8 = 512 bits: a macro from a 512-bit threshold; the read register merges into the macro's read port
RAM = """module ram(input clk, input rst, input we, input [5:0] addr, input [7:0] wdata, output reg [7:0] rdata,
           output reg [3:0] writes);
reg [7:0] mem [0:63];
wire write = we;
always @(posedge clk) begin
  if (write) mem[addr] <= wdata;
  rdata <= mem[addr];
end
always @(posedge clk) if (rst) writes <= 4'd0; else if (we) writes <= writes + 4'd1;
endmodule
"""
MACRO_BITS = 512
WRONG_ENABLE = RAM.replace("wire write = we;", "wire write = we & (addr != 6'd5);")  # word 5 never written
# writes from the cycle after power-up only: the same as RAM but in the first cycle, which the proof's reset takes
ARMED = RAM.replace("wire write = we;", "reg armed;\nalways @(posedge clk) armed <= 1'b1;\nwire write = we & armed;")
ASYNC_READ = RAM.replace("output reg [7:0] rdata", "output [7:0] rdata").replace(
    "  rdata <= mem[addr];\n", "").replace("endmodule", "assign rdata = mem[addr];\nendmodule")
EQUAL = RAM.replace("wire write = we;", "wire write = we & (addr != 6'd5 | 1'b1);")  # the same, written otherwise


def _gate(tmp_path: Path, reset: bool = True) -> Gate:
    return Gate(Candidate(RAM, "ram"), clock=Clock("clk"), reset=Reset("rst") if reset else None,
                workdir=tmp_path / "gate", timeout=120, macro_bits=MACRO_BITS)


@pytest.mark.formal
@pytest.mark.parametrize("reset", [True, False])
def test_logic_around_a_macro_is_proven_and_a_wrong_write_enable_is_a_counterexample(tmp_path: Path, reset: bool):
    gate = _gate(tmp_path, reset)
    same = gate.check(gate.original, Candidate(EQUAL, "ram"), "equal")
    assert same.status == "proven", same.message
    assert same.message.startswith("memory macros as black boxes ('mem' 64 x 8")
    wrong = gate.check(gate.original, Candidate(WRONG_ENABLE, "ram"), "wrong-enable")
    assert wrong.status == "counterexample", wrong.message
    assert "mem_macro_write_" in wrong.message  # found at the macro's pins, a black box's inputs


@pytest.mark.formal
def test_a_write_in_the_reset_cycle_counts(tmp_path: Path):
    """The proof compares outputs from the cycle after the reset; a write during the reset still changes the memory,
    so the macro's inputs are compared one cycle late and this design is not proven equal."""
    verdict = _gate(tmp_path).check(Candidate(RAM, "ram"), Candidate(ARMED, "ram"), "reset-write")
    assert verdict.status == "counterexample", verdict.message
    assert "mem_macro_write_enable" in verdict.message


@pytest.mark.formal
def test_macros_that_behave_differently_are_never_paired(tmp_path: Path):
    """Same geometry, but one reads asynchronously and the other through a read register: not the same memory."""
    verdict = _gate(tmp_path).check(Candidate(RAM, "ram"), Candidate(ASYNC_READ, "ram"), "async-read")
    assert verdict.status == "inconclusive"
    assert "memory macros cannot be paired" in verdict.message and "RD_CLK_ENABLE" in verdict.message


@pytest.mark.synth
@pytest.mark.formal
def test_a_recipe_keeps_the_macro_and_its_netlist_is_proven(tmp_path: Path, nangate45):
    flow = str(portfolio.Recipe(clock_gating=True, abc="area").write(tmp_path))
    liberty = resolve_liberty(nangate45)
    netlist = portfolio.proof_netlist(Candidate(RAM, "ram"), flow, liberty, tmp_path / "netlist",
                                      memory_macro_bits=MACRO_BITS)
    assert MACRO_CELL in netlist.rtl  # not 512 flip-flops
    gate = _gate(tmp_path)
    verdict = gate.check(gate.original, netlist, "recipe")
    assert verdict.status == "proven", verdict.message
    bad = portfolio.proof_netlist(Candidate(WRONG_ENABLE, "ram"), flow, liberty, tmp_path / "bad",
                                  memory_macro_bits=MACRO_BITS)
    assert gate.check(gate.original, bad, "bad-recipe").status == "counterexample"


@pytest.mark.synth
@pytest.mark.formal
@pytest.mark.sim
def test_a_design_holding_a_macro_is_optimized_with_power_priced_vectorless(tmp_path: Path, nangate45, providers):
    """A stimulus cannot be replayed through a black box: the run prices power as a synthesis without one does,
    and says so, instead of refusing the input."""
    providers()
    result = rtlgen.optimize(Candidate(RAM, "ram"), Target(liberty=nangate45, memory_macro_bits=MACRO_BITS),
                             Search(llm=False, flows=False), workdir=tmp_path)
    assert result.exit_code == 0 and result.equivalence == "proven" and result.autotb == "pass"
    assert result.providers["power"].startswith("vectorless: the memory macros (mem 64 x 8)")
