"""Register correspondence (the method of industrial LEC tools) for designs the reset does not fully set.

Every flip-flop of both designs is cut (``expose -evert-dff``) into a state input ``<reg>.q`` and a
next-state output ``<reg>.d``. Registers of the same name share their state input; a combinational
SAT miter then proves that, from every state in which matched registers hold equal values and for
every input, the outputs and the next states are equal. By induction over the cycles that implies
equivalence for every initial state in which matched registers start equal -- a sound statement,
stronger than needed, whose assumption the verdict message states. It proves nothing (None) when a
register of either design has no partner of the same name and width, or when the miter is not
proven; a failure here is not a counterexample (the state may be unreachable), so other stages follow.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from rtlgen.errors import ToolTimeout
from rtlgen.verify.formal import logs
from rtlgen.verify.formal.scripts import Budget, render, yosys

CUT_JSON = "corr.json"
STATE_SUFFIX = ".q"


@dataclass
class Correspondence:
    """Outcome of the stage: proven only with every register matched and the miter proven."""

    proven: bool
    matched: int = 0
    bits: int = 0
    unmatched: list[str] = field(default_factory=list)
    reason: str = ""
    log: str = ""
    seconds: float = 0.0


def state_ports(module: dict, original: set[str]) -> dict[str, int]:
    """The cut registers of one exposed module: state-input name -> width."""
    return {name: len(port["bits"]) for name, port in module.get("ports", {}).items()
            if name not in original and port["direction"] == "input" and name.endswith(STATE_SUFFIX)}


def prove(base: dict, gold_top: str, gate_top: str, original_ports: set[str], workdir: Path,
          budget: Budget, share: float = 0.3) -> Correspondence:
    """Run the correspondence miter; see the module docstring for what a proof means."""
    path = workdir / CUT_JSON
    path.unlink(missing_ok=True)
    script = render("corr.ys.j2", workdir, "corr.ys", gold_top=gold_top, gate_top=gate_top, json_file=CUT_JSON,
                    sat_timeout=max(1, int(budget.left() * share)), **base)
    try:
        result = yosys(script, workdir, budget, share)
    except ToolTimeout as exc:
        return Correspondence(False, reason="ran out of its share of the time budget", log=exc.output)
    if not path.exists():
        return Correspondence(False, reason=logs.yosys_error(result.output) or "the designs could not be cut",
                              sum(w for n, w in gold.items() if gate.get(n) == w), log=result.output, seconds=result.seconds)
    modules = json.loads(path.read_text())["modules"]
    gold = state_ports(modules[gold_top], original_ports)
    gate = state_ports(modules[gate_top], original_ports)
    unmatched = sorted([f"reference:{n[:-2]}" for n in gold if gate.get(n) != gold[n]]
                       + [f"candidate:{n[:-2]}" for n in gate if gold.get(n) != gate[n]])
    out = Correspondence(False, len(gold) - len([u for u in unmatched if u.startswith("reference:")]), unmatched,
                         sum(w for n, w in gold.items() if gate.get(n) == w), log=result.output, seconds=result.seconds)
    if unmatched:
        out.reason = "registers without a partner of the same name and width: " + ", ".join(unmatched[:8])
    elif not gold:
        out.reason = "no registers to match"
    elif result.returncode == 0 and "SAT proof finished - no model found: SUCCESS!" in result.output:
        out.proven = True
    else:
        outcome = logs.sat_outcome(result.output)
        out.reason = ("some output or next state differs from a state where matched registers are equal"
                      if outcome.kind == "counterexample" else
                      f"the miter was not decided ({logs.yosys_error(result.output) or outcome.kind})")
    return out
