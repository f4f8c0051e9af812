"""`rtlgen optimize`: a smaller, lower-power design, every change proven equivalent (logic in rtlgen.optimize).

Exit codes: 0 the result is proven equivalent to the input (even with no improvement, or when the time
budget ended the run), 1 nothing could be proven, 2 bad input (unreadable files, no such top, RTL that
cannot be optimized soundly), 130 / 143 stopped by SIGINT / SIGTERM after writing the best proven design.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.console import Console

from rtlgen.optimize.budget import DEFAULT_TIME_BUDGET_S
from rtlgen.cli.options import (GivenDesign, claim_out, clock_period_option, deferred, emit_json, force_option, grouped,
                                human_stream_is_stderr, json_option, liberty_option, memory_macro_option, out_option,
                                power_engine_option, read_user_design, sources_options, timeout_option)
from rtlgen.cli.progress import stage_printer
from rtlgen.optimize.report import output_paths, write_outputs
from rtlgen.spec.parse import load_spec
from rtlgen.synth.target import Target

if TYPE_CHECKING:  # the move providers (networkx, numpy) load with rtlgen.optimize.loop: ~240 ms at every CLI start
    from rtlgen.optimize.loop import Limits, Search

_STYLES = {"input": "cyan", "accept": "green", "reject": "red", "flow": "blue", "prove": "magenta",
           "simulate": "magenta", "round": "yellow", "llm": "yellow", "done": "cyan", "budget": "yellow",
           "stop": "yellow", "try": "white"}


def _search(goal: str, budget: int, no_llm: bool, no_flows: bool, spend_slack: bool) -> Search:
    """The optimizer's Search from its flags (rtlgen.optimize.loop, imported when the command runs)."""
    return deferred("rtlgen.optimize.loop", "Search")(goal, budget, llm=not no_llm, flows=not no_flows,
                                                      spend_slack=spend_slack)


def _limits(time_budget: float, timeout: float) -> Limits:
    """The optimizer's Limits: ``--timeout`` bounds each proof, agreement check and simulation."""
    return deferred("rtlgen.optimize.loop", "Limits")(proof_timeout=timeout, time_budget=time_budget)


@click.command("optimize")
@sources_options()
@click.option("--spec", "spec_path", type=click.Path(exists=True, dir_okay=False), default=None,
              help="spec.md giving the clock and reset (else inferred from the ports).")
@grouped("target", Target, liberty_option(), clock_period_option(), power_engine_option(), memory_macro_option())
@grouped("search", _search,
         click.option("--goal", type=click.Choice(["area", "power", "delay"]), default="area", show_default=True,
                      help="Metric a change must improve by at least 1% (the others within tolerance)."),
         click.option("--budget", type=click.IntRange(min=0), default=8, show_default=True,
                      help="Rounds of RTL moves at most."),
         click.option("--no-llm", is_flag=True, help="Deterministic moves only (no LLM calls)."),
         click.option("--no-flows", is_flag=True, help="Skip the flow portfolio (RTL changes only)."),
         click.option("--spend-slack/--keep-delay", default=True, show_default=True,
                      help="Accept a longer critical path while it fits --clock-period (the +5% delay tolerance "
                           "holds only where the clock is not met), or keep the tolerance everywhere."))
@out_option("Output folder: <top>.v (<top>.sv for SystemVerilog), changes.md, proofs/, opt.json "
            "[default: out/<top>-opt].")
@force_option()
@json_option("the OptResult")
@grouped("limits", _limits,
         click.option("--time-budget", type=click.FloatRange(min=0, min_open=True), default=DEFAULT_TIME_BUDGET_S,
                      show_default=True, help="Seconds for the whole run: when they run out (or on Ctrl-C / SIGTERM) "
                                              "the best proven design so far is written."),
         timeout_option(120, "Seconds allowed per equivalence proof, agreement check and simulation (at most what "
                             "is left of --time-budget)."))
def optimize(design: GivenDesign, spec_path: str | None, target: Target, search: Search, out: str | None,
             force: bool, json_out: str | None, limits: Limits) -> None:
    """Optimize FILES (the design) for --goal; accept a change only when proven equivalent and better.

    Exit 0 when the result is proven (also when --time-budget ended the run), 1 when it is not, 2 for bad input;
    130 after Ctrl-C and 143 after SIGTERM, once the best proven design so far is written."""
    # the move providers (networkx, numpy): ~240 ms at every CLI start
    from rtlgen.optimize.loop import WORK_ENTRIES, optimize as run_optimize  # noqa: PLC0415

    console = Console(stderr=human_stream_is_stderr(json_out), highlight=False)
    say = stage_printer(console, _STYLES, budget_s=limits.time_budget)
    candidate = read_user_design(design, say, lint=True).candidate
    spec = load_spec(spec_path) if spec_path else None
    folder = claim_out(out or Path("out") / f"{candidate.top}-opt", "optimize", force)  # never two runs' files
    folder.record(*WORK_ENTRIES)
    result = run_optimize(candidate, target, search, limits, spec=spec, workdir=folder.path, progress=say)
    folder.record(*output_paths(result, folder.path).values())
    rtl = write_outputs(result, folder.path)["rtl"]
    ended = f" (ended by {result.stopped})" if result.stopped else ""
    say("done", f"{result.equivalence}{ended}: area {result.area_before_um2} -> {result.area_after_um2} um2; "
                f"wrote {rtl}, changes.md, opt.json")
    emit_json(json_out, result.to_json())
    raise SystemExit(result.exit_code)
