"""The generate -> verify -> repair loop over N candidate lanes (MAGE / VerilogCoder style).

Round 0 samples N candidates, ``concurrency`` at a time; each later round sends every still-failing lane its
own feedback (classified compile error, or first mismatch with its cycle window and the run's mismatch
count) and keeps the edit only if its rank does not get worse (``rank_of``: an edit that raises the
number of mismatching cycles is worse; a worse edit is rolled back and recorded as rejected). A lane is
verified when lint, the auto-testbench and the formal checks pass (``LOOP_CHECKS``, then ``CONFIRM_CHECKS``). The
loop stops at the first verified candidate, or after ``rounds`` repairs.
Rounds are synchronous so that a cached re-run replays exactly the same calls.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from rtlgen.errors import LLMError, SpecError
from rtlgen.generate.examples_check import TRUTH_TABLE_MODEL, ExampleCheck, check_design, check_examples
from rtlgen.generate.fixes import fix_candidate
from rtlgen.generate.golden import GoldenModel, late_reading, repair_golden_model, write_golden_model
from rtlgen.generate.prompts import (continue_messages, join_continuation, repair_messages, reply_text,
                                     spec_messages)
from rtlgen.generate.prompts import runaway_reply
from rtlgen.generate.rank import behaviour_groups, degenerate, feedback_of, no_code_feedback, rank_of, rejection
from rtlgen.generate.result import Attempt, LoopBudget, Rank
from rtlgen.generate.witnesses import (DesignGroup, Judgement, ModelWitness, Nearness, any_varies, checks_too_little,
                                      inputs_without_effect, judge, stimulated)
from rtlgen.executor import get_executor
from rtlgen.llm.errors import BudgetExceeded, ExtractionError, PromptTooLong
from rtlgen.llm.extract import extract_verilog
from rtlgen.spec.interface import infer_clock, infer_reset, module_names, read_ports
from rtlgen.spec.model import Candidate, Spec
from rtlgen.verify.api import verify
from rtlgen.verify.result import CheckResult, VerifyResult
from rtlgen.verify.simulators import DEFAULT_SIMULATOR

Progress = Callable[[str, str], None]
LaneRuns = dict[int, VerifyResult | None]  # every lane's run against one golden model, by lane index
LOOP_CHECKS = ("lint", "autotb")  # every candidate; official runs once, on the chosen candidate
# ... and a candidate that passes them gets these too before it counts as verified (and ends the sampling): a design
# that Yosys cannot read, or whose synthesis disagrees with its simulation, fails the final checks (measured: the
# 1.5B model's dual-edge flip-flops for VerilogEval's Prob078 passed the auto-testbench in 3 of 4 samples, and
# Yosys refuses them)
CONFIRM_CHECKS = ("formal",)


@dataclass
class LoopOptions:
    samples: int = 4
    rounds: int = 3
    concurrency: int = 4
    seed: int = 1
    simulator: str = DEFAULT_SIMULATOR
    temperature: float | None = None  # None: the endpoint config's temperature ...
    # ... except for the lanes after the first and for fresh samples, for diversity (MAGE). 0.5, not MAGE's 0.8:
    # with Qwen2.5-Coder 1.5B on 59 VerilogEval problems, lane 1's first sample verifies 11 problems at 0.5 and 7
    # at 0.8 (docs/generation.md, "Defaults of the sampling lanes")
    sample_temperature: float = 0.5
    # in-context designs from designs/ in the spec prompt; none by default: with Qwen2.5-Coder 1.5B on 59
    # VerilogEval problems the first samples verify 14 problems without an example and 11 with one, whose prompts
    # are also longer (slower on a CPU; docs/generation.md, "Defaults of the sampling lanes")
    examples: int = 0


ENDPOINT_BUDGET = LoopBudget(LoopOptions.samples, LoopOptions.rounds)
# The local model's budget for a spec with a golden model or reference RTL: eight first samples, no repair rounds.
# With Qwen2.5-Coder 1.5B on all 59 VerilogEval problems, reference as golden (benchmarks/generate_quality.py,
# docs/generation.md, "Eight samples"): 20 verified against 17 for two lanes with two repair rounds and 17 for
# four samples alone, at 2959 tokens a problem against 4850 for the repair loop; its repairs mostly hand back the
# code they were shown (107 of 174 calls), and samples stop at the first verified one. Twelve samples verify 29
# of 79 problems against 28 for eight, for half as many calls again on every problem that fails. Without a
# golden reference see SPEC_ONLY_BUDGET.
LOCAL_BUDGET = LoopBudget(8, 0)
# Without a golden reference the LLM writes GOLDEN_MODELS models besides the samples, each an independent witness
# (rtlgen.generate.witnesses): five samples and three models are the eight calls of LOCAL_BUDGET. No repair rounds:
# a design repaired to match one model's mismatches is no longer independent of it. Larger budgets measured with
# Qwen2.5-Coder 1.5B, reference hidden (docs/generation.md, "Measured with the reference hidden"): eight samples on
# the 8 problems where one model agreed with the behaviour kept certify none and lose a right kept design (two new
# samples agreeing on a wrong behaviour tie a right lone sample and its model); five models certify 2 right and 2
# wrong designs in 17 problems, a misreading being as likely among more models as the right reading.
GOLDEN_MODELS = 3
SPEC_ONLY_BUDGET = LoopBudget(LOCAL_BUDGET.samples - GOLDEN_MODELS, 0)
# ... and one more model when exactly one agrees with the behaviour most witnesses show while the samples disagree
# (witnesses.Judgement.one_model_short): a second agreeing model drawn on its own certifies it.
EXTRA_MODELS = 1
# Each drawn model (the extra one included) that fails on the shared stimulus by its own error gets one repair call,
# and one still no witness by its own fault (an unusable reply, a repair unusable, the same or failing again) one
# fresh draw (``GenerationLoop._settled_model``), its seed offset by REDRAW_SEED from the first draw's; a fresh draw
# is weighed as it comes. With Qwen2.5-Coder 1.5B, reference hidden (the i28 run of 80 problems), 49 models failed
# so in 36 problems (0.6 repair calls a problem) and 61 were drawn anew in 44: Prob111 certified, Prob033's kept
# design right, none wrong; with the 0.5B, 133 fresh draws in 61 problems certify Prob020 (docs/generation.md).
REDRAW_SEED = 500


def loop_budget(local_model: bool, spec: Spec, samples: int | None = None, rounds: int | None = None) -> LoopBudget:
    """The budget for ``spec``: the caller's ``samples`` and ``rounds`` where given, the rest from SPEC_ONLY_BUDGET
    without a golden reference, else from LOCAL_BUDGET for the local model and ENDPOINT_BUDGET for an endpoint."""
    golden = spec.model or spec.reference_rtl
    default = SPEC_ONLY_BUDGET if not golden else LOCAL_BUDGET if local_model else ENDPOINT_BUDGET
    return LoopBudget(default.samples if samples is None else samples, default.rounds if rounds is None else rounds)


@dataclass
class Lane:
    """One candidate's line of descent: its current (best accepted) version and conversation."""

    index: int
    messages: list[dict[str, str]] = field(default_factory=list)
    reply: str = ""
    candidate: Candidate | None = None
    verify: VerifyResult | None = None
    rank: Rank = Rank(0)
    extraction_error: str = ""
    call: str = ""  # LLM call id of the current version
    fixes: list[str] = field(default_factory=list)  # declaration slips fixed in the first sample
    seconds: float = 0.0


@dataclass
class LoopOutcome:
    spec: Spec
    lanes: list[Lane]
    attempts: list[Attempt]
    golden: str
    interface_from: str
    notes: list[str]
    tool_seconds: float
    golden_model: str | None = None
    # the spec-only judgement by the samples, the generated models and the spec's examples (None with a golden
    # reference, or when no usable model was written)
    judgement: Judgement | None = None

    @property
    def agreeing(self) -> tuple[int, ...]:
        """Lane indices of the design group the judgement chose (() without one)."""
        return self.judgement.chosen.lanes if self.judgement and self.judgement.chosen else ()

    @property
    def electable(self) -> list[Lane]:
        """The lanes the kept design may come from: the chosen group when there is one, else every lane."""
        return [lane for lane in self.lanes if lane.index in self.agreeing] or self.lanes

    @property
    def best(self) -> Lane:
        """Best by rank; ties go to the lowest lane index (area decides later among verified ones)."""
        return max(self.electable, key=lambda lane: (lane.rank, -lane.index))


def _autotb(vr: VerifyResult | None) -> CheckResult | None:
    return vr.get("autotb") if vr is not None else None


def _own_error(runs: LaneRuns) -> str | None:
    """The error a generated model's runs report when it judged no sample (none traced a design's outputs against it):
    it steps on the shared stimulus alone, so one that raised or returned a value its port cannot hold did so for
    every design. An error verdict carries no design's outputs (a mismatch is a fail)."""
    autos = [auto for vr in runs.values() if (auto := _autotb(vr)) is not None]
    errors = [auto.message for auto in autos if auto.verdict == "error"]
    return errors[0] if errors and not any(auto.trace for auto in autos) else None


def _passed(vr: VerifyResult | None) -> bool:
    """Whether the run ``vr`` passed the auto-testbench (lint, whose failure skips it, included)."""
    auto = _autotb(vr)
    return auto is not None and auto.passed


def golden_label(spec: Spec) -> str:
    """What the designs are judged against, as the result names it (``GenerationResult.golden``)."""
    if spec.model:
        return "the spec's truth table" if Path(spec.model).name == TRUTH_TABLE_MODEL else "spec model"
    if spec.reference_rtl:
        return "reference RTL"
    return "none"


class GenerationLoop:
    """Runs the loop for one spec; the LLM client, verify function and progress callback are injected."""

    def __init__(self, spec: Spec, client: Any, options: LoopOptions, workdir: Path,
                 progress: Progress | None = None, verify_fn: Callable[..., VerifyResult] | None = None) -> None:
        self.spec = spec  # as given; the spec the samples are judged by (interface, golden model) is run()'s value
        self.client = client
        self.opt = options
        self.workdir = workdir
        self.progress = progress or (lambda stage, msg: None)
        self.verify_fn = verify_fn or verify
        self.attempts: list[Attempt] = []
        self.notes: list[str] = []
        self.tool_seconds = 0.0
        self._lock = threading.Lock()
        self.interface_from = "spec" if spec.ports else "first candidate"
        self.golden = golden_label(spec)
        self.golden_model: str | None = None
        self.judgement: Judgement | None = None  # see LoopOutcome.judgement
        self._design_evidence: dict[int, tuple[ExampleCheck, tuple[str, ...]]] = {}  # by lane: _evidence_of

    # -- one step of a lane -------------------------------------------------------------------
    def _ask(self, messages: list[dict[str, str]], seed: int, tag: str, diverse: bool = False) -> tuple[str, str]:
        kwargs: dict[str, Any] = {"n": 1, "seed": seed, "tag": tag}
        if self.opt.temperature is not None:
            kwargs["temperature"] = self.opt.temperature
        elif diverse:
            kwargs["temperature"] = self.opt.sample_temperature
        reply = self.client.complete(messages, **kwargs)[0]
        text = reply_text(reply)
        if getattr(reply, "finish_reason", None) == "length" and not runaway_reply(text):
            more = self.client.complete(continue_messages(messages, text), **{**kwargs, "tag": f"{tag}:continue"})[0]
            text = join_continuation(text, reply_text(more))
        return text, str(getattr(reply, "call_id", "") or "")

    @staticmethod
    def _extract(text: str, spec: Spec) -> tuple[Candidate | None, str, list[str]]:
        """The reply's module with its slips fixed (rtlgen.generate.fixes), or the extraction error."""
        try:
            rtl = extract_verilog(text, spec.top)
        except LLMError as exc:
            return None, str(exc), []
        fixed = fix_candidate(rtl, spec.reset)
        return Candidate(rtl=fixed.rtl, top=spec.top, origin="llm"), "", fixed.changes

    def _verify(self, cand: Candidate | None, spec: Spec, confirm: bool = True) -> VerifyResult | None:
        """``cand`` judged against ``spec``: the given spec while sampling, the one with the adopted interface and
        the generated golden model after; a pass ``confirm``ed by CONFIRM_CHECKS (off where the run judges nothing,
        ``_runs_alone``)."""
        if cand is None or not spec.ports:
            return None
        t0 = time.perf_counter()
        vr = self.verify_fn(cand, spec, simulator=self.opt.simulator, checks=LOOP_CHECKS, seed=self.opt.seed)
        if vr.passed and confirm:
            confirm = self.verify_fn(cand, spec, simulator=self.opt.simulator, checks=CONFIRM_CHECKS,
                                     seed=self.opt.seed)
            vr = VerifyResult(vr.spec, vr.candidate_hash, vr.checks + confirm.checks, vr.seconds + confirm.seconds)
        with self._lock:
            self.tool_seconds += time.perf_counter() - t0
        return vr

    def _record(self, lane: Lane, rnd: int, kind: str, cand: Candidate | None, vr: VerifyResult | None,
                rank: Rank, accepted: bool, note: str, call: str, seconds: float) -> None:
        verdict = "; ".join(c.summary() for c in vr.checks) if vr else (note or "no code")
        attempt = Attempt(lane.index, rnd, kind, cand.content_hash if cand else None, rank.describe(), verdict,
                          (vr.failure_class if vr else "no_module"), accepted, note, [call] if call else [], seconds)
        with self._lock:
            self.attempts.append(attempt)

    def _sample(self, lane: Lane) -> Lane:
        t0 = time.perf_counter()
        lane.messages = spec_messages(self.spec, examples=self.opt.examples)
        lane.reply, lane.call = self._ask(lane.messages, self.opt.seed + lane.index, f"{self.spec.label}:sample",
                                          diverse=lane.index > 0)
        lane.candidate, lane.extraction_error, lane.fixes = self._extract(lane.reply, self.spec)
        judgeable = self._judgeable()
        if judgeable:  # else judged once the interface and the golden model exist
            lane.verify = self._verify(lane.candidate, self.spec)
            lane.rank = rank_of(lane.verify)
        lane.seconds = time.perf_counter() - t0
        judged = lane.rank.describe() if judgeable else "drawn"
        self.progress("sample", f"{lane.index + 1} of {self.opt.samples}: {judged} ({lane.seconds:.0f} s)")
        return lane

    def _judgeable(self) -> bool:
        return bool(self.spec.ports) and bool(self.spec.model or self.spec.reference_rtl)

    def _repair(self, item: tuple[Lane, int, Spec]) -> Lane:
        """One repair of a failing lane; a reply that hands back the same code, or a repair prompt too long for
        the model's context, is replaced by a fresh sample.

        Small models often answer a repair prompt with the code they were shown (Qwen2.5-Coder 1.5B did in
        97 of 160 repair calls over 54 VerilogEval problems, and in 6 of 8 of the README's counter, whose
        two verified designs were both such fresh samples); a new sample at the sampling temperature is then
        a better use of the call than a second identical verification. A candidate that ran to the token limit
        (twice, with its continuation) can make the repair prompt exceed the context: that stopped the whole loop
        on 3 of 63 problems (Prob141, Prob150, RTLLM alu) before a fresh sample was drawn instead.
        """
        lane, rnd, spec = item
        t0 = time.perf_counter()
        feedback = feedback_of(lane.verify) if lane.verify else no_code_feedback(lane.extraction_error)
        if feedback is None:
            return lane
        seed = self.opt.seed + 1000 * rnd + lane.index
        kind, why = "repair", ""
        try:
            text, call = self._ask(repair_messages(spec, lane.candidate, feedback), seed, f"{spec.label}:repair")
        except PromptTooLong:  # the spec, a long (often runaway) candidate and its feedback: the spec alone fits
            text, call, why = "", "", "the repair prompt does not fit the model's context"
        cand, err, fixes = self._extract(text, spec) if text else (None, "", [])
        if cand is not None and lane.candidate is not None and cand.content_hash == lane.candidate.content_hash:
            why = "handed back the same code"
        if why:
            self._record(lane, rnd, "repair", lane.candidate, lane.verify, lane.rank, False,
                         f"{why}; drawing a fresh sample instead", call, time.perf_counter() - t0)
            t0 = time.perf_counter()
            text, call = self._ask(spec_messages(spec, examples=self.opt.examples), seed + 500,  # unlike any lane
                                   f"{spec.label}:resample", diverse=True)
            cand, err, fixes = self._extract(text, spec)
            kind = "resample"
        notes = list(fixes)
        vr = self._verify(cand, spec)
        rank = rank_of(vr)
        accepted = rank >= lane.rank
        if cand is None:
            notes.insert(0, err)
        if not accepted:
            notes.insert(0, rejection(rank, lane.rank))
        self._record(lane, rnd, kind, cand, vr, rank, accepted, "; ".join(notes), call, time.perf_counter() - t0)
        self.progress("repair", f"round {rnd}, lane {lane.index + 1}: {kind} gave {rank.describe()}"
                                + ("" if accepted else ", rolled back"))
        if accepted:
            lane.reply, lane.candidate, lane.verify, lane.rank, lane.extraction_error = text, cand, vr, rank, err
        return lane

    def _map(self, fn: Callable[[Any], Lane], items: list[Any], until_verified: bool = False) -> int:
        """Run ``fn`` over lanes on threads (LLM calls are I/O-bound; tools run in child processes); returns how
        many items ran.

        With ``until_verified`` the items go in waves of ``concurrency`` and no further wave starts once a lane is
        verified: on a server that answers one request at a time as fast as several (a local model on the CPU,
        see docs/generation.md), the samples or repairs after a verified one would only cost time.
        """
        wave = max(1, self.opt.concurrency) if until_verified else max(1, len(items))
        for start in range(0, len(items), wave):
            batch = items[start:start + wave]
            executor = get_executor("thread", min(self.opt.concurrency, len(batch)))
            lanes = []
            for outcome in executor.map(fn, batch):
                if outcome.error is not None:
                    raise outcome.error
                lanes.append(outcome.result)
            if until_verified and any(lane.rank.name == "verified" for lane in lanes):
                return start + len(batch)
        return len(items)

    # -- the loop ----------------------------------------------------------------------------
    def _adopt_interface(self, lanes: list[Lane]) -> Spec:
        """No ports in the spec: the spec with those of the first candidate that declares the top module (the
        given spec when none does)."""
        spec = self.spec
        for lane in sorted(lanes, key=lambda x: x.index):
            if lane.candidate is None:
                continue
            try:
                ports = read_ports(lane.candidate.rtl, spec.top, f"candidate {lane.index}")
            except SpecError:
                continue
            clock = spec.clock or infer_clock(ports)
            reset = spec.reset or infer_reset(ports, lane.candidate.rtl)
            self.notes.append(f"the spec gives no ports: the interface ({', '.join(str(p) for p in ports)}) "
                              f"was taken from candidate {lane.index}")
            self.progress("interface", f"ports from candidate {lane.index}: {', '.join(p.name for p in ports)}")
            return spec.with_(ports=ports, clock=clock, reset=reset)
        names = {n for lane in lanes if lane.candidate for n in module_names(lane.candidate.rtl)}
        self.notes.append(f"the spec gives no ports and no candidate declares module '{spec.top}' "
                          f"(found: {sorted(names) or 'none'})")
        return spec

    def _verify_all(self, lanes: list[Lane], spec: Spec) -> LaneRuns:
        """Every lane's candidate judged against ``spec`` (tools run in child processes), by lane index."""
        return self._each_lane(lambda lane: self._verify(lane.candidate, spec), lanes)

    def _each_lane(self, run_one: Callable[[Lane], VerifyResult | None], lanes: list[Lane]) -> LaneRuns:
        """``run_one`` over ``lanes`` on ``concurrency`` threads, by lane index."""
        executor = get_executor("thread", max(1, min(self.opt.concurrency, len(lanes))))
        results = {}
        for lane, outcome in zip(lanes, executor.map(run_one, lanes)):
            if outcome.error is not None:
                raise outcome.error
            results[lane.index] = outcome.result
        return results

    def _models(self, spec: Spec, numbers: range, lanes: list[Lane], done: dict[str, LaneRuns]) -> list[GoldenModel]:
        """The golden models ``numbers``, each drawn on its own and settled (``_settled_model``); one with no usable
        reply is left out. A spent budget stops the calls (the models so far are weighed). An endpoint that fails is
        the run's error, as for a sample: no model is left out for it (a re-judged record whose reply is not cached
        is kept as it was, not re-written with one model fewer). ``done``: runs by model text (``_runs``)."""
        models = []
        for number in numbers:
            try:
                model = self._settled_model(number, spec, lanes, done)
            except BudgetExceeded as exc:
                self.notes.append(f"generated golden model {number} not drawn: {exc}")
                break
            if model is not None:
                models.append(model)
        self.progress("golden", f"no golden model in the spec: {len(models)} generated models drawn")
        return models

    def _settled_model(self, number: int, spec: Spec, lanes: list[Lane],
                       done: dict[str, LaneRuns]) -> GoldenModel | None:
        """Model ``number`` drawn; one that fails on the shared stimulus by its own error (``_own_error``) repaired
        once from that error (``_repair_model``); one still no witness by its own fault (its reply unusable, its
        repair unusable, the same model or failing again) drawn anew once (``_drawn_model``), as a design repair
        that hands back the same code gives way to a fresh sample. At most three calls a model; the fresh draw is
        weighed as it comes. A budget spent after the draw keeps the model as it stands."""
        model = self._drawn_model(number, spec)
        try:
            if model is not None and (error := self._failure(model, lanes, spec, done)):
                model = self._repair_model(model, error, spec)
            if model is None or self._failure(model, lanes, spec, done):
                model = self._drawn_model(number, spec, fresh=True) or model
        except BudgetExceeded as exc:
            self.notes.append(f"generated golden model {number} not repaired or drawn anew: {exc}")
        return model

    def _drawn_model(self, number: int, spec: Spec, fresh: bool = False) -> GoldenModel | None:
        """Model ``number`` drawn from the golden-model prompt alone: first with its seed (after the first model, at
        the sampling temperature); ``fresh``, again at the sampling temperature with a seed no first draw has
        (``REDRAW_SEED``), as independent a witness as any draw. None, noted, for an unusable reply (cut at the
        token limit, not Python)."""
        drawn = f"generated golden model {number}" + (" drawn anew" if fresh else "")
        try:
            model = write_golden_model(spec, self.client, self.workdir, attempt=number,
                                       seed=self.opt.seed + (REDRAW_SEED if fresh else 0),
                                       temperature=self._model_temperature(number, fresh))
        except ExtractionError as exc:
            self.notes.append(f"{drawn} was unusable ({exc})")
            return None
        if fresh:
            self.notes.append(f"{drawn} ({Path(model.path).name}): the model before was no witness")
            self.progress("golden", f"model {number} drawn anew")
        return model

    def _model_temperature(self, number: int, fresh: bool = False) -> float | None:
        """Model ``number``'s temperature: the configured one, else the endpoint's for the first model's first draw
        and the sampling temperature for the others and every ``fresh`` draw (None: the endpoint's)."""
        if self.opt.temperature is None and (number > 1 or fresh):
            return self.opt.sample_temperature
        return self.opt.temperature

    def _failure(self, model: GoldenModel, lanes: list[Lane], spec: Spec, done: dict[str, LaneRuns]) -> str | None:
        """The error ``model`` failed with on the shared stimulus by its own fault (``_own_error``); None when it
        judged a sample. Run once per model text (``done``)."""
        return _own_error(self._runs([model], lanes, spec, done)[model.attempt])

    def _repair_model(self, model: GoldenModel, error: str, spec: Spec) -> GoldenModel:
        """``model`` repaired from ``error``, noted; ``model`` itself when the repair is unusable or too long to ask.
        An endpoint that fails is the run's error, as for a sample."""
        failed = f"generated golden model {model.attempt} failed on the shared stimulus ({error.splitlines()[0]})"
        try:
            repaired = repair_golden_model(model, error, spec, self.client, self.workdir, seed=self.opt.seed,
                                           temperature=self._model_temperature(model.attempt))
        except (ExtractionError, PromptTooLong) as exc:
            self.notes.append(f"{failed}; its repair was unusable ({exc})")
            return model
        if repaired.text == model.text:
            self.notes.append(f"{failed}; its repair handed back the same model")
            return repaired
        self.notes.append(f"{failed}: repaired from that error, the repair is model {model.attempt} "
                          f"({Path(repaired.path).name})")
        self.progress("golden", f"model {model.attempt} repaired from its own error")
        return repaired

    def _runs(self, models: list[GoldenModel], lanes: list[Lane], spec: Spec,
              done: dict[str, LaneRuns]) -> dict[int, LaneRuns]:
        """Every lane run against each of ``models``, by model number; a model drawn like one in ``done`` (runs by
        model text, updated) is not run again."""
        for model in models:
            if model.text not in done:
                done[model.text] = self._verify_all(lanes, spec.with_(model=model.path))
        return {model.attempt: done[model.text] for model in models}

    def _read_late(self, models: list[GoldenModel], runs: dict[int, LaneRuns],
                   lanes: list[Lane], spec: Spec, done: dict[str, LaneRuns]) -> list[GoldenModel]:
        """``models``, each that no sample passes replaced by its late reading (``golden.late_reading``) where some
        sample passes that one, whose runs then replace its own in ``runs``. Only then: a model that a sample passes
        as written keeps the contract's reading. ``done``: runs by model text (``_runs``)."""
        read = []
        for model in models:
            passed = any(_passed(vr) for vr in runs[model.attempt].values())
            late = None if passed else late_reading(model, spec, self.workdir)
            late_runs = self._runs([late], lanes, spec, done)[late.attempt] if late else {}
            passing = [lane for lane, vr in late_runs.items() if _passed(vr)]
            if passing:
                self.notes.append(f"no sample passes generated model {model.attempt} as written; read one cycle "
                                  f"later (its step returns the state after the clock edge, where the contract asks "
                                  f"for the outputs before it), lane{'s' if len(passing) > 1 else ''} "
                                  f"{', '.join(map(str, passing))} pass it: that reading is the witness")
                runs[model.attempt], model = late_runs, late
            read.append(model)
        return read

    def _witness(self, model: GoldenModel, spec: Spec) -> ModelWitness:
        """``model`` as a witness: held against the spec's examples (a model they contradict is named no witness)."""
        examples = check_examples(spec.with_(model=model.path), self.workdir)
        if examples.conflict:
            self.notes.append(f"generated golden model {model.attempt} contradicts the spec's own example "
                              f"{examples.conflict}: it is no witness")
        return ModelWitness(model.attempt, model.path, model.text, examples)

    def _standing_models(self, models: list[ModelWitness],
                         runs: dict[int, LaneRuns]) -> list[ModelWitness]:
        """The models that are witnesses: not contradicted by the spec's examples, and judging at least one sample;
        all of them when none is (nothing is certified then). A model steps on the shared stimulus alone, so one that
        raised or returned a value its port cannot hold did so for every design: it judged none, and counting it
        would rank every sample a simulation error against it (measured: RTLLM's adder_bcd, two of three models
        returned 16 for a 4-bit sum and the design judged against one of them was kept)."""
        standing = []
        for model in models:
            error = _own_error(runs[model.number])
            if error is not None:
                self.notes.append(f"generated golden model {model.number} judged none of the samples "
                                  f"({error.splitlines()[0]}): it is no witness")
            elif not model.examples.conflict:
                standing.append(model)
        return standing or models

    def _design_groups(self, spec: Spec, lanes: list[Lane], standing: list[ModelWitness],
                       runs: dict[int, LaneRuns], others_vary: bool) -> list[DesignGroup]:
        """The non-degenerate samples (``others_vary``: see rank.degenerate) grouped by behaviour (their outputs on
        the shared stimulus, as run against the model most samples could be simulated with, or, when no standing model
        judged any, each run beside itself: ``_runs_alone``), each group's first design on the spec's examples, the
        ``standing`` models each group passes, checking enough of its outputs (``checks_too_little``), the one it
        mismatches least among those that check enough, and the spec's inputs it leaves without effect.

        A model that checks too little is no measure of nearness either: near a model whose outputs are mostly
        don't-care, or never change, is near what it leaves unchecked or holds constant, whatever the spec says."""
        def traced(number: int) -> int:
            return sum(1 for vr in runs[number].values() if _autotb(vr) is not None and _autotb(vr).trace)

        most = max(standing, key=lambda m: traced(m.number)).number
        basis = runs[most] if traced(most) else self._runs_alone(lanes, spec, runs[most])
        varied = others_vary or stimulated(spec) and any_varies(list(basis.values()))
        witnesses = [m for m in standing if not m.examples.conflict]
        groups = []
        for members in behaviour_groups([basis[lane.index] for lane in lanes], constant_ok=not varied):
            first = lanes[members[0]]
            examples, ignored = self._evidence_of(first, spec)
            autos = {m.number: _autotb(runs[m.number][first.index]) for m in witnesses}
            agree = tuple(number for number, auto in autos.items() if self._agrees(number, first.index, auto, spec))
            nearest = min(filter(None, (Nearness.of(auto, number) for number, auto in autos.items()
                                        if not checks_too_little(auto, spec))), default=None)
            groups.append(DesignGroup(tuple(lanes[i].index for i in members), examples, agree, nearest, ignored))
        return groups

    def _runs_alone(self, lanes: list[Lane], spec: Spec, against: LaneRuns) -> LaneRuns:
        """Each lane's design that a model's error stopped in its run ``against`` (simulated, verdict error) run again
        on the shared stimulus beside itself as the reference RTL: nothing can differ, so the run judges nothing, but
        the checker follows the design's outputs to the end (``trace``, and whether they change); None for the other
        lanes, which have no outputs to show. The samples' behaviours when no standing model judged any of them (each
        raised, or returned what its port cannot hold, before the checker recorded a design's outputs): measured with
        the 0.5B model, reference hidden, no model of VerilogEval Prob018 or Prob020 judged any sample, and the kept
        design, the lowest lane, failed the benchmark's testbench, which passes the behaviour 3 and 2 of the 5 samples
        show. A model leaving every output don't-care would judge nothing too, but its run is an error, and an error
        carries no outputs (that is how a model that judged nothing is told: ``_own_error``)."""
        stopped = [lane for lane in lanes if (auto := _autotb(against[lane.index])) is not None
                   and auto.verdict == "error"]
        if stopped:
            self.notes.append("no standing generated model judged any sample: the samples are grouped by their own "
                              "outputs on the shared stimulus, each run beside itself (which judges nothing)")

        def alone(lane: Lane) -> VerifyResult | None:
            reference = self.workdir / f"alone-lane{lane.index}.sv"
            reference.write_text(lane.candidate.rtl)
            itself = spec.with_(model=None, reference_rtl=str(reference), reference_top=lane.candidate.top)
            return self._verify(lane.candidate, itself, confirm=False)

        shown = self._each_lane(alone, stopped)
        return {lane.index: shown.get(lane.index) for lane in lanes}

    def _evidence_of(self, lane: Lane, spec: Spec) -> tuple[ExampleCheck, tuple[str, ...]]:
        """The lane's design on the spec's examples and the spec's inputs it leaves without effect. Neither depends on
        the models, so each is found once per lane: the witnesses are weighed again when a model is drawn besides."""
        if lane.index not in self._design_evidence:
            examples = check_design(lane.candidate, spec, self.workdir / f"examples-lane{lane.index}",
                                    self.opt.simulator)
            ignored = inputs_without_effect(lane.candidate, spec, self.workdir / f"inputs-lane{lane.index}")
            self._design_evidence[lane.index] = examples, ignored
        return self._design_evidence[lane.index]

    @staticmethod
    def _golden_for(chosen: DesignGroup | None, standing: list[ModelWitness]) -> ModelWitness:
        """The model the samples are ranked against: the first that agrees with the chosen group, else the one it
        mismatches least, else the first standing model."""
        number = (chosen.models[0] if chosen and chosen.models else chosen.nearest.model if chosen and chosen.nearest
                  else standing[0].number)
        return next(m for m in standing if m.number == number)

    def _agrees(self, number: int, lane: int, auto: CheckResult | None, spec: Spec) -> bool:
        """Lane ``lane``'s run against generated model ``number`` shows them agreeing: it passed, and checked enough
        to count (a pass that checks too little is noted)."""
        if auto is None or not auto.passed:
            return False
        why = checks_too_little(auto, spec)
        if why:
            self.notes.append(f"lane {lane} passes generated model {number}, which does not count as agreeing: {why}")
        return not why

    def _judge_by_witnesses(self, spec: Spec, lanes: list[Lane]) -> Spec:
        """``spec`` with a golden model: its own, else the generated model the witnesses chose
        (rtlgen.generate.witnesses), every lane judged against it; the spec as given when no usable model came back.

        The examples (truth tables, waveform listings in the prose) are the spec's own words: a model and designs
        from one LLM can share a misreading of them (measured: the 1.5B model read VerilogEval Prob090's waveform
        of an AND as an XOR, in the model and in both designs). A model that failed on the shared stimulus by its own
        error is repaired once, or drawn anew, before it is weighed (``_settled_model``)."""
        if spec.model or spec.reference_rtl or not spec.ports:
            return spec
        done: dict[str, LaneRuns] = {}
        drawn = self._models(spec, range(1, GOLDEN_MODELS + 1), lanes, done)
        if not drawn:
            self.notes.append("no usable generated golden model: the samples were only linted")
            return spec
        first = len(self.notes)
        standing, runs, others_vary = self._weigh(drawn, lanes, spec, done)
        if self.judgement.one_model_short:
            weighed = len(self.notes)
            extra = self._models(spec, range(GOLDEN_MODELS + 1, GOLDEN_MODELS + EXTRA_MODELS + 1), lanes, done)
            if extra:
                del self.notes[first:weighed]  # weighed again below, the extra model among the witnesses
                self.notes.append(f"one generated model agreed with the behaviour most witnesses show while the "
                                  f"samples disagree: model{'s' if len(extra) > 1 else ''} "
                                  f"{', '.join(str(m.attempt) for m in extra)} drawn besides")
                standing, runs, others_vary = self._weigh(drawn + extra, lanes, spec, done)
        golden = self._golden_for(self.judgement.chosen, standing)
        for lane in lanes:
            lane.verify = runs[golden.number][lane.index]
            lane.rank = rank_of(lane.verify, others_vary)
        self._note_degenerate(lanes, others_vary)
        self._note_judgement(golden)
        self.golden = "generated models (LLM-written, cross-checked with the samples and the spec's examples)"
        self.golden_model = golden.text
        return spec.with_(model=golden.path)

    def _weigh(self, drawn: list[GoldenModel], lanes: list[Lane], spec: Spec,
               done: dict[str, LaneRuns]) -> tuple[list[ModelWitness], dict[int, LaneRuns], bool]:
        """Judge the lanes by the ``drawn`` models and the spec's examples (``self.judgement``); returns the standing
        models, every lane's run against each model by number, and whether any witness's outputs vary. ``done``:
        runs by model text, kept across weighings."""
        runs = self._runs(drawn, lanes, spec, done)
        models = [self._witness(model, spec) for model in self._read_late(drawn, runs, lanes, spec, done)]
        standing = self._standing_models(models, runs)
        others_vary = stimulated(spec) and any_varies([vr for run in runs.values() for vr in run.values()])
        groups = self._design_groups(spec, lanes, standing, runs, others_vary)
        self.judgement = judge(groups, len(lanes), len(models))
        return standing, runs, others_vary

    def _note_judgement(self, golden: ModelWitness) -> None:
        judgement = self.judgement
        behaviours = "; ".join(g.describe() for g in judgement.groups) or "none"
        self.notes.append(f"spec-only witnesses: {judgement.samples} samples, {judgement.models} generated models; "
                          f"behaviours among the non-degenerate samples (each with the models that agree with it): "
                          f"{behaviours}")
        if judgement.chosen is None:
            kept = f"{judgement.evidence()}; the design kept is the best-ranked sample"
        else:
            verdict = "certified" if judgement.certified else f"not certified: {judgement.doubt}"
            kept = f"{judgement.evidence()} ({verdict}); the design kept comes from {judgement.chosen.describe()}"
        self.notes.append(f"{kept}, judged against generated model {golden.number} (golden_model.py)")
        self.progress("select", f"{judgement.evidence()} ({'certified' if judgement.certified else 'not certified'})")

    def _note_degenerate(self, lanes: list[Lane], others_vary: bool) -> None:
        """Name each degenerate sample (rank_of ranks it below every compiling design that is not)."""
        for lane in lanes:
            why = degenerate(lane.verify, others_vary)
            if why:
                self.notes.append(f"lane {lane.index} is degenerate: {why}; it ranks below every compiling design "
                                  "that is not")

    def _status(self, lanes: list[Lane]) -> str:
        ranks = sorted((lane.rank for lane in lanes), reverse=True)
        return ", ".join(r.describe() for r in ranks)

    def run(self) -> LoopOutcome:
        lanes = [Lane(i) for i in range(self.opt.samples)]
        try:
            drawn = self._map(self._sample, lanes, until_verified=self._judgeable())
            if drawn < len(lanes):
                self.notes.append(f"{drawn} of {len(lanes)} samples drawn: a verified one stops the sampling "
                                  f"(samples go {self.opt.concurrency} at a time)")
                lanes = lanes[:drawn]
        except BudgetExceeded as exc:
            lanes = [lane for lane in lanes if lane.reply]
            if not lanes:
                raise
            self.notes.append(f"only {len(lanes)} of {self.opt.samples} samples before the budget ran out: {exc}")
        deferred = not self._judgeable()
        spec = self._judge_by_witnesses(self.spec if self.spec.ports else self._adopt_interface(lanes), lanes)
        if deferred and self.judgement is None:
            for lane in lanes:  # lint only: there is nothing to compare against
                lane.verify = self._verify(lane.candidate, spec)
                lane.rank = rank_of(lane.verify)
        if not deferred:
            self._note_degenerate(lanes, False)
        for lane in lanes:
            self._record(lane, 0, "sample", lane.candidate, lane.verify, lane.rank, True,
                         "; ".join(filter(None, [lane.extraction_error, *lane.fixes])), lane.call, lane.seconds)
        self.progress("generate", f"{len(lanes)} sample{'' if len(lanes) == 1 else 's'}: {self._status(lanes)}")

        rounds = self.opt.rounds
        if self.judgement is not None and rounds:
            rounds = 0  # a design repaired to match one model's mismatches is no independent witness of it
            self.notes.append("no repair rounds: the generated golden models are witnesses, and a design repaired to "
                              "match one of them would prove nothing; the best first sample is kept")
            self.progress("repair", "skipped: repairs toward a generated model are no evidence")
        for rnd in range(1, rounds + 1):
            if not spec.ports:
                break
            if any(lane.rank.name == "verified" for lane in lanes):
                break
            todo = [(lane, rnd, spec) for lane in lanes if lane.rank.name != "unjudged"]
            if not todo:
                self.notes.append("no golden reference to judge candidates against: nothing to repair")
                break
            try:
                self._map(self._repair, todo, until_verified=True)
            except LLMError as exc:  # budget spent or endpoint lost mid-run: keep the best so far
                self.notes.append(f"stopped in repair round {rnd}: {exc}")
                self.progress("repair", f"stopped: {str(exc).splitlines()[0]}")
                break
            rejected = sum(1 for a in self.attempts if a.round == rnd and not a.accepted)
            self.progress("repair", f"round {rnd}: {self._status(lanes)}" + (f" ({rejected} edits rejected)"
                                                                             if rejected else ""))
        else:
            if rounds and not any(lane.rank.name == "verified" for lane in lanes):
                self.notes.append(f"no candidate verified after {rounds} repair rounds; kept the best")
        self.attempts.sort(key=lambda a: (a.round, a.lane))
        return LoopOutcome(spec, lanes, self.attempts, self.golden, self.interface_from, self.notes,
                           self.tool_seconds, self.golden_model, self.judgement)
