"""State encodings (binary, gray, one-hot, low-activity custom) and the switching activity of an encoding."""
from __future__ import annotations

from dataclasses import dataclass

from rtlgen.optimize.fsm.model import X_STATE, Fsm

ENCODINGS = ("binary", "gray", "onehot", "custom")


@dataclass(frozen=True)
class Encoding:
    """A code for every state of an FSM, and the register width it needs."""

    name: str
    width: int
    codes: tuple[tuple[str, int], ...]

    def code(self, state: str) -> int:
        return dict(self.codes)[state]


def bfs_order(fsm: Fsm) -> list[str]:
    """States in breadth-first order from reset (successors in valuation order), then any others."""
    order, seen = [fsm.reset], {fsm.reset}
    for s in order:
        for t in fsm.successors(s):
            if t != X_STATE and t not in seen:
                seen.add(t)
                order.append(t)
    return order + [s for s in fsm.states if s not in seen]


def _bits(n: int) -> int:
    return max(1, (n - 1).bit_length())


def keep(fsm: Fsm) -> Encoding:
    return Encoding("keep", fsm.width, tuple(zip(fsm.states, fsm.codes)))


def encode(fsm: Fsm, name: str) -> Encoding:
    """The ``name`` encoding of ``fsm``: the reset state always gets the first code."""
    order = bfs_order(fsm)
    n = len(order)
    if name == "binary":
        return Encoding(name, _bits(n), tuple((s, i) for i, s in enumerate(order)))
    if name == "gray":
        return Encoding(name, _bits(n), tuple((s, i ^ (i >> 1)) for i, s in enumerate(order)))
    if name == "onehot":
        return Encoding(name, n, tuple((s, 1 << i) for i, s in enumerate(order)))
    if name == "custom":
        return _low_activity(fsm, order)
    raise ValueError(f"unknown encoding {name!r}; expected one of {', '.join(ENCODINGS)}")


def occupancy(fsm: Fsm, steps: int = 200) -> dict[str, float]:
    """Long-run probability of each state with uniformly random inputs, starting from reset."""
    prob = {s: 0.0 for s in fsm.states}
    prob[fsm.reset] = 1.0
    total = {s: 0.0 for s in fsm.states}
    for _ in range(steps):
        nxt = {s: 0.0 for s in fsm.states}
        for s, p in prob.items():
            row = fsm.successors(s)
            for t in row:
                nxt[s if t == X_STATE else t] += p / len(row)
        prob = nxt
        for s, p in prob.items():
            total[s] += p / steps
    return total


def activity(fsm: Fsm, enc: Encoding) -> float:
    """Expected state-register bit toggles per cycle with uniformly random inputs."""
    occ = occupancy(fsm)
    codes = dict(enc.codes)
    toggles = 0.0
    for s in fsm.states:
        row = fsm.successors(s)
        for t in row:
            if t != X_STATE:
                toggles += occ[s] / len(row) * bin(codes[s] ^ codes[t]).count("1")
    return toggles


def _low_activity(fsm: Fsm, order: list[str]) -> Encoding:
    """Minimum-width codes placed greedily so frequent transitions flip few bits (reset = 0)."""
    width = _bits(len(order))
    occ = occupancy(fsm)
    weight: dict[frozenset[str], float] = {}
    for s in fsm.states:
        row = fsm.successors(s)
        for t in row:
            if t not in (X_STATE, s):
                key = frozenset((s, t))
                weight[key] = weight.get(key, 0.0) + occ[s] / len(row)
    codes = {fsm.reset: 0}
    free = set(range(1, 1 << width))
    by_weight = sorted(order[1:], key=lambda s: -sum(w for k, w in weight.items() if s in k))
    for s in by_weight:
        best = min(sorted(free), key=lambda c: sum(w * bin(c ^ codes[o]).count("1")
                                                   for k, w in weight.items() if s in k
                                                   for o in k - {s} if o in codes))
        codes[s] = best
        free.discard(best)
    return Encoding("custom", width, tuple((s, codes[s]) for s in order))
