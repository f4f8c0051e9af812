"""The values that enter the pipeline: a Spec and the Candidate RTL written for it."""
from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from rtlgen.spec.rtl_file import read_rtl

Direction = Literal["input", "output", "inout"]


@dataclass(frozen=True)
class Port:
    name: str
    direction: Direction
    width: int = 1
    signed: bool = False

    def __str__(self) -> str:
        rng = f" [{self.width - 1}:0]" if self.width > 1 else ""
        return f"{self.direction}{' signed' if self.signed else ''}{rng} {self.name}"


@dataclass(frozen=True)
class Clock:
    name: str
    edge: Literal["posedge", "negedge"] = "posedge"


@dataclass(frozen=True)
class Reset:
    name: str
    active_low: bool = False
    kind: Literal["sync", "async"] = "sync"

    @property
    def asserted(self) -> int:
        return 0 if self.active_low else 1


@dataclass(frozen=True)
class Spec:
    """What a design must do: interface, clocking and the golden reference it is judged against.

    ``model`` is a Python golden model file (see README "Golden models"); ``reference_rtl`` a
    reference design whose module is ``reference_top``. ``official_testbench`` and ``data_files``
    come from benchmark suites.
    """

    top: str
    ports: tuple[Port, ...] = ()
    clock: Clock | None = None
    reset: Reset | None = None
    prose: str = ""
    name: str = ""
    model: str | None = None
    reference_rtl: str | None = None
    reference_top: str | None = None
    official_testbench: str | None = None
    official_top: str | None = None
    official_pass: str | None = None
    data_files: tuple[str, ...] = ()
    source: str | None = None
    suite: str | None = None
    # Declared initial values (`reg q = 0;`) are not hardware: registers no reset sets start free in the proofs
    # (ASIC semantics, as the optimizer's gate proves). Off: a proof starts from them, as simulation does.
    free_inits: bool = False

    @property
    def inputs(self) -> tuple[Port, ...]:
        return tuple(p for p in self.ports if p.direction == "input")

    @property
    def outputs(self) -> tuple[Port, ...]:
        return tuple(p for p in self.ports if p.direction == "output")

    @property
    def is_sequential(self) -> bool:
        return self.clock is not None

    @property
    def label(self) -> str:
        return self.name or self.top

    def with_(self, **changes: Any) -> "Spec":
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Spec":
        data = dict(data)
        data["ports"] = tuple(Port(**p) for p in data.get("ports", ()))
        data["clock"] = Clock(**data["clock"]) if data.get("clock") else None
        data["reset"] = Reset(**data["reset"]) if data.get("reset") else None
        data["data_files"] = tuple(data.get("data_files", ()))
        return cls(**data)


@dataclass(frozen=True)
class Candidate:
    """RTL text under judgement plus where it came from (file, LLM call ids, rewrite chain).

    ``trusted`` marks the user's own files (``rtlgen.spec.sources.load_candidate``): the sandbox scan
    reports their findings as notes instead of refusing them. Everything else (LLM output, rewrites
    built as new Candidates) is untrusted.
    """

    rtl: str
    top: str
    origin: str = ""
    provenance: tuple[str, ...] = field(default_factory=tuple)
    trusted: bool = False

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.rtl.encode()).hexdigest()[:16]

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "content_hash": self.content_hash}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Candidate":
        return cls(data["rtl"], data["top"], data.get("origin", ""), tuple(data.get("provenance", ())),
                   bool(data.get("trusted", False)))

    @classmethod
    def from_file(cls, path: str | Path, top: str) -> "Candidate":
        """One design file as every tool reads it (``rtl_file.read_rtl``: a ``.v`` file's keyword names escaped)."""
        return cls(rtl=read_rtl(path), top=top, origin=str(path))
