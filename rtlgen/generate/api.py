"""``rtlgen.generate(spec, ...)``: spec in, verified and synthesized RTL out (or the best unverified try).

Stages: load spec -> (LLM loop | --rtl file) -> pick the best candidate (verified, fewest mismatches,
then smallest area) -> full verification of it (lint, autotb, formal, official; testbench kept) ->
synthesis with the target flow -> output folder. Library code: raises typed errors, never exits.
"""
from __future__ import annotations

import re
import shutil
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable

from rtlgen.config import cache_dir
from rtlgen.errors import ConfigError, RtlgenError, SpecError
from rtlgen.generate.examples_check import truth_table_model
from rtlgen.generate.loop import (CONFIRM_CHECKS, GenerationLoop, Lane, LoopOptions, LoopOutcome, golden_label,
                                  loop_budget)
from rtlgen.generate.outputs import write_outputs
from rtlgen.generate.rank import rank_of
from rtlgen.generate.result import Attempt, GenerationResult, LoopBudget, StageTime
from rtlgen.generate.witnesses import checks_too_little
from rtlgen.llm.config import LLMConfig, LlmSettings
from rtlgen.llm.local.launcher import local_endpoint
from rtlgen.spec.interface import infer_clock, infer_reset, read_ports
from rtlgen.spec.model import Candidate, Spec
from rtlgen.spec.parse import load_spec
from rtlgen.synth.api import synthesize
from rtlgen.synth.power.gatesim import autotb_label
from rtlgen.synth.target import Target
from rtlgen.synth.flows import load_flow
from rtlgen.verify.api import CHECKS, DEFAULT_SIMULATOR, verify

Progress = Callable[[str, str], None]
FINAL_CHECKS = CHECKS  # every check runs once on the chosen candidate
DEFAULT_TOP = "TopModule"


@dataclass(frozen=True)
class Sampling:
    """How candidates are drawn and judged. ``samples`` and ``rounds`` left None take the budget that suits the
    model and spec (``loop_budget``). ``sample_temperature`` is that of every lane but the first and of each fresh
    sample, for diversity (a ``temperature`` among the LLM settings replaces it for all calls). ``seed`` and
    ``simulator`` serve the final verification too."""

    samples: int | None = None
    rounds: int | None = None
    seed: int = 1
    simulator: str = DEFAULT_SIMULATOR
    examples: int = LoopOptions.examples
    sample_temperature: float = LoopOptions.sample_temperature

    def __post_init__(self) -> None:
        if (self.samples is not None and self.samples < 1) or (self.rounds is not None and self.rounds < 0):
            raise ValueError(f"samples must be >= 1 and rounds >= 0 (got samples={self.samples}, "
                             f"rounds={self.rounds})")

    def loop_options(self, budget: LoopBudget, temperature: float | None) -> LoopOptions:
        """The loop's options for ``budget`` (samples, rounds and concurrency as chosen for the model)."""
        return LoopOptions(samples=budget.samples, rounds=budget.rounds, concurrency=budget.concurrency,
                           seed=self.seed, simulator=self.simulator, temperature=temperature,
                           examples=self.examples, sample_temperature=self.sample_temperature)


def load_any_spec(spec_or_path: Spec | str | Path) -> tuple[Spec, list[str]]:
    """A Spec, or a spec.md path; a file without front matter or top gets a top name and a note."""
    if isinstance(spec_or_path, Spec):
        return spec_or_path, []
    path = Path(spec_or_path)
    try:
        return load_spec(path), []
    except SpecError as exc:
        if exc.field != "top":
            raise
    folder = path.resolve().parent.name
    top = folder if re.fullmatch(r"[A-Za-z_]\w*", folder) and folder not in ("designs", "specs") else DEFAULT_TOP
    text = path.read_text(encoding="utf-8")
    if text.lstrip().startswith("---"):
        text = text.split("---", 2)[-1]
    spec = Spec(top=top, prose=text.strip(), name=top, source=str(path))
    return spec, [f"the spec names no top module: using '{top}' (from its folder name), interface from the LLM"]


# The local model's settings unless flags, environment or config file say otherwise. Timeout: a CPU model under
# load needs minutes for a long reply; retrying would only queue more. Concurrency 1: llama.cpp on 2 cores decodes
# one request at a time as fast as two (17.1 against 16.2 tokens/s over the wall, benchmarks/llm_throughput.py), so
# samples and repairs go one by one and stop at the first verified design (GenerationLoop._map). Prices: the local
# model costs no dollars, so the summary says $0 rather than "cost unknown" (and a --budget in dollars is allowed).
LOCAL_DEFAULTS = {"timeout": 1800.0, "concurrency": 1, "price_prompt_per_1k": 0.0, "price_completion_per_1k": 0.0}


def resolve_endpoint(llm: LlmSettings, stack: ExitStack, say: Callable[[str], None]) -> tuple[LLMConfig, bool]:
    """``llm`` over the environment and the config file: the configured endpoint's LLMConfig, else the local
    model's (a running ``rtlgen llm serve``, else a server started here and stopped when ``stack`` closes; over
    ``LOCAL_DEFAULTS``); and whether it is the local model. Called once per run, where its client is made: only a
    run that calls an LLM needs an endpoint (``--rtl`` does not), and which defaults apply is known only here."""
    if llm.configures_endpoint():
        return llm.resolve(), False
    local = stack.enter_context(local_endpoint(say=say))
    return replace(llm, base_url=local.base_url, model=local.model).resolve(LOCAL_DEFAULTS), True


def _client(client: Any, llm: LlmSettings, stack: ExitStack, say: Progress) -> tuple[Any, bool]:
    """The injected client, else one for the configured endpoint, else for the local model (``resolve_endpoint``);
    and whether it is the local model."""
    if client is not None:
        return client, False
    from rtlgen.llm.client import LLMClient  # noqa: PLC0415 - openai costs ~0.5 s; --rtl and callers' clients skip it

    config, local_model = resolve_endpoint(llm, stack, lambda msg: say("llm", msg))
    return LLMClient(config, use_cache=llm.use_cache), local_model


def _given(spec: Spec, rtl_path: str | Path) -> LoopOutcome:
    """``--rtl``: one candidate from a file, no LLM."""
    cand = Candidate.from_file(str(rtl_path), spec.top)
    notes = []
    interface = "spec"
    if not spec.ports:
        ports = read_ports(cand.rtl, spec.top, str(rtl_path))
        spec = spec.with_(ports=ports, clock=spec.clock or infer_clock(ports),
                          reset=spec.reset or infer_reset(ports, cand.rtl))
        interface = f"--rtl file {Path(rtl_path).name}"
        notes.append(f"the spec gives no ports: the interface was read from {rtl_path}")
    lane = Lane(0, candidate=cand)
    golden = golden_label(spec)
    if golden == "none":
        notes.append("the spec has no golden model or reference RTL and --rtl asks no LLM: nothing to verify against")
    return LoopOutcome(spec, [lane], [], golden, interface, notes, 0.0)


def _with_truth_table(spec: Spec, workdir: Path, notes: list[str]) -> Spec:
    """``spec`` with the complete truth table its prose gives as its golden model (``truth_table_model``) when it has
    no golden reference of its own: the spec's own words on every input judge a design, so no LLM-written model is
    needed, and a design that passes is right (measured: VerilogEval Prob090's waveform covers every input of its
    AND; the 1.5B model's three models each contradicted it, and its one right sample stayed uncertified)."""
    if spec.model or spec.reference_rtl:
        return spec
    model = truth_table_model(spec, workdir)
    if model is None:
        return spec
    notes.append("the spec's prose gives its complete truth table (every input combination, every output): it is "
                 "the golden model")
    return spec.with_(model=str(model))


def _area(report: Any) -> float | None:
    """Liberty area in um2, else the estimate flow's transistor count (comparable within one flow)."""
    value = report.area_um2 if report.area_um2 is not None else report.transistors
    return None if value is None else float(value)


def _pick_by_area(lanes: list[Lane], synth: Target | None, progress: Progress, notes: list[str]) -> Lane:
    """Among several distinct verified candidates, the smallest after synthesis (ties: lowest lane)."""
    verified = {lane.candidate.content_hash: lane for lane in sorted(lanes, key=lambda x: -x.index)
                if lane.rank.name == "verified" and lane.candidate}
    if len(verified) < 2 or synth is None:
        return max(lanes, key=lambda lane: (lane.rank, -lane.index))
    areas = []
    for lane in verified.values():
        try:
            area = _area(synthesize(lane.candidate, synth))
        except RtlgenError:
            area = None
        areas.append((float("inf") if area is None else area, lane.index, lane))
    areas.sort(key=lambda t: (t[0], t[1]))
    notes.append(f"{len(verified)} distinct verified candidates; chose the smallest: "
                 + ", ".join(f"lane {i}: {a:g}" for a, i, _ in areas))
    progress("select", f"{len(verified)} verified candidates, smallest area wins (lane {areas[0][1]})")
    return areas[0][2]


def generate(spec_or_path: Spec | str | Path, *, out: str | Path | None = None, rtl: str | Path | None = None,
             sampling: Sampling | None = None, synth: Target | None = Target(), llm: LlmSettings | None = None,
             client: Any = None, progress: Progress | None = None, verify_fn: Callable[..., Any] | None = None,
             spec_notes: tuple[str, ...] = ()) -> GenerationResult:
    """Generate (or take ``rtl``), verify, synthesize and, with ``out``, write the output folder.

    ``llm`` (LlmSettings) overrides the environment and config file; with no endpoint configured the local model
    serves the run. ``client`` injects a shared LLMClient (its cache, ledger and transcript). ``synth`` is the
    Target the chosen design is synthesized onto (None: not synthesized); its flow is checked before any work. A
    caller that already ran ``load_any_spec`` passes the Spec and its ``spec_notes`` (the spec is parsed once).
    """
    sampling, llm = sampling or Sampling(), llm or LlmSettings()
    verify_fn = verify_fn or verify
    if synth is not None:
        load_flow(synth.flow)  # a bad --target is a usage error before any LLM call (FlowError lists the flows)
    say = progress or (lambda stage, msg: None)
    t_start = time.perf_counter()
    stages: list[StageTime] = []
    spec, notes = load_any_spec(spec_or_path)
    notes = [*spec_notes, *notes]
    workdir = Path(tempfile.mkdtemp(prefix=f"generate-{spec.top}-", dir=cache_dir()))
    spec = _with_truth_table(spec, workdir, notes)
    say("spec", f"{spec.label}: top {spec.top}, {len(spec.ports)} ports, "
        + {"none": "no golden reference"}.get(golden_label(spec), golden_label(spec)))

    llm_client = None
    stack = ExitStack()  # the local model server, when this run started one
    try:
        t0 = time.perf_counter()
        if rtl is not None:
            outcome = _given(spec, rtl)
        else:
            llm_client, local_model = _client(client, llm, stack, say)
            concurrency = llm.concurrency or getattr(getattr(llm_client, "config", None), "concurrency", 4)
            budget = replace(loop_budget(local_model, spec, sampling.samples, sampling.rounds), concurrency=concurrency)
            opts = sampling.loop_options(budget, llm.temperature)
            outcome = GenerationLoop(spec, llm_client, opts, workdir, say, verify_fn).run()
        stages.append(StageTime("generate" if rtl is None else "load", time.perf_counter() - t0,
                                f"{len(outcome.attempts)} attempts"))
        spec, notes = outcome.spec, notes + outcome.notes
        best = _pick_by_area(outcome.electable, synth, say, notes) if rtl is None else outcome.lanes[0]
        result = _finish(spec, best, outcome, synth, sampling, verify_fn, say, stages, notes, workdir)
        result.attempts = outcome.attempts or [Attempt(0, 0, "given", best.candidate.content_hash, result.rank,
                                                       str(result.verify).splitlines()[0] if result.verify else "")]
        if llm_client is not None:
            result.llm = llm_client.ledger.usage(f"{spec.label}:", llm_client.config.model, llm_client.config.base_url)
            result.budget = budget
        result.seconds = time.perf_counter() - t_start
        if out is not None:
            write_outputs(result, out, client=llm_client, golden_model=outcome.golden_model)
            say("output", f"wrote {len(result.files)} files to {out}")
        return result
    finally:
        stack.close()
        shutil.rmtree(workdir, ignore_errors=True)


def _doubt_in_generated_model(outcome: LoopOutcome, vr: Any) -> str:
    """Why a pass against the loop's LLM-written golden model is no evidence, or '' when it is."""
    if outcome.judgement is not None and outcome.judgement.doubt:
        return f"the witnesses do not certify it ({outcome.judgement.doubt})"
    return checks_too_little(vr.get("autotb"), outcome.spec)


def _evidence(outcome: LoopOutcome) -> str:
    """What a pass is measured against, for the verdict: the spec-only witnesses, or the user's golden."""
    if outcome.judgement is not None:
        return outcome.judgement.evidence()
    return {"spec model": "against the spec's golden model", "reference RTL": "against the spec's reference RTL",
            "the spec's truth table": "against the spec's complete truth table",
            "none": "no golden reference"}.get(outcome.golden, outcome.golden)


def _finish(spec: Spec, best: Lane, outcome: LoopOutcome, synth: Target | None, sampling: Sampling,
            verify_fn: Callable[..., Any], say: Progress, stages: list[StageTime], notes: list[str],
            workdir: Path) -> GenerationResult:
    """Full verification of the chosen candidate (its run kept in ``workdir`` until the outputs are
    copied), then synthesis with the VCD of that run as the activity source."""
    cand = best.candidate
    result = GenerationResult(spec=spec.label, top=spec.top, source=spec.source, verified=False,
                              rtl=cand.rtl if cand else None, candidate_hash=cand.content_hash if cand else None,
                              rank=best.rank.describe(), golden=outcome.golden, interface_from=outcome.interface_from,
                              stages=stages, notes=notes, tool_seconds=outcome.tool_seconds,
                              evidence=_evidence(outcome))
    if cand is None:
        notes.append("no candidate contained Verilog for the top module: " + (best.extraction_error or "no code"))
        return result
    if not spec.ports:
        return result
    t0 = time.perf_counter()
    # a lane verified in the loop already passed the formal checks (they leave no files when they pass): not again
    confirmed = ([c for c in best.verify.checks if c.check in ("agreement", *CONFIRM_CHECKS)]
                 if best.rank.name == "verified" and best.verify is not None else [])
    checks = tuple(c for c in FINAL_CHECKS if not (confirmed and c in CONFIRM_CHECKS))
    vr = verify_fn(cand, spec, simulator=sampling.simulator, checks=checks, keep=True, waves=spec.is_sequential,
                   seed=sampling.seed, workdir=workdir)
    if confirmed:  # in the order of a full run: before the official testbench
        official = [c for c in vr.checks if c.check == "official"]
        vr.checks = [c for c in vr.checks if c.check != "official"] + confirmed + official
    elapsed = time.perf_counter() - t0
    result.tool_seconds += elapsed
    stages.append(StageTime("verify", elapsed, str(vr).splitlines()[0]))
    result.verify, result.verified = vr, vr.passed
    if best.rank.name == "verified" and not vr.passed:
        notes.append("the chosen candidate passed lint and the auto-testbench in the loop but not the final checks: "
                     + "; ".join(c.summary() for c in vr.checks if not c.passed and c.verdict != "absent"))
    result.rank = rank_of(vr).describe()
    if result.verified and outcome.golden_model is not None:
        doubt = _doubt_in_generated_model(outcome, vr)
        if doubt:
            result.verified = False
            notes.append(f"not called verified: {doubt}; compare the model (golden_model.py) with the spec, or add "
                         "your own")
    say("verify", "; ".join(c.summary() for c in vr.checks))
    if synth is None or rank_of(vr).name in ("no_code", "unsafe", "compile_error"):
        return result
    auto = vr.get("autotb")
    vcd = (auto.artifacts or {}).get("vcd") if auto else None
    t0 = time.perf_counter()
    try:
        report = synthesize(cand, synth, vcd=vcd, vcd_label=autotb_label(spec, sampling.seed) if vcd else None)
    except ConfigError:
        raise  # a bad liberty or flow is the user's to fix, not a property of the design
    except RtlgenError as exc:
        notes.append(f"synthesis failed: {exc}")
        say("synth", f"failed: {str(exc).splitlines()[0]}")
        return result
    finally:
        elapsed = time.perf_counter() - t0
        result.tool_seconds += elapsed
    if report.lost_logic_message:
        notes.append(f"{report.lost_logic_message}; its area, timing and power do not describe the design")
        say("synth", f"failed: {report.lost_logic_message}")
        return result
    result.ppa = report
    stages.append(StageTime("synth", elapsed, f"flow {synth.flow}, liberty {synth.liberty or 'none (estimate)'}"))
    say("synth", f"flow {synth.flow}: {report.area_label}"
        + (f", critical path {report.delay_ns:.3f} ns" if report.delay_ns is not None else "")
        + (f" ({synth.liberty})" if synth.liberty else " (no liberty: estimate)"))
    return result
