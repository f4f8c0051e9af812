"""Unreachable-state removal and equivalent-state merging (partition refinement) on an extracted FSM.

Two states are merged only when they are equivalent in the strict sense: equal output signatures
(which cover Moore outputs, Mealy outputs for every input valuation and every branch the rest of
the module takes on the state) and, for every valuation, successors that are equivalent too. An
assigned x (an unspecified output or transition) is a value of its own that equals only x, so
don't-cares can never make two distinguishable states look alike; they are simply not exploited.
"""
from __future__ import annotations

import networkx as nx

from rtlgen.optimize.fsm.model import X_STATE, Fsm


def reachable(fsm: Fsm) -> set[str]:
    """States reachable from reset under any input valuation (inputs are free, so this over-approximates)."""
    g = fsm.graph
    return {fsm.reset} | nx.descendants(g, fsm.reset) - {X_STATE}


def remove_unreachable(fsm: Fsm) -> Fsm:
    live = reachable(fsm)
    keep = [i for i, s in enumerate(fsm.states) if s in live]
    if len(keep) == len(fsm.states):
        return fsm
    return fsm.with_(states=tuple(fsm.states[i] for i in keep), codes=tuple(fsm.codes[i] for i in keep),
                     next_state=tuple(fsm.next_state[i] for i in keep), outputs=tuple(fsm.outputs[i] for i in keep),
                     removed=fsm.removed + tuple(s for s in fsm.states if s not in live))


def equivalence_classes(fsm: Fsm) -> list[list[str]]:
    """Classes of equivalent states (Moore's partition refinement), each in state order."""
    block = {s: out for s, out in zip(fsm.states, fsm.outputs)}
    ids = _renumber(block)
    while True:
        refined = {s: (ids[s], tuple(ids.get(t, -1) if t != X_STATE else -2 for t in row))
                   for s, row in zip(fsm.states, fsm.next_state)}
        new_ids = _renumber(refined)
        if len(set(new_ids.values())) == len(set(ids.values())):
            break
        ids = new_ids
    classes: dict[int, list[str]] = {}
    for s in fsm.states:
        classes.setdefault(ids[s], []).append(s)
    return list(classes.values())


def _renumber(keys: dict[str, object]) -> dict[str, int]:
    numbering: dict[object, int] = {}
    return {s: numbering.setdefault(k, len(numbering)) for s, k in keys.items()}


def merge_equivalent(fsm: Fsm) -> Fsm:
    """Each class of equivalent states replaced by one representative (the reset state, else the first)."""
    rep: dict[str, str] = {}
    for cls in equivalence_classes(fsm):
        keeper = fsm.reset if fsm.reset in cls else cls[0]
        for s in cls:
            rep[s] = keeper
    return apply_merge(fsm, rep)


def apply_merge(fsm: Fsm, rep: dict[str, str]) -> Fsm:
    """``fsm`` with every state ``s`` replaced by ``rep[s]`` (no check that the merge is sound)."""
    keep = [i for i, s in enumerate(fsm.states) if rep.get(s, s) == s]
    if len(keep) == len(fsm.states):
        return fsm
    merged = tuple((s, rep[s]) for s in fsm.states if rep.get(s, s) != s)
    rows = tuple(tuple(rep.get(t, t) for t in fsm.next_state[i]) for i in keep)
    return fsm.with_(states=tuple(fsm.states[i] for i in keep), codes=tuple(fsm.codes[i] for i in keep),
                     next_state=rows, outputs=tuple(fsm.outputs[i] for i in keep),
                     merged=fsm.merged + merged, reset=rep.get(fsm.reset, fsm.reset))


def minimize(fsm: Fsm) -> Fsm:
    """Unreachable states removed, then equivalent states merged: the minimal machine."""
    return merge_equivalent(remove_unreachable(fsm))
