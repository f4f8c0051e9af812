"""Formal equivalence of a candidate against the spec's reference RTL (check "formal").

Stages; each proof is accepted only where it is sound:

1. Elaborate both designs (modules prefixed so shared names cannot clash) and inspect their
   flip-flops (``design.analyse``): clocking, which registers the spec reset sets, X sources. A
   memory of both designs whose address reaches past its words is padded (``design.MemoryPad``) unless
   register correspondence (2b) proves the designs as written.
2. A miter (``templates/formal/miter.sv.j2``) instantiates both designs on shared inputs, forces
   the reset in the first cycle (a register initialised to 1) and asserts equal outputs from the
   second cycle on (from the first when there is no reset). ``sat -prove-asserts`` proves it
   (``-tempinduct`` for sequential designs) or gives a base-case model (a counterexample);
   "reached maximum number of time steps" is only ``bounded(k)``. This runs first because it is
   the fastest on most designs (e.g. 1 s where ``equiv_simple`` needs over a minute on a
   255-input popcount). A sequential miter that its first ``QUICK_STEPS`` steps leave undecided, or
   that has arithmetic on two data operands, goes to ABC ``scorr; iprove`` on its AIGER
   (``pdr.scorr_proof``): a proof of every time step where signal correspondence merges the
   designs' state, after which no induction runs.
2b. Not proven by the miter, sequential, with X sources (registers the reset does not set, x
   constants): register correspondence (``corr``): every flip-flop is cut, register bits of equal name
   (``r[3]`` and a netlist's ``r_reg[3]`` too) share their state, and a combinational SAT miter proves
   outputs and next states equal from every such state; a bit without a partner stays free. The message
   states the assumption ("N matched registers start equal", and the bits paired across names or left
   free) unless the spec reset sets every register and every bit has a partner. With ``x_as_synthesis``
   (``prove_equivalent``) a design with x constants is tried once more with them resolved as Yosys
   synthesis resolves them, which the message states. Anything else falls through to the stages below.
2c. Not proven by the miter, combinational: the same AIGER miter through ABC ``&cec`` (SAT sweeping),
   before ``equiv_simple``, for half the time left; it proves miters one SAT call cannot (a divider
   against its restructured netlist: seconds) and only ever proves (counterexamples come from SAT).
3. Undecided: ``equiv_make; equiv_simple; equiv_induct; equiv_status`` (undef modelling: an X in
   the reference is a don't-care, an X in the candidate matches only an X), proven only when the
   log counts zero unproven ``$equiv`` cells. Used for combinational designs, and for sequential
   ones only when every flip-flop of both designs is set by the spec reset (``equiv_induct`` has
   no base case: it assumes matched registers start equal, which only a reset guarantees).
4. Still undecided (sequential): ``write_aiger -zinit`` + ABC ``pdr`` (IC3), which proves or finds
   a counterexample at an exact frame; the counterexample is replayed with ``sat -seq`` and the
   inputs pinned to get a named trace.

X semantics, chosen so that an X can never produce "proven": in the two-valued stages undriven
nets and x/z constants in either design become ``$anyseq`` (a fresh free value every cycle:
``setundef -undriven -anyseq; setundef -anyseq``) and registers without an initial value start
free and independently in each design (no ``-set-init-*``; ``-zinit`` adds free initial inputs).
That is stricter than a simulator, where an X in the reference is a don't-care, so when X sources
exist a two-valued counterexample is confirmed before it is reported: its inputs are replayed with
three-valued SAT (``-enable_undef -set-init-undef``, registers start X, reference X bits are
don't-cares, candidate X bits match only X). If it does not survive, an X-aware search looks for
a real mismatch; finding none gives *inconclusive* with the reason (for sequential designs, or
when an output has no synthesizable driver) -- only a combinational design whose reference has
explicit x bits is proven this way. ``miter -ignore_gold_x`` with two-valued SAT and
``-set-init-zero`` are not used (they give wrong answers; see TOOLCHAIN.md). The designs' own
assert/assume statements are removed, so a candidate cannot assume its bugs away.
With ``free_inits`` (``prove_equivalent``) declared initial values are dropped first, as ASIC synthesis
drops them, so every register no reset sets starts free; the verdict's message names those registers.

Clocks: Yosys ``sat`` steps every flip-flop once per time step, which is exact when all
flip-flops of both designs share one clock port and edge (``async2sync`` then models async
resets). Otherwise (both edges, latches, clocks made by logic) and if a single clock input
exists, the miter drives that clock itself, toggling every step, and ``clk2fflogic`` models
each flip-flop and latch exactly (two steps per cycle; no ``equiv_*`` stage). Several clock
inputs, or latches without any clock input: every input is free in every time step (one step per
cycle) and ``clk2fflogic`` models them exactly. Anything else is inconclusive with the reason.
"""
from __future__ import annotations

import dataclasses
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from rtlgen.errors import RtlgenError, SpecError, ToolError, ToolTimeout
from rtlgen.spec.interface import module_names, read_ports
from rtlgen.spec.model import Candidate, Port, Spec
from rtlgen.spec.rtl_file import read_rtl
from rtlgen.verify.formal import corr, logs, pdr
from rtlgen.tools.run import ToolResult
from rtlgen.verify.formal.design import (GOLD_PREFIX, MemoryPad, Pair, Structure, analyse, describe_memories,
                                        memory_pads, write_pair)
from rtlgen.verify.formal.scripts import Budget, render, yosys
from rtlgen.verify.formal.trace import (cycle_of, cycle_table, differing_bits, first_mismatch, mismatch_step,
                                        name_bits, write_vcd)
from rtlgen.verify.formal.wording import listed
from rtlgen.verify.result import CheckResult, Mismatch

CHECK = "formal"
MITER_TOP = "rtlgen_miter"
MITER_FILE = "miter.sv"
NETLIST_JSON = "netlist.json"
REGISTERS_JSON = "registers.json"
MEMORIES_JSON = "memories.json"
INITS_FILE = "initialised.txt"
TRACE_VCD = "trace.vcd"
CYCLES_CSV = "counterexample.csv"
MAX_LOG = 20_000
# Steps of two-valued temporal induction that most miters end within (proven or a counterexample), run as one script
QUICK_STEPS = 4
ABC_PROOF = ("ABC scorr; iprove (signal correspondence from the initial state merged every register of both designs "
             "and left the miter's output constant)")
ABC_STAGE = "abc scorr; iprove"


@dataclass
class _Run:
    """Shared state of one check: where, how long, what was logged, how deep BMC got."""

    workdir: Path
    budget: Budget
    logs: list[str] = field(default_factory=list)
    depth: int = 0
    stages: list[str] = field(default_factory=list)
    free_inits: bool = False  # the designs' declared initial values are dropped (design.Pair.free_inits)
    x_as_synthesis: bool = False  # x constants may be resolved as synthesis does (corr.RESOLVED_X)
    pair: Pair | None = None  # the designs, once written
    structure: Structure | None = None  # what the elaboration found, once analysed
    correspondence: str = ""  # why register correspondence did not prove the designs, once it ran

    def yosys(self, stage: str, script: Path, share: float = 1.0) -> ToolResult:
        """Run one Yosys script with ``share`` of the time left, logging it under ``stage``."""
        self.stages.append(stage)
        result = yosys(script, self.workdir, self.budget, share)
        self.note(stage, result.output, result.seconds)
        return result

    def note(self, stage: str, text: str, seconds: float | None = None) -> None:
        if not self.stages or self.stages[-1] != stage:
            self.stages.append(stage)
        took = f" ({seconds:.2f} s)" if seconds is not None else ""
        self.logs.append(f"==== {stage}{took} ====\n{text[-MAX_LOG:]}")

    def result(self, verdict: str, message: str, **kw) -> CheckResult:
        return CheckResult(CHECK, verdict, message=message, log="\n".join(self.logs), **kw)

    def inconclusive(self, message: str) -> CheckResult:
        """Inconclusive, ``bounded(k)`` when k cycles were checked, with why register correspondence failed."""
        strength = f"bounded({self.depth})" if self.depth else None
        why = f" [register correspondence: {self.correspondence}]" if self.correspondence else ""
        return self.result("inconclusive", message + why, strength=strength)

    def ran_out(self, timeout: float) -> CheckResult:
        """Inconclusive because the budget ran out: in which stage, how many cycles were checked, and what the
        elaboration found in the way (registers without a partner, memories and their size, X sources)."""
        depth = f"; no counterexample within {self.depth} cycles" if self.depth else ""
        found = (self.structure.obstacles() if self.structure else
                 describe_memories(self.workdir / MEMORIES_JSON, self.pair) if self.pair else "")
        return self.inconclusive(f"formal engines ran out of the {timeout:g} s budget during "
                                 f"{self.stages[-1] if self.stages else 'start-up'}{depth}"
                                 + (f" ({found})" if found else ""))


def check_equivalence(candidate: Candidate, spec: Spec, workdir: Path, *, timeout: float = 120,
                      maxsteps: int = 20, free_inits: bool = False, x_as_synthesis: bool = False) -> CheckResult:
    """Prove ``candidate`` equivalent to ``spec.reference_rtl`` (module ``spec.reference_top``).

    ``free_inits``: drop both designs' declared initial values, so that registers no reset sets start free
    (as ASIC flip-flops do) and the proof holds for every power-up state; a verdict's message then names them.
    ``x_as_synthesis``: where register correspondence fails on x constants, it may resolve them in both designs as
    Yosys synthesis does (``corr.RESOLVED_X``, stated in the message): a proof about the hardware, not the
    simulation, where a candidate's x can differ from the reference's value.

    Verdicts: proven (strength "proven"), counterexample (``mismatch`` and ``artifacts["trace"]``),
    inconclusive (strength ``bounded(k)`` when k cycles were checked), absent (no reference),
    error (a design does not elaborate, or a tool failed). Inconclusive never counts as equivalent.
    """
    start = time.monotonic()
    if not spec.reference_rtl:
        return CheckResult(CHECK, "absent", message="the spec has no reference RTL to prove equivalence against")
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    run = _Run(workdir, Budget(timeout), free_inits=free_inits, x_as_synthesis=x_as_synthesis)
    try:
        result = _check(candidate, spec, run, maxsteps)
    except ToolTimeout:
        result = run.ran_out(timeout)
    except SpecError as exc:
        result = run.result("error", str(exc), failure_class="port_binding")
    except (ToolError, RtlgenError, OSError) as exc:
        result = run.result("error", f"formal check could not run: {exc}", failure_class="tool_error")
    result.seconds = time.monotonic() - start
    return result


def _elaborate(run: _Run, pair: Pair, base: dict, pads: list[MemoryPad] | None) -> tuple[str | None, list[MemoryPad]]:
    """Elaborate both designs into the netlists ``analyse`` reads: (Yosys's error or None, memories to pad).

    ``pads`` None: the designs as written, and the memories whose address reaches past their words
    (``design.MemoryPad``) found. Given: those memories padded; ``base["pad_memories"]`` carries the padding to
    every later stage.
    """
    base["pad_memories"] = [command for pad in pads or () for command in pad.commands]
    error = _elaborate_once(run, pair, base, "elaborate, memories padded" if pads else "elaborate")
    if error or pads is not None:
        return error, pads or []
    return None, memory_pads(run.workdir / MEMORIES_JSON, pair, MITER_TOP)


def _elaborate_once(run: _Run, pair: Pair, base: dict, stage: str) -> str | None:
    """One elaboration (``analyse.ys``): Yosys's error, or None."""
    script = render("analyse.ys.j2", run.workdir, "analyse.ys", json_file=NETLIST_JSON, inits_file=INITS_FILE,
                    registers_json=REGISTERS_JSON, memories_json=MEMORIES_JSON, gold_top=pair.gold_top,
                    gate_top=pair.gate_top, **base)
    result = run.yosys(stage, script)
    error = logs.yosys_error(result.output)
    if result.returncode != 0 or error:
        return error or f"yosys exited with code {result.returncode}"
    return None


def _ports(spec: Spec) -> tuple[Port, ...]:
    if spec.ports:
        return spec.ports
    return read_ports(read_rtl(spec.reference_rtl), spec.reference_top or spec.top, spec.reference_rtl)


def _check(candidate: Candidate, spec: Spec, run: _Run, maxsteps: int, hold_reset: bool = False,
           latches: bool = False, pads: list[MemoryPad] | None = None) -> CheckResult:
    """The check on one reading of the designs, its memories padded with ``pads``. Memories that need padding
    are first tried unpadded by register correspondence (``_unpadded_first``)."""
    if candidate.top not in module_names(candidate.rtl):
        return run.result("error", f"the candidate declares no module '{candidate.top}'", failure_class="no_module")
    ports = _ports(spec)
    if any(p.direction == "inout" for p in ports):
        return run.result("inconclusive", "inout ports are not supported by the formal check")
    pair = run.pair = write_pair(candidate, spec.with_(ports=ports), run.workdir, latches, run.free_inits)
    base = dict(gold_file=pair.gold_file, gate_file=pair.gate_file, extra_files=[], top=None, expose_tops=(),
                free_inits=pair.free_inits)

    error, found = _elaborate(run, pair, base, pads)
    if error:
        refused = _elaboration_error(run, error, pair)
        if not hold_reset and "candidate's asynchronous reset" in refused.message:
            return _async_reset_as_sync(candidate, spec, run, maxsteps) or refused
        if not latches and "Latch inferred" in refused.message and "always_comb" in refused.message:
            return _comb_latches(candidate, spec, run, maxsteps, hold_reset, refused)
        return refused
    structure = analyse(run.workdir / NETLIST_JSON, pair, spec.reset, run.workdir / REGISTERS_JSON,
                        run.workdir / INITS_FILE)
    structure.pads = pads or []
    run.structure = structure
    names = {p.name for p in ports if p.direction == "input"}
    clock, multiclock = structure.clock, False
    if not structure.single_clock:
        clock = structure.multiclock_clock(spec.clock.name if spec.clock else None)
        if clock not in names and not structure.free_clocks:
            return run.inconclusive("no sound proof method for this clocking: " + "; ".join(structure.problems))
        multiclock = True
    if structure.sequential and clock is None and not (multiclock and structure.free_clocks):
        return run.inconclusive("sequential design without a clock input")
    reset = spec.reset if structure.sequential and spec.reset and spec.reset.name in names else None
    if found and pads is None:
        return (_unpadded_first(run, pair, base, ports, structure, reset, multiclock)
                or _check(candidate, spec, run, maxsteps, hold_reset, latches, pads=found))
    miter = _Miter(run, pair, ports, structure, reset, maxsteps, clock, multiclock, hold_reset)
    result = _prove(run, miter, pair, base, ports, structure, reset, multiclock)
    if result.verdict == "inconclusive" and structure.sequential and not hold_reset:
        result = miter.matched_start() or result
    return _noting_inits(result, structure)


def _noting_inits(result: CheckResult, structure: Structure) -> CheckResult:
    if structure.dropped_inits():
        result.message += f" [{structure.dropped_inits()}]"
    return result


def _unpadded_first(run: _Run, pair: Pair, base: dict, ports: tuple[Port, ...], structure: Structure, reset,
                    multiclock: bool) -> CheckResult | None:
    """Register correspondence before any memory is padded; None = pad and run every stage.

    Reads past a memory's last word that no state can reach (SERV's 576-word register file behind a 10-bit
    address) need no padding: proven without it, the proof assumes nothing about the added words, and it skips a
    second elaboration and their state (SERV: 896 bits more to match, correspondence 2.5 times slower).
    """
    if not structure.sequential or multiclock:
        return None
    proven = _stage_correspondence(run, pair, base, ports, reset_sets_all=bool(reset) and not structure.unreset,
                                   x_constants=structure.x_constants and run.x_as_synthesis)
    return _noting_inits(proven, structure) if proven else None


def _prove(run: _Run, miter: "_Miter", pair: Pair, base: dict, ports: tuple[Port, ...], structure: Structure,
           reset, multiclock: bool) -> CheckResult:
    """The stages in order (module docstring); the first decisive one answers."""
    outcome = miter.sat(xmode=False, share=0.3)
    if outcome.kind == "proven":
        how = outcome.by or (f"temporal induction (length {outcome.depth})" if structure.sequential else "SAT")
        return run.result("proven", f"proven by miter + {how}", strength="proven")
    if structure.sequential and not multiclock and structure.has_x:  # before the slow X-aware search
        proven = _stage_correspondence(run, pair, base, ports, reset_sets_all=bool(reset) and not structure.unreset,
                                       assumed=structure.assumptions(),
                                       x_constants=structure.x_constants and run.x_as_synthesis)
        if proven:
            return proven
    if outcome.kind == "counterexample":
        return miter.explain_counterexample(outcome)
    if miter.error and "port" in miter.error:
        return run.result("error", f"the candidate's ports do not match the reference's: {miter.error}",
                          failure_class="port_binding")
    if not structure.sequential:
        proven = miter.cec(share=0.5)  # before equiv_simple, which can spend minutes where &cec takes seconds
        if proven:
            return proven
    if not multiclock and (not structure.sequential or (reset and not structure.unreset)):
        proven = _stage_equiv(run, pair, base, share=0.5 if structure.sequential else 1.0)
        if proven:
            return proven
    if not structure.sequential:
        return run.inconclusive("neither the SAT miter, ABC &cec nor equiv_simple decided the combinational "
                                "equivalence")
    return miter.pdr()


def _async_reset_as_sync(candidate: Candidate, spec: Spec, run: _Run, maxsteps: int) -> CheckResult | None:
    """A counterexample for a candidate whose async reset Yosys cannot map (e.g. ``if (rst_n)`` under
    ``negedge rst_n``), or None.

    The candidate is read with the reset edge dropped from its sensitivity lists (synchronous reading).
    That reading differs from the simulator only when the reset falls: the block then runs once more.
    So the reset is held deasserted after the first cycle, and a mismatch counts only if it survives
    3-valued replay with every register starting X, which covers whatever state such extra runs left
    behind before the first clock edge. Anything but a counterexample is discarded (None).
    """
    name = re.escape(spec.reset.name) if spec.reset else None
    if not name:
        return None
    pattern = re.compile(r"\s*(?:\bor\b|,)\s*(?:posedge|negedge)\s+" + name + r"\b"
                         r"|(?:posedge|negedge)\s+" + name + r"\s*(?:\bor\b|,)\s*")
    rtl = pattern.sub("", candidate.rtl)
    if rtl == candidate.rtl:
        return None
    run.note("async reset read as synchronous", "the candidate's async reset could not be mapped; retrying with "
                                                "the reset edge dropped and the reset held after the first cycle")
    result = _check(dataclasses.replace(candidate, rtl=rtl), spec, run, maxsteps, hold_reset=True)
    if result.verdict != "counterexample" or result.mismatch is None:
        return None
    result.message = (f"{result.message} (the candidate's async reset assigns non-constant values, which Yosys "
                      "cannot map; found with the reset edge read as synchronous and the reset never falling "
                      "again, confirmed with every register starting X)")
    return result


def _comb_latches(candidate: Candidate, spec: Spec, run: _Run, maxsteps: int, hold_reset: bool,
                  refused: CheckResult) -> CheckResult:
    """The check again with ``always_comb`` read as ``always @*`` (``design.comb_as_star``): the latch Yosys
    refused to infer is modelled exactly, as it simulates. An error of the second reading keeps the first."""
    run.note("always_comb latch", f"{refused.message}\nretrying with always_comb read as always @* (the latch "
                                  "modelled exactly)")
    result = _check(candidate, spec, run, maxsteps, hold_reset, latches=True)
    if result.verdict == "error":
        return refused
    result.message += (" (always_comb blocks that infer a latch were read as always @*; the latch is modelled "
                       "exactly, so it only matters where it can hold a value)")
    return result


def _elaboration_error(run: _Run, error: str, pair: Pair) -> CheckResult:
    """Whose error it is decides the verdict: a reference Yosys cannot synthesize leaves nothing to prove
    against (inconclusive, with Yosys's reason); a candidate's is its compile error."""
    if "gold.sv" in error or GOLD_PREFIX in error or _reference_fails(run, pair):
        return run.inconclusive(f"the reference is not synthesizable (Yosys: {error}), so there is no hardware to "
                                "prove the candidate equivalent to")
    kind = "syntax_error" if "syntax error" in error.lower() else "compile_error"
    why = ""
    if "Async reset" in error and "non-constant" in error:  # e.g. `@(negedge rst_n) if (rst_n)`: an inverted reset
        why = (" (the candidate's asynchronous reset branch assigns non-constant values, e.g. an inverted reset "
               "condition: no flip-flop with an asynchronous reset implements it, so it is not synthesizable)")
    return run.result("error", f"the candidate does not elaborate in Yosys: {error}{why}", failure_class=kind)


def _reference_fails(run: _Run, pair: Pair) -> bool:
    """Whether the reference alone fails to elaborate (Yosys names no file for errors of ``proc``)."""
    script = render("reference.ys.j2", run.workdir, "reference.ys", gold_file=pair.gold_file, gold_top=pair.gold_top)
    result = run.yosys("elaborate the reference alone", script)
    return result.returncode != 0 or logs.yosys_error(result.output) is not None


def _stage_correspondence(run: _Run, pair: Pair, base: dict, ports: tuple[Port, ...], reset_sets_all: bool,
                          assumed: str = "", x_constants: bool = False) -> CheckResult | None:
    """Register correspondence (``corr``); None = go on.

    The proof covers every state in which paired register bits are equal. When the spec reset sets every
    register of both designs and every bit has a partner, the reset itself makes them equal (the reset values
    are part of the next states the proof compares), so no assumption is left; otherwise the message states it.
    With ``x_constants`` (a design has x/z constants), a failed proof is tried once more with the x constants
    resolved as Yosys synthesis resolves them (``corr.RESOLVED_X``), which the message then states.
    """
    found = _correspondence(run, pair, base, ports, resolve_x=False)
    if not found.proven and x_constants:
        first = found.reason
        found = _correspondence(run, pair, base, ports, resolve_x=True)
        assumed += f"; {corr.RESOLVED_X}" if found.proven else ""
        run.correspondence = found.reason and f"{first}; with x resolved as synthesis does: {found.reason}"
    if not found.proven:
        return None
    registers = (f"{found.matched} matched registers ({found.bits} bits, matched by name{found.pairing()}{assumed})"
                 if not found.unmatched else
                 f"{found.matched} registers ({found.bits} bits of the reference, {found.paired} paired by name"
                 f"{found.pairing()}{assumed}); the paired bits")
    if reset_sets_all and not assumed and not found.unmatched:
        return run.result("proven", f"proven by register correspondence: the reset sets all {registers} to equal "
                                    "values, and from any such state outputs and next states are equal for every "
                                    "input", strength="proven")
    return run.result("proven", f"proven under register correspondence: {registers} start equal (from any such "
                                "state, outputs and next states are equal for every input)", strength="proven")


def _correspondence(run: _Run, pair: Pair, base: dict, ports: tuple[Port, ...],
                    resolve_x: bool) -> corr.Correspondence:
    """One run of the correspondence stage, logged; ``run.correspondence`` keeps why it did not prove."""
    stage = "register correspondence" + (", x resolved as synthesis does" if resolve_x else "")
    run.stages.append(stage)
    # the usual proof for designs with registers the reset does not set: most of the budget (a 256-register
    # design needs ~17 s idle, several times that on a loaded machine)
    found = corr.prove(base, pair.gold_top, pair.gate_top, {p.name: p.direction for p in ports}, run.workdir,
                       run.budget, share=0.6, resolve_x=resolve_x)
    run.note(stage, found.log + (f"\n(not proven: {found.reason})" if found.reason else ""), found.seconds)
    run.correspondence = found.reason
    return found


def _stage_equiv(run: _Run, pair: Pair, base: dict, share: float) -> CheckResult | None:
    """Stage 1; a proof when every $equiv cell is proven, else None (go on)."""
    script = render("equiv.ys.j2", run.workdir, "equiv.ys", gold_top=pair.gold_top, gate_top=pair.gate_top,
                    seq=4, **base)
    try:
        result = run.yosys("equiv", script, share)
    except ToolTimeout as exc:
        run.note("equiv", f"(stopped after its share of the time budget)\n{exc.output}")
        return None
    counts = logs.equiv_status(result.output)
    if result.returncode == 0 and counts and counts[0] > 0 and counts[1] == 0:
        return run.result("proven", f"proven by equiv_simple/equiv_induct ({counts[0]} $equiv cells)",
                          strength="proven")
    return None


class _Miter:
    """Stage 2: the miter of both designs, proved by SAT or ABC scorr, then by pdr; counterexamples explained."""

    def __init__(self, run: _Run, pair: Pair, ports: tuple[Port, ...], structure: Structure, reset,
                 maxsteps: int, clock: str | None, multiclock: bool, hold_reset: bool = False) -> None:
        self.run, self.pair, self.ports, self.structure, self.reset = run, pair, ports, structure, reset
        self.hold_reset = hold_reset  # reset held deasserted after cycle 0; X-confirmed counterexamples only
        self.clock, self.multiclock = clock, multiclock
        # Several clock inputs: none is driven, every input (each clock too) is free in every time step, so the
        # proof covers every relation between the clocks; a "cycle" of the trace is one time step.
        self.free_clocks = multiclock and clock is None
        self.half = multiclock and not self.free_clocks  # one driven clock: two time steps per cycle
        self.maxsteps = maxsteps * 2 if multiclock else maxsteps  # clk2fflogic: two steps per cycle
        self.inputs = tuple(p for p in ports if p.direction == "input")
        self.miter_inputs = tuple(p for p in self.inputs if not (multiclock and p.name == clock))
        self.outputs = tuple(p for p in ports if p.direction == "output")
        self.first_checked = 1 if reset else 0
        self.error: str | None = None  # Yosys error of the last SAT run that gave no verdict
        self.matched_tried = False  # matched_start ran (it is tried once)

    def context(self, xmode: bool, share: float = 1.0, start_equal: bool = False) -> dict:
        miter = ("miter_eq" if start_equal else "miter") + ("_x.sv" if xmode else ".sv")
        registers = self._registers(xmode) if start_equal else {}
        render("miter.sv.j2", self.run.workdir, miter, inputs=self.inputs, outputs=self.outputs, ports=self.ports,
               reset=self.reset, clock=self.clock, clock_edge=self.structure.edge, multiclock=self.multiclock,
               free_clocks=self.free_clocks, free_inits=self.pair.free_inits,
               gold_top=self.pair.gold_top, gate_top=self.pair.gate_top, xmode=xmode, hold_reset=self.hold_reset,
               reg_ports=registers.get("ports", []), start_equal=registers.get("pairs", []),
               defined_regs=registers.get("defined", []))
        show = ",".join([f"{side}__{p.name}" for p in self.outputs for side in ("gold", "gate")]
                        + ([self.clock] if self.half else []))
        return dict(gold_file=self.pair.gold_file, gate_file=self.pair.gate_file, extra_files=[miter],
                    pad_memories=[command for pad in self.structure.pads for command in pad.commands],
                    free_inits=self.pair.free_inits, top=MITER_TOP, show=show, xmode=xmode, multiclock=self.multiclock,
                    expose_tops=(self.pair.gold_top, self.pair.gate_top) if start_equal else (),
                    init_def=start_equal, sat_timeout=max(1, int(self.run.budget.left() * share)))

    def _abc_proves(self, context: dict, share: float) -> bool:
        """Whether ABC's ``scorr; iprove`` proves every time step of the two-valued miter (``pdr.scorr_proof``)."""
        self.run.stages.append(ABC_STAGE)
        proven, log = pdr.scorr_proof(context, self.run.workdir, self.run.budget, share)
        self.run.note(ABC_STAGE, log)
        return proven

    def _induction(self, context: dict, name: str, stage: str, share: float, maxsteps: int
                   ) -> tuple[ToolResult, logs.SatOutcome]:
        """Yosys ``sat`` on the miter for up to ``maxsteps`` steps, its log and outcome."""
        script = render("prove.ys.j2", self.run.workdir, name, **context, maxsteps=maxsteps)
        result = self.run.yosys(stage, script, share)
        return result, logs.sat_outcome(result.output)

    def _registers(self, xmode: bool) -> dict[str, list]:
        """Miter wiring for "matched registers start equal": extra ports, equal pairs, reference registers.

        A register that is an output port is read where the miter already reads it (``gold__<port>``);
        any other is connected to a new wire. In X semantics every reference register is wired, so
        that the miter can require it never to hold an x.
        """
        outputs = {p.name for p in self.outputs}
        matched = dict(self.structure.matched_registers())
        wires: dict[tuple[str, str], str] = {}
        ports: list[tuple[str, str, str, int]] = []
        for side in ("gold", "gate"):
            known = self.structure.registers.get("reference" if side == "gold" else "candidate", {})
            for index, (name, width) in enumerate(known.items()):
                if side == "gate" and name not in matched or side == "gold" and name not in matched and not xmode:
                    continue
                if name in outputs:
                    wires[side, name] = f"{side}__{name}"
                else:
                    wires[side, name] = f"{side}__reg{index}"
                    ports.append((side, name, wires[side, name], width))
        gold = self.structure.registers.get("reference", {})
        return {"ports": ports, "pairs": [(wires["gold", n], wires["gate", n]) for n in matched],
                "defined": [(wires["gold", n], w) for n, w in gold.items()] if xmode else []}

    def sat(self, xmode: bool, share: float = 1.0, start_equal: bool = False) -> logs.SatOutcome:
        """The miter proved by Yosys ``sat`` (temporal induction for sequential designs), outcome and depth parsed.

        A two-valued sequential miter may be proven by ABC instead (``pdr.scorr_proof``: every time step at once,
        where ``scorr`` merges the two designs' state), and where it is, no induction runs. With arithmetic on two data
        operands (``Structure.wide_arithmetic``) it runs first, as SAT's induction step, not only its base case, proves
        two copies of such a data path equal bit by bit (two 8-bit pipelined multipliers: 9 s of CPU at length 4;
        ABC: 0.05 s); otherwise only after the first ``QUICK_STEPS`` steps of the induction leave the miter undecided
        (most designs end within them, for which ABC's run would only add its cost). Where ABC proves nothing, the
        induction runs again, to ``maxsteps``."""
        name = ("prove_eq" if start_equal else "prove") + ("_x.ys" if xmode else ".ys")
        context = dict(sequential=self.structure.sequential, **self.context(xmode, share, start_equal))
        stage = ("sat, matched registers start equal" if start_equal else "sat") + (" (X semantics)" if xmode else "")
        two_valued = self.structure.sequential and not (xmode or start_equal)
        deep = two_valued and self.maxsteps > QUICK_STEPS
        abc_first = two_valued and self.structure.wide_arithmetic
        try:
            if abc_first and self._abc_proves(context, share):
                return logs.SatOutcome("proven", by=ABC_PROOF)
            result, outcome = self._induction(context, name, stage, share, QUICK_STEPS if deep else self.maxsteps)
            if deep and outcome.kind == "bounded":
                if not abc_first and self._abc_proves(context, share):
                    return logs.SatOutcome("proven", by=ABC_PROOF)
                result, outcome = self._induction(context, name, stage, share, self.maxsteps)
        except ToolTimeout as exc:  # this stage's share ran out: later stages still get their turn
            self.run.note(stage, f"(stopped after its share of the time budget)\n{exc.output}")
            return logs.SatOutcome("timeout", logs.sat_outcome(exc.output).depth)
        self.error = logs.yosys_error(result.output) if outcome.kind == "unknown" else None
        if outcome.kind == "unknown":
            self.run.note(stage, f"(no verdict: {self.error or 'nothing decisive in the log'})")
        if not xmode and not start_equal and outcome.kind in ("bounded", "timeout", "unknown"):
            self.run.depth = max(self.run.depth, outcome.depth)
        return outcome

    def matched_start(self) -> CheckResult | None:
        """A proof under the assumption that registers of equal name and width start equal; None if none.

        Used when nothing else decided: registers the reset does not set (memories, shift registers,
        dual-edge or second-clock registers) start free and independently in each design, so the
        designs could differ before their first write. Here the miter only checks runs whose first step
        has every matched pair equal (the assumption register correspondence makes too; the message
        states it). With x constants in a design, the check uses X semantics where every register starts
        defined: a reference x is a don't-care on outputs, and no x may reach a reference register from
        reset (so an x next state is accepted only where it is unreachable). Nets without a driver are
        never accepted; a failure here is not reported as a counterexample (the earlier verdict stands).
        """
        matched = self.structure.matched_registers()
        undriven = [u for u in self.structure.undefined if "undriven" in u]
        if not matched or undriven or self.matched_tried:
            return None
        self.matched_tried = True
        xmode = bool(self.structure.undefined)
        try:
            how = "ABC pdr (IC3)"  # pdr first: it closes where induction needs many steps (two free clocks)
            if not xmode:
                self.run.stages.append("pdr, matched registers start equal")
                found = pdr.run_pdr(self.context(xmode=False, start_equal=True), self.run.workdir, self.run.budget,
                                    share=0.5)
                self.run.note("pdr, matched registers start equal", found.log)
            if xmode or found.outcome.kind != "proven":
                outcome = self.sat(xmode=xmode, share=0.5, start_equal=True)
                how = f"temporal induction (length {outcome.depth})"
                if outcome.kind != "proven":
                    return None
        except ToolTimeout:
            return None
        unset = sorted({u.split(":", 1)[1] for u in self.structure.unreset})
        names = listed(unset)
        semantics = (" with X semantics (the reference's x values are don't-cares on its outputs and never reach "
                     "one of its registers from reset)") if xmode else ""
        return self.run.result(
            "proven", f"proven under register correspondence by miter + {how}{semantics}: the {len(matched)} "
                      f"registers of equal name in both designs start equal (matched by name; not set by the "
                      f"reset: {names or 'none'}{self.structure.assumptions()})", strength="proven")

    def explain_counterexample(self, strict: logs.SatOutcome, engine: str = "SAT bounded model check"
                               ) -> CheckResult:
        """A two-valued counterexample is confirmed with X semantics before it is reported.

        Free initial values and x constants make the two-valued check stricter than a simulator,
        where an X in the reference is a don't-care. The same inputs are replayed with X semantics;
        if the mismatch survives (a defined reference bit differs) it is the counterexample.
        Otherwise an X-aware search runs: a mismatch it finds is reported; if it finds none the
        verdict is inconclusive, never proven, for sequential designs (an X initial state must not
        prove anything); for combinational ones the reference's explicit x bits are don't-cares.
        """
        if not self.structure.has_x and not self.hold_reset:
            return self._counterexample(strict.trace, engine)
        steps = max((s for s in strict.trace if s > 0), default=0)
        if steps:
            context = self.context(xmode=True)
            context["sat_timeout"] = max(1, int(self.run.budget.left() / 2))
            self.run.stages.append("replay (X semantics)")
            confirmed, log = pdr.replay(context, self.run.workdir, self.run.budget, steps,
                                        pdr.pins_from_trace(strict.trace, self.miter_inputs), [])
            self.run.note("replay (X semantics)", log)
            if confirmed.kind == "counterexample" and self._mismatch(confirmed.trace):
                return self._counterexample(confirmed.trace, engine)
        if self.structure.sequential and not self.hold_reset:  # cheaper than the X-aware search below
            proven = self.matched_start()
            if proven:
                return proven
        relaxed = self.sat(xmode=True)
        if relaxed.kind == "counterexample" and self._mismatch(relaxed.trace):
            return self._counterexample(relaxed.trace, "SAT bounded model check with X semantics")
        undriven = [u for u in self.structure.undefined if "undriven" in u]
        if relaxed.kind == "proven" and not self.structure.sequential and not undriven:
            return self.run.result("proven", "proven by miter + SAT with X semantics (the reference's x bits "
                                             "are don't-cares)", strength="proven")
        unset = listed(self.structure.unreset)
        mismatch = self._mismatch(strict.trace)
        where = f" (two-valued: {mismatch.describe().splitlines()[0]})" if mismatch else ""
        verdict = {"proven": "holds by induction", "bounded": f"holds for {relaxed.depth} cycles"}.get(
            relaxed.kind, f"was not decided ({relaxed.kind})")
        if relaxed.kind == "bounded":
            self.run.depth = max(self.run.depth, relaxed.depth)
        if undriven:
            return self.run.inconclusive(
                f"nets without a synthesizable driver ({'; '.join(undriven)}): their value is X, so nothing can be "
                "proven about them (behavioural '#' delays and initial-only assignments are dropped by synthesis)"
                f"{where}")
        unmatched = self.structure.unmatched_registers()
        partners = (f"; without a partner of equal name and width in the other design, so their first values "
                    f"cannot be matched: {listed(unmatched)}"
                    if unmatched else "")
        return self.run.inconclusive(
            "outputs differ only through undefined values (registers that the reset does not set start free "
            f"in each design: {unset or 'none'}{partners}; X sources: {'; '.join(self.structure.undefined) or 'none'})"
            f"{where}; with X semantics (reference X = don't-care) equivalence {verdict}")

    def _mismatch(self, trace: dict) -> Mismatch | None:
        return first_mismatch(trace, self.inputs, self.outputs, self.clock, self.first_checked, self.half)

    def cec(self, share: float = 1.0) -> CheckResult | None:
        """ABC ``&cec`` (SAT sweeping) on the combinational miter, for ``share`` of the time left: proven or None."""
        self.run.stages.append("abc &cec")
        try:
            proven, log = pdr.run_cec(self.context(xmode=False), self.run.workdir, self.run.budget, share)
        except ToolTimeout as exc:  # its share ran out: equiv_simple still gets its turn
            self.run.note("abc &cec", f"ABC &cec ran out of its time share\n{exc.output}")
            return None
        self.run.note("abc &cec", log)
        if proven:
            return self.run.result("proven", "proven by miter + ABC &cec (SAT sweeping)", strength="proven")
        return None

    def pdr(self) -> CheckResult:
        context = self.context(xmode=False)
        self.run.stages.append("pdr")
        found = pdr.run_pdr(context, self.run.workdir, self.run.budget)
        self.run.note("pdr", found.log)
        if found.outcome.kind == "proven":
            return self.run.result("proven", "proven by miter + ABC pdr (IC3)", strength="proven")
        if found.outcome.kind == "counterexample" and found.cex is not None:
            frame = found.outcome.frame or 0
            map_text = (self.run.workdir / pdr.MAP_FILE).read_text()
            pins, inits = pdr.replay_pins(found.cex, map_text, self.miter_inputs, {p.name for p in self.ports})
            self.run.stages.append("replay")
            replayed, log = pdr.replay(context, self.run.workdir, self.run.budget, frame + 1, pins, inits)
            self.run.note("replay", log)
            if replayed.kind == "counterexample":
                return self.explain_counterexample(replayed, f"ABC pdr (IC3, frame {frame})")
            cycle = cycle_of(frame + 1, self.half)
            if self.structure.has_x or self.hold_reset:  # free initial values or x: only a replay can confirm it
                sources = "; ".join(self.structure.undefined) or "none"
                return self.run.inconclusive(
                    f"ABC pdr found outputs that differ at cycle {cycle} two-valued, but the trace could not be "
                    f"replayed to confirm the mismatch with X semantics ({len(self.structure.unreset)} registers the "
                    f"reset does not set start free in each design; X sources: {sources})")
            return self.run.result("counterexample", f"ABC pdr found a counterexample at cycle {cycle} "
                                                     "(the trace could not be replayed for signal names)",
                                   failure_class="runtime_mismatch")
        depth = f"; no counterexample within {self.run.depth} cycles" if self.run.depth else ""
        return self.run.inconclusive("neither temporal induction nor pdr decided equivalence" + depth)

    def _counterexample(self, trace: dict, engine: str) -> CheckResult:
        clock = self.clock
        if self.reset:  # show the reset the miter forced in cycle 0, not the free input
            forced = (1, 2) if self.half else (1,)
            held = str(1 - self.reset.asserted)  # hold_reset: deasserted after the forced cycle
            trace = {step: {**row, self.reset.name: str(self.reset.asserted)} if step in forced
                     else {**row, self.reset.name: held} if self.hold_reset and step > 0 else row
                     for step, row in trace.items()}
        mismatch = self._mismatch(trace)
        artifacts, table = {}, ""
        if trace:
            artifacts["trace"] = str(write_vcd(self.run.workdir / TRACE_VCD, trace, self.inputs, self.outputs, clock,
                                                  self.half))
            cycles = cycle_table(trace, self.inputs, self.outputs, clock, self.half)
            cycles.to_csv(self.run.workdir / CYCLES_CSV, index=False)
            artifacts["cycles"] = str(self.run.workdir / CYCLES_CSV)
            table = _table_text(cycles)
        if mismatch is None:
            return self.run.result("counterexample", f"{engine} found outputs that differ, but the trace names none",
                                   failure_class="runtime_mismatch", artifacts=artifacts)
        width = next(p.width for p in self.outputs if p.name == mismatch.signal)
        row = trace[mismatch_step(trace, mismatch.cycle, self.half, mismatch.signal)]
        bits = differing_bits(row.get(f"gold__{mismatch.signal}", ""), row.get(f"gate__{mismatch.signal}", ""))
        where = f"; differing bits: {name_bits(mismatch.signal, bits, width)}" if width > 1 and bits else ""
        message = (f"{engine}: {mismatch.describe().splitlines()[0]}{where}\ninput sequence from reset, cycle by "
                   f"cycle ('{mismatch.signal}' = candidate, '{mismatch.signal}_expected' = reference; VCD of both "
                   f"designs: {TRACE_VCD}):\n{table}")
        return self.run.result("counterexample", message, failure_class="runtime_mismatch", mismatch=mismatch,
                               artifacts=artifacts)


def _table_text(cycles, limit: int = 40) -> str:
    """The cycle table as text; a long one keeps its first and last rows (the CSV artifact has them all)."""
    if len(cycles) <= limit:
        return cycles.to_string(index=False)
    head, tail = cycles.head(limit // 4), cycles.tail(limit - limit // 4)
    lines = cycles.to_string(index=False).splitlines()
    skipped = len(cycles) - len(head) - len(tail)
    return "\n".join(lines[:1 + len(head)] + [f"  ... {skipped} cycles ..."] + lines[-len(tail):])
