"""Golden references for the auto-generated testbench, and the per-cycle comparison against them.

A golden is either the spec's Python model (loaded here, adapted to one ``reset()/step()`` shape)
or a reference RTL simulated beside the candidate (its outputs arrive from the simulator). The
``Checker`` compares every cycle, keeps the first mismatch with a window of the cycles before it, counts the
mismatches to the end of the run and tells a reset problem from a plain runtime mismatch. Its verdict goes to a
JSON file in the run directory. It runs inside the cocotb test (so it must stay cheap per cycle and import nothing
heavy), or, under a simulator with timing, after the simulation over the outputs the harness wrote (``judge``;
``python -m rtlgen.verify.golden CONFIG OUTPUTS`` runs it in a process of its own, under a time and memory limit,
when a Python model, code written by an LLM, computes the expected values).

Values: outputs are packed into one integer, first output in the least significant bits. The
simulator gives either an ``int`` (all bits known) or a binary string (MSB first, with x/z).
"""
from __future__ import annotations

import hashlib
import importlib.util
import json
import operator
import sys
import time
import traceback
from collections import deque
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, Protocol

from rtlgen.errors import SpecError
from rtlgen.verify.stimulus import Stimulus

if TYPE_CHECKING:  # the checker runs inside the simulator: keep its imports light
    from rtlgen.spec.model import Spec

WINDOW = 10
MAX_MISMATCHES = 1000  # mismatching cycles after which the run stops counting (bounds its time)
WARMUP_MAX = 64  # no reset port + Python model: cycles allowed for the outputs to become known
END_MARK = "end"  # the harness's last line of outputs: the simulation reached the end of the stimulus
_UNKNOWN = str.maketrans("01xXzZuUwW-LH", "1100000000011")
_VALUE = str.maketrans("xXzZuUwW-LH", "00000000001")


class GoldenModel(Protocol):
    def reset(self) -> None: ...

    def step(self, inputs: dict[str, int]) -> dict[str, int | None]: ...


class Bits(int):
    """An input value handed to a golden model: an int that also reads as its bits, as in Verilog.

    It behaves as the list of its bits ``[x[0], x[1], ..., x[width-1]]``: ``x[i]`` is bit ``i`` as in Verilog
    (``x[-1]`` the most significant), iterating and ``len()`` go over bits 0 .. width-1, and a slice is the
    list's slice packed back, bit 0 first (``x[0:4]`` is Verilog's ``x[3:0]``, ``x[::-1]`` the bits reversed).
    Models written by an LLM often treat a vector so: Qwen2.5-Coder 1.5B's models of VerilogEval's 256-to-1 mux
    (``in_bits[sel]``), 255-bit population count (``for bit in inputs['in']``) and bit reversal
    (``inputs['in'][::-1]``) raised TypeError on every cycle, so designs the benchmark's testbench passes could
    not be verified. A plain int raises there, so no model that ran before changes meaning; arithmetic gives plain
    ints. An empty slice is refused: ``x[7:0]`` is Verilog's part-select written in Python, not "no bits". As a list,
    ``x.count(1)`` counts its 1 bits and ``+`` with a list joins the bits into a list (measured with the 1.5B model:
    VerilogEval's population count ``in_val.count(1)`` and 100-bit rotator ``[q[-1]] + q[:-1]`` raised on every
    cycle); ``+`` with a number stays addition.
    """

    width: int

    def __new__(cls, value: int, width: int) -> "Bits":
        bits = super().__new__(cls, value)
        bits.width = width
        return bits

    def __getitem__(self, index: int | slice) -> int:
        if isinstance(index, slice):
            picked = range(self.width)[index]
            if not picked:
                raise IndexError(f"[{index.start}:{index.stop}] selects no bit of a {self.width}-bit input (it is "
                                 f"the list of bits 0 .. {self.width - 1}: Verilog's x[7:0] is x[0:8] here)")
            return Bits(sum(((int(self) >> bit) & 1) << k for k, bit in enumerate(picked)), len(picked))
        bit = operator.index(index)
        if not -self.width <= bit < self.width:
            raise IndexError(f"bit {bit} of a {self.width}-bit input")
        return (int(self) >> (bit % self.width)) & 1

    def __iter__(self) -> Iterator[int]:
        return ((int(self) >> bit) & 1 for bit in range(self.width))

    def __len__(self) -> int:
        return self.width

    def count(self, bit: int) -> int:
        return list(self).count(bit)

    def __add__(self, other: Any) -> Any:
        return list(self) + other if isinstance(other, list) else super().__add__(other)

    def __radd__(self, other: Any) -> Any:
        return other + list(self) if isinstance(other, list) else super().__radd__(other)


class ClockedInputs(dict):
    """One cycle's inputs for a sequential model, where looking up its rising-edge clock (``model_clock``) reads 1.

    Only a lookup that raised KeyError before reads it: iterating, ``in``, ``len()`` and ``get()`` see the driven
    inputs alone, so no model that ran before changes meaning."""

    def __init__(self, values: dict[str, int], clock: str | None) -> None:
        super().__init__(values)
        self.clock = clock

    def __missing__(self, key: str) -> Bits:
        if key == self.clock:
            return Bits(1, 1)
        raise KeyError(key)


def model_inputs(values: dict[str, int], widths: dict[str, int], clock: str | None) -> ClockedInputs:
    """One cycle's inputs as every reader of a golden model hands them: each a ``Bits`` of its port's width, the
    rising-edge clock (``model_clock``) read as 1. The testbench and the late reading's probe go through here, so a
    model that runs in the one runs in the other (measured: models reading ``inputs['clk']`` raised in the probe
    alone and were never considered for the late reading)."""
    return ClockedInputs({name: Bits(value, widths[name]) for name, value in values.items()}, clock)


class GoldenError(Exception):
    """The golden model itself misbehaved (raised, or returned a malformed value)."""


SHOWN = 8  # items of a model's malformed value an error names; the rest are counted
# Inputs a model's error names for its cycle, each value whole; the rest are counted (the 87 benchmark specs have at
# most 10 inputs: the bound only keeps the one line of a wide bus interface readable)
SHOWN_INPUTS = 32


def _shown(items: list[Any]) -> str:
    """The first ``SHOWN`` of ``items`` and how many more: an error about a model's value stays readable when the
    model returned hundreds of them (measured: 512 keys for VerilogEval's rule 90)."""
    more = len(items) - SHOWN
    return repr(items[:SHOWN]) + (f" and {more} more" if more > 0 else "")


def output_value(value: Any, name: str, width: int) -> int:
    """A golden model's value for output ``name`` as an int (not yet masked to ``width``): an int, or the list of its
    bits, bit 0 first, as ``Bits`` reads an input (measured: Qwen2.5-Coder 1.5B's model of VerilogEval's 512-cell
    rule 90 kept ``q`` as a list of 512 bits and returned it). Only a list of exactly ``width`` 0/1 values is read
    so; anything else is the model's error."""
    if isinstance(value, (list, tuple)):
        if len(value) != width or any(b not in (0, 1) for b in value):
            raise GoldenError(f"the golden model returned a list for output '{name}' ({len(value)} items: "
                              f"{_shown(list(value))}); "
                              f"a vector output is an int, or the list of its {width} bits (0 or 1), bit 0 first")
        return sum(int(b) << i for i, b in enumerate(value))
    try:
        return int(value)
    except (TypeError, ValueError):
        raise GoldenError(f"the golden model returned {value!r} for output '{name}', not an int") from None


def bits_by_key(values: dict[str, Any], name: str, width: int) -> list[int]:
    """Output ``name`` returned as one key per bit, ``'q[0]'`` .. ``'q[7]'``: its bits, bit 0 first. Only keys that
    name every bit of the port exactly once, each 0 or 1, are read so; otherwise the model gave no value for ``name``
    (measured: Qwen2.5-Coder 1.5B's model of VerilogEval's rule 90 returned ``q[0]`` .. ``q[511]``, but as
    ``q & (1 << i)``, which is refused)."""
    keys = [f"{name}[{i}]" for i in range(width)]
    if {k for k in values if k.startswith(f"{name}[")} != set(keys):
        raise GoldenError(f"the golden model returned no value for output '{name}' (got keys {_shown(sorted(values))})")
    bad = next((k for k in keys if values[k] not in (0, 1)), None)
    if bad is not None:
        raise GoldenError(f"the golden model returned {values[bad]!r} for '{bad}', a bit of output '{name}': "
                          "a bit is 0 or 1")
    return [int(values[k]) for k in keys]


def fitting_value(value: int, name: str, width: int) -> int:
    """``value`` when a ``width``-bit port can hold it (unsigned, or negative in two's complement), else the model's
    error: cutting it to the port would compare a guess (measured: a model's 100-bit result was compared, cut to one
    bit, with a design's 1-bit ``out`` where the spec states 100 bits, and the design was called verified)."""
    if -(1 << (width - 1)) <= value < (1 << width):
        return value
    raise GoldenError(f"the golden model returned {value} for output '{name}', which does not fit its {width} bit(s) "
                      f"({-(1 << (width - 1))} .. {(1 << width) - 1}); a model returns what the port shows, never "
                      "more bits")


def model_clock(spec: Spec) -> str | None:
    """The clock a sequential model is handed, as 1 in every cycle (``CheckerConfig.clock``): a rising-edge clock.

    ``step()`` is the active edge, so a model reading ``inputs['clk']`` to tell whether the edge came reads 1 there,
    the clock's value once it has risen (measured with the 1.5B model: VerilogEval's timer and any-edge detector and
    RTLLM's pipelined multiplier read it and raised KeyError on every cycle). What a model means by the value of a
    falling-edge clock cannot be told, so that one stays out of the inputs, as the contract says."""
    return spec.clock.name if spec.clock is not None and spec.clock.edge == "posedge" else None


def load_model(path: str | Path) -> GoldenModel:
    """Import the Python model at ``path``: ``class Model`` (sequential) or ``evaluate()`` (combinational)."""
    path = Path(path)
    if not path.is_file():
        raise SpecError(f"golden model file not found: {path}", path=str(path), field="reference.model")
    name = "rtlgen_golden_" + hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:12]
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if hasattr(module, "Model"):
        return contract_model(module.Model)
    if callable(getattr(module, "evaluate", None)):
        return _Combinational(module.evaluate)
    raise SpecError("a golden model must define `class Model` (reset/step) or `def evaluate(inputs)`",
                    path=str(path), field="reference.model")


def _model_line(exc: BaseException) -> str:
    """Where the golden model's own code raised ``exc`` (its innermost frame outside rtlgen), as
    ``" (golden_model.py line 26: return {'out': int(self.state)})"``, or "" when it raised in rtlgen's code: a
    model written by an LLM is regenerated with this, and the line is what a fix needs."""
    package = str(Path(__file__).resolve().parent.parent)
    frames = [f for f in traceback.extract_tb(exc.__traceback__)
              if not str(Path(f.filename).resolve()).startswith(package)]
    if not frames:
        return ""
    frame = frames[-1]
    return f" ({Path(frame.filename).name} line {frame.lineno}: {(frame.line or '').strip()})"


def contract_model(cls: type) -> GoldenModel:
    """An instance of a model's ``class Model``, to be reset as the contract says, by ``reset()``.

    A model whose ``__init__`` sets an attribute named ``reset`` (``self.reset = False``, a flag for the reset input)
    hides its own ``reset()`` method from every call, its own included: as written, it gets a state only by being
    constructed, so that is its reset (``_Constructed``). Measured with the 1.5B model: 7 of 75 problems had a model
    failing so ("'bool' object is not callable") before its first cycle."""
    model = cls()
    if callable(getattr(cls, "reset", None)) and not callable(model.reset):
        return _Constructed(cls)
    return model


class _Constructed:
    """A model whose ``reset()`` is hidden by an attribute: reset constructs it afresh (``contract_model``)."""

    def __init__(self, cls: type) -> None:
        self._cls = cls
        self._model = cls()

    def reset(self) -> None:
        self._model = self._cls()

    def step(self, inputs: dict[str, int]) -> dict[str, int | None]:
        return self._model.step(inputs)


class _Combinational:
    def __init__(self, evaluate: Any) -> None:
        self._evaluate = evaluate

    def reset(self) -> None:
        pass

    def step(self, inputs: dict[str, int]) -> dict[str, int | None]:
        return self._evaluate(inputs)


@dataclass(frozen=True)
class Layout:
    """Output ports packed into one vector, first port in the least significant bits."""

    names: tuple[str, ...]
    widths: tuple[int, ...]

    @property
    def width(self) -> int:
        return sum(self.widths) or 1

    @property
    def offsets(self) -> tuple[int, ...]:
        out, shift = [], 0
        for w in self.widths:
            out.append(shift)
            shift += w
        return tuple(out)

    @property
    def full(self) -> int:
        return (1 << self.width) - 1

    def pack(self, values: dict[str, int | None]) -> tuple[int, int]:
        """(value, care mask) of a golden model's outputs; None is a don't-care."""
        value = care = 0
        for name, width, off in zip(self.names, self.widths, self.offsets):
            v = values[name] if name in values else bits_by_key(values, name, width)
            if v is None:
                continue
            v = fitting_value(output_value(v, name, width), name, width)
            mask = (1 << width) - 1
            value |= (v & mask) << off
            care |= mask << off
        return value, care

    def field(self, packed: int, index: int) -> int:
        return (packed >> self.offsets[index]) & ((1 << self.widths[index]) - 1)


def split_sim_value(value: int | str, full: int) -> tuple[int, int]:
    """(value, known mask) from a simulator read: an int, or a binary string with x/z bits."""
    if isinstance(value, int):
        return value, full
    try:
        return int(value, 2), full
    except ValueError:
        return int(value.translate(_VALUE), 2), int(value.translate(_UNKNOWN), 2)


def format_bits(value: int, known: int, width: int) -> str:
    """A Verilog-style literal; unknown bits as x (binary form), else hex."""
    mask = (1 << width) - 1
    value, known = value & mask, known & mask
    if known != mask:
        bits = "".join("x" if not (known >> i) & 1 else str((value >> i) & 1) for i in reversed(range(width)))
        return bits if width == 1 else f"{width}'b{bits}"
    return str(value) if width == 1 else f"{width}'h{value:0{(width + 3) // 4}x}"


@dataclass
class SeenBits:
    """The bits of a packed output vector seen as a known 0 and as a known 1, over the cycles shown to ``see``.

    Outputs vary when some bit was seen both ways: a change of which bits are known (x, or a model's None) is no
    change of value, so a vector that is one constant wherever it is known never varies."""

    ones: int = 0
    zeros: int = 0

    def see(self, value: int, known: int) -> None:
        self.ones |= value & known
        self.zeros |= ~value & known

    @property
    def varied(self) -> bool:
        return bool(self.ones & self.zeros)


@dataclass
class CheckerConfig:
    """What the cocotb test needs to check a run; written by autotb, read inside the simulator."""

    outputs: Layout
    stimulus: str  # path of the stimulus JSON, relative to the config file (so a copied bench still works)
    result: str  # path where the verdict JSON goes, relative to the config file
    token: str  # proves the verdict was written by this testbench
    golden: str  # model | reference
    model: str | None = None
    compare_from: int = 0
    warmup: bool = False
    budget_s: float = 120.0
    sequential: bool = False
    max_mismatches: int = MAX_MISMATCHES
    clock: str | None = None  # model_clock: the clock a model reading it is handed as 1

    def write(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self), indent=1))

    @classmethod
    def read(cls, path: str | Path) -> "CheckerConfig":
        data = json.loads(Path(path).read_text())
        base = Path(path).resolve().parent
        data.update(stimulus=str(base / data["stimulus"]), result=str(base / data["result"]))
        out = data.pop("outputs")
        return cls(outputs=Layout(tuple(out["names"]), tuple(out["widths"])), **data)


@dataclass
class Checker:
    """Compares each cycle's candidate outputs with the golden's, to the end of the stimulus.

    The first mismatch is kept with its window of the cycles before it; after it the run goes on,
    counting mismatching cycles and, per output, the cycles it was wrong in (until
    ``config.max_mismatches`` mismatching cycles, which bounds the time a hopeless candidate costs).
    The failure class is decided at ``finish``: a first mismatch while reset is asserted, or
    mismatches only in/just after reset cycles, is a reset issue; anything else a runtime mismatch.
    """

    config: CheckerConfig
    stimulus: Stimulus
    model: GoldenModel | None = None
    inputs: list[dict[str, int]] = field(default_factory=list)
    compared: int = 0
    cycles: int = 0
    considered: int = 0  # cycles past reset and warm-up, compared or wholly don't-care
    cared_bits: int = 0  # output bits the golden gave a value for, over the considered cycles
    status: str = "running"  # running | pass | fail | error
    failure_class: str | None = None
    message: str = ""
    mismatch: dict[str, Any] | None = None
    stopped: str | None = None
    mismatches: int = 0  # mismatching cycles
    away_from_reset: int = 0  # mismatching cycles neither in nor just after a reset cycle
    output_counts: list[int] = field(default_factory=list)  # per output: cycles it mismatched in
    # The output bits the design showed as a known 0 and as a known 1 (x and z are no value) over the cycles from
    # ``compare_from`` away from reset (neither in nor just after a reset cycle), and those the golden gave as 0 and 1
    # (None and x are no value) over the compared ones: see ``design_varied`` and ``golden_varied``
    _design_bits: SeenBits = field(default_factory=SeenBits)
    _golden_bits: SeenBits = field(default_factory=SeenBits)
    # Digest of the design's outputs on every cycle from ``compare_from`` on: designs run on one stimulus with the
    # same digest behaved identically (behavioural clustering, VRank)
    _trace: Any = field(default_factory=hashlib.sha256)
    _history: deque = field(default_factory=lambda: deque(maxlen=WINDOW))
    _resets: frozenset = frozenset()

    def __post_init__(self) -> None:
        self._resets = frozenset(self.stimulus.reset_cycles)
        if not self.inputs and self.config.golden == "model":  # a model steps on them; a reference RTL does not
            widths = dict(zip(self.stimulus.names, self.stimulus.widths))
            self.inputs = [model_inputs(cycle, widths, self.config.clock) for cycle in self.stimulus.as_dicts()]
        if not self.output_counts:
            self.output_counts = [0] * len(self.config.outputs.names)

    @classmethod
    def from_config(cls, path: str | Path) -> "Checker":
        config = CheckerConfig.read(path)
        stimulus = Stimulus.read(config.stimulus)
        checker = cls(config, stimulus)
        if config.golden == "model":
            try:
                checker.model = load_model(config.model)
                checker.model.reset()
            except Exception as exc:  # noqa: BLE001 - any failure of the model's code is reported
                checker.error(f"loading the golden model {config.model} failed: {type(exc).__name__}: {exc}")
        return checker

    @property
    def passed(self) -> bool:
        return self.status == "pass"

    @property
    def done(self) -> bool:
        return self.status != "running"

    @property
    def design_varied(self) -> bool:
        """Whether the design's outputs changed away from reset: an empty module, or a design stuck at one value with
        a few x cycles, never does (measured: a Gray counter whose gray stayed 0, an empty module for a one-line
        wire, RTLLM's synchronizer with dataout 0 or x)."""
        return self._design_bits.varied

    @property
    def golden_varied(self) -> bool:
        """Whether the golden's outputs changed over the compared cycles away from reset. A golden whose outputs
        never change there checks only that a design holds that constant (measured: the 1.5B model's LFSR model and
        design both stayed 0, and the benchmark's testbench failed the design); a model giving one constant in some
        cycles and None in the others is no different, so only a value counts, never the care mask."""
        return self._golden_bits.varied

    @property
    def capped(self) -> bool:
        """The run stopped at ``max_mismatches``: the counts are lower bounds."""
        return self.mismatches >= self.config.max_mismatches

    def check(self, cycle: int, dut: int | str, ref: int | str | None = None) -> bool:
        """Check one cycle; True when the run should stop (golden error, or the mismatch bound reached)."""
        if self.done or self.capped:
            return True
        self.cycles = cycle + 1
        layout = self.config.outputs
        full = layout.full
        try:
            if self.model is not None:
                exp, care = layout.pack(self.model.step(self.inputs[cycle]))
            else:
                exp, care = split_sim_value(ref, full)
        except Exception as exc:  # noqa: BLE001
            self.error(f"the golden model failed at cycle {cycle} on inputs {self._inputs_text(cycle)}: "
                       f"{type(exc).__name__}: {exc}{_model_line(exc)}")
            return True
        val, known = split_sim_value(dut, full)
        if self.mismatch is None:  # the window only serves the first mismatch
            self._history.append((cycle, val, known, exp, care))
        if cycle < self.config.compare_from:
            return False
        self._trace.update(f"{val:x}/{known:x};".encode())
        if not self._near_reset(cycle):
            self._design_bits.see(val, known)
        if not care:
            self.considered += not self.config.warmup
            return False
        if self.config.warmup:
            if known != full and cycle < WARMUP_MAX:
                return False
            self.config.warmup = False
        self.considered += 1
        self.compared += 1
        self.cared_bits += care.bit_count()
        if not self._near_reset(cycle):  # a model right only about reset values still checks one constant elsewhere
            self._golden_bits.see(exp, care)
        bad = care & ((val ^ exp) | (~known & full))
        return self._on_mismatch(cycle, bad) if bad else False

    def finish(self, stopped: str | None = None) -> None:
        """End of the run: decide the verdict from what was compared and counted."""
        if stopped and not self.done:
            self.stopped = stopped
        if self.status != "running":
            return
        if self.mismatch is not None:
            if self.mismatch["cycle"] in self._resets:
                self._fail("reset_issue", "outputs are wrong while reset is asserted")
            elif self.away_from_reset == 0:
                self._fail("reset_issue", "mismatches only next to reset cycles")
            else:
                self._fail("runtime_mismatch", "")
        elif self.compared == 0:
            self.status, self.failure_class = "error", "tool_error"
            self.message = ("nothing was compared: the golden outputs were unknown (X) or don't-care in every cycle"
                            if self.cycles else "the testbench ran no cycle")
        else:
            self.status = "pass"
            self.message = f"{self.compared} of {self.cycles} cycles compared, all equal"
            if self.stopped:
                self.message += f" (stopped early: {self.stopped})"

    @property
    def care(self) -> float | None:
        """Fraction of the output bits of the considered cycles that the golden model gave a value for (not None)."""
        total = self.considered * self.config.outputs.full.bit_count()
        return round(self.cared_bits / total, 4) if total else None

    def per_output(self) -> dict[str, int]:
        """Outputs that ever mismatched -> the number of cycles they did (port order)."""
        return {name: n for name, n in zip(self.config.outputs.names, self.output_counts) if n}

    def write(self, path: str | Path | None = None) -> None:
        data = {"token": self.config.token, "status": self.status, "failure_class": self.failure_class,
                "message": self.message, "compared": self.compared, "care": self.care,
                "golden_varied": self.golden_varied, "design_varied": self.design_varied,
                "trace": self._trace.hexdigest()[:16], "cycles": self.cycles,
                "planned": len(self.stimulus), "stopped": self.stopped, "mismatch": self.mismatch,
                "mismatches": self.mismatches, "outputs": self.per_output(), "capped": self.capped}
        Path(path or self.config.result).write_text(json.dumps(data, indent=1))

    # -- internals --
    def _inputs_text(self, cycle: int) -> str:
        """The inputs the model was handed at ``cycle``, as Python literals in port order (``a=0x3 b=1``; a vector
        in hex, whole): with the cycle and the model's line, what reproducing or repairing its error needs. Read
        from the stimulus, so a model that altered its inputs dict is shown what it was handed."""
        stim = self.stimulus
        values = zip(stim.names, stim.widths, stim.vectors[cycle])
        shown = [f"{name}={value:#x}" if width > 1 else f"{name}={value}" for name, width, value in values]
        more = len(shown) - SHOWN_INPUTS
        if not shown:
            return "(none)"
        return " ".join(shown[:SHOWN_INPUTS]) + (f" and {more} more" if more > 0 else "")

    def _near_reset(self, cycle: int) -> bool:
        return cycle in self._resets or (cycle - 1) in self._resets

    def _on_mismatch(self, cycle: int, bad: int) -> bool:
        """Count a mismatching cycle (rare, so the per-output loop costs nothing on a passing run)."""
        if self.mismatch is None:
            self.mismatch = self._describe(cycle, bad)
        self.mismatches += 1
        if not self._near_reset(cycle):
            self.away_from_reset += 1
        layout = self.config.outputs
        for i in range(len(self.output_counts)):
            if layout.field(bad, i):
                self.output_counts[i] += 1
        if self.capped:
            self.stopped = f"stopped counting after {self.mismatches} mismatching cycles"
            return True
        return False

    def _fail(self, failure_class: str, why: str) -> None:
        self.status, self.failure_class = "fail", failure_class
        m = self.mismatch
        self.message = f"cycle {m['cycle']}: output '{m['signal']}' expected {m['expected']}, got {m['actual']}"
        if why:
            self.message += f" ({why})"

    def error(self, message: str) -> None:
        """The run cannot judge the candidate (golden model or testbench failed): verdict error."""
        self.status, self.failure_class, self.message = "error", "tool_error", message

    def _describe(self, cycle: int, bad: int) -> dict[str, Any]:
        layout = self.config.outputs
        index = next(i for i in range(len(layout.names)) if layout.field(bad, i))
        _, val, known, exp, care = self._history[-1]
        width = layout.widths[index]
        return {"cycle": cycle, "signal": layout.names[index],
                "expected": format_bits(layout.field(exp, index), layout.field(care, index), width),
                "actual": format_bits(layout.field(val, index), layout.field(known, index), width),
                "window": [self._row(*entry) for entry in self._history]}

    def _row(self, cycle: int, val: int, known: int, exp: int, care: int) -> dict[str, Any]:
        layout = self.config.outputs
        row: dict[str, Any] = {"cycle": cycle}
        for name, width, value in zip(self.stimulus.names, self.stimulus.widths, self.stimulus.vectors[cycle]):
            row[name] = format_bits(value, -1, width)
        for i, (name, width) in enumerate(zip(layout.names, layout.widths)):
            row[name] = format_bits(layout.field(val, i), layout.field(known, i), width)
        for i, (name, width) in enumerate(zip(layout.names, layout.widths)):
            row["expected." + name] = format_bits(layout.field(exp, i), layout.field(care, i), width)
        return row


def judge(config: str | Path, outputs: str | Path) -> None:
    """Check a replayed run: each line of ``outputs`` holds one cycle's candidate outputs (and the reference's), in
    binary as the harness wrote them; the verdict goes to the config's result file, as the cocotb test writes it.
    Without the harness's end mark the simulation stopped early and no verdict is written (the caller says so)."""
    lines = Path(outputs).read_text().splitlines() if Path(outputs).is_file() else []
    if not lines or lines[-1] != END_MARK:
        return
    checker = Checker.from_config(config)
    stopped = None
    deadline = time.process_time() + checker.config.budget_s  # CPU time: the same count at any load
    try:
        for k, line in enumerate(lines[:-1] if not checker.done else ()):
            got, _, want = line.partition(" ")
            if checker.check(k, got, want or None):
                break
            if k & 255 == 255 and time.process_time() > deadline:
                stopped = f"time budget of {checker.config.budget_s:g} s used after {k + 1} cycles"
                break
    except Exception as exc:  # noqa: BLE001 - a malformed outputs line is the harness's bug, reported as an error
        checker.error(f"the testbench raised {type(exc).__name__}: {exc}")
    checker.finish(stopped)
    checker.write()


if __name__ == "__main__":
    judge(*sys.argv[1:3])
