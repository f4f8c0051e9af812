"""Large memories kept as memory macros, not flattened into flip-flops.

A real flow does not build a 32 Kbit RAM out of flip-flops: it places a memory macro (OpenROAD's flows use
"fakeram" macros of estimated size). Flattened, such a memory also costs Yosys's ``abc`` one ABC process per
clock-enable domain, and every memory row has its own write enable: verilog-axis ``axis_fifo`` at 256 words spent
317 of its 346 s there, and at 4096 words ran out of 900 s. So each memory Yosys infers (``$mem_v2``, after
``memory -nomap``) of at least ``min_bits`` bits becomes one black-box cell, ``rtlgen_memory_macro``
(techmap ``memory_macro_map.v.j2``, black box ``memory_macro.v.j2``): its area is an estimate reported on its own,
never part of the liberty cells' area, and OpenSTA sees a black box, so timing paths into and out of it are cut.
Smaller memories (register files) stay flip-flops, as a synthesis flow would build them, and a ROM (no write port)
stays logic: its contents are constants synthesis folds into gates (RTLLM's ``ROM``, 256 x 16), which a black box
would drop.
"""
from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from rtlgen.config import cache_dir
from rtlgen.errors import ConfigError
from rtlgen.store import atomic_write
from rtlgen.synth.liberty import Liberty
from rtlgen.synth.render import render

DEFAULT_MACRO_BITS = 4096  # above picorv32's (1 Kbit) and SERV's (1.1 Kbit) register files, which stay flip-flops
MACRO_CELL = "rtlgen_memory_macro"
# How the memory behaves beyond its geometry ($mem_v2's parameters): a macro carries them, so two macros are the
# same memory only when these are equal too (a proof compares them: rtlgen.optimize.macros)
BEHAVIOUR_PARAMETERS = ("OFFSET", "INIT", "RD_WIDE_CONTINUATION", "RD_CLK_ENABLE", "RD_CLK_POLARITY",
                        "RD_TRANSPARENCY_MASK", "RD_COLLISION_X_MASK", "RD_CE_OVER_SRST", "RD_INIT_VALUE",
                        "RD_ARST_VALUE", "RD_SRST_VALUE", "WR_WIDE_CONTINUATION", "WR_CLK_ENABLE",
                        "WR_CLK_POLARITY", "WR_PRIORITY_MASK")
MACRO_PARAMETERS = ("MEMID", "WORDS", "WIDTH", "ABITS", "RD_PORTS", "WR_PORTS", *BEHAVIOUR_PARAMETERS)


def check_macro_bits(value: int | None) -> int | None:
    """``value`` when it is a usable threshold (None: every memory stays flip-flops)."""
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
        raise ConfigError(f"memory macro threshold must be a positive number of bits or None (every memory as "
                          f"flip-flops), got {value!r}")
    return value


def _cached(kind: str, text: str) -> Path:
    target = cache_dir() / "synth-maps" / f"{kind}-{hashlib.sha256(text.encode()).hexdigest()[:16]}.v"
    return target if target.is_file() else atomic_write(target, text)


def macro_map(min_bits: int | None) -> Path:
    """The techmap turning each memory of at least ``min_bits`` bits into a macro (None: none), in the cache."""
    return _cached("memory-macro-map", render("memory_macro_map.v.j2", min_bits=min_bits, cell=MACRO_CELL,
                                              behaviour=BEHAVIOUR_PARAMETERS))


def macro_cell() -> Path:
    """The macro's black-box module (read with ``read_verilog -lib``), in the cache."""
    return _cached("memory-macro-cell", render("memory_macro.v.j2", cell=MACRO_CELL, behaviour=BEHAVIOUR_PARAMETERS))


def bit_cell(liberty: Liberty) -> tuple[str, float] | None:
    """The liberty's smallest single-bit flip-flop synthesis may use, (name, area): what a stored bit is priced at."""
    excluded = set(liberty.excluded_cells)
    flops = [(info.area, name) for name, info in liberty.cells.items() if info.flop and name not in excluded]
    return (min(flops)[1], min(flops)[0]) if flops else None


@dataclass(frozen=True)
class MemoryMacro:
    """One memory kept as a macro: its geometry and the estimate of its area (None: the liberty has no flip-flop)."""

    name: str
    words: int
    width: int
    read_ports: int
    write_ports: int
    estimated_area_um2: float | None
    estimate: str

    @property
    def bits(self) -> int:
        return self.words * self.width

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "bits": self.bits}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "MemoryMacro":
        return cls(**{k: v for k, v in data.items() if k != "bits"})

    def __str__(self) -> str:
        area = "area unknown" if self.estimated_area_um2 is None else f"estimated {self.estimated_area_um2:,.1f} µm²"
        return (f"{self.words} x {self.width} ({self.bits:,} bits, {self.read_ports} read / {self.write_ports} write "
                f"ports), {area}: {self.estimate}")


def _estimate(bits: int, liberty: Liberty | None) -> tuple[float | None, str]:
    cell = bit_cell(liberty) if liberty is not None else None
    if cell is None:
        return None, "no liberty flip-flop to price a bit with"
    name, area = cell
    return (round(bits * area, 4), f"bits x {name} {area:g} µm² (the liberty's smallest flip-flop): the storage "
                                    "alone, without address decoding or read multiplexers; not a compiled macro's area")


def macros_in(mapped: dict[str, Any], top: str, liberty: Liberty | None) -> tuple[MemoryMacro, ...]:
    """The memory macros of ``top`` in a Yosys ``write_json`` dump (parameters: binary strings, MEMID a name)."""
    found = []
    for cell in mapped["modules"][top]["cells"].values():
        if cell["type"] != MACRO_CELL:
            continue
        p = cell["parameters"]
        words, width = int(p["WORDS"], 2), int(p["WIDTH"], 2)
        area, how = _estimate(words * width, liberty)
        found.append(MemoryMacro(str(p["MEMID"]).lstrip("\\"), words, width, int(p["RD_PORTS"], 2),
                                 int(p["WR_PORTS"], 2), area, how))
    return tuple(sorted(found, key=lambda m: m.name))
