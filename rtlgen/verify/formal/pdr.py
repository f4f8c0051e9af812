"""ABC on the miter: unbounded model checking with ``pdr`` (IC3) and replay of its counterexamples,
``&cec`` (SAT sweeping) for combinational miters that one SAT call cannot decide (a divider against its
restructured netlist: Yosys ``sat`` times out, ``&cec`` proves it in 2 s), and ``scorr; iprove``
(``scorr_proof``), which proves every time step of a sequential miter at once where two designs share their state.

``write_aiger -zinit`` keeps declared initial values and turns every uninitialised flip-flop into
an extra input read at frame 0, so IC3 explores every initial value an X could take. A
counterexample is replayed with Yosys ``sat -seq`` with the inputs pinned, which gives the trace
with signal names.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from rtlgen.errors import ToolTimeout
from rtlgen.spec.model import Port
from rtlgen.verify.formal import logs
from rtlgen.verify.formal.scripts import Budget, abc, render, yosys

AIG_FILE = "miter.aig"
MAP_FILE = "miter.aim"
CEX_FILE = "cex.txt"


@dataclass
class PdrRun:
    outcome: logs.PdrOutcome
    log: str
    cex: dict[int, dict[int, int]] | None = None


def _write_aiger(context: dict, workdir: Path, budget: Budget, share: float = 1.0) -> str | None:
    """Write the miter as ``AIG_FILE`` (and its map) within ``share`` of the time left; None when written, else the
    Yosys log and why not. An earlier stage's file is removed first, so a failed write cannot pass it off as this
    miter."""
    (workdir / AIG_FILE).unlink(missing_ok=True)
    script = render("aiger.ys.j2", workdir, "aiger.ys", aig_file=AIG_FILE, map_file=MAP_FILE, **context)
    result = yosys(script, workdir, budget, share)
    if result.returncode != 0 or not (workdir / AIG_FILE).exists():
        error = logs.yosys_error(result.output) or "no AIGER file was written"
        return result.output + f"\nwrite_aiger failed: {error}"
    return None


def run_pdr(context: dict, workdir: Path, budget: Budget, share: float = 1.0) -> PdrRun:
    """Write the miter as AIGER and run ``pdr`` for ``share`` of the time left; a counterexample's frame is
    the 0-based time step."""
    failed = _write_aiger(context, workdir, budget)
    if failed is not None:
        return PdrRun(logs.PdrOutcome("undecided"), failed)
    seconds = max(1, int(budget.left() * share - 2))
    result = abc(f"read_aiger {AIG_FILE}; pdr -T {seconds}; write_cex -n {CEX_FILE}", workdir, budget)
    outcome = logs.pdr_outcome(result.output)
    cex = None
    if outcome.kind == "counterexample" and (workdir / CEX_FILE).exists():
        cex = logs.abc_cex((workdir / CEX_FILE).read_text())
    return PdrRun(outcome, result.output, cex)


def scorr_proof(context: dict, workdir: Path, budget: Budget, share: float = 1.0) -> tuple[bool, str]:
    """(proven, log): ABC ``scorr; iprove`` on the sequential miter's AIGER, for ``share`` of the time left.

    ``scorr`` (signal correspondence) proves by induction from the initial state which registers and signals are
    equal, or constant, in every reachable state, and merges them; logic that no longer reaches the miter's output is
    dropped. ``iprove`` refuses a network that still has registers, so its UNSAT means the output was merged into a
    constant, or depends on the inputs alone and no input sets it: the property holds in every time step, as pdr's
    proof would. The AIGER is pdr's (``write_aiger -zinit``: a register without an initial value, or an x bit of
    one, starts as a free input) with the x bits that techmap leaves free too (``x_anyseq``): every run of the
    miter that Yosys ``sat`` checks is a run of this graph.

    Why: where two designs share a data path, their registers hold equal values in every state, which ``scorr``
    finds at once, while SAT's temporal induction compares the two copies bit by bit in every step (two 16-bit
    shift-and-add multipliers, induction length 19: 38 s of CPU, 33 of them in the base case; ABC: 0.1 s).
    """
    failed = _write_aiger({**context, "x_anyseq": True}, workdir, budget, share)
    if failed is not None:
        return False, failed
    try:
        proof = abc(f"read_aiger {AIG_FILE}; scorr; iprove", workdir, budget, share)
    except ToolTimeout as exc:
        return False, f"ABC ran out of its time share\n{exc.output}"
    return re.search(r"\bUNSATISFIABLE\b", proof.output) is not None, proof.output


def run_cec(context: dict, workdir: Path, budget: Budget, share: float = 1.0) -> tuple[bool, str]:
    """(proven, log): ABC ``&cec -m`` on the combinational miter (the AIGER of ``run_pdr``, same X semantics).

    Only "Networks are equivalent" counts; a difference or anything else leaves the verdict to the
    other stages (their SAT call finds counterexamples; this stage is there for proofs).
    """
    failed = _write_aiger(context, workdir, budget)
    if failed is not None:
        return False, failed
    result = abc(f"read_aiger {AIG_FILE}; &get; &cec -m", workdir, budget, share)
    return "Networks are equivalent" in result.output, result.output


def replay_pins(cex: dict[int, dict[int, int]], map_text: str, inputs: tuple[Port, ...], ports: set[str]
                ) -> tuple[list[tuple[int, str, str]], list[tuple[str, str]]]:
    """``sat -set-at`` pins (step, input, value) and ``-set-init`` values from an ABC counterexample.

    Only the miter's named input ports and named registers are pinned; anything else (e.g. the
    free values that stand for X) is left to the solver, which must still reproduce the failure.
    A register is named by an alias that is not a port of the designs (``ports``) when it has one: a
    port of an instance can be a plain wire in the replayed netlist, which Yosys ``sat`` cannot initialise.
    """
    input_bits, init_bits = logs.aiger_map(map_text)
    widths = {p.name: p.width for p in inputs}
    pins: list[tuple[int, str, str]] = []
    for frame in sorted(cex):
        values: dict[str, list[str]] = {}
        for index, (name, bit) in input_bits.items():
            if name in widths and index in cex[frame]:
                values.setdefault(name, ["0"] * widths[name])[widths[name] - 1 - bit] = str(cex[frame][index])
        pins += [(frame + 1, name, f"{len(bits)}'b{''.join(bits)}") for name, bits in sorted(values.items())]
    inits: list[tuple[str, str]] = []
    first = cex.get(0, {})
    for index, aliases in sorted(init_bits.items()):
        plain = [(name, bit) for name, bit in aliases if not name.startswith("$") and _plain(name)]
        named = [(name, bit) for name, bit in plain
                 if "__" not in name and name.split(".", 1)[-1] not in ports] or plain
        if index in first and named:
            name, bit = named[0]
            inits.append((f"{name}[{bit}]", f"1'b{first[index]}"))
    return pins, inits


def _plain(name: str) -> bool:
    return all(c.isalnum() or c in "_." for c in name)


def replay(context: dict, workdir: Path, budget: Budget, steps: int, pins: list, inits: list
           ) -> tuple[logs.SatOutcome, str]:
    """Re-run the counterexample on the miter with ``sat -seq`` so its trace has names; (outcome, log)."""
    name = "replay_x.ys" if context.get("xmode") else "replay.ys"
    script = render("replay.ys.j2", workdir, name, steps=steps, pins=pins, inits=inits, **context)
    result = yosys(script, workdir, budget)
    return logs.sat_outcome(result.output), result.output


def pins_from_trace(trace: dict[int, dict[str, str]], inputs: tuple[Port, ...]) -> list[tuple[int, str, str]]:
    """``sat -set-at`` pins that apply a trace's input values again, step by step."""
    return [(step, p.name, f"{p.width}'b{trace[step][p.name]}") for step in sorted(s for s in trace if s > 0)
            for p in inputs if p.name in trace[step] and all(b in "01" for b in trace[step][p.name])]
