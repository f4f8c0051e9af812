"""`rtlgen synth`: area, timing and power of one Verilog design (logic in rtlgen.synth)."""
from __future__ import annotations

from pathlib import Path

import click

from rtlgen.spec.model import Candidate


@click.command("synth")
@click.argument("design", type=click.Path(exists=True, dir_okay=False))
@click.option("--top", required=True, help="Top module to synthesize.")
@click.option("--liberty", default=None, help="Liberty file (.lib or .lib.gz) or a fetched PDK name (sky130); "
              "default: $RTLGEN_LIBERTY, then `liberty:` in ~/.config/rtlgen/config.yaml. None: transistor estimate.")
@click.option("--clock-period", "clock_ns", type=float, default=10.0, show_default=True,
              help="Clock period in ns (a virtual clock for combinational designs).")
@click.option("--target", "flow", default="yosys", show_default=True,
              help="Flow name from rtlgen/synth/flows_data/*.yaml (yosys, yosys-delay, estimate) or a flow file path.")
@click.option("--vcd", type=click.Path(exists=True, dir_okay=False), default=None,
              help="VCD of the design's simulation for activity-based power.")
@click.option("--vcd-scope", default="dut", show_default=True, help="Instance scope of the design in the VCD.")
@click.option("--json", "json_file", type=click.Path(dir_okay=False), default=None,
              help="Write the SynthReport as JSON here ('-' for stdout).")
@click.option("--no-cache", is_flag=True, help="Ignore and do not update the result cache.")
@click.option("--timeout", type=float, default=300, show_default=True, help="Seconds allowed per tool run.")
def synth(design: str, top: str, liberty: str | None, clock_ns: float, flow: str, vcd: str | None, vcd_scope: str,
          json_file: str | None, no_cache: bool, timeout: float) -> None:
    """Synthesize DESIGN.v and report area, critical path and power."""
    from rtlgen.synth.api import synthesize  # noqa: PLC0415 - keep `rtlgen --help` fast

    report = synthesize(Candidate.from_file(design, top), liberty=liberty, clock_ns=clock_ns, flow=flow, vcd=vcd,
                        vcd_scope=vcd_scope, timeout=timeout, use_cache=not no_cache)
    if json_file == "-":
        click.echo(report.to_json())
        return
    if json_file:
        Path(json_file).write_text(report.to_json() + "\n")
    click.echo(str(report))
