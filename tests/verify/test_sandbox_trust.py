"""A user's own files are trusted: sandbox findings become notes naming the file and line; LLM text is refused."""
from __future__ import annotations

from pathlib import Path

import pytest

from rtlgen.errors import UnsafeRTL
from rtlgen.spec.model import Candidate
from rtlgen.spec.sources import candidate_from_files
from rtlgen.verify.sandbox import check_untrusted

# verilog-axis style: parameters checked at elaboration, $finish when they are wrong.
CHECKED_FIFO = """module checked_reg #(parameter WIDTH = 8) (input clk, input [WIDTH-1:0] d, output reg [WIDTH-1:0] q);
  initial begin
    if (WIDTH < 1) begin
      $error("Error: WIDTH must be positive (instance %m)");
      $finish;
    end
    if (WIDTH > 64) begin
      $error("Error: WIDTH must be at most 64 (instance %m)");
      $finish;
    end
  end
  always @(posedge clk) q <= d;
endmodule
"""


@pytest.fixture
def design(tmp_path: Path) -> Path:
    path = tmp_path / "checked_reg.v"
    path.write_text(CHECKED_FIFO)
    return path


def test_user_files_are_trusted_and_findings_name_their_file_and_line(design: Path) -> None:
    candidate = candidate_from_files([design])
    assert candidate.trusted and Candidate.from_dict(candidate.to_dict()) == candidate
    notes = check_untrusted(candidate.rtl, trusted=True)
    assert notes == (f"not scanned as untrusted: {design}:5, 9: $finish ends the simulation, which could cut the "
                     "testbench short before it reports mismatches (your own files are trusted)",)


def test_the_same_text_from_an_llm_is_still_refused(design: Path) -> None:
    untrusted = Candidate(CHECKED_FIFO, "checked_reg", origin="llm")
    assert not untrusted.trusted and not Candidate.from_dict(untrusted.to_dict()).trusted
    with pytest.raises(UnsafeRTL, match=r"line 5: \$finish"):
        check_untrusted(untrusted.rtl, trusted=untrusted.trusted)


def test_trusted_design_with_a_parameter_check_synthesizes(design: Path, tmp_path: Path, monkeypatch) -> None:
    from rtlgen.synth.api import synthesize  # noqa: PLC0415

    monkeypatch.delenv("RTLGEN_LIBERTY", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))  # no liberty: the quick estimate flow
    assert synthesize(candidate_from_files([design]), use_cache=False).cell_count == 8
    with pytest.raises(UnsafeRTL, match=r"\$finish"):
        synthesize(Candidate(CHECKED_FIFO, "checked_reg", origin="llm"), use_cache=False)
