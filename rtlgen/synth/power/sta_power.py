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
from rtlgen.synth.sta import StaResult, clock_ports, run_sta

NETLIST_FILE = "gates_sta.v"


def net(bit: int | str) -> str:
    """The Verilog net of a JSON bit (constants as Verilog literals)."""
    return f"b_{bit}" if isinstance(bit, int) else f"1'b{bit}"


def sta_netlist(module: dict[str, Any], top: str) -> str:
    """Structural Verilog of the JSON module: ports and nets named by bit, one instance per cell.

    A bit on several ports (an output that repeats another, or an input) is one net: the first port is named
    ``b_<bit>``, each other one ``b_<bit>_<k>`` and assigned from it, so OpenSTA counts every port as a load."""
    ports: list[tuple[str, str]] = []
    aliases: list[tuple[str, str]] = []
    seen: dict[int, int] = {}
    for port in module["ports"].values():
        for bit in (b for b in port["bits"] if isinstance(b, int)):
            name = net(bit) if bit not in seen else f"{net(bit)}_{seen[bit]}"
            if bit in seen:
                aliases.append((name, net(bit)))
            seen[bit] = seen.get(bit, 0) + 1
            ports.append((name, port["direction"]))
    wires = sorted({b for c in module["cells"].values() for bits in c["connections"].values() for b in bits
                    if isinstance(b, int) and b not in seen})
    lines = [f"module {top} ({', '.join(name for name, _ in ports)});"]
    lines += [f"  {direction} {name};" for name, direction in ports]
    lines += [f"  wire {net(bit)};" for bit in wires]
    lines += [f"  assign {alias} = {source};" for alias, source in aliases]
    for i, cell in enumerate(module["cells"].values()):
        pins = ", ".join(f".{pin}({net(bits[0])})" for pin, bits in cell["connections"].items() if bits)
        lines.append(f"  {cell['type']} c_{i} ({pins});")
    return "\n".join([*lines, "endmodule", ""])


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
    path.write_text(sta_netlist(module, activity.top))
    clocks = [net(module["ports"][name]["bits"][0]) for name in clock_ports(netlist, activity.top, liberty)]
    return run_sta(liberty, path, activity.top, clock_ns, clocks, activity=sta_profile(activity, clock_ns),
                   power_setup=power_setup, timeout=timeout)
