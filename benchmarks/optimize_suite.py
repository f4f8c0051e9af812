"""rtlgen optimize over a suite: area and power ratios against the input, the expert, every result proven.

    .venv/bin/python benchmarks/optimize_suite.py [--suite rtl-opt] [--liberty nangate45] [--clock-period 10]
        [--only NAMES] [--budget 8] [--llm] [--keep-delay] [--out out/optimize_suite] [--timeout 2400] [--force]

Per design (RTL-OPT: ``<d>.v`` is the input, ``<d>_ref.v`` the expert's design; RTLLM / VerilogEval:
the reference is the input and there is no expert) the optimizer runs in its own process, with an
outer timeout, and writes ``OUT/<suite>/<liberty>/<design>.json``; a re-run reuses those files
(resumable; ``--force`` re-runs). The table gives, against the input's area under the default flow:
``rtl`` (RTL changes only, flow portfolio off), ``final`` (with the portfolio), ``expert`` (the
expert's design, default flow), the power ratio (activity from the same auto-testbench stimulus
before and after), time, moves tried / accepted / rejected by counterexample / inconclusive, and
whether the final design was proven equivalent to the input end to end. Geometric means at the end.
Each design's JSON also lists the moves the gate refused and why (``refused``).
"""
from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pandas as pd  # noqa: E402

from rtlgen.errors import RtlgenError, ToolTimeout  # noqa: E402
from rtlgen.optimize.pairs import PairRecord, optimize_pair  # noqa: E402
from rtlgen.spec.suites import load  # noqa: E402
from rtlgen.synth.liberty import resolve_liberty  # noqa: E402
from rtlgen.synth.target import Target  # noqa: E402
from rtlgen.tools.run import error_lines, run  # noqa: E402
from rtlgen.tools.run import unwind_on_sigterm


def _geomean(values: list[float | None]) -> float | None:
    vals = [v for v in values if v is not None and v > 0]
    return math.exp(sum(math.log(v) for v in vals) / len(vals)) if vals else None


def table(records: list[PairRecord]) -> pd.DataFrame:
    rows = []
    for r in records:
        if r.error:
            rows.append({"design": r.design, "proven": "ERROR", "note": r.error[:60]})
            continue
        rows.append({
            "design": r.design, "input um2": r.input_area, "rtl": r.ratio("rtl"), "final": r.ratio("final"),
            "expert": r.ratio("expert"), "power": r.ratio("power"), "delay": r.ratio("delay"), "s": r.seconds,
            "tried": r.tried, "acc": r.accepted, "cex": r.cex, "inc": r.inconclusive, "proven": r.equivalence,
            "sim": r.autotb,
            "note": ",".join(r.rules)[:40] + (f" [{r.flow}]" if r.flow != "yosys" else ""),
        })
    columns = ["design", "input um2", "rtl", "final", "expert", "power", "delay", "s", "tried", "acc", "cex", "inc",
               "proven", "sim", "note"]
    df = pd.DataFrame(rows, columns=columns)
    for col in ("tried", "acc", "cex", "inc"):
        if col in df:
            df[col] = df[col].astype("Int64")
    return df


def summary(df: pd.DataFrame, sequential: set[str] = frozenset()) -> list[str]:
    """The geometric means and counts under the table; ``sequential``: the designs with a clock (their power has a
    goal of its own)."""
    lines = []
    for col, what in (("rtl", "area, RTL changes only (flow portfolio off)"), ("final", "area, with flow portfolio"),
                      ("expert", "area of the expert design"), ("power", "power (activity-based)"),
                      ("delay", "critical path delay")):
        if col in df:
            g = _geomean(list(df[col]))
            lines.append(f"geomean {what}: {g:.4f}" if g else f"geomean {what}: n/a")
    if "power" in df and sequential:
        clocked = df[df["design"].isin(sequential)]["power"].dropna()
        g = _geomean(list(clocked))
        lines.append(f"geomean power (activity-based) of the {len(clocked)} measured sequential designs: "
                     + (f"{g:.4f}" if g else "n/a"))
    if "final" in df and "expert" in df:
        both = df.dropna(subset=["final", "expert"])
        lines.append(f"final area at or below the expert's: {int((both['final'] <= both['expert'] + 1e-9).sum())} "
                     f"of {len(both)}")
    if "final" in df:
        lines.append(f"larger than the input: {int((df['final'] > 1 + 1e-9).sum())}")
    if "proven" in df:
        lines.append(f"proven end to end: {int((df['proven'] == 'proven').sum())} of {len(df)}")
    if "s" in df and df["s"].notna().any():
        slowest = df.loc[df["s"].idxmax()]
        lines.append(f"time per design (optimize, then the expert synthesized): median {df['s'].median():.1f} s, "
                     f"slowest {slowest['s']:.1f} s ({slowest['design']})")
    return lines


def _child(args: argparse.Namespace) -> int:
    problem = next(p for p in load(args.suite).problems if p.label == args.one)
    record_path = Path(args.record)
    target = Target(liberty=resolve_liberty(args.liberty), clock_ns=args.clock_ns)
    try:
        record = optimize_pair(problem, target, budget=args.budget, llm=args.llm, workdir=record_path.with_suffix(""),
                               synth_timeout=args.synth_timeout, spend_slack=not args.keep_delay, goal=args.goal)
    except RtlgenError as exc:  # e.g. an input refused or not synthesized in time: the record says which and why
        why = " ".join(str(exc).split())
        record = PairRecord(problem.label, problem.spec.suite, error=f"{type(exc).__name__}: {why}")
    record_path.write_text(json.dumps(record.to_dict(), indent=1) + "\n")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--suite", default="rtl-opt", help="rtl-opt, rtllm, verilog-eval or a suite folder")
    parser.add_argument("--liberty", default="nangate45")
    parser.add_argument("--clock-period", dest="clock_ns", type=float, default=10.0)
    parser.add_argument("--only", default=None, help="comma-separated design names")
    parser.add_argument("--budget", type=int, default=8, help="rounds of RTL moves")
    parser.add_argument("--goal", default="area", choices=("area", "power", "delay"),
                        help="what the optimizer minimises (records of other goals go to their own folder)")
    parser.add_argument("--llm", action="store_true", help="also LLM moves (needs an endpoint)")
    parser.add_argument("--keep-delay", action="store_true",
                        help="delay +5%% at most even where the clock is met (default: a change may spend the slack)")
    parser.add_argument("--out", default="out/optimize_suite")
    parser.add_argument("--timeout", type=float, default=2400.0, help="seconds per design (outer)")
    parser.add_argument("--synth-timeout", type=float, default=900.0, help="seconds per synthesis run")
    parser.add_argument("--force", action="store_true", help="re-run designs that already have a record")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--record", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        return _child(args)
    suite = load(args.suite)
    lib = resolve_liberty(args.liberty)
    # one folder per setting that changes the result, so a resumed run never mixes records of two settings
    setting = "-".join([Path(lib.path).name.split(".")[0], *([f"goal-{args.goal}"] if args.goal != "area" else []),
                        *(["keep-delay"] if args.keep_delay else []), *(["llm"] if args.llm else [])])
    folder = Path(args.out) / suite.name / setting
    folder.mkdir(parents=True, exist_ok=True)
    wanted = set(args.only.split(",")) if args.only else None
    records = []
    for problem in suite.problems:
        if wanted and problem.label not in wanted:
            continue
        path = folder / f"{problem.label}.json"
        if args.force or not path.is_file():
            cmd = [sys.executable, __file__, "--one", problem.label, "--record", str(path.resolve()),
                   "--suite", args.suite, "--liberty", args.liberty, "--clock-period", str(args.clock_ns),
                   "--budget", str(args.budget), "--synth-timeout", str(args.synth_timeout), "--goal", args.goal,
                   *(["--llm"] if args.llm else []), *(["--keep-delay"] if args.keep_delay else [])]
            try:
                proc = run(cmd, timeout=args.timeout, check=False)
                if not path.is_file():
                    failed = PairRecord(problem.label, error=error_lines(proc.output)[-1])
                    path.write_text(json.dumps(failed.to_dict()) + "\n")
            except ToolTimeout:
                failed = PairRecord(problem.label, error=f"timeout after {args.timeout:g} s")
                path.write_text(json.dumps(failed.to_dict()) + "\n")
        records.append(PairRecord.from_dict(json.loads(path.read_text())))
        print(f"{problem.label}: {records[-1].error or records[-1].equivalence}", flush=True)
    df = table(records)
    with pd.option_context("display.width", 200, "display.max_columns", 30, "display.float_format", "{:.3f}".format):
        print(f"\nrtlgen optimize on {suite.name}, {lib.label}, clock {args.clock_ns:g} ns "
              f"(goal {args.goal}, {'with' if args.llm else 'no'} LLM moves, "
              f"{'delay tolerance +5%' if args.keep_delay else 'critical path may grow within the period'})")
        print(df.to_string(index=False))
    for line in summary(df, {p.label for p in suite.problems if p.spec.clock is not None}):
        print(line)
    return 0


if __name__ == "__main__":
    unwind_on_sigterm()
    sys.exit(main())
