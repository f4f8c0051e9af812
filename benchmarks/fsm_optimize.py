"""The FSM optimizer on our FSM designs: states and area before/after, every rewrite proven.

    .venv/bin/python benchmarks/fsm_optimize.py [--liberty PATH] [--clock 10] [--json out.json]

Designs: the six ``designs/fsm_*`` examples, ``designs/traffic_light``, ``designs/seq_detector``
and RTL-OPT's ``fsm_encode`` (``../shared/benchmarks/rtl-opt``). For each, every proposal of
``rtlgen.optimize.fsm.propose`` is synthesized (rtlgen's default Yosys flow, the given liberty)
and proven equivalent to the input through the optimizer's gate (``rtlgen.optimize.gate.Gate``:
admission checks, then ``prove_equivalent``). The "after" design is the smallest *proven* one;
the table also shows the area of the structural change alone (merge/removal with the original
codes), so the share of re-encoding is visible.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rtlgen.config import benchmarks_dir  # noqa: E402
from rtlgen.optimize.fsm import extract_fsms, minimize, propose  # noqa: E402
from rtlgen.optimize.gate import Gate  # noqa: E402
from rtlgen.spec.interface import infer_clock, infer_reset, read_ports  # noqa: E402
from rtlgen.spec.model import Candidate  # noqa: E402
from rtlgen.synth.api import synthesize  # noqa: E402
from rtlgen.synth.target import Target  # noqa: E402
from rtlgen.tools.rundir import run_directory  # noqa: E402
from rtlgen.tools.run import unwind_on_sigterm

ROOT = Path(__file__).resolve().parents[1]
OURS = ("fsm_vending", "fsm_mealy101", "fsm_handshake", "fsm_door", "fsm_parity", "fsm_pulse",
        "traffic_light", "seq_detector")
STRUCTURAL = ("fsm-merge-equivalent", "fsm-remove-unreachable")


def designs(bench: Path | None) -> list[Candidate]:
    out = [Candidate.from_file(str(ROOT / "designs" / n / f"{n}.v"), n) for n in OURS]
    rtl_opt = bench / "rtl-opt" / "fsm_encode" / "fsm_encode.v" if bench else None
    if rtl_opt and rtl_opt.is_file():
        out.append(Candidate.from_file(str(rtl_opt), "fsm_encode"))
    else:
        print(f"note: RTL-OPT fsm_encode not found under {bench}; skipped", file=sys.stderr)
    return out


def measure(candidate: Candidate, liberty: str, clock_ns: float) -> dict:
    start = time.monotonic()
    fsms = extract_fsms(candidate)
    before_states = sum(len(f.states) for f in fsms)
    after_states = sum(len(minimize(f).states) for f in fsms)
    area_before = synthesize(candidate, Target(liberty=liberty, clock_ns=clock_ns)).area_um2
    ports = read_ports(candidate.rtl, candidate.top)
    clock, reset = infer_clock(ports, candidate.rtl), infer_reset(ports, candidate.rtl)
    tried = proven = cex = inconclusive = 0
    best: tuple[float, str] | None = None
    structural_area = None
    with run_directory(f"fsm-bench-{candidate.top}") as work:
        gate = Gate(candidate, clock=clock, reset=reset, workdir=work)
        for p in propose(candidate, liberty=liberty, clock_ns=clock_ns):
            tried += 1
            verdict = gate.check(candidate, p.candidate, p.rule)
            proven += verdict.proven
            cex += verdict.status == "counterexample"
            inconclusive += verdict.status == "inconclusive"
            if not verdict.proven:
                continue
            area = synthesize(p.candidate, Target(liberty=liberty, clock_ns=clock_ns)).area_um2
            if p.rule in STRUCTURAL:
                structural_area = area if structural_area is None else min(structural_area, area)
            if best is None or area < best[0]:
                best = (area, p.description.split(";")[0])
    area_after = min(area_before, best[0]) if best else area_before
    return {
        "design": candidate.top, "fsms": len(fsms), "states_before": before_states, "states_after": after_states,
        "area_before_um2": round(area_before, 2), "area_structural_um2": round(structural_area, 2)
        if structural_area is not None else None, "area_after_um2": round(area_after, 2),
        "ratio": round(area_after / area_before, 3) if area_before else None,
        "proposals": tried, "proven": proven, "counterexample": cex, "inconclusive": inconclusive,
        "chosen": best[1] if best and best[0] < area_before else "(input kept)",
        "seconds": round(time.monotonic() - start, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    bench = benchmarks_dir()
    default_lib = bench / "liberty" / "nangate45_typ.lib.gz" if bench else None
    parser.add_argument("--liberty", default=str(default_lib) if default_lib else None)
    parser.add_argument("--clock", type=float, default=10.0)
    parser.add_argument("--json", default=None, help="write the rows as JSON to this file ('-' = stdout)")
    args = parser.parse_args()
    if not args.liberty or not Path(args.liberty).is_file():
        parser.error("a liberty file is needed (--liberty; default ../shared/benchmarks/liberty/nangate45_typ.lib.gz)")
    rows = [measure(c, args.liberty, args.clock) for c in designs(bench)]
    table = pd.DataFrame(rows)
    with pd.option_context("display.width", 250, "display.max_columns", None, "display.max_colwidth", 60):
        print(table.drop(columns=["chosen"]).to_string(index=False))
        print()
        print(table[["design", "chosen"]].to_string(index=False))
    merged = table[table.states_after < table.states_before]
    print(f"\nliberty {Path(args.liberty).name}, clock {args.clock:g} ns; designs with fewer states after: "
          f"{len(merged)}/{len(table)}; proposals proven {table.proven.sum()}/{table.proposals.sum()}, "
          f"counterexamples {table.counterexample.sum()}, inconclusive {table.inconclusive.sum()}")
    if args.json:
        text = json.dumps(rows, indent=2)
        print(text) if args.json == "-" else Path(args.json).write_text(text)
    return 0 if table.proven.sum() == table.proposals.sum() else 1


if __name__ == "__main__":
    unwind_on_sigterm()
    sys.exit(main())
