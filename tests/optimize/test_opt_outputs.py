"""What ``rtlgen optimize`` writes: the design as a file of its own, not the combined text the tools read."""
from __future__ import annotations

from pathlib import Path

from rtlgen.optimize.report import write_outputs
from rtlgen.optimize.result import OptResult
from rtlgen.spec.sources import collect, read_design


def test_written_rtl_has_no_line_directives_into_the_input_folder(tmp_path: Path) -> None:
    """The input is two files and an include (each bracketed by ```line`` directives naming them when combined);
    the written design names none of them and reads back as the same design."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "width.vh").write_text("localparam W = 4;\n")
    (src / "inv.v").write_text("module inv(input [3:0] a, output [3:0] y); assign y = ~a; endmodule\n")
    (src / "top.v").write_text('module top(input [3:0] a, output [3:0] y);\n  `include "width.vh"\n'
                               "  inv u(.a(a), .y(y));\nendmodule\n")
    design = read_design(collect([src / "top.v", src / "inv.v"], defines=["FAST"]), "top")
    assert str(src) in design.candidate.rtl  # the combined text the tools read names the user's files
    result = OptResult(top="top", liberty=None, clock_ns=10.0, goal="area", area_before_um2=1.0, area_after_um2=1.0,
                       delay_before_ns=None, delay_after_ns=None, power_before_w=None, power_after_w=None,
                       equivalence="proven", rtl=design.candidate.rtl)
    written = write_outputs(result, tmp_path / "out")["rtl"]
    text = written.read_text()
    assert "`line" not in text and str(src) not in text
    assert text.startswith("`define FAST\n") and "localparam W = 4;" in text
    assert read_design(collect([written]), "top").view.ports == design.view.ports
