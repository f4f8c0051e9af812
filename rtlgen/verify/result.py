"""What verification says about a candidate: one CheckResult per check, gathered in a VerifyResult.

Verdicts per check:
- lint / autotb / official: ``pass``, ``fail``, ``error`` (could not run), ``absent`` (not applicable)
- formal: ``proven``, ``counterexample``, ``inconclusive``, ``absent``, ``error``
Strength says how much a pass means: ``proven``, ``bounded(k)``, ``simulated(n)`` (n vectors/cycles).
"""
from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field, fields
from typing import Any, ClassVar

# Failure classes: VerilogEval v2's taxonomy (letter in brackets) plus rtlgen's own.
FAILURE_CLASSES: dict[str, str] = {
    "syntax_error": "syntax error [S]",
    "explicit_cast": "explicit cast required [e]",
    "zero_width_constant": "zero-width sized constant [0]",
    "no_sensitivity": "always block with no sensitivities [n]",
    "reg_wire_misuse": "reg/wire misuse: assigned as reg but declared as wire, or vice versa [w]",
    "unknown_module": "instantiates an unknown module [m]",
    "clock_binding": "unable to bind the clock [c]",
    "timeout": "simulation timed out [T]",
    "port_binding": "port binding / width or name mismatch with the spec [p]",
    "compile_error": "other compile error [C]",
    "reset_issue": "runtime mismatch, reset handled wrongly [r]",
    "runtime_mismatch": "runtime mismatch against the golden reference [R]",
    "unsafe_rtl": "uses file/shell system tasks or outside includes (refused)",
    "no_module": "no Verilog module found / wrong top module name",
    "no_code": "the LLM reply contained no code to extract",
    "simulator_error": "the simulator or testbench crashed",
    "tool_error": "an external tool failed for a reason not tied to the candidate",
    "simulator_unsupported": "the simulator does not support a construct another tool accepts (a tool limitation, "
                             "not a design error)",
    "testbench_broken": "the benchmark's official testbench does not compile with a candidate that has the spec's "
                        "interface (a benchmark defect, not the candidate's)",
    "multi_driven": "a signal is driven from several always blocks: synthesis and simulation pick different drivers",
    "latch": "a combinational block leaves a signal unassigned on some path (an unintended latch)",
    "comb_loop": "a combinational loop: simulation may oscillate, synthesis cannot build it",
    "sim_synth_mismatch": "simulation and synthesis read the RTL differently (incomplete event list, initial value no "
                          "reset sets, comparison with X/Z)",
    "design_check": "the design's own check in an initial block ($finish or $fatal at time 0) refuses these parameters",
}


class Strength(str):
    """How much a pass means: ``proven``, ``bounded(k)`` (k cycles checked) or ``simulated(n)`` (n vectors).

    A validated ``str`` on purpose: its text form is what JSON, run records and reports store and
    what callers compare with (``check.strength == "proven"``), so it serialises and pickles as
    itself, while ``kind``, ``n`` and ``rank`` give typed access instead of parsing the text again.
    """

    __slots__ = ()
    KINDS: ClassVar[tuple[str, ...]] = ("simulated", "bounded", "proven")  # weakest first
    _TEXT: ClassVar[re.Pattern[str]] = re.compile(r"(proven)|(bounded|simulated)\((\d+)\)")

    def __new__(cls, text: str) -> "Strength":
        if cls._TEXT.fullmatch(str(text)) is None:
            raise ValueError(f"not a verdict strength: {text!r} (expected proven, bounded(k) or simulated(n))")
        return super().__new__(cls, text)

    @classmethod
    def of(cls, kind: str, n: int | None = None) -> "Strength":
        """``Strength.of("bounded", 6)`` is ``bounded(6)``; ``proven`` takes no count."""
        return cls(kind if kind == "proven" and n is None else f"{kind}({n})")

    @classmethod
    def parse(cls, text: str | None) -> "Strength | None":
        """``None`` stays ``None``; any other text must be a strength (ValueError otherwise)."""
        return None if text is None else text if isinstance(text, cls) else cls(text)

    @property
    def kind(self) -> str:
        return self.partition("(")[0]

    @property
    def n(self) -> int | None:
        """Cycles (bounded) or vectors (simulated); None for proven."""
        return int(self[len(self.kind) + 1:-1]) if self.kind != "proven" else None

    @property
    def rank(self) -> tuple[int, int]:
        """Orders evidence: proven > bounded > simulated, then more cycles/vectors first."""
        return self.KINDS.index(self.kind), self.n or 0


@dataclass
class Mismatch:
    """The first disagreement with the golden reference and the cycles leading to it.

    ``count`` and ``outputs`` summarise the whole run when the checker went on past the first mismatch
    (the auto-testbench does): mismatching cycles in total, and per output how many cycles it was wrong
    in (their sum is the number of mismatching (cycle, output) pairs). None / empty when not counted.
    """

    cycle: int
    signal: str
    expected: str
    actual: str
    window: list[dict[str, Any]] = field(default_factory=list)  # last ~10 cycles: inputs, outputs, expected
    count: int | None = None
    outputs: dict[str, int] = field(default_factory=dict)

    @property
    def pairs(self) -> int | None:
        """Mismatching (cycle, output) pairs, when counted."""
        return sum(self.outputs.values()) if self.outputs else None

    def tally(self) -> str:
        """One line: how many cycles mismatched and which outputs ("" when not counted)."""
        if self.count is None:
            return ""
        per_output = ", ".join(f"'{name}' in {n}" for name, n in self.outputs.items())
        return f"{self.count} mismatching cycles in total; wrong outputs: {per_output or 'none recorded'}"

    def describe(self) -> str:
        lines = [f"first mismatch at cycle {self.cycle}: output '{self.signal}' expected {self.expected}, "
                 f"got {self.actual}"]
        if self.window:
            lines.append("last cycles (inputs | outputs | expected):")
            for row in self.window:
                lines.append("  " + "  ".join(f"{k}={v}" for k, v in row.items()))
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Mismatch":
        return cls(**_known(cls, data))


def _known(cls: type, data: dict[str, Any]) -> dict[str, Any]:
    """The entries of ``data`` that are fields of dataclass ``cls`` (derived keys like ``passed`` dropped)."""
    names = {f.name for f in fields(cls)}
    return {k: v for k, v in data.items() if k in names}


@dataclass
class CheckResult:
    check: str  # lint:iverilog, lint:verilator, autotb, formal, official
    verdict: str
    strength: Strength | None = None  # a text form ("bounded(6)") is parsed on construction
    failure_class: str | None = None
    message: str = ""
    mismatch: Mismatch | None = None
    log: str = ""
    seconds: float = 0.0
    artifacts: dict[str, str] = field(default_factory=dict)  # name -> path (testbench, vcd, trace)
    mismatches: int | None = None  # mismatching cycles over the whole run (autotb); None: not counted
    compared: int | None = None  # cycles/vectors compared (autotb)
    care: float | None = None  # fraction of compared output bits the golden model checked, not don't-care (autotb)
    golden_varied: bool | None = None  # some golden output bit was given as 0 and as 1 away from reset (autotb)
    design_varied: bool | None = None  # ... a design output bit was a known 0 and 1 (autotb; None: not judged)
    trace: str | None = None  # digest of the design's outputs over the run: equal on one stimulus = same behaviour

    def __post_init__(self) -> None:
        self.strength = Strength.parse(self.strength)

    @property
    def passed(self) -> bool:
        return self.verdict in ("pass", "proven")

    @property
    def failed(self) -> bool:
        return self.verdict in ("fail", "counterexample")

    def summary(self) -> str:
        text = f"{self.check}: {self.verdict}"
        if self.strength:
            text += f" [{self.strength}]"
        if self.care is not None and self.care < 1:
            text += f" ({self.care:.0%} of output bits checked; the rest don't-care)"
        if self.failure_class:
            text += f" ({self.failure_class})"
        if self.message and not self.passed:
            text += f" - {self.message.splitlines()[0][:200]}"
        return text

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "CheckResult":
        known = _known(cls, data)
        if known.get("mismatch") is not None:
            known["mismatch"] = Mismatch.from_dict(known["mismatch"])
        return cls(**known)


@dataclass
class VerifyResult:
    spec: str
    candidate_hash: str
    checks: list[CheckResult] = field(default_factory=list)
    seconds: float = 0.0

    def get(self, check: str) -> CheckResult | None:
        return next((c for c in self.checks if c.check == check), None)

    def excused(self, check: CheckResult) -> bool:
        """A linter's ``simulator_unsupported`` error while another linter passed: it says nothing
        about the candidate, so it decides neither ``passed`` nor ``overall``."""
        if check.failure_class != "simulator_unsupported" or not check.check.startswith("lint:"):
            return False
        others = [c for c in self.checks
                  if c.check.startswith("lint:") and c.check not in (check.check, "lint:interface")]
        return any(c.passed for c in others)

    @property
    def passed(self) -> bool:
        """No check failed or errored, and at least one functional check (autotb/formal) passed."""
        bad = any(c.verdict in ("fail", "error", "counterexample") for c in self.checks
                  if c.check != "official" and not self.excused(c))
        functional = any(c.passed for c in self.checks if c.check in ("autotb", "formal"))
        return functional and not bad

    @property
    def overall(self) -> str:
        """One word for the whole result: pass, fail, error or unverified.

        ``fail``: the RTL was refused or a deciding check failed; ``error``: a deciding check could not
        run; ``unverified``: nothing failed but no functional check (autotb, formal) passed although
        one was run; ``pass`` otherwise. Lint, autotb and formal decide; the official testbench decides
        only when neither autotb nor formal was run (its verdict is printed text and some benchmark
        testbenches are broken). A linter's ``simulator_unsupported`` error does not decide when
        another linter passed (see ``excused``). When autotb and formal disagree the result is ``fail``
        and ``disagreement`` says what that means.
        """
        functional = [c for c in self.checks if c.check in ("autotb", "formal")]
        deciding = [c for c in self.checks if (c.check != "official" or not functional) and not self.excused(c)]
        if any(c.failure_class == "unsafe_rtl" for c in self.checks) or any(c.failed for c in deciding):
            return "fail"
        if any(c.verdict == "error" for c in deciding):
            return "error"
        if functional and not any(c.passed for c in functional):
            return "unverified"
        return "pass"

    @property
    def failure_class(self) -> str | None:
        return next((c.failure_class for c in self.checks if c.failure_class and not c.passed), None)

    @property
    def disagreement(self) -> str | None:
        """What it means when simulation (autotb) and formal give opposite verdicts, else None.

        Proven while the simulation mismatches is a contradiction: the proof was about a netlist that
        does not behave like the simulated RTL (or a tool is wrong), so neither verdict stands. A
        counterexample while the simulation passed is no contradiction, but said as plainly: the
        stimulus missed a real bug. Either way ``overall`` is ``fail``.
        """
        sim, formal = self.get("autotb"), self.get("formal")
        if sim is None or formal is None:
            return None
        if formal.passed and sim.failed:
            return ("simulation and formal disagree: formal proved equivalence but the auto-testbench found a "
                    f"mismatch ({sim.failure_class or sim.verdict}); the proof does not hold for the simulated RTL "
                    "(simulation and synthesis read it differently, or a tool is wrong), so the design is not verified")
        if sim.passed and formal.failed:
            return (f"simulation and formal disagree: the auto-testbench passed ({sim.strength or 'simulated'}) but "
                    "formal found a counterexample its stimulus did not reach; the design is wrong")
        return None

    @property
    def strength(self) -> Strength | None:
        """The strongest evidence that passed: proven beats bounded beats simulated."""
        best = [c.strength for c in self.checks if c.passed and c.strength]
        return max(best, key=lambda s: s.rank, default=None)

    @property
    def first_mismatch(self) -> Mismatch | None:
        return next((c.mismatch for c in self.checks if c.mismatch), None)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.update(passed=self.passed, overall=self.overall, failure_class=self.failure_class, strength=self.strength,
                    disagreement=self.disagreement)
        return data

    def to_json(self, **kw: Any) -> str:
        return json.dumps(self.to_dict(), **kw)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "VerifyResult":
        """Inverse of ``to_dict`` (the derived ``passed``/``overall``/... entries are recomputed, not read)."""
        known = _known(cls, data)
        known["checks"] = [CheckResult.from_dict(c) for c in known.get("checks", ())]
        return cls(**known)

    @classmethod
    def from_json(cls, text: str) -> "VerifyResult":
        return cls.from_dict(json.loads(text))

    def __str__(self) -> str:
        head = f"{self.spec} [{self.candidate_hash}]: {self.overall.upper()}"
        if self.strength:
            head += f" ({self.strength})"
        notes = [f"  {self.disagreement}"] if self.disagreement else []
        return "\n".join([head, *notes, *("  " + c.summary() for c in self.checks)])
