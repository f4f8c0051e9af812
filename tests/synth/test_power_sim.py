"""Gate-level simulation for power: the cell models behave as the liberty says, toggles and time at 1 are
counted per Yosys JSON bit of the mapped netlist."""
from __future__ import annotations

import json
import tempfile
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from vcd import VCDWriter

from rtlgen.cli import cli
from rtlgen.errors import ConfigError
from rtlgen.optimize.ppa import MeasureError, make_measure
from rtlgen.regress.bench import BenchJob, BenchSettings, run_job_full
from rtlgen.spec.suites import load_suite, reference_candidate

from rtlgen.spec.model import Candidate
from rtlgen.synth.flows import load_flow
from rtlgen.synth.liberty import load_liberty
from rtlgen.synth.power import BitActivity, GateActivity
from rtlgen.synth.power.cells import CellModelError, cell_models
from rtlgen.synth.power.gatesim import Replay, Stimulus, sampled_activity, simulate
from rtlgen.synth.power.library import read_power_library
from rtlgen.synth.target import Target
from rtlgen.synth.yosys import run_flow
from rtlgen.tools.registry import find
from rtlgen.tools.run import run

pytestmark = [pytest.mark.sim, pytest.mark.synth]

PERIOD_PS = 10_000
CYCLES = 16


def _dump(path: Path, waves: dict[str, list[tuple[int, int]]]) -> Path:
    """A VCD with the 1-bit signals ``waves`` (time in ps, value) in scope ``tb.dut``, ending at the last change."""
    with path.open("w") as fh, VCDWriter(fh, timescale="1 ps") as writer:
        handles = {name: writer.register_var("tb.dut", name, "wire", size=1) for name in waves}
        events = sorted((t, name, v) for name, changes in waves.items() for t, v in changes)
        for time, name, value in events:
            writer.change(handles[name], time, value)
    return path


def _clock(cycles: int = CYCLES) -> list[tuple[int, int]]:
    """Low for the first half period, rising at the middle of each period, ending low after the last cycle."""
    half = PERIOD_PS // 2
    return [(0, 0)] + [(t, v) for c in range(cycles) for t, v in ((c * PERIOD_PS + half, 1), ((c + 1) * PERIOD_PS, 0))]


def _netlist(path: Path, inputs: dict[str, int], cells: dict[str, tuple[str, dict[str, int]]]) -> Path:
    """A Yosys-JSON netlist of module ``top``: input ports (one bit each) and cells with their pins' bits."""
    module = {"ports": {name: {"direction": "input", "bits": [bit]} for name, bit in inputs.items()},
              "cells": {name: {"type": kind, "connections": {pin: [bit] for pin, bit in pins.items()}}
                        for name, (kind, pins) in cells.items()}, "netnames": {}}
    path.write_text(json.dumps({"modules": {"top": module}}))
    return path


@pytest.fixture
def library(nangate45: str):
    return read_power_library(load_liberty(nangate45))


def _simulate(tmp_path: Path, library, inputs: dict[str, int], cells: dict, waves: dict) -> GateActivity:
    tmp_path.mkdir(parents=True, exist_ok=True)
    netlist = _netlist(tmp_path / "netlist.json", inputs, cells)
    stimulus = Stimulus(_dump(tmp_path / "rtl.vcd", waves), "dut", "CK" if "CK" in waves else None, 10.0)
    return simulate(netlist, "top", library, stimulus, tmp_path / "sim", timeout=60)


def _gated_register(tmp_path: Path, library, enable: int) -> GateActivity:
    cells = {"icg": ("CLKGATE_X1", {"CK": 2, "E": 3, "GCK": 5}), "ff": ("DFF_X1", {"D": 4, "CK": 5, "Q": 6, "QN": 7})}
    data = [(c * PERIOD_PS, c % 2) for c in range(CYCLES)]  # D toggles every cycle
    return _simulate(tmp_path, library, {"CK": 2, "E": 3, "D": 4}, cells,
                     {"CK": _clock(), "E": [(0, enable)], "D": data})


def test_clock_gate_with_enable_0_gives_no_clock_edge_behind_it(tmp_path: Path, library) -> None:
    off = _gated_register(tmp_path / "off", library, 0)
    assert off.bits[2].toggles == 2 * CYCLES
    assert off.bits[5].toggles == 0 and off.bits[5].high_ns == 0
    assert off.bits[6].toggles == 0 and off.bits[6].high_ns == 0  # the flip-flop never loads: x, never 1
    on = _gated_register(tmp_path / "on", library, 1)
    assert on.bits[5].toggles == on.bits[2].toggles and on.bits[5].high_ns == on.bits[2].high_ns
    assert on.bits[6].toggles > CYCLES // 2


def test_clock_gate_latches_the_enable_while_the_clock_is_low(tmp_path: Path, library) -> None:
    """An enable that rises while the clock is high opens the gate only at the next rising edge: no glitch."""
    half = PERIOD_PS // 2
    activity = _simulate(tmp_path, library, {"CK": 2, "E": 3}, {"icg": ("CLKGATE_X1", {"CK": 2, "E": 3, "GCK": 5})},
                         {"CK": _clock(4), "E": [(0, 0), (half + 1000, 1)]})
    assert activity.bits[5].toggles == 2 * 3  # cycles 2..4 only
    assert activity.bits[5].high_ns == pytest.approx(3 * half / 1000)


@pytest.mark.parametrize("gate, test, toggles", [(0, 0, 0), (0, 1, 2 * CYCLES), (1, 0, 2 * CYCLES)])
def test_sky130_clock_gate_test_pin_opens_it_as_the_enable_does(tmp_path: Path, sky130: str, gate: int, test: int,
                                                               toggles: int) -> None:
    """``latch_posedge_precontrol``: the scan-test pin joins the enable before the latch."""
    library = read_power_library(load_liberty(sky130))
    icg = {"icg": ("sky130_fd_sc_hd__sdlclkp_1", {"CLK": 2, "GATE": 3, "SCE": 4, "GCLK": 5})}
    activity = _simulate(tmp_path, library, {"CK": 2, "GATE": 3, "SCE": 4}, icg,
                         {"CK": _clock(), "GATE": [(0, gate)], "SCE": [(0, test)]})
    assert activity.bits[5].toggles == toggles


def test_flip_flop_with_reset_clears_at_once_then_follows_d(tmp_path: Path, library) -> None:
    cells = {"ff": ("DFFR_X1", {"D": 4, "RN": 3, "CK": 2, "Q": 6, "QN": 7})}
    reset_end = 3 * PERIOD_PS
    activity = _simulate(tmp_path, library, {"CK": 2, "RN": 3, "D": 4}, cells,
                         {"CK": _clock(), "RN": [(0, 0), (reset_end, 1)], "D": [(0, 1)]})
    q, qn = activity.bits[6], activity.bits[7]
    first_load = reset_end + PERIOD_PS // 2  # the first rising edge after the reset ends
    end = CYCLES * PERIOD_PS
    assert q.toggles == 1 and q.high_ns == pytest.approx((end - first_load) / 1000)
    assert qn.toggles == 1 and qn.high_ns == pytest.approx(first_load / 1000)  # 1 from time 0: cleared at once


def test_mux_cell_selects_by_its_liberty_function(tmp_path: Path, library) -> None:
    select = [(c * PERIOD_PS, c % 2) for c in range(CYCLES)]
    mux = {"mux": ("MUX2_X1", {"A": 2, "B": 3, "S": 4, "Z": 5})}
    activity = _simulate(tmp_path, library, {"A": 2, "B": 3, "S": 4}, mux, {"A": [(0, 1)], "B": [(0, 0)], "S": select})
    assert activity.bits[5].toggles == activity.bits[4].toggles == CYCLES - 1
    assert activity.bits[5].high_ns == pytest.approx(CYCLES // 2 * PERIOD_PS / 1000)  # S = 0: Z = A = 1


def test_a_netlist_without_inputs_runs_for_the_stimulus_duration(tmp_path: Path, library) -> None:
    """Nothing to replay (a design without inputs): its tie cell is at 1 for the whole dump."""
    activity = _simulate(tmp_path, library, {}, {"tie": ("LOGIC1_X1", {"Z": 5})}, {"out": [(0, 0), (40_000, 1)]})
    assert activity.duration_ns == 40 and activity.bits[5] == BitActivity(0, 40.0)


def test_samples_a_vcd_would_not_hold_are_not_counted(tmp_path: Path) -> None:
    """The bench samples every net before each input change and at the end. A sample that lasted no time (before a
    step at time 0, or between two steps at the same picosecond) was replaced within its time step: a glitch a VCD
    never shows. The last one counts however short: the run ends with those values."""
    samples = tmp_path / "samples.txt"
    # nets 5 and 7; rows: before step 0 (t=0), [0, 10), the glitch at 10, [10, 30), the end (30)
    samples.write_text("xx\n01\n11\n00\n10\n")
    replay = Replay([(0, "0"), (10, "1"), (10, "0"), (30, "1")], end=30, cycles=3)
    activity = sampled_activity(samples, replay, [5, 7])
    assert activity[5] == BitActivity(1, 0.0)  # 0, 0, 1: the glitch's two toggles not counted
    assert activity[7] == BitActivity(1, 0.01)  # 1 for [0, 10) ps, then 0


def test_a_cell_the_liberty_lacks_is_refused(library) -> None:
    with pytest.raises(CellModelError, match="NO_SUCH_CELL"):
        cell_models(library, ["INV_X1", "NO_SUCH_CELL"])


def test_counter_bit_k_toggles_cycles_over_2_to_the_k_keyed_by_json_bits(counter: Candidate, nangate45: str,
                                                                         tmp_path: Path) -> None:
    liberty = load_liberty(nangate45)
    ys = run_flow(counter.rtl, counter.top, load_flow("yosys"), liberty, 10.0, tmp_path / "synth")
    cycles = 64
    reset = [(0, 1), (PERIOD_PS, 0)]  # one clock edge in reset, then counting
    stimulus = Stimulus(_dump(tmp_path / "rtl.vcd", {"clk": _clock(cycles + 1), "rst": reset, "en": [(0, 1)]}),
                        "dut", "clk", 10.0)
    activity = simulate(ys.netlist_json, counter.top, read_power_library(liberty), stimulus, tmp_path / "sim",
                        timeout=60)
    module = json.loads(ys.netlist_json.read_text())["modules"]["counter"]
    every_bit = {b for p in module["ports"].values() for b in p["bits"]}
    every_bit |= {b for c in module["cells"].values() for bits in c["connections"].values() for b in bits}
    assert set(activity.bits) == {b for b in every_bit if isinstance(b, int)}
    assert activity.cycles == cycles + 1
    for k in range(4):
        (bit,) = module["ports"][f"q[{k}]"]["bits"]
        assert activity.bits[bit].toggles == cycles // 2 ** k, k
    faster = simulate(ys.netlist_json, counter.top, read_power_library(liberty), replace(stimulus, clock_ns=2.5),
                      tmp_path / "fast", timeout=60)  # the same cycles at a quarter of the period
    assert faster.duration_ns == pytest.approx(activity.duration_ns / 4)
    assert faster.cycles == activity.cycles
    for bit, slow in activity.bits.items():
        assert faster.bits[bit].toggles == slow.toggles
        assert faster.bits[bit].high_ns == pytest.approx(slow.high_ns / 4)


ASCENDING = """module m(input clk, input [0:3] a, input [7:4] b, output reg [0:3] q, output reg [7:4] r);
  always @(posedge clk) begin q <= a; r <= b; end
endmodule
"""
ASCENDING_BENCH = """module tb;
  reg clk = 0; reg [0:3] a = 4'b0000; reg [7:4] b = 4'b0000; integer i;
  wire [0:3] q; wire [7:4] r;
  m dut(.clk(clk), .a(a), .b(b), .q(q), .r(r));
  always #5 clk = !clk;
  initial begin
    $dumpfile("rtl.vcd"); $dumpvars(0, dut);
    for (i = 0; i < 8; i = i + 1) begin @(negedge clk); a[0] = !a[0]; b[7] = !b[7]; end
    @(negedge clk); $finish;
  end
endmodule
"""


@pytest.mark.parametrize("timescale", ["`timescale 1ns/1ps\n", ""], ids=["1ns", "icarus-default-1s"])
def test_ascending_and_descending_ports_are_replayed_bit_for_bit(nangate45: str, tmp_path: Path,
                                                                 timescale: str) -> None:
    """Only a[0] (the msb of ``[0:3]``) and b[7] toggle in the RTL dump; the netlist's a[0] and b[7] follow them,
    whatever the dump's time unit (rescaled to the 10 ns clock, a 1 s unit must not round every time to 0)."""
    liberty = load_liberty(nangate45)
    ys = run_flow(ASCENDING, "m", load_flow("yosys"), liberty, 10.0, tmp_path / "synth")
    (tmp_path / "tb.v").write_text(timescale + ASCENDING_BENCH)
    (tmp_path / "m.v").write_text(ASCENDING)
    run([find("iverilog"), "-o", "tb.vvp", "tb.v", "m.v"], cwd=tmp_path, timeout=60)
    run([find("vvp"), "-n", "tb.vvp"], cwd=tmp_path, timeout=60)
    stimulus = Stimulus(tmp_path / "rtl.vcd", "dut", "clk", 10.0)
    activity = simulate(ys.netlist_json, "m", read_power_library(liberty), stimulus, tmp_path / "sim", timeout=60)
    ports = json.loads(ys.netlist_json.read_text())["modules"]["m"]["ports"]
    toggles = {name: activity.bits[port["bits"][0]].toggles for name, port in ports.items() if name[0] in "abqr"}
    assert toggles == {"a[0]": 8, "a[1]": 0, "a[2]": 0, "a[3]": 0, "b[4]": 0, "b[5]": 0, "b[6]": 0, "b[7]": 8,
                       "q[0]": 8, "q[1]": 0, "q[2]": 0, "q[3]": 0, "r[4]": 0, "r[5]": 0, "r[6]": 0, "r[7]": 8}


@pytest.mark.bench
def test_bench_ppa_prices_power_from_the_auto_testbench_at_gate_level(bench_root: Path, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # where the waves live while the job runs
    spec = next(s for s in load_suite(bench_root / "rtllm") if s.top == "instr_reg")
    settings = BenchSettings(("autotb",), isolate=False, ppa=Target(liberty=bench_root / "liberty" /
                                                                           "nangate45_typ.lib.gz"))
    job = run_job_full(BenchJob(spec, reference_candidate(spec), "ref"), settings)
    assert job.record.status == "pass" and job.record.power_w == job.synth.power_w
    assert job.synth.power["engine"] == job.synth.activity["engine"] == "gate"
    # named after the problem and the seed, not after the temporary folder its waves were dumped in
    source = f"gate-sim(auto testbench of {spec.source}, seed {settings.seed})"
    assert job.synth.activity["cycles"] > 100 and job.synth.activity["source"] == job.synth.power["source"] == source
    assert not list(tmp_path.iterdir())  # the waves went with the job


def test_cli_gate_engine_without_a_stimulus_is_refused_before_synthesis(tmp_path: Path, nangate45: str) -> None:
    """A ConfigError, which ``rtlgen``'s entry point turns into exit 2."""
    design = tmp_path / "c.v"
    design.write_text("module c(input clk, input d, output reg q); always @(posedge clk) q <= d; endmodule\n")
    res = CliRunner().invoke(cli, ["synth", str(design), "--liberty", nangate45, "--power-engine", "gate"])
    assert isinstance(res.exception, ConfigError) and "needs a stimulus" in str(res.exception)
    assert "done" not in res.output


def test_cli_synth_with_a_spec_prices_its_auto_testbench_at_gate_level(tmp_path: Path, nangate45: str) -> None:
    design = Path(__file__).resolve().parents[2] / "designs" / "counter"
    out = tmp_path / "report.json"
    res = CliRunner().invoke(cli, ["synth", str(design / "counter.v"), "--spec", str(design / "spec.md"),
                                   "--liberty", nangate45, "--json", str(out), "--no-cache"])
    assert res.exit_code == 0, res.output
    report = json.loads(out.read_text())
    assert report["power"]["engine"] == report["activity"]["engine"] == "gate"
    assert report["activity"]["cycles"] > 100 and report["power"]["total_w"] == report["power_w"] > 0
    # the stimulus is named after the spec the user gave, not after the run folder its waves were dumped in
    source = f"gate-sim(auto testbench of {design / 'spec.md'}, seed 1)"
    assert report["activity"]["source"] == report["power"]["source"] == source
    assert f"activity {source}" in res.output  # the CLI table
    page = tmp_path / "report.html"
    assert CliRunner().invoke(cli, ["report", str(out), "-o", str(page)]).exit_code == 0
    assert source in page.read_text()


def test_the_optimizer_measure_keeps_one_power_engine_for_the_whole_run(counter: Candidate, nangate45: str,
                                                                          tmp_path: Path) -> None:
    """A ratio between a simulated and a vectorless figure means nothing: the input decides, once."""
    liberty = load_liberty(nangate45)
    waves = _dump(tmp_path / "rtl.vcd", {"clk": _clock(), "rst": [(0, 1), (PERIOD_PS, 0)], "en": [(0, 1)]})
    variant = replace(counter, rtl=counter.rtl + "\n// a move\n")
    with_input_waves = make_measure(liberty, 10.0, lambda c: waves if c == counter else None)
    assert with_input_waves(counter, "yosys").power_engine == "gate"
    with pytest.raises(MeasureError, match="no waves to replay"):  # not priced vectorless behind the user's back
        with_input_waves(variant, "yosys")
    without_input_waves = make_measure(liberty, 10.0, lambda c: None if c == counter else waves)
    assert without_input_waves(counter, "yosys").power_engine == "sta"
    assert without_input_waves(variant, "yosys").power_engine == "sta"  # its waves are not used: the input had none
    with pytest.raises(MeasureError, match="--power-engine gate"):
        make_measure(liberty, 10.0, lambda c: None, power_engine="gate")(counter, "yosys")
