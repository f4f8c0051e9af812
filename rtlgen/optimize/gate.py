"""The equivalence gate: a change enters the design only when it is *proven* equivalent.

Three layers, each refusing rather than guessing:

1. ``admit``: RTL whose simulation and synthesis can disagree (multiple drivers, incomplete
   sensitivity lists, latches, combinational loops) is refused, because a proof about the
   synthesized netlist says nothing about such RTL (``rtlgen.verify.agreement``); so is RTL that
   reaches outside its run directory (``refuse_untrusted``). A register whose initial value no reset
   sets is admitted: the proofs drop declared initial values, so it starts free as an ASIC flip-flop
   does (matched by name where a proof needs equal start values), and ``notes`` says so.
2. ``check(before, after)``: ``prove_equivalent`` (reset-aware sequential miter, temporal induction,
   register correspondence, ABC pdr), which does not need registers to map one to one, so
   re-encoded FSMs, merged states and removed registers can be proven. Counterexample and
   inconclusive are both rejections, with the engine's reason. ``end_to_end`` proves the final
   design against the original input, so the chain is not trusted step by step only.
3. ``simulate``: the auto testbench runs the optimized design with the original as golden model,
   an independent check by another tool.

Memories that synthesis keeps as macros (``macro_bits``) are black boxes in every proof: both designs are proven
with each macro cut out (``rtlgen.optimize.macros``), so a recipe's netlist holding a macro can be proven against the
RTL, and a 4096-word memory costs no proof its flattening.

Every proof log is written to ``workdir/proofs/``; each tool run works in its own folder of ``workdir/runs/``
(``WORK_ENTRIES`` names everything the gate puts in ``workdir``).
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path

from rtlgen.errors import RtlgenError, SpecError, ToolError, UnsafeRTL
from rtlgen.optimize import macros
from rtlgen.optimize.budget import Budget
from rtlgen.spec.interface import read_ports
from rtlgen.spec.model import Candidate, Clock, Reset, Spec
from rtlgen.synth.memories import MACRO_CELL
from rtlgen.verify import agreement
from rtlgen.verify.result import CheckResult
from rtlgen.verify.sandbox import refuse_untrusted

STATUSES = ("proven", "counterexample", "inconclusive", "unsafe", "error")
PROOFS, RUNS, ORIGINAL = "proofs", "runs", "original.sv"   # what the gate writes in its workdir
WORK_ENTRIES = (PROOFS, RUNS, ORIGINAL)


@dataclass(frozen=True)
class Verdict:
    """The gate's answer for one design or one change; ``log`` is the proof log's path ('' if none)."""

    status: str
    message: str
    log: str = ""
    seconds: float = 0.0

    @property
    def proven(self) -> bool:
        return self.status == "proven"

    @property
    def reason(self) -> str:
        """The rejection reason recorded in OptResult (see result.REJECT_REASONS)."""
        return self.status if self.status in ("counterexample", "inconclusive", "unsafe") else "error"


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text)[:60] or "step"


class Gate:
    """Proves changes of one design; ``original`` is the input every final result is proven against."""

    def __init__(self, original: Candidate, *, clock: Clock | None, reset: Reset | None, workdir: Path,
                 timeout: float = 120.0, budget: Budget | None = None, macro_bits: int | None = None) -> None:
        """``timeout``: seconds for each proof, agreement check and simulation, at most what is left of
        ``budget`` (the run's time budget, if any). ``macro_bits``: memories of at least this many bits with a
        write port are memory macros, black boxes in the proofs (``Target.memory_macro_bits``; None: none)."""
        self.original, self.clock, self.reset, self.timeout, self.budget = original, clock, reset, timeout, budget
        self.macro_bits = macro_bits
        self._cuts: dict[str, macros.Cut] = {}  # content hash -> the design with its macros cut out
        self.workdir = Path(workdir).resolve()
        self.proofs = self.workdir / PROOFS
        self.proofs.mkdir(parents=True, exist_ok=True)
        self._count = 0
        self.notes: dict[str, str] = {}  # check -> what the admission found and accepted (OptResult.providers)

    # ------------------------------------------------------------------ layers
    def admit(self, candidate: Candidate, label: str = "input") -> Verdict | None:
        """None when ``candidate`` may be judged by the formal engines, else an ``unsafe`` verdict."""
        start = time.monotonic()
        try:
            refuse_untrusted(candidate)
        except UnsafeRTL as exc:
            return Verdict("unsafe", f"refused: {exc}", seconds=time.monotonic() - start)
        # the proofs drop initial values (prove_equivalent), so a register only they set is no disagreement
        found = agreement.check_agreement(candidate, self._dir(f"agree-{label}"), timeout=self._limit(),
                                          free_inits=True)
        if found.verdict == "pass":
            self.notes.setdefault("agreement", found.message)  # the first design admitted: the input
            return None
        status = "error" if found.failure_class in ("timeout", "tool_error") else "unsafe"
        return Verdict(status, found.message, seconds=time.monotonic() - start)

    def check(self, before: Candidate, after: Candidate, label: str) -> Verdict:
        """Admit ``after`` and prove it equivalent to ``before``."""
        refused = self.admit(after, label)
        if refused is not None:
            return refused
        return self._prove(before, after, label)

    def end_to_end(self, final: Candidate) -> Verdict:
        """The final design against the original input (not only step by step)."""
        if final.rtl == self.original.rtl:
            return Verdict("proven", "identical to the input")
        return self._prove(self.original, final, "end-to-end")

    def simulate(self, final: Candidate, *, seed: int = 1, waves: bool = False) -> CheckResult:
        """The auto testbench with the original input as golden (reference RTL) model; ``waves``: keep a VCD."""
        from rtlgen.verify.autotb import CHECK, run_autotb  # noqa: PLC0415 - cocotb is heavy

        try:
            spec = self.reference_spec()
        except SpecError as exc:  # e.g. an unpacked array port: the proofs stand, the simulation cannot run
            return CheckResult(CHECK, "error", failure_class="port_binding", message=str(exc))
        return run_autotb(final, spec, self._dir("autotb"), seed=seed, waves=waves, timeout=self._limit())

    def reference_spec(self) -> Spec:
        """A Spec whose golden is the original input (its ports, clock and reset)."""
        source = self.workdir / ORIGINAL
        if not source.is_file():
            source.write_text(self.original.rtl)
        ports = read_ports(self.original.rtl, self.original.top, self.original.origin or str(source))
        return Spec(top=self.original.top, ports=ports, clock=self.clock, reset=self.reset,
                    reference_rtl=str(source), reference_top=self.original.top, name=self.original.top)

    # ------------------------------------------------------------------ internals
    def _limit(self) -> float:
        return self.budget.limit(self.timeout) if self.budget else self.timeout

    def _dir(self, label: str) -> Path:
        self._count += 1
        path = self.workdir / RUNS / f"{self._count:03d}-{_slug(label)}"
        path.mkdir(parents=True, exist_ok=True)
        return path

    def _prove(self, gold: Candidate, gate: Candidate, label: str) -> Verdict:
        from rtlgen.verify.formal.pairwise import prove_equivalent  # noqa: PLC0415 - Yosys stack is heavy

        start = time.monotonic()
        workdir = self._dir(label)
        log = self.proofs / f"{workdir.name}.log"
        try:
            cuts = self._macro_cuts(gold, gate, workdir)
        except (ToolError, RtlgenError) as exc:
            return self._logged(log, label, "error", f"memory macros could not be cut out for the proof: {exc}", start)
        unpaired = macros.mismatch(*cuts) if cuts else ""
        if unpaired:
            return self._logged(log, label, "inconclusive", (
                f"the designs' memory macros cannot be paired ({unpaired}): a macro is a black box, so no memory is "
                "proven against another; with --memory-macro-bits off (or a larger threshold) memories are built "
                "from flip-flops and proven as such"), start)
        found = prove_equivalent(*((cuts[0].candidate, cuts[1].candidate) if cuts else (gold, gate)),
                                 clock=self.clock, reset=self.reset, workdir=workdir, timeout=self._limit())
        message = found.message or found.verdict
        status = found.verdict if found.verdict in STATUSES else "error"
        return self._logged(log, label, status, f"{macros.describe(cuts[0].macros)}; {message}" if cuts else message,
                            start, found.log)

    def _macro_cuts(self, gold: Candidate, gate: Candidate, workdir: Path) -> tuple[macros.Cut, macros.Cut] | None:
        """Both designs with their memory macros cut out, or None when neither holds one (then they are proven as
        they are). ``gold`` is RTL (the design before a change, or the input) and is screened; a ``gate`` holds a
        macro only as a netlist's macro cell (its own new memory, beside a ``gold`` without one, is flattened)."""
        if self.macro_bits is None or not (macros.may_hold_macros(gold) or MACRO_CELL in gate.rtl):
            return None
        cuts = tuple(self._cut(design, workdir / f"macros-{side}") for side, design in (("gold", gold), ("gate", gate)))
        return cuts if cuts[0].macros or cuts[1].macros else None

    def _cut(self, design: Candidate, workdir: Path) -> macros.Cut:
        if design.content_hash not in self._cuts:
            # with a reset the proof compares from the cycle after it, so the macros' inputs are compared a cycle late
            self._cuts[design.content_hash] = macros.cut(design, self.macro_bits, delayed=self.reset is not None,
                                                         workdir=workdir, timeout=self._limit())
        return self._cuts[design.content_hash]

    def _logged(self, log: Path, label: str, status: str, message: str, start: float, text: str = "") -> Verdict:
        """The verdict, its proof log written to ``log``."""
        log.write_text(f"# {label}: {status}\n# {message}\n\n{text}\n")
        return Verdict(status, message, str(log), time.monotonic() - start)
