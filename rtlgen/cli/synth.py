"""`rtlgen synth`: area, timing and power of one Verilog design (logic in rtlgen.synth)."""
from __future__ import annotations

import sys
import warnings

import click
from rich.console import Console

from rtlgen.cli.options import (GivenDesign, clock_period_option, emit_json, grouped, human_stream_is_stderr,
                                json_option, liberty_option, memory_macro_option, no_cache_option, power_engine_option,
                                read_user_design, sources_options, timeout_option)
from rtlgen.cli.progress import stage_printer
from rtlgen.synth import SYNTH_TIMEOUT_S
from rtlgen.spec.parse import load_spec
from rtlgen.synth.target import Target
from rtlgen.tools.rundir import run_directory


@click.command("synth")
@sources_options()
@grouped("target", Target,
         click.option("--target", "flow", default="yosys", show_default=True,
                      help="Flow name from rtlgen/synth/flows_data/*.yaml (yosys, yosys-delay, estimate) or a flow "
                           "file path."),
         liberty_option("None: transistor estimate."), clock_period_option(),
         click.option("--dont-use", "dont_use", multiple=True, metavar="PATTERN",
                      help="Keep synthesis off the liberty cells matching this glob, besides the liberty's own "
                           "dont-use list (rtlgen/synth/dont_use.yaml); repeatable."),
         power_engine_option(), memory_macro_option())
@click.option("--vcd", type=click.Path(exists=True, dir_okay=False), default=None,
              help="VCD (or FST) of the design's RTL simulation: its inputs are replayed on the mapped netlist and "
                   "power comes from that gate-level simulation.")
@click.option("--vcd-scope", default="dut", show_default=True, help="Instance scope of the design in the VCD.")
@click.option("--spec", "spec_path", type=click.Path(exists=True, dir_okay=False), default=None,
              help="spec.md whose auto testbench (its golden, seed 1) gives the stimulus instead of --vcd.")
@json_option("the SynthReport")
@no_cache_option("Ignore and do not update the result cache.")
@timeout_option(SYNTH_TIMEOUT_S, "Seconds allowed per tool run (Yosys, OpenSTA).")
def synth(design: GivenDesign, target: Target, vcd: str | None, vcd_scope: str, spec_path: str | None,
          json_out: str | None, no_cache: bool, timeout: float) -> None:
    """Synthesize FILES (or -f files.f) and report area, critical path and power."""
    from rtlgen.synth.api import synthesize  # noqa: PLC0415 - ~20 ms at every CLI start
    from rtlgen.synth.power.gatesim import spec_stimulus  # noqa: PLC0415 - loaded by synth.api anyway

    if vcd and spec_path:
        raise click.UsageError("give the stimulus once: --vcd or --spec")
    console = Console(stderr=human_stream_is_stderr(json_out), highlight=False)
    say = stage_printer(console)
    candidate = read_user_design(design, say, lint=True).candidate
    liberty = target.liberty.label if target.liberty else "none (estimate)"
    say("synth", f"{candidate.top} from {len(design.sources.files)} file(s), flow {target.flow}, liberty {liberty}, "
                 f"clock {target.clock_ns:g} ns")
    # the report lists its warnings: no duplicate Python warnings
    with run_directory(f"stimulus-{candidate.top}") as workdir, warnings.catch_warnings(record=True):
        label = None
        if spec_path:
            say("stimulus", f"auto testbench of {spec_path}")
            stimulus = spec_stimulus(candidate, load_spec(spec_path), workdir, timeout=timeout)
            vcd, vcd_scope, label = str(stimulus.dump), "dut", stimulus.label
        report = synthesize(candidate, target, vcd=vcd, vcd_scope=vcd_scope, vcd_label=label, timeout=timeout,
                            use_cache=not no_cache)
    say("done", f"{report.seconds.get('total', 0):.2f} s" + (" (cached)" if report.cached else ""))
    emit_json(json_out, report.to_json())
    if json_out != "-":
        click.echo(str(report))
    if report.lost_logic_message:
        console.print(f"[red bold]{report.lost_logic_message}[/]")
        sys.exit(1)
