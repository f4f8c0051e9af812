"""`rtlgen run SPEC` (also plain `rtlgen SPEC`): generate, verify and synthesize one design.

Exit codes: 0 verified, 1 not verified (the best candidate is still written), 2 usage/config error.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Callable

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from rtlgen.cli.options import (claim_out, clock_period_option, deferred, emit_json, force_option, grouped,
                                human_stream_is_stderr, json_option, liberty_option, llm_options, out_option,
                                power_engine_option, rounds_option, samples_option, seed_option,
                                simulator_option)
from rtlgen.cli.progress import stage_printer
from rtlgen.generate.loop import LoopOptions
from rtlgen.llm.config import LlmSettings
from rtlgen.optimize.report import write_outputs
from rtlgen.spec.model import Candidate
from rtlgen.synth.flows import load_flow
from rtlgen.synth.target import Target

if TYPE_CHECKING:
    from rtlgen.generate.api import Sampling
    from rtlgen.generate.result import GenerationResult
    from rtlgen.spec.model import Spec

_STAGE_STYLE = {"spec": "cyan", "sample": "magenta", "generate": "magenta", "golden": "yellow", "interface": "yellow",
                "repair": "magenta", "select": "blue", "verify": "green", "synth": "blue", "output": "cyan",
                "optimize": "green"}


@click.command("run")
@click.argument("spec", type=click.Path(dir_okay=False))
@grouped("target", Target,
         click.option("--target", "flow", default="yosys", show_default=True,
                      help="Synthesis flow (rtlgen/synth/flows_data/<target>.yaml)."),
         liberty_option("None: transistor estimate."), clock_period_option(),
         power_engine_option())
@click.option("--no-synth", is_flag=True, help="Stop after verification.")
@out_option("Output folder [default: out/<top>]; what an earlier run wrote there is removed first.")
@force_option()
@click.option("--rtl", type=click.Path(exists=True, dir_okay=False), help="Skip generation: verify + synth this file.")
@grouped("sampling", deferred("rtlgen.generate.api", "Sampling"), samples_option(), rounds_option(), seed_option(help="Sampling and testbench seed."),
         simulator_option(),
         click.option("--examples", type=click.IntRange(0, 8), default=LoopOptions.examples, show_default=True,
                      help="In-context examples from designs/."))
@llm_options("use_cache", "base_url", "model", "api_key", "temperature", "max_tokens", "concurrency", "budget",
             "timeout")
@click.option("--optimize", "optimize_design", is_flag=True,
              help="Then run `rtlgen optimize` on the verified design (writes <out>/optimized/).")
@json_option("the result")
def run(spec: str, target: Target, no_synth: bool, out: str | None, force: bool, rtl: str | None,
        sampling: Sampling, llm: LlmSettings, optimize_design: bool, json_out: str | None) -> None:
    """Generate verified RTL for SPEC (spec.md), synthesize it with --target, write --out."""
    # rtlgen.generate.api at the top: ~25 ms CPU more at every CLI start (after import rtlgen.cli, min of 15)
    from rtlgen.generate.api import generate, load_any_spec  # noqa: PLC0415

    console = Console(stderr=human_stream_is_stderr(json_out), highlight=False)
    if not Path(spec).is_file():
        raise click.BadParameter(f"spec file '{spec}' does not exist", param_hint="SPEC")
    if not no_synth:
        load_flow(target.flow)  # a bad --target is a usage error before any work (FlowError lists the flows)
    loaded, spec_notes = load_any_spec(spec)  # parsed once, here; generate() gets the Spec
    out_dir = out or str(Path("out") / loaded.top)
    folder = claim_out(out_dir, "run", force)
    progress = stage_printer(console, _STAGE_STYLE)

    # ConfigError / LLMError propagate: rtlgen.cli.main prints them and exits 2
    result = generate(loaded, spec_notes=tuple(spec_notes), out=out_dir, rtl=rtl, sampling=sampling,
                      synth=None if no_synth else target, progress=progress, llm=llm)
    emit_json(json_out, result.to_json(indent=2, default=str))
    if json_out != "-":
        table = Table(title=f"rtlgen {result.spec}", show_header=False)
        table.add_column(style="bold")
        table.add_column()
        for key, value in result.summary_rows():
            style = ("green" if result.verified else "red") if key == "result" else ""
            table.add_row(key, f"[{style}]{escape(value)}[/]" if style else escape(value))
        console.print(table)
    if optimize_design and result.verified and result.rtl:
        folder.record("optimized")
        sys.exit(_optimize(result, loaded, target, sampling.seed, folder.path / "optimized", progress, llm))
    sys.exit(result.exit_code)


def _optimize(result: GenerationResult, spec: Spec, target: Target, seed: int, out: Path,
              progress: Callable[[str, str], None], llm: LlmSettings) -> int:
    """``rtlgen optimize`` on the verified design, with the run's endpoint, model and key (its sampling and budget
    were the generation's); its exit code (0 only when the optimized design is proven)."""
    from rtlgen.optimize.loop import Search, optimize  # noqa: PLC0415 - the move providers: ~290 ms at CLI start

    flags = {k: v for k, v in llm.overrides().items() if k in ("base_url", "model", "api_key")}
    opt = optimize(Candidate(result.rtl, result.top, origin="generated"), target, Search(seed=seed, llm_flags=flags),
                   spec=spec, workdir=out, progress=progress)
    rtl = write_outputs(opt, out)["rtl"]
    progress("optimize", f"{opt.equivalence}: area {opt.area_before_um2} -> {opt.area_after_um2} um2, "
                         f"{len(opt.steps)} step(s); {rtl}, changes.md")
    return opt.exit_code
