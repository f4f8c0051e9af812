"""OpenSTA's power where 2.0.17's own report fails: a wide counter's carry chain, whose propagated activity
underflows and makes some cells' internal power Inf or NaN (rtlgen/synth/templates/sta.tcl.j2)."""
from __future__ import annotations

import math
import re
from pathlib import Path

import pytest

from rtlgen.spec.model import Candidate
from rtlgen.synth import synthesize
from rtlgen.synth.flows import load_flow
from rtlgen.synth.liberty import resolve_liberty
from rtlgen.synth.sta import StaResult, run_sta
from rtlgen.synth.target import Target
from rtlgen.synth.yosys import run_flow

pytestmark = [pytest.mark.synth, pytest.mark.bench]

COUNTER64 = """module c64(input clk, input rst, output reg [63:0] c);
always @(posedge clk) if (rst) c <= 0; else c <= c + 1;
endmodule
"""

# OpenSTA's own figures, printed before the power section: the design's (internal, switching, leakage, total,
# then the same by group) and the internal power summed over the cells it prices finitely.
DESIGN_POWER = """puts "DESIGN [sta::design_power [sta::cmd_corner]]"
set finite 0.0
foreach inst [get_cells -hierarchical *] {
  set internal [lindex [sta::instance_power $inst [sta::cmd_corner]] 0]
  if {[rtlgen_finite $internal]} { set finite [expr {$finite + $internal}] }
}
puts "FINITE_INTERNAL $finite"
"""


def _sta(rtl: str, top: str, liberty: str, workdir: Path, power_setup: str) -> StaResult:
    lib = resolve_liberty(liberty)
    flow = run_flow(rtl, top, load_flow("yosys"), lib, 10.0, workdir)
    assert flow.netlist is not None
    return run_sta(lib, flow.netlist, top, 10.0, ["clk"], power_setup=power_setup)


def _printed(log: str, label: str) -> list[float]:
    found = re.search(rf"^{label} (.*)$", log, re.MULTILINE)
    assert found, f"{label} not in the OpenSTA log"
    return [float(value) for value in found.group(1).split()]


def test_underflowed_cells_keep_their_finite_arcs_and_the_rest_is_opensta_figure(sky130: str,
                                                                                 tmp_path: Path) -> None:
    """OpenSTA's propagated activity is kept (switching and leakage exactly its own) and only the cells whose
    internal power overflowed are re-priced, from their finite arcs: on sky130 an AND2 whose output underflowed
    still pays for its inputs' own internal power (an input arc), so the sum exceeds the finite cells'."""
    result = _sta(COUNTER64, "c64", sky130, tmp_path, DESIGN_POWER)
    design = _printed(result.log, "DESIGN")
    assert result.underflow_cells and not all(map(math.isfinite, design[:4]))  # OpenSTA's own sum is not
    assert result.switching_w == pytest.approx(design[1], rel=1e-5)
    assert result.leakage_w == pytest.approx(design[2], rel=1e-5)
    finite_cells = _printed(result.log, "FINITE_INTERNAL")[0]
    repaired = result.internal_w - finite_cells
    assert 0 < repaired < 1e-3 * result.internal_w


def test_power_summed_by_cell_equals_opensta_report(counter: Candidate, nangate45: str, tmp_path: Path) -> None:
    """Where every cell is finite, the per-cell sum the underflow path uses is OpenSTA's report_power."""
    by_cell = 'rtlgen_report_power_by_cell [sta::cmd_corner]'
    result = _sta(counter.rtl, counter.top, nangate45, tmp_path, by_cell)
    summed = _printed(result.log.split("RTLGEN_SECTION power")[0], "Total")
    assert not result.underflow_cells and result.total_w > 0
    assert summed == pytest.approx([result.internal_w, result.switching_w, result.leakage_w, result.total_w],
                                   rel=1e-5)


def test_power_of_a_long_counter_is_propagated(nangate45: str) -> None:
    """picorv32's 64-bit cycle counter: the vectorless figure stays the propagated one, and says how many cells
    were re-priced, instead of giving every net the default activity."""
    report = synthesize(Candidate(COUNTER64, "c64"), Target(liberty=nangate45), use_cache=False)
    assert report.power_w is not None and report.power_w > 0 and report.delay_ns
    assert report.activity["source"] == "vectorless(input_activity=0.1,duty=0.5)"
    assert report.power["underflow_cells"] > 0 and not report.warnings
