"""What OpenSTA is given from a simulation, as per-net rates (``ActivityProfile``), and its price of them.

OpenSTA 2.0.17 (the one packaged here) has no ``read_vcd``, so simulated activity goes in as per-net rates
(``sta::set_power_pin_activity`` on every pin of a net, ``set_power_input_port_activity`` on input ports):
activity = toggles per clock period, duty = time at 1 / duration. Two sources:

- ``sta_power``, the cross-check of ``energy.price`` on the very same toggles: the mapped netlist is written back
  from its Yosys JSON with every net and port named ``b_<bit>`` (its JSON bit number) and every bit of the
  gate-level simulation becomes one entry. The two engines then differ only in how they price: OpenSTA still
  gives every clock-network pin 2 transitions per period (what clock gating saves is lost);
- ``rtl_profile``: the design's RTL simulation read by signal name, only ports and registers annotated and the
  rest propagated by OpenSTA (benchmarks/power_agreement.py's contrast with the gate-level engine).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from rtlgen.synth.liberty import Liberty
from rtlgen.synth.power import BitActivity, GateActivity
from rtlgen.synth.power.netlist import net, write_bit_netlist
from rtlgen.synth.power.waves import Dump, WaveError, bit_activity, bit_changes, last_change, rising_edges
from rtlgen.synth.sta import ActivityProfile, NetActivity, StaResult, clock_ports, run_sta

NETLIST_FILE = "gates_sta.v"


def sta_profile(activity: GateActivity, clock_ns: float) -> ActivityProfile:
    """Every simulated bit as an OpenSTA rate: transitions per ``clock_ns`` period and the share of time at 1."""
    duration = activity.duration_ns
    periods = duration / clock_ns
    return ActivityProfile({net(bit): NetActivity(a.toggles / periods, a.high_ns / duration)
                            for bit, a in activity.bits.items()} if duration > 0 else {})


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


def declared_bits(module: dict[str, Any]) -> dict[str, list[str]]:
    """Each signal of an elaborated module (Yosys JSON) as the names of its bits, lsb first, by declared index,
    the names the mapped netlist keeps for them (``q[3]``; an ascending range, ``upto``, counts from the msb)."""
    names = {}
    for name, wire in module["netnames"].items():
        width, offset = len(wire["bits"]), wire.get("offset", 0)
        indices = range(offset + width - 1, offset - 1, -1) if wire.get("upto") else range(offset, offset + width)
        names[name] = [name] if width == 1 and not offset else [f"{name}[{index}]" for index in indices]
    return names


def rtl_profile(dump: Dump, scope: str, rtl: dict[str, Any], clock: str | None,
                clock_ns: float) -> ActivityProfile:
    """Rates of the signals declared in ``scope`` of an RTL dump, bit by bit, named as in ``rtl`` (the design's
    elaborated top, Yosys JSON): transitions per clock cycle (the clock's rising edges, or the dump's duration
    over ``clock_ns`` without a toggling clock) and the share of the time at 1. Raises WaveError."""
    names = declared_bits(rtl)
    signals = {name: (var.bitwidth, Dump.changes(var)) for name, var in dump.scope(scope).items()
               if not var.is_real and len(names.get(name, ())) == var.bitwidth}
    start = min((changes[0][0] for _, changes in signals.values() if changes), default=0)
    end = last_change(changes for _, changes in signals.values())
    duration_ns = (end - start) * dump.unit_ns
    bits: dict[str, BitActivity] = {
        bit: bit_activity(bit_changes(changes, width, place), end, dump.unit_ns)
        for name, (width, changes) in signals.items() for place, bit in enumerate(names[name])}
    rises = rising_edges(signals[clock][1]) if clock in signals else []
    if rises:
        cycles = float(len(rises))
    elif duration_ns > 0:
        cycles = duration_ns / clock_ns
    else:
        raise WaveError(f"{dump.path}: cannot count clock cycles (no toggling clock '{clock}' in scope '{scope}' and "
                        "no time passes)")
    return ActivityProfile({bit: NetActivity(a.toggles / cycles, a.high_ns / duration_ns if duration_ns else 0.0)
                            for bit, a in bits.items() if bit != clock})
