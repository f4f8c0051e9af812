"""Input stimulus for the auto-generated testbench.

Computed in the parent process, deterministically from (spec, seed, cycles), and replayed by the
cocotb test, so a failing run can be re-created exactly and the vectors are an artifact of the run.
Combinational designs with few input bits get every input combination; everything else gets corner
values (0, all-ones, MSB only, 1, alternating bits) mixed into seeded random values. Sequential
designs get reset asserted in the first cycles and again mid-run, plus rare random resets. A second
reset (a 1-bit input named like one, such as ``brstn`` of a two-clock design) gets reset windows of
its own, drawn independently: driven like data it would hold its domain in reset half of the cycles,
and one domain would never run while the other is being reset (RTLLM ``synchronizer``: two bugs the
auto-testbench missed are only visible that way).
"""
from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the stimulus is replayed inside the simulator: keep its imports light
    from rtlgen.spec.model import Port, Reset, Spec

EXHAUSTIVE_MAX_BITS = 12
DEFAULT_CYCLES = 2000
INITIAL_RESET_CYCLES = 3
MID_RESET_CYCLES = 2
RANDOM_RESET_RATE = 1 / 300  # chance per cycle that a short random reset starts
CORNER_RATE = 1 / 8  # chance per input and cycle of a corner value instead of a random one
_RESET_LIKE = re.compile(r"rst|reset", re.IGNORECASE)


@dataclass(frozen=True)
class Stimulus:
    """One value per (non-clock) input per cycle, in ``names`` order, plus the cycles in reset.

    ``reset_cycles`` are those of the spec's reset only: a second reset's windows are in the vectors.
    """

    names: tuple[str, ...]
    widths: tuple[int, ...]
    vectors: tuple[tuple[int, ...], ...]
    reset_cycles: tuple[int, ...] = ()
    kind: str = "random"  # exhaustive | random

    def __len__(self) -> int:
        return len(self.vectors)

    def as_dicts(self) -> list[dict[str, int]]:
        return [dict(zip(self.names, vec)) for vec in self.vectors]

    def packed(self) -> list[int]:
        """Each cycle's inputs packed into one integer, first input in the least significant bits."""
        out = []
        for vec in self.vectors:
            value, shift = 0, 0
            for v, w in zip(vec, self.widths):
                value |= v << shift
                shift += w
            out.append(value)
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"names": list(self.names), "widths": list(self.widths), "kind": self.kind,
                "reset_cycles": list(self.reset_cycles), "vectors": [list(v) for v in self.vectors]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Stimulus":
        return cls(tuple(data["names"]), tuple(data["widths"]), tuple(tuple(v) for v in data["vectors"]),
                   tuple(data.get("reset_cycles", ())), data.get("kind", "random"))

    def write(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_dict(), separators=(",", ":")))

    @classmethod
    def read(cls, path: Path | str) -> "Stimulus":
        return cls.from_dict(json.loads(Path(path).read_text()))


def corner_values(width: int) -> list[int]:
    """0, all ones, MSB only, 1, 0101..., 1010... (duplicates removed, order kept)."""
    mask = (1 << width) - 1
    alt = int("01" * width, 2) & mask
    values = [0, mask, 1 << (width - 1), 1, alt, ~alt & mask]
    return list(dict.fromkeys(values))


def driven_inputs(spec: Spec) -> tuple[Port, ...]:
    """The inputs the testbench drives: every input except the clock."""
    clock = spec.clock.name if spec.clock else None
    return tuple(p for p in spec.inputs if p.name != clock)


def make_stimulus(spec: Spec, *, seed: int = 1, cycles: int | None = None) -> Stimulus:
    """Exhaustive for small combinational designs, else corners plus seeded random values."""
    ports = driven_inputs(spec)
    names = tuple(p.name for p in ports)
    widths = tuple(p.width for p in ports)
    rng = random.Random(f"rtlgen-autotb:{seed}")
    total_bits = sum(widths)
    if not spec.is_sequential:
        if total_bits <= EXHAUSTIVE_MAX_BITS and (cycles is None or cycles >= 1 << total_bits):
            return Stimulus(names, widths, _exhaustive(widths), (), "exhaustive")
        return Stimulus(names, widths, tuple(_random_vectors(widths, cycles or DEFAULT_CYCLES, rng)))
    n = cycles or DEFAULT_CYCLES
    vectors = [list(v) for v in _random_vectors(widths, n, rng, sweeps=False)]
    resets = _reset_cycles(n, rng) if spec.reset else []
    if spec.reset:
        _drive_reset(vectors, names.index(spec.reset.name), spec.reset, resets)
    for k, extra in enumerate(secondary_resets(spec)):  # own generator: the other inputs' values stay as they were
        extra_rng = random.Random(f"rtlgen-autotb:{seed}:{extra.name}")
        mid = n * (k + 3) // (k + 4)  # 3/4, 4/5...: each reset once on its own while the other domains run
        _drive_reset(vectors, names.index(extra.name), extra, _reset_cycles(n, extra_rng, mid))
    return Stimulus(names, widths, tuple(tuple(v) for v in vectors), tuple(resets))


def secondary_resets(spec: Spec) -> tuple[Reset, ...]:
    """Driven 1-bit inputs named like a reset (``rst``, ``reset``) other than the spec's reset, polarity by name."""
    if spec.reset is None:
        return ()
    from rtlgen.spec.interface import active_low_by_name  # pyslang: not loaded in the simulator's process
    from rtlgen.spec.model import Reset
    return tuple(Reset(p.name, active_low=active_low_by_name(p.name)) for p in driven_inputs(spec)
                 if p.width == 1 and p.name != spec.reset.name and _RESET_LIKE.search(p.name))


def _drive_reset(vectors: list[list[int]], idx: int, reset: Reset, cycles: list[int]) -> None:
    in_reset = set(cycles)
    for cycle, vec in enumerate(vectors):
        vec[idx] = reset.asserted if cycle in in_reset else 1 - reset.asserted


def _exhaustive(widths: tuple[int, ...]) -> tuple[tuple[int, ...], ...]:
    vectors = []
    for value in range(1 << sum(widths)):
        vec, shift = [], 0
        for w in widths:
            vec.append((value >> shift) & ((1 << w) - 1))
            shift += w
        vectors.append(tuple(vec))
    return tuple(vectors)


def _random_vectors(widths: tuple[int, ...], n: int, rng: random.Random, sweeps: bool = True) -> list[tuple[int, ...]]:
    """Corner sweeps first (all inputs at the same corner kind, then one input at a time), then random."""
    corners = [corner_values(w) for w in widths]
    vectors: list[tuple[int, ...]] = []
    if sweeps and widths:
        for kind in range(max(len(c) for c in corners)):
            vectors.append(tuple(c[kind % len(c)] for c in corners))
        for i, values in enumerate(corners):
            for value in values:
                vec = [rng.getrandbits(w) for w in widths]
                vec[i] = value
                vectors.append(tuple(vec))
    while len(vectors) < n:
        vectors.append(tuple(rng.choice(c) if rng.random() < CORNER_RATE else rng.getrandbits(w)
                             for w, c in zip(widths, corners)))
    return vectors[:n]


def _reset_cycles(n: int, rng: random.Random, mid: int | None = None) -> list[int]:
    """Reset at the start, again mid-run (at ``mid``, default half way), and rarely at random for one or two cycles."""
    cycles = set(range(min(INITIAL_RESET_CYCLES, n)))
    mid = n // 2 if mid is None else mid
    if mid > INITIAL_RESET_CYCLES + 2:
        cycles.update(range(mid, min(mid + MID_RESET_CYCLES, n)))
    for cycle in range(INITIAL_RESET_CYCLES + 1, n):
        if rng.random() < RANDOM_RESET_RATE:
            cycles.update(range(cycle, min(cycle + rng.randint(1, 2), n)))
    return sorted(cycles)
