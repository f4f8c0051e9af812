"""Is each RTL-OPT expert design equivalent to its suboptimal input? rtlgen's own prover decides.

    .venv/bin/python benchmarks/expert_equivalence.py [--only NAMES] [--timeout 300]

The optimizer only accepts proven-equivalent changes, so "at or below the expert's area" is a fair target
only where the expert's design is itself equivalent to the input (same outputs, cycle for cycle, after the
same reset). Per pair: the verdict of ``prove_equivalent(input, expert)`` with the clock and reset read
from the input, its strength and message (a counterexample names the output, cycle and inputs), seconds.
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import pandas as pd

from rtlgen.spec.suites import load
from rtlgen.spec.interface import infer_clock, infer_reset, read_ports
from rtlgen.tools.run import unwind_on_sigterm
from rtlgen.verify.formal import prove_equivalent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", help="comma-separated design names")
    ap.add_argument("--timeout", type=float, default=300.0, help="seconds per proof")
    args = ap.parse_args()
    wanted = set(args.only.split(",")) if args.only else None
    rows = []
    with tempfile.TemporaryDirectory(prefix="expert-eq-", dir=Path.home()) as tmp:  # not /tmp: see TOOLCHAIN
        for problem in load("rtl-opt").problems:
            if wanted and problem.label not in wanted:
                continue
            given, expert = problem.start, problem.reference
            ports = read_ports(given.rtl, given.top, given.origin or problem.label)
            t0 = time.monotonic()
            found = prove_equivalent(given, expert, clock=infer_clock(ports, given.rtl),
                                     reset=infer_reset(ports, given.rtl), workdir=Path(tmp) / problem.label,
                                     timeout=args.timeout)
            rows.append({"design": problem.label, "verdict": found.verdict, "strength": found.strength,
                         "s": round(time.monotonic() - t0, 1), "message": " ".join(found.message.split())[:110]})
            print(f"{problem.label}: {found.verdict}", flush=True)
    pd.set_option("display.width", 250)
    pd.set_option("display.max_colwidth", 110)
    print(pd.DataFrame(rows).to_string(index=False))


if __name__ == "__main__":
    unwind_on_sigterm()
    main()
