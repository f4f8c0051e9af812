"""Regression scale-out: the shared reference designs with --ppa on the process pool and on Dask, and
the makespan those per-item times would have on larger clusters.

    .venv/bin/python benchmarks/regress_scale.py [--jobs 2] [--suites verilog-eval rtllm] [--limit N]
                                                 [--checks lint,autotb,formal,official] [--out scale.json]

Runs ``rtlgen.regress`` twice over the same suites into two fresh stores, with the synthesis result
cache off (so neither run profits from the other): once on the process pool, once on a Dask
LocalCluster with the same number of single-threaded workers. Prints both wall times and the Dask
overhead, then simulates the makespan of the measured per-item times on 2, 8, 64 and 512 workers,
in submission order (what both executors do) and longest-first, against the two lower bounds
(total work / workers, and the longest item) to show where adding workers stops helping and why.
"""
from __future__ import annotations

import argparse
import heapq
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pandas as pd  # noqa: E402

import rtlgen  # noqa: E402
from rtlgen.config import benchmarks_dir  # noqa: E402
from rtlgen.regress.api import Recording, Selection, Workers, _tool_versions  # noqa: E402
from rtlgen.regress.bench import CHECKS  # noqa: E402
from rtlgen.synth.liberty import resolve_liberty  # noqa: E402
from rtlgen.synth.target import Target  # noqa: E402
from rtlgen.tools.run import unwind_on_sigterm

WORKERS = (2, 8, 64, 512)


def makespan(durations: list[float], workers: int) -> float:
    """Greedy list scheduling: each item goes to the worker that frees up first, in the given order."""
    free = [0.0] * min(workers, max(1, len(durations)))
    for d in durations:
        heapq.heapreplace(free, free[0] + d)
    return max(free)


def one_pass(executor: str, args: argparse.Namespace, synth: Target, store: Path) -> tuple[float, list[dict]]:
    start = time.monotonic()
    result = rtlgen.regress(args.suites, "ref", recording=Recording(store, baseline="none"),
                            workers=Workers(executor, jobs=args.jobs),
                            selection=Selection(limit=args.limit, checks=tuple(args.checks.split(","))), synth=synth)
    wall = time.monotonic() - start
    rows = [{"suite": i.suite, "problem": i.problem, "status": i.status, "seconds": i.seconds,
             "area_um2": i.record.area_um2, "formal": i.record.formal} for i in result.items]
    return wall, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--suites", nargs="+", default=["verilog-eval", "rtllm"])
    parser.add_argument("--limit", type=int, default=None, help="At most this many problems per suite.")
    parser.add_argument("--checks", default=",".join(CHECKS))
    parser.add_argument("--liberty", default=str(benchmarks_dir() / "liberty" / "sky130hd_tt.lib.gz"))
    parser.add_argument("--clock-period", type=float, default=10.0)
    parser.add_argument("--out", type=Path, default=None, help="Write the measurements as JSON.")
    args = parser.parse_args()
    os.environ["RTLGEN_SYNTH_CACHE"] = "0"  # both passes synthesize every design
    _tool_versions()  # recorded once per process: neither pass should pay for it alone

    synth = Target(liberty=resolve_liberty(args.liberty), clock_ns=args.clock_period)  # both passes: one value
    walls, rows = {}, {}
    with tempfile.TemporaryDirectory(prefix="regress-scale-") as tmp:
        for executor in ("process", "dask"):
            walls[executor], rows[executor] = one_pass(executor, args, synth, Path(tmp) / f"{executor}.db")
            print(f"{executor}: {len(rows[executor])} items in {walls[executor]:.1f} s wall", flush=True)

    pool = pd.DataFrame(rows["process"])
    dask = pd.DataFrame(rows["dask"])
    print("\n## Wall time, same suites, same", args.jobs, "workers (synthesis cache off)")
    overhead = (walls["dask"] - walls["process"]) / walls["process"]
    print(pd.DataFrame([
        {"executor": "process pool", "items": len(pool), "ok": int((pool.status == "ok").sum()),
         "wall_s": round(walls["process"], 1), "sum_item_s": round(pool.seconds.sum(), 1)},
        {"executor": "dask LocalCluster", "items": len(dask), "ok": int((dask.status == "ok").sum()),
         "wall_s": round(walls["dask"], 1), "sum_item_s": round(dask.seconds.sum(), 1)},
    ]).to_string(index=False))
    print(f"Dask overhead: {overhead * 100:+.1f}% of the process pool's wall time (goal <= 10%)")
    same = pool.merge(dask, on=["suite", "problem"], suffixes=("_pool", "_dask"))
    differ = same[(same.status_pool != same.status_dask) | (same.area_um2_pool.fillna(-1) != same.area_um2_dask.fillna(-1))]
    print(f"items whose status or area differ between the two executors: {len(differ)}")

    durations = list(pool.seconds)
    total, longest = sum(durations), max(durations)
    table = []
    for w in WORKERS:
        fifo, lpt = makespan(durations, w), makespan(sorted(durations, reverse=True), w)
        table.append({"workers": w, "makespan_s (submission order)": round(fifo, 1),
                      "makespan_s (longest first)": round(lpt, 1), "bound work/workers": round(total / w, 1),
                      "bound longest item": round(longest, 1), "speedup vs 2": round(makespan(durations, 2) / fifo, 2)})
    print("\n## Simulated makespan of the measured per-item times (process pool run)")
    print(pd.DataFrame(table).to_string(index=False))
    knee = total / longest
    top = pool.sort_values("seconds", ascending=False).head(5)
    print(f"\ntotal work {total:.1f} s over {len(durations)} items; longest item {longest:.1f} s "
          f"({top.iloc[0].suite}/{top.iloc[0].problem}). Beyond ~{knee:.0f} workers the longest item alone sets "
          "the makespan: more workers cannot help; only splitting that item's checks would.")
    print("slowest items:\n" + top[["suite", "problem", "seconds", "formal"]].to_string(index=False))
    if args.out:
        args.out.write_text(json.dumps({"walls": walls, "overhead": overhead, "items": rows, "simulation": table},
                                       indent=2))


if __name__ == "__main__":
    unwind_on_sigterm()
    main()
