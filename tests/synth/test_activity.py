"""OpenSTA's rates from an RTL dump by signal name, and power that follows the simulation."""
from __future__ import annotations

from pathlib import Path

import pytest

from rtlgen.errors import ConfigError
from rtlgen.spec.model import Candidate
from rtlgen.synth import synthesize
from rtlgen.synth.target import Target
from rtlgen.synth.power.sta_power import rtl_profile
from rtlgen.synth.power.waves import Dump, WaveError
from tests.synth.conftest import simulate_dump

# clk: period 10 ns, 4 rising edges (t=5,15,25,35); q[1:0] counts 0,1,2,3 at the rising edges; en high
# from 0 to 20; an x on q at the start does not count as a toggle. `other.sig` is outside the dut scope.
# s [3:1]: its msb (s[3]) rises at 15; u [0:1]: its lsb (u[1]) rises at 15.
HAND_VCD = """$date today $end
$timescale 1ns $end
$scope module tb $end
$var wire 1 ! clk $end
$scope module dut $end
$var wire 1 " clk $end
$var wire 1 # en $end
$var reg 2 $ q [1:0] $end
$var wire 3 & s [3:1] $end
$var wire 2 ' u [0:1] $end
$var wire 1 ( gone $end
$upscope $end
$scope module other $end
$var wire 1 % sig $end
$upscope $end
$upscope $end
$enddefinitions $end
#0
$dumpvars
0!
0"
1#
bxx $
0%
b0 &
b0 '
0(
$end
#5
1"
b0 $
1%
#10
0"
0%
#15
1"
b1 $
b100 &
b1 '
1(
#20
0"
0#
#25
1"
b10 $
#30
0"
#35
1"
b11 $
#40
0"
"""


# The design's signals as Yosys elaborates them: s [3:1] (offset 1), u [0:1] (an ascending range); `gone`
# was optimised away.
RTL = {"netnames": {"clk": {"bits": [2]}, "en": {"bits": [3]}, "q": {"bits": [4, 5]},
                    "s": {"bits": [6, 7, 8], "offset": 1}, "u": {"bits": [9, 10], "upto": 1}}}


def test_rtl_dump_rates_by_net_name(tmp_path: Path) -> None:
    vcd = tmp_path / "h.vcd"
    vcd.write_text(HAND_VCD)
    prof = rtl_profile(Dump(vcd), "dut", RTL, "clk", 10.0)
    # clock excluded, other scopes and signals without a net ignored
    assert set(prof.nets) == {"en", "q[0]", "q[1]", "s[1]", "s[2]", "s[3]", "u[0]", "u[1]"}
    # q[0]: 0 ->1 (15) ->0 (25) ->1 (35): 3 toggles in 4 cycles, high 15..25 and 35..40 = 15 of 40 ns
    assert prof.nets["q[0]"].activity == pytest.approx(3 / 4) and prof.nets["q[0]"].duty == pytest.approx(15 / 40)
    # q[1]: 0 -> 1 at 25: one toggle, high 25..40
    assert prof.nets["q[1]"].activity == pytest.approx(1 / 4) and prof.nets["q[1]"].duty == pytest.approx(15 / 40)
    assert prof.nets["en"].activity == pytest.approx(1 / 4) and prof.nets["en"].duty == pytest.approx(20 / 40)
    for rising, still in (("s[3]", "s[1]"), ("u[1]", "u[0]")):  # each bit named by its declared index
        assert prof.nets[rising].activity == pytest.approx(1 / 4) and prof.nets[rising].duty == pytest.approx(25 / 40)
        assert prof.nets[still].activity == 0 and prof.nets[still].duty == 0
    by_time = rtl_profile(Dump(vcd), "dut", RTL, None, 20.0)  # no clock: the duration over the period
    assert by_time.nets["q[0]"].activity == pytest.approx(3 / 2)
    with pytest.raises(WaveError, match="no scope named 'uut'"):
        rtl_profile(Dump(vcd), "uut", RTL, "clk", 10.0)
    with pytest.raises(WaveError, match="not found"):
        Dump(tmp_path / "missing.vcd")


TB = """`timescale 1ns/1ps
module tb;
  reg clk = 0, rst = 1, en = 0;
  wire [3:0] q;
  counter dut(.clk(clk), .rst(rst), .en(en), .q(q));
  always #5 clk = ~clk;
  initial begin
    $dumpfile("sim.vcd"); $dumpvars(0, tb);
    #12 rst = 0;
    repeat (40) begin @(negedge clk); en = {EN}; end
    $finish;
  end
endmodule
"""


def _simulate(folder: Path, rtl: str, en: str) -> Path:
    return simulate_dump(folder, TB.replace("{EN}", en), rtl)


@pytest.mark.sim
@pytest.mark.synth
@pytest.mark.bench
def test_vcd_power_follows_the_simulation(tmp_path: Path, counter: Candidate, sky130: str) -> None:
    busy = _simulate(tmp_path / "busy", counter.rtl, "1")
    idle = _simulate(tmp_path / "idle", counter.rtl, "0")
    vectorless = synthesize(counter, Target(liberty=sky130), use_cache=False)
    hot = synthesize(counter, Target(liberty=sky130), vcd=str(busy), use_cache=False)
    cold = synthesize(counter, Target(liberty=sky130), vcd=str(idle), use_cache=False)
    by_sta = synthesize(counter, Target(liberty=sky130, power_engine="sta"), vcd=str(busy), use_cache=False)
    assert vectorless.power["engine"] == "sta" and vectorless.activity["source"].startswith("vectorless(")
    assert hot.power["engine"] == hot.activity["engine"] == "gate"  # a stimulus: the gate-level engine by default
    assert hot.activity["source"] == by_sta.activity["source"] == f"gate-sim({busy})"
    assert by_sta.power["engine"] == "sta" and by_sta.power_w != hot.power_w
    assert hot.activity["cycles"] == 41  # the clock's rising edges in the dump: reset, then 40 cycles
    assert hot.area_um2 == cold.area_um2 == vectorless.area_um2
    assert hot.power["switching_w"] > 5 * cold.power["switching_w"]
    assert hot.power_w != vectorless.power_w
    with pytest.raises(ConfigError, match="needs a stimulus"):
        synthesize(counter, Target(liberty=sky130, power_engine="gate"), use_cache=False)
