"""Register correspondence (the method of industrial LEC tools) for designs the reset does not fully set.

Every flip-flop of both designs is cut (``expose -evert-dff``) into a state input ``<reg>__rtlgen_q``
and next-state outputs ``<reg>__rtlgen_d`` (plus clock ``c`` and, for async resets, condition ``r``
and value ``v``). Registers of the same name and width share their state input in a combinational
miter (``templates/formal/corr_miter.sv.j2``) which 3-valued SAT proves for every defined state and
input: each output equals the reference's wherever the reference is defined (a reference X is a
don't-care, as in the simulation check), and each next state is defined and equal. By induction over
the cycles that implies equivalence for every initial state in which matched registers start equal --
a sound statement, stronger than needed, whose assumption the verdict message states.

Nothing is proven when a register either design reads has no partner of the same name and width,
when a flip-flop could not be cut (no named wire driven by flip-flops only: SAT has no model for it),
or when the miter fails; such a failure is not a counterexample (the state may be unreachable), so
the other stages follow. Limits: registers are matched by name only, and an output port that is a
plain alias of a register bit in one design but not the other can take that bit's name.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from rtlgen.errors import ToolTimeout
from rtlgen.verify.formal import logs
from rtlgen.verify.formal.scripts import Budget, render, yosys
from rtlgen.verify.formal.wording import listed

CUT_JSON = "corr.json"
FFS_JSON = "corr_ffs.json"
CUT_RTLIL = "corr.il"
CORR_MITER = "corr_miter.sv"
SEP = "__rtlgen_"  # expose's separator: `<reg>__rtlgen_q` etc. (no '.' or '[' a SAT expression could misread)
STATE_SUFFIX = SEP + "q"


@dataclass
class Correspondence:
    """Outcome of the stage: proven only with every register matched and the miter proven."""

    proven: bool
    matched: int = 0  # flip-flop cells of the reference (after dffunmap), every one matched when proven
    bits: int = 0
    unmatched: list[str] = field(default_factory=list)
    reason: str = ""
    log: str = ""
    seconds: float = 0.0


def state_ports(module: dict, original: set[str]) -> dict[str, int]:
    """The cut registers of one exposed module that the design reads: state-input name -> width.

    ``expose`` everts every named wire driven only by flip-flops, so aliases of one register (e.g. an
    output port wired to it) get their own state input, but each flip-flop bit is read from only one
    of them; the others are left unconnected and are not registers of their own.
    """
    ports = module.get("ports", {})
    read: set = set()
    for cell in module.get("cells", {}).values():
        for bits in cell["connections"].values():
            read.update(bits)
    for name, port in ports.items():
        if not name.endswith(STATE_SUFFIX):
            read.update(port["bits"])
    return {name: len(port["bits"]) for name, port in ports.items()
            if name not in original and port["direction"] == "input" and name.endswith(STATE_SUFFIX)
            and read.intersection(port["bits"])}


def prove(base: dict, gold_top: str, gate_top: str, ports: dict[str, str], workdir: Path,
          budget: Budget, share: float = 0.3) -> Correspondence:
    """Cut, match and prove; ``ports``: the spec's port name -> direction. See the module docstring."""
    path = workdir / CUT_JSON
    path.unlink(missing_ok=True)
    names = dict(gold_top=gold_top, gate_top=gate_top, json_file=CUT_JSON, ffs_json=FFS_JSON, rtlil_file=CUT_RTLIL)
    script = render("corr.ys.j2", workdir, "corr.ys", sep=SEP, **names, **base)
    try:
        result = yosys(script, workdir, budget, share)
    except ToolTimeout as exc:
        return Correspondence(False, reason="ran out of its share of the time budget", log=exc.output)
    if not path.exists():
        return Correspondence(False, reason=logs.yosys_error(result.output) or "the designs could not be cut",
                              log=result.output, seconds=result.seconds)
    modules = json.loads(path.read_text())["modules"]
    gold = state_ports(modules[gold_top], set(ports))
    gate = state_ports(modules[gate_top], set(ports))
    unmatched = sorted([f"reference:{n[:-len(STATE_SUFFIX)]}" for n in gold if gate.get(n) != gold[n]]
                       + [f"candidate:{n[:-len(STATE_SUFFIX)]}" for n in gate if gold.get(n) != gate[n]])
    ffs = json.loads((workdir / FFS_JSON).read_text())["modules"][gold_top]["cells"].values()
    out = Correspondence(False, matched=sum(c["type"] in ("$dff", "$adff") for c in ffs),
                         bits=sum(len(c["connections"]["Q"]) for c in ffs if c["type"] in ("$dff", "$adff")),
                         unmatched=unmatched, log=result.output, seconds=result.seconds)
    if unmatched:
        out.reason = "registers without a partner of the same name and width: " + listed(unmatched)
        return out
    if not gold:
        out.reason = "no registers to match"
        return out
    cut = {n[:-len(STATE_SUFFIX)] for n in gold}  # the registers both designs read, by name
    widths = {n: len(p["bits"]) for n, p in modules[gold_top]["ports"].items()
              if n in ports or n.rsplit(SEP, 1)[0] in cut}
    directions = {n: p["direction"] for n, p in modules[gold_top]["ports"].items()}
    missing = sorted(n for n in widths if len(modules[gate_top]["ports"].get(n, {}).get("bits", ())) != widths[n])
    if missing:
        out.reason = "the cut designs have different ports: " + listed(missing)
        return out
    outputs = [(n, w) for n, w in widths.items() if directions[n] == "output" and n in ports]
    states = [(n, w) for n, w in widths.items() if directions[n] == "output" and n not in ports]
    render("corr_miter.sv.j2", workdir, CORR_MITER, gold_top=gold_top, gate_top=gate_top,
           inputs=[(n, w) for n, w in widths.items() if directions[n] == "input"], outputs=outputs, states=states)
    script = render("corr_sat.ys.j2", workdir, "corr_sat.ys", miter_file=CORR_MITER,
                    sat_timeout=max(1, int(budget.left() * share)), **names)
    try:
        result = yosys(script, workdir, budget, share)
    except ToolTimeout as exc:
        out.reason, out.log = "ran out of its share of the time budget", out.log + exc.output
        return out
    out.log += "\n" + result.output
    out.seconds += result.seconds
    if result.returncode == 0 and "SAT proof finished - no model found: SUCCESS!" in result.output:
        out.proven = True
        return out
    outcome = logs.sat_outcome(result.output)
    out.reason = ("some output or next state differs from a state where matched registers are equal"
                  + _differing(outcome, [n for n, _ in outputs + states]) if outcome.kind == "counterexample" else
                  f"the miter was not decided ({logs.yosys_error(result.output) or outcome.kind})")
    return out


_CUT_PARTS = {"d": "next state", "c": "clock", "r": "async reset", "v": "async reset value"}


def _differing(outcome: logs.SatOutcome, compared: list[str]) -> str:
    """The comparisons the SAT model breaks (``rtlgen_ok`` bit i is ``compared[i]``), e.g. " (2 differ or are x:
    q, next state of r)"; "" when the model does not show them."""
    bits = next((row["rtlgen_ok"] for row in outcome.trace.values() if "rtlgen_ok" in row), "")
    failed = [compared[i] for i, bit in enumerate(reversed(bits)) if bit != "1" and i < len(compared)]
    named = [f"{_CUT_PARTS.get(n.rsplit(SEP, 1)[1], n.rsplit(SEP, 1)[1])} of {n.rsplit(SEP, 1)[0]}" if SEP in n
             else n for n in failed]
    return f" ({len(named)} differ or are x: {listed(named)})" if named else ""
