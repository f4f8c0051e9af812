"""The extracted finite-state machine: a frozen value, and its networkx graph for inspection and analysis."""
from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Any

import networkx as nx

X_STATE = "x"  # the target of an assignment of x to the state: a state of its own, never a don't-care


@dataclass(frozen=True)
class Fsm:
    """One FSM found in a module, with its behaviour tabulated over every input valuation.

    ``inputs`` are the signals (name, width) the next-state logic reads; valuation ``v`` gives
    them the bits of ``v``, the first input most significant. ``next_state[i][v]`` is the state
    entered from ``states[i]`` under valuation ``v`` (``X_STATE`` for an assigned x).
    ``outputs[i]`` is a signature of everything the rest of the module can observe of state ``i``
    (Moore outputs, Mealy outputs per valuation, the branches it selects elsewhere): two states
    with equal signatures look the same to everything outside the state register.
    ``merged`` maps a state removed by minimisation to the state that replaces it; ``removed``
    lists unreachable states dropped.
    """

    register: str
    next_var: str | None
    width: int
    states: tuple[str, ...]
    codes: tuple[int, ...]
    reset: str
    inputs: tuple[tuple[str, int], ...]
    next_state: tuple[tuple[str, ...], ...]
    outputs: tuple[str, ...]
    kind: str
    merged: tuple[tuple[str, str], ...] = ()
    removed: tuple[str, ...] = ()

    @property
    def input_bits(self) -> int:
        return sum(w for _, w in self.inputs)

    def code(self, state: str) -> int:
        return self.codes[self.states.index(state)]

    def successors(self, state: str) -> tuple[str, ...]:
        return self.next_state[self.states.index(state)]

    def with_(self, **changes: Any) -> "Fsm":
        return replace(self, **changes)

    def valuation(self, v: int) -> dict[str, int]:
        """Input values of valuation ``v``."""
        out: dict[str, int] = {}
        shift = self.input_bits
        for name, w in self.inputs:
            shift -= w
            out[name] = (v >> shift) & ((1 << w) - 1)
        return out

    def condition(self, valuations: list[int]) -> str:
        """A readable guard: the valuations as a sum of minterms ("1" when every valuation)."""
        total = 1 << self.input_bits
        if len(valuations) == total:
            return "1"
        terms = [" & ".join(f"{n}=={val}" for n, val in self.valuation(v).items()) for v in valuations[:8]]
        more = f" | ... ({len(valuations)} of {total} valuations)" if len(valuations) > 8 else ""
        return " | ".join(f"({t})" for t in terms) + more

    @property
    def graph(self) -> nx.MultiDiGraph:
        """States as nodes (code, output signature, reset flag), one edge per (state, next state) pair."""
        g = nx.MultiDiGraph(register=self.register, reset=self.reset, kind=self.kind)
        for name, code, out in zip(self.states, self.codes, self.outputs):
            g.add_node(name, code=code, output=out, reset=name == self.reset)
        for src, row in zip(self.states, self.next_state):
            by_dst: dict[str, list[int]] = {}
            for v, dst in enumerate(row):
                by_dst.setdefault(dst, []).append(v)
            for dst, vals in by_dst.items():
                g.add_edge(src, dst, valuations=tuple(vals), condition=self.condition(vals))
        return g

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Fsm":
        d = dict(data)
        d["states"] = tuple(d["states"])
        d["codes"] = tuple(d["codes"])
        d["inputs"] = tuple(tuple(i) for i in d["inputs"])
        d["next_state"] = tuple(tuple(r) for r in d["next_state"])
        d["outputs"] = tuple(d["outputs"])
        d["merged"] = tuple(tuple(m) for m in d.get("merged", ()))
        d["removed"] = tuple(d.get("removed", ()))
        return cls(**d)
