"""Which of the spec's inputs reach a design's outputs (a tie-break of the spec-only judgement)."""
from __future__ import annotations

from pathlib import Path

from rtlgen.generate.witnesses import inputs_without_effect
from rtlgen.spec.model import Candidate, Port, Spec

SPEC = Spec(top="t", ports=(Port("clk", "input"), Port("d", "input"), Port("e", "input"), Port("q", "output")))


def _ignored(rtl: str, tmp_path: Path) -> tuple[str, ...]:
    return inputs_without_effect(Candidate(rtl=rtl, top="t"), SPEC, tmp_path / "reach")


def test_an_input_reaching_an_output_through_a_register_has_effect(tmp_path: Path):
    rtl = ("module t (input clk, input d, input e, output reg q);\n"
           "  reg r;\n  always @(posedge clk) begin r <= d ^ e; q <= r; end\nendmodule\n")
    assert _ignored(rtl, tmp_path) == ()


def test_an_input_feeding_only_an_unused_wire_has_none(tmp_path: Path):
    rtl = ("module t (input clk, input d, input e, output reg q);\n"
           "  wire unused = e & d;\n  always @(posedge clk) q <= d;\nendmodule\n")
    assert _ignored(rtl, tmp_path) == ("e",)


def test_an_input_written_into_a_memory_that_an_output_reads_has_effect(tmp_path: Path):
    rtl = ("module t (input clk, input d, input e, output q);\n  reg mem [0:1];\n"
           "  always @(posedge clk) mem[e] <= d;\n  assign q = mem[1'b0];\nendmodule\n")
    assert _ignored(rtl, tmp_path) == ()


def test_a_design_yosys_cannot_read_gives_no_evidence(tmp_path: Path):
    assert _ignored("module t (input clk, input d, input e, output q);\n  assign q = ;\nendmodule\n", tmp_path) == ()
