"""Large inferred memories are kept as memory macros: an estimated area reported apart, timing through them cut."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from rtlgen.cli import cli
from rtlgen.errors import ConfigError
from rtlgen.spec.model import Candidate
from rtlgen.synth.api import synthesize
from rtlgen.synth.liberty import load_liberty
from rtlgen.synth.memories import DEFAULT_MACRO_BITS, MACRO_CELL, bit_cell
from rtlgen.synth.report import SynthReport
from rtlgen.synth.target import Target

from .conftest import simulate_dump

pytestmark = pytest.mark.synth


def ram(words: int, width: int) -> Candidate:
    """A RAM with one write port and one registered read port (Yosys infers one $mem_v2 of words x width)."""
    abits = (words - 1).bit_length()
    return Candidate(f"""module ram(input clk, input we, input [{abits - 1}:0] waddr, input [{abits - 1}:0] raddr,
           input [{width - 1}:0] din, output reg [{width - 1}:0] dout);
  reg [{width - 1}:0] mem [0:{words - 1}];
  always @(posedge clk) begin
    if (we) mem[waddr] <= din;
    dout <= mem[raddr];
  end
endmodule
""", "ram")


def test_a_64x8_ram_over_the_threshold_is_one_macro_with_its_area_apart(nangate45: str) -> None:
    lib = load_liberty(nangate45)
    report = synthesize(ram(64, 8), Target(liberty=lib, memory_macro_bits=512), use_cache=False)
    (macro,) = report.memory_macros
    assert (macro.name, macro.words, macro.width, macro.bits) == ("mem", 64, 8, 512)
    assert (macro.read_ports, macro.write_ports) == (1, 1)
    flop, flop_area = bit_cell(lib)
    assert macro.estimated_area_um2 == pytest.approx(512 * flop_area) and flop in macro.estimate
    # the read register went into the macro's read port: no flip-flop, no liberty cell left, nothing lost
    assert report.cells == {MACRO_CELL: 1} and report.area_um2 == 0.0 and not report.lost_logic
    assert report.delay_ns is None  # every timing path starts or ends at the black box: cut
    assert any("memory macro" in w and "timing paths into and out of it are cut" in w for w in report.warnings)
    assert "| memory macro mem | 64 x 8 (512 bits" in report.to_markdown()
    assert SynthReport.from_dict(json.loads(report.to_json())).memory_macros == report.memory_macros


@pytest.mark.parametrize("threshold, macros", [(32, 1), (33, 0), (None, 0), (DEFAULT_MACRO_BITS, 0)])
def test_the_threshold_counts_bits_and_none_keeps_flip_flops(nangate45: str, threshold: int | None,
                                                            macros: int) -> None:
    report = synthesize(ram(8, 4), Target(liberty=nangate45, memory_macro_bits=threshold), use_cache=False)
    assert len(report.memory_macros) == macros
    if not macros:  # 32 bits of storage and the 4-bit read register as flip-flops, in the area
        flop_area = bit_cell(load_liberty(nangate45))[1]
        assert MACRO_CELL not in report.cells and report.sequential_area_um2 >= 36 * flop_area


def test_a_rom_stays_logic_whatever_its_size(nangate45: str) -> None:
    rom = Candidate("""module rom(input [2:0] addr, output [7:0] dout);
  reg [7:0] mem [0:7];
  integer i;
  initial for (i = 0; i < 8; i = i + 1) mem[i] = 8'h1d * i;
  assign dout = mem[addr];
endmodule
""", "rom")
    report = synthesize(rom, Target(liberty=nangate45, memory_macro_bits=8), use_cache=False)
    assert not report.memory_macros and report.area_um2 > 0 and not report.lost_logic


def test_a_stimulus_cannot_be_replayed_through_a_macro(nangate45: str, tmp_path: Path) -> None:
    bench = """module tb; reg clk = 0, we = 1; reg [2:0] waddr = 0, raddr = 0; reg [3:0] din = 0; wire [3:0] dout;
  ram dut(.clk(clk), .we(we), .waddr(waddr), .raddr(raddr), .din(din), .dout(dout));
  always #5 clk = ~clk;
  initial begin $dumpfile("sim.vcd"); $dumpvars(0, tb); repeat (8) @(negedge clk) begin waddr = waddr + 1;
    din = din + 3; end $finish; end
endmodule
"""
    dump = simulate_dump(tmp_path / "sim", bench, ram(8, 4).rtl)
    with pytest.raises(ConfigError, match="memory macro mem: build memories from flip-flops"):
        synthesize(ram(8, 4), Target(liberty=nangate45, memory_macro_bits=32), vcd=str(dump), use_cache=False)


def test_the_threshold_must_be_positive_bits_or_off(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="positive number of bits"):
        Target(memory_macro_bits=0)
    assert Target.from_dict(Target(memory_macro_bits=None).to_dict()).memory_macro_bits is None
    design = tmp_path / "ram.v"
    design.write_text(ram(8, 4).rtl)
    result = CliRunner().invoke(cli, ["synth", str(design), "--memory-macro-bits", "lots"])
    assert result.exit_code == 2 and "neither a positive number of bits nor 'off'" in result.output
