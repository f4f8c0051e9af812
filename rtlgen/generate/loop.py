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
from rtlgen.generate.examples_check import ExampleCheck, check_examples
from rtlgen.generate.fixes import fix_candidate
from rtlgen.generate.golden import CrossCheck, cross_check, write_golden_model
from rtlgen.generate.prompts import (continue_messages, join_continuation, repair_messages, reply_text,
                                     spec_messages)
from rtlgen.generate.prompts import runaway_reply
from rtlgen.generate.rank import (behaviour_groups, degenerate, feedback_of, most_vary, no_code_feedback, rank_of,
                                  rejection)
from rtlgen.generate.result import Attempt, LoopBudget, Rank
from rtlgen.executor import get_executor
from rtlgen.llm.errors import BudgetExceeded, PromptTooLong
from rtlgen.llm.extract import extract_verilog
from rtlgen.spec.interface import infer_clock, infer_reset, module_names, read_ports
from rtlgen.spec.model import Candidate, Spec
from rtlgen.verify.api import verify
from rtlgen.verify.result import VerifyResult
from rtlgen.verify.simulators import DEFAULT_SIMULATOR

Progress = Callable[[str, str], None]
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
# golden reference the loop writes the model and every sample is drawn to judge it: eight samples there are not
# measured (how often a wrong design would pass a wrong model is what matters), so such specs keep ENDPOINT_BUDGET.
LOCAL_BUDGET = LoopBudget(8, 0)


def loop_budget(local_model: bool, spec: Spec, samples: int | None = None, rounds: int | None = None) -> LoopBudget:
    """The budget for ``spec``: the caller's ``samples`` and ``rounds`` where given, the rest from LOCAL_BUDGET for
    the local model given a golden reference, else from ENDPOINT_BUDGET."""
    default = LOCAL_BUDGET if local_model and (spec.model or spec.reference_rtl) else ENDPOINT_BUDGET
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
    # why a pass against the generated model kept is no evidence, as a clause after "a model that"; "" when nothing
    # speaks against it (see GenerationLoop._golden_doubt)
    golden_doubt: str = ""
    # lane indices of the largest group of samples that behave identically, when the generated model is doubted
    agreeing: tuple[int, ...] = ()

    @property
    def electable(self) -> list[Lane]:
        """The lanes the kept design may come from: the agreeing group when there is one, else every lane."""
        return [lane for lane in self.lanes if lane.index in self.agreeing] or self.lanes

    @property
    def best(self) -> Lane:
        """Best by rank; ties go to the lowest lane index (area decides later among verified ones)."""
        return max(self.electable, key=lambda lane: (lane.rank, -lane.index))


def _golden_label(spec: Spec) -> str:
    if spec.model:
        return "spec model"
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
        self.golden = _golden_label(spec)
        self.golden_model: str | None = None
        self.golden_check: CrossCheck | None = None  # how the first candidates judged the kept generated model
        self.golden_examples = ExampleCheck()  # how the kept generated model fares on the spec's own examples
        self.agreeing: tuple[int, ...] = ()  # see LoopOutcome.agreeing

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

    def _verify(self, cand: Candidate | None, spec: Spec) -> VerifyResult | None:
        """``cand`` judged against ``spec``: the given spec while sampling, the one with the adopted interface and
        the generated golden model after."""
        if cand is None or not spec.ports:
            return None
        t0 = time.perf_counter()
        vr = self.verify_fn(cand, spec, simulator=self.opt.simulator, checks=LOOP_CHECKS, seed=self.opt.seed)
        if vr.passed:
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

    def _reverify(self, lanes: list[Lane], spec: Spec) -> None:
        def again(lane: Lane) -> Lane:
            lane.verify = self._verify(lane.candidate, spec)
            lane.rank = rank_of(lane.verify)
            return lane

        self._map(again, lanes)

    def _ensure_golden(self, spec: Spec, lanes: list[Lane]) -> Spec:
        """``spec`` with a golden model: its own, else one the LLM writes, checked against the candidates and the spec's
        own examples, and regenerate it once if suspect, broken (it raises on every candidate: the regeneration is
        shown its error and line) or contradicted. A first reply that is no model (cut at the token limit, not
        Python) is drawn once more before any of that.

        The examples (truth tables, waveform listings in the prose) are the spec's own words: a model and designs
        from one LLM can share a misreading of them (measured: the 1.5B model read VerilogEval Prob090's waveform
        of an AND as an XOR, in the model and in both designs)."""
        if spec.model or spec.reference_rtl or not spec.ports:
            return spec
        try:
            model = write_golden_model(spec, self.client, self.workdir, seed=self.opt.seed)
        except LLMError as exc:  # cut at the token limit, or not a model: one fresh draw (another seed)
            self.notes.append(f"the first generated golden model was unusable ({exc}); drew another")
            model = write_golden_model(spec, self.client, self.workdir, seed=self.opt.seed, attempt=2)
        first_spec = spec.with_(model=model.path)
        self.golden, self.golden_model = "generated model (LLM-written; not independent of the design)", model.text
        self.progress("golden", f"no golden model in the spec: generated one ({model.path})")
        self._reverify(lanes, first_spec)
        check = cross_check([lane.verify for lane in lanes])
        self.golden_examples = check_examples(first_spec, self.workdir)
        conflict = self.golden_examples.conflict
        self.notes.append(f"verification was against an LLM-generated golden model: {check.describe()}")
        if not (check.suspect or check.broken or conflict):  # a conflict is named in the regeneration's note
            return first_spec
        self.progress("golden", f"model {'contradicts an example of the spec' if conflict else 'suspect'} "
                                f"({check.describe()}): regenerating it once")
        first_ranks = [(lane.verify, lane.rank) for lane in lanes]
        self.golden_check = check
        try:
            model2 = write_golden_model(spec, self.client, self.workdir,
                                        attempt=model.attempt + 1, seed=self.opt.seed, previous=model.text,
                                        check=check, example=conflict)
        except LLMError as exc:
            self.notes.append(f"the generated model was suspect; regenerating it failed ({exc}); kept the first")
            return first_spec
        second_spec = spec.with_(model=model2.path)
        self._reverify(lanes, second_spec)
        check2 = cross_check([lane.verify for lane in lanes])
        examples2 = check_examples(second_spec, self.workdir)
        conflict2 = examples2.conflict
        first = (f"the first generated model contradicted the spec ({conflict}; {check.describe()}" if conflict else
                 f"the first generated model was suspect ({check.describe()}")
        second = check2.describe() + (f"; it too contradicts the spec's example {conflict2}" if conflict2 else "")
        if (not conflict2, check2.agree) >= (not conflict, check.agree):  # the spec's examples first
            self.golden_model, self.golden_check, self.golden_examples = model2.text, check2, examples2
            self.notes.append(f"{first}); regenerated once: {second}"
                              + ("; still suspect" if check2.suspect or conflict2 else ""))
            return second_spec
        for lane, (vr, rank) in zip(lanes, first_ranks):
            lane.verify, lane.rank = vr, rank
        self.notes.append(f"{first}); the regenerated one fared worse ({second}), so the first was kept")
        return first_spec

    def _golden_doubt(self) -> str:
        """Why the generated golden model kept is no evidence for a design that passes it, as a clause after "a
        model that"; "" for a given reference, or a generated model nothing speaks against.

        The spec's own examples come first: a model that agrees with the spec's whole truth table stands, whatever
        the candidates say. Otherwise the first candidates judge it (``golden_check`` is set only when the first
        generated model was suspect or contradicted an example, and holds the check of the model kept)."""
        examples, check = self.golden_examples, self.golden_check
        if examples.conflict:
            return f"contradicts the spec's own example {examples.conflict}"
        if check is None:
            return ""
        if check.broken:
            return "fails with its own error on every candidate"
        if examples.confirmed:
            return ""
        if check.contested:
            return "the first candidates contest (they fail it the same way)"
        if check.suspect:
            return "most of the first candidates fail, also once regenerated"
        return ""

    def _judge_behaviour(self, lanes: list[Lane], doubt: str) -> None:
        """Rank degenerate samples below every compiling one that is not; with a generated golden model that is no
        evidence (``doubt``), keep to the largest group of samples that behave identically on the shared stimulus.

        With a generated model the other samples are witnesses too: a model that never updates its output makes a
        constant design pass it (measured: a Gray counter whose design kept had gray always 0)."""
        others_vary = self.golden_model is not None and most_vary([lane.verify for lane in lanes])
        for lane in lanes:
            why = degenerate(lane.verify, others_vary)
            if why:
                lane.rank = rank_of(lane.verify, others_vary)
                self.notes.append(f"lane {lane.index} is degenerate: {why}; it ranks below every compiling design "
                                  "that is not")
        groups = behaviour_groups([lane.verify for lane in lanes])
        if not doubt or not groups or len(groups[0]) < 2 or len(groups) > 1 and len(groups[1]) == len(groups[0]):
            return
        self.agreeing = tuple(lanes[i].index for i in groups[0])
        judged = sum(len(g) for g in groups)
        self.notes.append(f"the generated golden model is no evidence (a model that {doubt}); lanes "
                          f"{', '.join(map(str, self.agreeing))} agree with each other cycle for cycle on the "
                          f"auto-testbench's stimulus (the largest of {len(groups)} behaviours among {judged} "
                          "non-degenerate samples), so the design kept comes from them; their agreement alone "
                          "does not make it verified")
        self.progress("select", f"lanes {', '.join(map(str, self.agreeing))} agree with each other against the "
                                "generated model")

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
        spec = self._ensure_golden(self.spec if self.spec.ports else self._adopt_interface(lanes), lanes)
        if deferred and self.golden == "none":
            self._reverify(lanes, spec)  # lint only: there is nothing to compare against
        doubt = self._golden_doubt()
        self._judge_behaviour(lanes, doubt)
        for lane in lanes:
            self._record(lane, 0, "sample", lane.candidate, lane.verify, lane.rank, True,
                         "; ".join(filter(None, [lane.extraction_error, *lane.fixes])), lane.call, lane.seconds)
        self.progress("generate", f"{len(lanes)} sample{'' if len(lanes) == 1 else 's'}: {self._status(lanes)}")

        rounds = self.opt.rounds
        if doubt and rounds:
            rounds = 0  # nothing a repair makes could count as verified against this model
            self.notes.append(f"no repair rounds: the generated golden model is no evidence (a model that {doubt}), "
                              "so a design repaired to match it would prove nothing; the best first sample is kept")
            self.progress("repair", f"skipped: nothing is verified against a golden model that {doubt}")
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
                           self.tool_seconds, self.golden_model, doubt, self.agreeing)
