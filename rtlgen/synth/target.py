"""``Target``: what a design is synthesized onto, resolved once at the edge and passed by value."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rtlgen.errors import ConfigError
from rtlgen.synth.liberty import Liberty, load_liberty
from rtlgen.synth.memories import DEFAULT_MACRO_BITS, check_macro_bits

POWER_ENGINES = ("auto", "gate", "sta")


@dataclass(frozen=True)
class Target:
    """The flow, liberty, clock, dont-use patterns and power engine of a synthesis run, checked when built.

    ``liberty`` is a resolved ``Liberty``, or None for none (the liberty flows fall back to the transistor
    estimate). A path, bare file or PDK name given instead is found, hashed and parsed here, once, so every
    synthesis under this target uses the same value; the configured default (``RTLGEN_LIBERTY``, the config file)
    is read where the user's choice is: the CLI's ``--liberty``, or ``rtlgen.synth.liberty.resolve_liberty()``.
    ``dont_use`` adds cell name patterns to the liberty's dont-use list (``rtlgen/synth/dont_use.yaml``): the
    ``liberty`` held carries them, so every stage that maps onto it (synthesis, the optimizer's measures and
    proofs) stays off those cells; a pattern that matches no cell is refused. ``power_engine`` says who prices
    power: ``"gate"`` gate-level simulation of a stimulus, ``"sta"`` OpenSTA's vectorless estimate, ``"auto"``
    the gate-level figure where a stimulus exists, else OpenSTA's. ``memory_macro_bits``: each inferred memory of
    at least this many bits is kept as a memory macro with an estimated area (``rtlgen.synth.memories``); None
    builds every memory from flip-flops.
    """

    flow: str = "yosys"
    liberty: Liberty | None = None
    clock_ns: float = 10.0
    dont_use: tuple[str, ...] = ()
    power_engine: str = "auto"
    memory_macro_bits: int | None = DEFAULT_MACRO_BITS

    def __post_init__(self) -> None:
        check_macro_bits(self.memory_macro_bits)
        if self.clock_ns <= 0:
            raise ValueError(f"clock_ns must be positive, got {self.clock_ns}")
        if self.power_engine not in POWER_ENGINES:
            raise ConfigError(f"unknown power engine {self.power_engine!r}: use one of {', '.join(POWER_ENGINES)}")
        liberty = self.liberty
        if liberty is not None and not isinstance(liberty, Liberty):
            liberty = load_liberty(liberty)
        if liberty is not None and self.dont_use:
            liberty = liberty.with_dont_use(self.dont_use)
        object.__setattr__(self, "liberty", liberty)

    def to_dict(self) -> dict[str, Any]:
        """Everything, the liberty whole, so a worker process rebuilds the value without finding, hashing or
        parsing the liberty file again."""
        return {"flow": self.flow, "liberty": self.liberty.to_dict() if self.liberty else None,
                "clock_ns": self.clock_ns, "dont_use": list(self.dont_use), "power_engine": self.power_engine,
                "memory_macro_bits": self.memory_macro_bits}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Target":
        liberty = Liberty.from_dict(data["liberty"]) if data["liberty"] else None
        return cls(data["flow"], liberty, data["clock_ns"], tuple(data["dont_use"]), data["power_engine"],
                   data.get("memory_macro_bits", DEFAULT_MACRO_BITS))
