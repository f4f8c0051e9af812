"""``Target``: what a design is synthesized onto, resolved once at the edge and passed by value."""
from __future__ import annotations

from dataclasses import dataclass

from rtlgen.errors import ConfigError
from rtlgen.synth.liberty import Liberty

POWER_ENGINES = ("auto", "gate", "sta")


@dataclass(frozen=True)
class Target:
    """The flow, liberty, clock and dont-use patterns of a synthesis run.

    ``liberty`` is a resolved ``Liberty`` (``rtlgen.synth.liberty.resolve_liberty``, once, at the edge); a path,
    bare file or PDK name, or None (the configured default, else the transistor estimate) is looked up by each
    ``synthesize`` call. ``dont_use`` adds cell name patterns to the liberty's dont-use list
    (``rtlgen/synth/dont_use.yaml``): no flow maps onto those cells. ``power_engine`` says who prices power:
    ``"gate"`` gate-level simulation of a stimulus, ``"sta"`` OpenSTA's vectorless estimate, ``"auto"`` the
    gate-level figure where a stimulus exists, else OpenSTA's.
    """

    flow: str = "yosys"
    liberty: Liberty | str | None = None
    clock_ns: float = 10.0
    dont_use: tuple[str, ...] = ()
    power_engine: str = "auto"

    def __post_init__(self) -> None:
        if self.clock_ns <= 0:
            raise ValueError(f"clock_ns must be positive, got {self.clock_ns}")
        if self.power_engine not in POWER_ENGINES:
            raise ConfigError(f"unknown power engine {self.power_engine!r}: use one of {', '.join(POWER_ENGINES)}")
