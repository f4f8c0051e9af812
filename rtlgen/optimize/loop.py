"""``optimize()``: retrieve rules, try moves, synthesize, keep a change only if proven and better.

One round: every available provider proposes rewrites of the current design (template rewrites
for every ``template`` rule, the FSM optimizer, the LLM for the retrieved ``prompt`` rules);
each new proposal is synthesized under the input's flow and judged (``ppa.Criterion``); the better
ones are proven through the gate in order of gain, and the first proven one is accepted. Rounds
repeat until none helps or ``budget`` rounds are spent. Then the flow portfolio picks the best
recipe for the final RTL (reported as its own step, so RTL gains stay visible on their own), the
final design is proven against the input end to end and simulated against it as golden model.

The whole run has a time budget (``rtlgen.optimize.budget``): moves stop when only the closing
checks' reserve is left. A SIGINT or SIGTERM stops the move under way; the result is then the last
accepted design, which rests on its steps' proofs (no tool runs after the signal).

An LLM without an endpoint is reported in ``OptResult.providers`` and simply not tried.
"""
from __future__ import annotations

import difflib
import time
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, TypeVar

from rtlgen.errors import ConfigError, RtlgenError, ToolTimeout
from rtlgen.llm import resolve_config
from rtlgen.optimize import fsm, llm_moves, portfolio, templates
from rtlgen.optimize.budget import (DEFAULT_TIME_BUDGET_S, TIME_BUDGET, Budget, ProofCost, ToolLimit, interruption,
                                    signals_held)
from rtlgen.optimize.gate import WORK_ENTRIES as GATE_ENTRIES, Gate, Verdict
from rtlgen.optimize.moves import Proposal
from rtlgen.optimize.ppa import PPA, Criterion, Measure, make_measure
from rtlgen.optimize.result import OptResult, Rejected, Step, error_detail
from rtlgen.optimize.rules import RuleStore, load_rules
from rtlgen.spec.interface import infer_clock, infer_reset, read_ports
from rtlgen.spec.model import Candidate, Spec
from rtlgen.synth import SYNTH_TIMEOUT_S
from rtlgen.synth.liberty import Liberty
from rtlgen.synth.target import Target
from rtlgen.tools.rundir import run_directory

Progress = Callable[[str, str], None]
T = TypeVar("T")
DEFAULT_BUDGET = 8
RULES_K = 12
LLM_RULES_PER_ROUND = 2
FLOW_BUDGET_S = 600.0   # the flow portfolio's time on one design (a 32-bit divider takes minutes per synthesis)
POWER_SHARE = 1 / 3     # of the time budget: the input's gate-level power simulation, else power is vectorless
FLOW_PROOF_TRIES = 3    # recipes whose netlist the gate tries to prove, best first, before the base flow stays
FLOWS = "flows"         # the portfolio's recipes and proof netlists, in the run's workdir
NOT_PROVEN = "not proven in the budget"
WORK_ENTRIES: tuple[str, ...] = (*GATE_ENTRIES, FLOWS)  # everything a run writes in its workdir


class DesignRefused(ConfigError):
    """The input cannot be optimized soundly (unsafe RTL, simulation/synthesis may disagree, no synthesis)."""


@dataclass
class _Run:
    """Mutable state of one optimization run (the result is built from it once, at the end)."""

    gate: Gate
    criterion: Criterion
    measure: Callable[[Candidate, str], PPA]
    progress: Progress
    current: Candidate
    ppa: PPA
    timer: Budget
    synth_limit: ToolLimit
    liberty: Liberty | None = None
    clock_ns: float = 10.0
    flow: str = portfolio.BASE_FLOW     # the accepted recipe's flow file, or the base flow
    flow_ppa: PPA | None = None         # the final RTL under that recipe
    stopped: str = ""                   # why the run ended early: OptResult.stopped
    costs: ProofCost = field(default_factory=ProofCost)  # what the run's tools took: its proofs' time is kept
    steps: list[Step] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    providers: dict[str, str] = field(default_factory=dict)
    seen: set[str] = field(default_factory=set)
    tried: int = 0
    llm_calls: int = 0
    llm_seconds: float = 0.0

    def reject(self, proposal: Proposal, reason: str, detail: str) -> None:
        self.rejected.append(Rejected(proposal.rule, proposal.kind, reason, detail))
        first = detail.splitlines()[0] if detail else ""
        self.progress("reject", f"{proposal.rule} ({proposal.kind}): {reason}: {first}")

    def out_of_time(self, what: str) -> bool:
        """Whether the budget's time for moves is spent (then ``what`` is not started, and the run says so once)."""
        if self.stopped or self.timer.moves_over():
            if not self.stopped:
                self.stopped = TIME_BUDGET
                self.progress("budget", f"spent after {self.timer.status()}: {what} not started; keeping the best "
                                        "proven design")
            return True
        return False


@dataclass(frozen=True)
class Search:
    """What the optimizer tries and accepts.

    ``goal`` is the metric a change must improve. ``budget`` bounds the rounds of RTL moves. ``llm`` False (or no
    endpoint configured) runs the deterministic moves only; ``llm_flags`` are passed to
    ``rtlgen.llm.resolve_config``. ``flows`` False skips the flow portfolio. ``spend_slack`` (the default) treats
    the clock period as the timing constraint: a change may lengthen the critical path while it fits the period,
    as synthesis itself trades slack for area; the delay tolerance (+5 %) holds only where the clock is not met.
    False keeps the tolerance everywhere. ``power_from_simulation`` measures power on the auto testbench's activity
    (stimulus ``seed``) rather than vectorless.
    """

    goal: str = "area"
    budget: int = DEFAULT_BUDGET
    llm: bool = True
    llm_flags: dict[str, Any] | None = None
    flows: bool = True
    spend_slack: bool = True
    power_from_simulation: bool = True
    seed: int = 1


@dataclass(frozen=True)
class Limits:
    """Seconds: ``time_budget`` bounds the whole run (see ``rtlgen.optimize.budget``); every proof, agreement check
    and simulation gets ``proof_timeout``, every synthesis ``synth_timeout``, at most what is left of the budget."""

    proof_timeout: float = 120.0
    synth_timeout: float = SYNTH_TIMEOUT_S
    time_budget: float = DEFAULT_TIME_BUDGET_S


def optimize(candidate: Candidate, target: Target = Target(), search: Search = Search(), limits: Limits = Limits(),
             *, spec: Spec | None = None, workdir: str | Path | None = None,
             progress: Progress | None = None) -> OptResult:
    """Optimize ``candidate`` for ``search.goal`` under ``target``'s liberty (kept off its dont-use cells) and clock
    period; every accepted change proven (the flow portfolio picks the flows).

    ``spec`` (optional) gives the clock and reset; else they are inferred from the ports. Proof logs go to
    ``workdir/proofs`` (a private run directory, deleted afterwards, when ``workdir`` is None); ``WORK_ENTRIES``
    names everything the run writes in ``workdir``.
    When ``limits.time_budget`` or a SIGINT/SIGTERM ends the run early, the result is the best proven design so far
    and ``OptResult.stopped`` says why.
    Raises DesignRefused when the input itself cannot be optimized soundly.
    """
    goal, seed, clock_ns, synth_timeout = search.goal, search.seed, target.clock_ns, limits.synth_timeout
    timer = Budget(limits.time_budget)
    criterion = Criterion(goal, clock_ns=clock_ns if search.spend_slack else None)
    liberty = target.liberty
    say = progress or (lambda stage, message: None)
    say("budget", f"{timer.seconds:g} s for the whole run; moves stop with {timer.reserve:g} s left for the "
                  f"closing proof and simulation")
    with ExitStack() as stack:
        root = Path(workdir) if workdir else stack.enter_context(run_directory(f"optimize-{candidate.top}"))
        gate = _gate(candidate, spec, Path(root), limits.proof_timeout, timer, target.memory_macro_bits)
        refused, admission_s = _timed(lambda: gate.admit(candidate))
        if refused is not None:
            raise DesignRefused(f"{candidate.top}: {refused.message}")
        vcds = _VcdSource(gate, seed) if search.power_from_simulation and liberty else None
        synth_limit = ToolLimit(timer, synth_timeout)
        macro_bits = target.memory_macro_bits
        vectorless = make_measure(liberty, clock_ns, limit=synth_limit, memory_macro_bits=macro_bits)
        # power from its own simulation
        full = make_measure(liberty, clock_ns, vcds, synth_limit, target.power_engine, memory_macro_bits=macro_bits)
        try:
            # the input mapped once: its simulated pricing reuses it
            mapped, synthesis_s = _timed(lambda: vectorless(candidate, portfolio.BASE_FLOW))
            # --power-engine gate asks for simulated power: no vectorless stand-in for it, the input's pricing decides
            bounded = vcds is not None and target.power_engine != "gate"
            slow = (_macro_power(mapped) if bounded and mapped.memory_macros else
                    _slow_power(candidate, full, synth_limit, timer.seconds * POWER_SHARE) if bounded else "")
            if slow:
                full, vcds = vectorless, None
            measure = full if goal == "power" else vectorless
            before, screening = full(candidate, portfolio.BASE_FLOW), measure(candidate, portfolio.BASE_FLOW)
        except RtlgenError as exc:
            raise DesignRefused(f"{candidate.top}: the input does not synthesize: {exc}") from exc
        say("input", f"{candidate.top}: {_ppa_line(before)}")
        criterion = replace(criterion, origin=screening)  # tolerances hold against the input, end to end
        run = _Run(gate, criterion, measure, say, candidate, screening, timer, synth_limit, liberty, clock_ns,
                   costs=ProofCost(synthesis=synthesis_s, admission=admission_s), seen={candidate.content_hash})
        run.providers.update(gate.notes)
        if slow:
            run.providers["power"] = slow
        done = _until_signal(run, lambda: _moves(run, Path(root), full, replace(criterion, origin=before),
                                                 search.flows, search.budget, search.llm, search.llm_flags))
        end = (done and _until_signal(run, lambda: _close(run, vcds, full, seed))) or _Closing.from_chain(run)
    return OptResult(
        top=candidate.top, liberty=liberty.label if liberty else None, clock_ns=clock_ns, goal=goal,
        area_before_um2=before.area, area_after_um2=end.after.area, delay_before_ns=before.delay,
        delay_after_ns=end.after.delay, power_before_w=before.power, power_after_w=end.after.power,
        equivalence=end.proof.status, equivalence_message=end.proof.message, area_rtl_um2=end.rtl.area,
        flow_before=portfolio.BASE_FLOW, flow_after=Path(run.flow).stem, autotb=end.sim_verdict,
        autotb_message=end.sim_message, power_source=end.power_source, steps=tuple(run.steps),
        rejected=tuple(run.rejected), providers=dict(run.providers), tried=run.tried, llm_calls=run.llm_calls,
        llm_seconds=round(run.llm_seconds, 3),
        seconds=round(timer.elapsed(), 3), rtl=run.current.rtl, input_hash=candidate.content_hash,
        output_hash=run.current.content_hash, stopped=run.stopped, time_budget_s=timer.seconds)


# ---------------------------------------------------------------------------- set-up
def _timed(call: Callable[[], T]) -> tuple[T, float]:
    """``call()`` and the seconds it took (what the run's proofs are estimated from: ``ProofCost``)."""
    start = time.monotonic()
    return call(), time.monotonic() - start


def _gate(candidate: Candidate, spec: Spec | None, workdir: Path, timeout: float, budget: Budget,
          macro_bits: int | None) -> Gate:
    if spec is not None:
        clock, reset = spec.clock, spec.reset
    else:
        ports = read_ports(candidate.rtl, candidate.top, candidate.origin or "<design>")
        clock, reset = infer_clock(ports, candidate.rtl), infer_reset(ports, candidate.rtl)
    return Gate(candidate, clock=clock, reset=reset, workdir=workdir, timeout=timeout, budget=budget,
                macro_bits=macro_bits)


def _macro_power(mapped: PPA) -> str:
    """Why the run prices power vectorless when the input holds memory macros: a stimulus cannot be replayed through
    a black box (``rtlgen.synth`` refuses it), and power is then priced as every synthesis without one prices it."""
    return (f"vectorless: the memory macros ({'; '.join(mapped.memory_macros)}) are black boxes a gate-level "
            "simulation cannot replay a stimulus through")


def _slow_power(candidate: Candidate, full: Measure, limit: ToolLimit, share: float) -> str:
    """Why the run prices power vectorless: the input's gate-level power simulation outlasted ``share`` seconds
    (a 32-stage divider's netlist simulates for many minutes on a loaded machine); "" when it was priced in time.

    Without the bound that one simulation could take the whole budget, and a design whose power cannot be simulated
    in time can still be optimized for area, power measured as every synthesis without a stimulus measures it."""
    try:
        with limit.within(share):
            full(candidate, portfolio.BASE_FLOW)
    except ToolTimeout as exc:
        return (f"vectorless: the input's gate-level power simulation outlasted its share of the time budget "
                f"({share:g} s): {exc}")
    return ""


class _VcdSource:
    """Activity VCDs from the auto testbench (the input as golden, same seed: same stimulus for every design)."""

    def __init__(self, gate: Gate, seed: int) -> None:
        self.gate, self.seed = gate, seed
        self.checks: dict[str, Any] = {}

    def check(self, candidate: Candidate) -> Any:
        """The auto testbench's CheckResult for ``candidate`` (run once per design)."""
        if candidate.content_hash not in self.checks:
            self.checks[candidate.content_hash] = self.gate.simulate(candidate, seed=self.seed, waves=True)
        return self.checks[candidate.content_hash]

    def __call__(self, candidate: Candidate) -> Path | None:
        check = self.check(candidate)
        vcd = check.artifacts.get("vcd")
        return Path(vcd) if vcd and check.verdict == "pass" else None


def _ppa_line(ppa: PPA) -> str:
    delay = "n/a" if ppa.delay is None else f"{ppa.delay:.3f} ns"
    power = "n/a" if ppa.power is None else f"{ppa.power:.4g} W"
    area = "n/a" if ppa.area is None else f"{ppa.area:.2f}"
    return f"area {area}, delay {delay}, power {power} [{ppa.flow}]"


# ---------------------------------------------------------------------------- providers
def retrieve(candidate: Candidate, store: RuleStore | None = None) -> list[Any]:
    """The rules ``store`` (default: rtlgen's own) finds for ``candidate``, best first (raises RtlgenError when
    the store is unusable)."""
    hits = (load_rules() if store is None else store).search(candidate, RULES_K)
    return [getattr(hit, "rule", hit) for hit in hits if getattr(hit, "score", 1.0) > 0]


def prompt_rules(rules: list[Any]) -> list[Any]:
    """The retrieved rules a round asks the LLM to apply, one call each."""
    return [r for r in rules if getattr(r, "kind", "") == "prompt"][:LLM_RULES_PER_ROUND]


def _retrieve(run: _Run) -> list[Any]:
    """The round's rules: the retrieved ones, best first, then every ``template`` rule retrieval left out. A
    template's site scan is a cheap syntax pass that finds exactly where it applies, so each is tried whatever its
    text match; the rank orders the proposals and picks the ``prompt`` rules (an LLM call each)."""
    try:
        store = load_rules()
        rules = retrieve(run.current, store)
    except RtlgenError as exc:
        run.providers["rules"] = f"rule store unusable: {str(exc).splitlines()[0]}"
        return []
    run.providers["rules"] = "ok"
    retrieved = {rule.id for rule in rules}
    return rules + [rule for rule in store.by_kind("template") if rule.id not in retrieved]


def _llm_client(llm: bool, flags: dict[str, Any] | None, run: _Run) -> Any | None:
    if not llm:
        run.providers["prompt"] = "disabled (--no-llm)"
        return None
    from rtlgen.llm.client import LLMClient  # noqa: PLC0415 - openai: ~0.4 s, only runs with an LLM pay it

    try:
        config = resolve_config(flags or {})
    except ConfigError as exc:
        run.providers["prompt"] = f"no LLM endpoint configured ({str(exc).splitlines()[0]})"
        return None
    run.providers["prompt"] = "ok"
    return LLMClient(config)


def _proposals(run: _Run, rules: list[Any], goal: str, client: Any | None) -> list[Proposal]:
    found: list[Proposal] = []
    run.providers["template"] = "ok"
    for rule in [r for r in rules if getattr(r, "kind", "") == "template"]:
        found += _guarded(run, "template", rule.id, lambda rule=rule: templates.propose(run.current, rule))
    run.providers["fsm"] = "ok"
    found += _guarded(run, "fsm", "fsm", lambda: fsm.propose(run.current, goal=goal, liberty=run.liberty,
                                                            clock_ns=run.clock_ns))
    if client is not None:
        for rule in prompt_rules(rules):
            def call(rule: Any = rule) -> list[Proposal]:
                run.llm_calls += 1
                start = time.monotonic()
                try:
                    proposals, note = llm_moves.propose(run.current, rule, run.ppa, client, goal=goal)
                finally:
                    run.llm_seconds += time.monotonic() - start
                if note:  # a reply without a rewrite is a move that failed: counted with the others
                    run.progress("llm", f"{rule.id}: {note}")
                    run.rejected.append(Rejected(rule.id, "prompt", "error", f"no proposal: {note}"))
                return proposals
            found += _guarded(run, "prompt", rule.id, call)
    return found


def _guarded(run: _Run, kind: str, rule: str, call: Callable[[], list[Proposal]]) -> list[Proposal]:
    """A provider's proposals; its failure is recorded as a rejection of that rule, never fatal."""
    try:
        return list(call())
    except Exception as exc:  # noqa: BLE001 - another module's bug must not end the run
        detail = f"provider failed: {type(exc).__name__}: {error_detail(exc)}"
        run.rejected.append(Rejected(rule, kind, "error", detail))
        return []


# ---------------------------------------------------------------------------- moves
def _until_signal(run: _Run, work: Callable[[], T]) -> T | None:
    """``work()``, or None when a SIGINT/SIGTERM stopped it (``run.stopped`` then names the signal).

    The tool that was running is already dead: ``rtlgen.tools.run`` kills its process group as the signal
    unwinds. Any other exception goes on up."""
    try:
        return work()
    except (KeyboardInterrupt, SystemExit) as exc:
        signal_name = interruption(exc)
        if signal_name is None:
            raise
        run.stopped = signal_name
        run.progress("stop", f"{signal_name} after {run.timer.status()}: keeping the best proven design so far")
        return None


def _moves(run: _Run, root: Path, full: Measure, criterion: Criterion, flows: bool, budget: int, llm: bool,
           llm_flags: dict[str, Any] | None) -> bool:
    """The RTL rounds, then the flow portfolio for the final RTL (``criterion``: tolerances against the input
    measured by ``full``); True once done, whether or not the time budget cut them short."""
    _rounds(run, budget, run.criterion.goal, llm, llm_flags)
    if not flows:
        run.providers["flow"] = "disabled"
    elif not run.liberty:
        run.providers["flow"] = "the flow portfolio needs a liberty"
    elif not run.ppa.area:  # every recipe would map it to the same nothing (verilog-axis axis_adapter: 40 s)
        run.providers["flow"] = "no cells to map: the design is wires and constants"
    elif not run.out_of_time("flow portfolio"):
        # Every recipe maps the same RTL, so one simulation gives the activity for all of them: the portfolio
        # judges power with it whatever the goal (a vectorless screen let a recipe cost +11.7 % of real power).
        _flow_portfolio(run, root, full, full(run.current, portfolio.BASE_FLOW), criterion)
    return True


def _rounds(run: _Run, budget: int, goal: str, llm: bool, llm_flags: dict[str, Any] | None) -> None:
    client = _llm_client(llm, llm_flags, run)
    try:
        for round_no in range(1, budget + 1):
            if run.out_of_time(f"round {round_no}"):
                return
            rules = _retrieve(run)
            fresh = [p for p in _proposals(run, rules, goal, client) if _new(run, p)]
            run.progress("round", f"{round_no}: {len(fresh)} new proposal(s)")
            if not fresh or not _accept_best(run, _screen(run, fresh)):
                return
    finally:
        if client is not None:
            client.close()


def _new(run: _Run, proposal: Proposal) -> bool:
    if proposal.kind == "flow":  # flows are the portfolio's business, after the RTL rounds
        return False
    key = proposal.candidate.content_hash
    if key in run.seen:
        return False
    run.seen.add(key)
    return True


def _screen(run: _Run, proposals: list[Proposal]) -> list[tuple[float, Proposal, PPA, float]]:
    """Synthesize each proposal; the better ones, best gain first: (gain, proposal, ppa, seconds)."""
    better = []
    for proposal in proposals:
        if run.out_of_time(f"{proposal.rule} ({proposal.kind})"):
            break
        run.tried += 1
        run.progress("try", f"{proposal.rule} ({proposal.kind}): {proposal.description}")
        start = time.monotonic()
        try:
            ppa = run.measure(proposal.candidate, portfolio.BASE_FLOW)
        except Exception as exc:  # noqa: BLE001 - a move that breaks synthesis (or rtlgen) is that move's loss
            run.reject(proposal, "error", f"does not synthesize: {error_detail(exc)}")
            continue
        run.costs.synthesized(time.monotonic() - start)
        ok, why = run.criterion.judge(run.ppa, ppa)
        if not ok:
            run.reject(proposal, "not better", why)
            continue
        better.append((run.criterion.gain(run.ppa, ppa) or 0.0, proposal, ppa, time.monotonic() - start))
    return sorted(better, key=lambda item: -item[0])


def _accept_best(run: _Run, ranked: list[tuple[float, Proposal, PPA, float]]) -> bool:
    for _, proposal, ppa, seconds in ranked:
        if run.out_of_time(f"the proof of {proposal.rule}"):
            return False
        start = time.monotonic()
        verdict = _checked(run, proposal.candidate, f"{proposal.kind}-{proposal.rule}")
        run.costs.checked(time.monotonic() - start)
        if not verdict.proven:
            run.reject(proposal, verdict.reason, verdict.message)
            continue
        with signals_held():  # the step, the design and its PPA change together or not at all
            run.steps.append(_step(proposal, run.current, proposal.candidate, ppa, verdict,
                                   seconds + time.monotonic() - start))
            run.current, run.ppa = proposal.candidate, ppa
        run.progress("accept", f"{proposal.rule}: {proposal.description} -> {_ppa_line(ppa)}")
        return True
    return False


def _checked(run: _Run, after: Candidate, label: str) -> Verdict:
    """The gate's verdict on ``after`` against the current design; a failure inside the gate is an ``error``
    verdict with its message, never the end of the run."""
    try:
        return run.gate.check(run.current, after, label)
    except Exception as exc:  # noqa: BLE001 - rejected with the reason, the run goes on
        return Verdict("error", error_detail(exc))


def _step(proposal: Proposal, before: Candidate, after: Candidate, ppa: PPA, verdict: Verdict,
          seconds: float, flow: str = portfolio.BASE_FLOW) -> Step:
    diff = "".join(difflib.unified_diff(before.rtl.splitlines(keepends=True), after.rtl.splitlines(keepends=True),
                                        f"a/{before.top}.v", f"b/{after.top}.v")) if before.rtl != after.rtl else ""
    return Step(rule=proposal.rule, kind=proposal.kind, description=proposal.description, area_um2=ppa.area,
                power_w=ppa.power, delay_ns=ppa.delay, equivalence=verdict.status, proof=verdict.message,
                seconds=round(seconds, 3), flow=flow, diff=diff)


# ---------------------------------------------------------------------------- flows and final checks
def _flow_portfolio(run: _Run, root: Path, measure: Measure, base: PPA, criterion: Criterion) -> None:
    """The best proven recipe for the final RTL (a flow for rtlgen.synthesize) in ``run.flow``, if one is better.

    ``measure`` gives power from the final RTL's simulation where there is one, ``base`` is the final RTL under
    the base flow measured so, and ``criterion`` holds its tolerances against the input measured so. The search
    stops in time to prove its best recipe (``ProofCost``); a best recipe the budget still leaves unproven is
    named with what it would have gained (``_not_proven``)."""
    start = time.monotonic()
    choice = _flow_search(run, root, measure, base, criterion)
    for recipe, flow, ppa in choice.ranked()[:FLOW_PROOF_TRIES] if choice else ():
        proposal = Proposal(rule=recipe.name, kind="flow", candidate=run.current, description=recipe.describe(),
                            flow=flow)
        gained = criterion.judge(base, ppa)[1]
        if run.out_of_time(f"the proof of {recipe.name}"):
            _not_proven(run, proposal, gained, "its proof was not started")
            return
        refused = _prove_recipe(run, root, proposal, flow, ppa, start)
        if refused is None:
            return
        reason, detail = refused
        if reason in ("error", "inconclusive") and run.timer.moves_over():
            _not_proven(run, proposal, gained, detail)
            return
        run.reject(proposal, reason, detail)


def _flow_search(run: _Run, root: Path, measure: Measure, base: PPA, criterion: Criterion) -> portfolio.Choice | None:
    """The portfolio's recipes for the final RTL, searched until the time to prove the best one is all that is left
    for moves; None when not even that is left (then no recipe is tried)."""
    def tried(name: str, better: bool, why: str) -> None:
        run.progress("flow", f"{name}: {why.splitlines()[0]}")
        run.tried += 1
        if not better:
            run.rejected.append(Rejected(name, "flow", "error" if why.startswith("error") else "not better", why))

    proof_s, moves_s = run.costs.flow_proof(), run.timer.left() - run.timer.reserve
    # the recipe under way at the search's end finishes after it (each of its tool calls gets MIN_TOOL_S at least)
    search_s = min(FLOW_BUDGET_S, moves_s - proof_s - run.costs.synthesis)
    if search_s <= 0:
        run.stopped = TIME_BUDGET
        run.providers["flow"] = (f"not started: proving a recipe takes about {proof_s:.0f} s, "
                                 f"{moves_s:.0f} s were left for moves")
        run.progress("budget", f"flow portfolio {run.providers['flow']}")
        return None
    run.progress("budget", f"flow portfolio: {search_s:.0f} s to search, then about {proof_s:.0f} s kept to prove "
                           "its best recipe")
    with run.synth_limit.within(search_s):  # a recipe that outlasts the portfolio's time is cut and dropped
        choice = portfolio.search(run.current, base, _priced_if_better(run.measure, measure, criterion, base),
                                  criterion, root / FLOWS, on_try=tried, time_budget=search_s)
    run.providers["flow"] = f"stopped early: {choice.stopped}" if choice.stopped else "ok"
    return choice


def _prove_recipe(run: _Run, root: Path, proposal: Proposal, flow: str, ppa: PPA,
                  start: float) -> tuple[str, str] | None:
    """Accepts the recipe of ``proposal`` (its ``flow`` file) once its mapped netlist is proven equal to the RTL
    (None), else returns the rejection's (reason, detail)."""
    try:
        netlist = portfolio.proof_netlist(run.current, flow, run.liberty, root / FLOWS / "netlist" / proposal.rule,
                                          timeout=run.synth_limit(), memory_macro_bits=run.gate.macro_bits)
    except Exception as exc:  # noqa: BLE001 - one recipe's failure is that recipe's loss
        return "error", f"mapped netlist not written: {error_detail(exc)}"
    verdict = _checked(run, netlist, f"flow-{proposal.rule}")
    if not verdict.proven:
        return verdict.reason, f"the recipe's netlist is not proven equal to the RTL: {verdict.message}"
    with signals_held():
        run.steps.append(_step(proposal, run.current, run.current, ppa, verdict, time.monotonic() - start,
                               flow=Path(flow).stem))
        run.flow, run.flow_ppa = flow, ppa
    run.progress("accept", f"flow {proposal.description} -> {_ppa_line(ppa)}")
    return None


def _not_proven(run: _Run, proposal: Proposal, gained: str, detail: str) -> None:
    """The best recipe left that the time budget did not let the run prove: rejected as inconclusive with what it
    would have gained, named in ``providers['flow']``, and the run marked as ended by the budget."""
    run.stopped = TIME_BUDGET
    note = f"{proposal.rule} would have gained {gained}, {NOT_PROVEN}"
    run.providers["flow"] = note
    run.reject(proposal, "inconclusive", f"{note}: {detail}")


def _priced_if_better(screen: Measure, full: Measure, criterion: Criterion, base: PPA) -> Measure:
    """``full`` for the recipes whose ``screen`` figures gain on the goal against ``base``, the screen's figures
    (power not measured) for the rest.

    A recipe that does not gain ``min_gain`` on the goal against the base flow gains less against any better recipe,
    so the portfolio turns it down whatever its power: the gate-level simulation that prices its power is skipped.
    The recipe's mapping is cached apart from its activity, so a recipe priced after all is mapped only once."""
    if criterion.goal == "power":
        return full

    def measure(candidate: Candidate, flow: str) -> PPA:
        screened = screen(candidate, flow)
        gain = criterion.gain(base, screened)
        if gain is not None and gain < criterion.min_gain:
            return replace(screened, power=None, power_engine=None)
        return full(candidate, flow)

    return measure


@dataclass(frozen=True)
class _Closing:
    """How the run ends: the final design's proof against the input, its simulation, and its PPA (``after``
    under the chosen flow, ``rtl`` under the base flow)."""

    proof: Verdict
    after: PPA
    rtl: PPA
    sim_verdict: str
    sim_message: str
    power_source: str

    @classmethod
    def from_chain(cls, run: _Run) -> "_Closing":
        """No tool runs after a signal: the design rests on its steps' proofs, its PPA on their measurements
        (area and delay as measured; power is left out, since the steps screened it without the final stimulus)."""
        proof = (Verdict("proven", f"each of the {len(run.steps)} accepted steps proven against the design before "
                                   "it; the end-to-end proof was not run") if run.steps
                 else Verdict("proven", "identical to the input"))
        last = run.flow_ppa or run.ppa
        return cls(proof, replace(last, power=None), replace(run.ppa, power=None), "absent",
                   f"not run: stopped by {run.stopped}", f"not measured after {run.stopped}")


def _close(run: _Run, vcds: _VcdSource | None, full: Measure, seed: int) -> _Closing:
    """The final design proven against the input end to end, simulated against it as golden, and measured."""
    final = run.current
    e2e = run.gate.end_to_end(final)
    run.progress("prove", f"end to end against the input: {e2e.status} ({e2e.message})")
    sim = vcds.check(final) if vcds else run.gate.simulate(final, seed=seed)
    run.progress("simulate", f"auto testbench against the input as golden: {sim.verdict}")
    measured = bool(vcds and vcds(run.gate.original) and vcds(final))
    after = full(final, run.flow)
    activity = f"gate-sim(auto testbench, seed {seed}), same stimulus before and after" if measured else "vectorless"
    return _Closing(e2e, after, full(final, portfolio.BASE_FLOW), sim.verdict,
                    sim.message.splitlines()[0] if sim.message else "",
                    f"engine {after.power_engine}, {activity}" if after.power_engine else activity)
