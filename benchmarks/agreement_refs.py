"""The sim/synth agreement check on every reference solution: which pass, which are flagged and why.

    .venv/bin/python benchmarks/agreement_refs.py                    # both suites
    .venv/bin/python benchmarks/agreement_refs.py --suite rtllm --csv agreement.csv

A reference is flagged only when it really contains such a construct; the docs list those.
"""
from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import pandas as pd

from rtlgen.spec.suites import load_suite, reference_candidate
from rtlgen.verify.agreement import check_agreement
from rtlgen.tools.run import unwind_on_sigterm


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--suite", action="append", help="suite folder or name (repeatable) [default: verilog-eval, rtllm]")
    parser.add_argument("--csv", type=Path, help="one row per reference")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(dir=Path.cwd()) as tmp:
        for suite in args.suite or ("verilog-eval", "rtllm"):
            for spec in load_suite(suite):
                result = check_agreement(reference_candidate(spec), Path(tmp) / spec.name)
                details = [ln.strip() for ln in result.message.splitlines()[1:]] if result.verdict != "pass" else [
                    part for part in result.message.split("; ")[1:]]
                rows.append({"suite": suite, "problem": spec.name, "verdict": result.verdict,
                             "class": result.failure_class or "", "seconds": round(result.seconds, 2),
                             "details": " | ".join(details)})
    table = pd.DataFrame(rows)
    with pd.option_context("display.max_rows", None, "display.max_colwidth", 400, "display.width", 250):
        print(table[table["verdict"] != "pass"].to_string(index=False))
        print(table.groupby(["suite", "verdict"]).size().to_string())
        print(f"median seconds per reference: {table['seconds'].median():.2f}")
    if args.csv:
        table.to_csv(args.csv, index=False)


if __name__ == "__main__":
    unwind_on_sigterm()
    main()
