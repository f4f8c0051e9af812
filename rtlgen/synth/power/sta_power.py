"""OpenSTA's price of a gate-level activity: the cross-check of ``energy.price`` on the very same toggles.

OpenSTA 2.0.17 (the one packaged here) has no ``read_vcd``, so the simulated activity goes in as per-net rates:
the mapped netlist is written back from its Yosys JSON with every net and port named ``b_<bit>`` (its JSON bit
number), and each bit becomes one entry of the ``ActivityProfile`` that ``run_sta`` already feeds OpenSTA
(``sta::set_power_pin_activity`` on every pin of the net, ``set_power_input_port_activity`` on input ports):
activity = toggles per clock period, duty = time at 1 / duration. The two engines then differ only in how they
price: OpenSTA still gives every clock-network pin 2 transitions per period (what clock gating saves is lost).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from rtlgen.synth.activity import ActivityProfile, NetActivity
from rtlgen.synth.liberty import Liberty
from rtlgen.synth.power import GateActivity
from rtlgen.synth.power.netlist import net, write_bit_netlist
from rtlgen.synth.sta import StaResult, clock_ports, run_sta

NETLIST_FILE = "gates_sta.v"


def sta_profile(activity: GateActivity, clock_ns: float) -> ActivityProfile:
    """Every simulated bit as an OpenSTA rate: transitions per ``clock_ns`` period and the share of time at 1."""
    duration = activity.duration_ns
    periods = duration / clock_ns
    nets = {net(bit): NetActivity(a.toggles / periods, a.high_ns / duration)
            for bit, a in activity.bits.items()} if duration > 0 else {}
    return ActivityProfile(activity.source, activity.top, periods, f"duration / {clock_ns:g} ns", duration, nets)


def sta_power(activity: GateActivity, liberty: Liberty, netlist: dict[str, Any], clock_ns: float,
              workdir: Path, *, power_setup: str = "", timeout: float = 120) -> StaResult:
    """OpenSTA's ``report_power`` of ``netlist`` (Yosys JSON of the mapped top) under the simulated activity;
    ``power_setup`` as in ``run_sta`` (``sta::set_debug power 3`` prints every arc's energy into the log)."""
    module = netlist["modules"][activity.top]
    workdir.mkdir(parents=True, exist_ok=True)
    path = workdir / NETLIST_FILE
    path.write_text(write_bit_netlist(module, activity.top, Path(activity.netlist_json).name,
                                      ("input", "output", "inout")))
    clocks = [net(module["ports"][name]["bits"][0]) for name in clock_ports(netlist, activity.top, liberty)]
    return run_sta(liberty, path, activity.top, clock_ns, clocks, activity=sta_profile(activity, clock_ns),
                   power_setup=power_setup, timeout=timeout)
