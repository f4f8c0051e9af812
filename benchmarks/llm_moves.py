"""LLM moves measured: how many of an LLM's rewrites compile, are better and are proven, what they add to the
deterministic moves, and what they cost in LLM time.

    .venv/bin/python benchmarks/llm_moves.py [--suite rtl-opt] [--only A,B] [--liberty nangate45]
        [--local 1.5b | --base-url URL --model NAME] [--out out/llm_moves] [--table]

Per design (RTL-OPT: the suboptimal input; other suites: the reference), in two parts:

1. Acceptance: each ``prompt`` rule the optimizer's first round would ask (``loop.prompt_rules`` of the retrieved
   rules) is asked once with the optimizer's prompt (``llm_moves.propose``); every rewrite is synthesized
   (``compiled``), judged against the input by the optimizer's acceptance rule (``better``) and put through the
   equivalence gate whether better or not (``proven``), so the table shows the whole funnel.
2. Gain: ``rtlgen.optimize`` with the deterministic RTL moves only (no LLM, flow portfolio off, so a recipe does
   not hide the RTL gain); ``gain`` is the smaller of its RTL area and the smallest proven, better LLM rewrite's,
   over its RTL area (1.0: the LLM adds nothing). Measuring the loop with LLM moves instead would ask the LLM
   again in every round after an accepted move, which a CPU model cannot afford.

With ``--local`` the script starts rtlgen's local llama.cpp server (``rtlgen.llm.local``) for the run, or uses one
``rtlgen llm serve`` keeps; with ``--base-url/--model`` it asks that endpoint (any OpenAI-compatible server, e.g. a
larger model). Replies are cached by the LLM client, so a re-run replays them; each design's record is written to
``OUT/<setting>/<design>.json`` and a re-run skips the designs recorded.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pandas as pd  # noqa: E402

from rtlgen.llm import resolve_config  # noqa: E402
from rtlgen.llm.client import LLMClient  # noqa: E402
from rtlgen.llm.local.launcher import local_endpoint  # noqa: E402
from rtlgen.optimize import llm_moves  # noqa: E402
from rtlgen.optimize.gate import Gate  # noqa: E402
from rtlgen.optimize.loop import Limits, Search, optimize, prompt_rules, retrieve  # noqa: E402
from rtlgen.optimize.ppa import Criterion, make_measure  # noqa: E402
from rtlgen.optimize.result import error_detail  # noqa: E402
from rtlgen.spec.suites import Problem, load  # noqa: E402
from rtlgen.store import atomic_write  # noqa: E402
from rtlgen.synth.liberty import resolve_liberty  # noqa: E402
from rtlgen.synth.target import Target  # noqa: E402
from rtlgen.tools.run import unwind_on_sigterm  # noqa: E402
from rtlgen.tools.rundir import run_directory  # noqa: E402

LOCAL_DEFAULTS = {"timeout": 1800.0, "concurrency": 1}  # a CPU model answers in minutes, one call at a time


@dataclass
class Asked:
    """One rule asked once, and what became of its rewrite."""

    rule: str
    llm_s: float
    proposals: int = 0
    compiled: int = 0
    better: int = 0
    proven: int = 0
    better_proven: int = 0
    area: float | None = None       # the smallest proven rewrite's area
    notes: list[str] = field(default_factory=list)


def _funnel(problem: Problem, target: Target, client: LLMClient, workdir: Path) -> tuple[float | None, list[Asked]]:
    candidate, spec = problem.start or problem.reference, problem.spec
    measure = make_measure(target.liberty, target.clock_ns)
    before = measure(candidate, "yosys")
    criterion = Criterion("area", clock_ns=target.clock_ns, origin=before)
    gate = Gate(candidate, clock=spec.clock, reset=spec.reset, workdir=workdir, timeout=120)
    asked = []
    for rule in prompt_rules(retrieve(candidate)):
        start = time.monotonic()
        proposals, note = llm_moves.propose(candidate, rule, before, client)
        row = Asked(rule.id, round(time.monotonic() - start, 1), len(proposals), notes=[note] if note else [])
        for proposal in proposals:
            try:
                ppa = measure(proposal.candidate, "yosys")
            except Exception as exc:  # noqa: BLE001 - a rewrite that does not synthesize is counted, not fatal
                row.notes.append(f"does not synthesize: {error_detail(exc).splitlines()[0][:160]}")
                continue
            row.compiled += 1
            better = criterion.judge(before, ppa)[0]
            verdict = gate.check(candidate, proposal.candidate, f"{rule.id}")
            row.better += better
            row.proven += verdict.proven
            row.better_proven += better and verdict.proven
            row.notes.append(f"{verdict.status}: {verdict.message.splitlines()[0][:160]}")
            if verdict.proven and (row.area is None or ppa.area < row.area):
                row.area = ppa.area
        asked.append(row)
    return before.area, asked


def _deterministic(problem: Problem, target: Target, workdir: Path) -> dict[str, Any]:
    """``rtlgen.optimize`` with the deterministic RTL moves only (no LLM, flow portfolio off)."""
    result = optimize(problem.start or problem.reference, target, Search(llm=False, flows=False), Limits(),
                      spec=problem.spec, workdir=workdir)
    return {"det_area": result.area_rtl_um2, "det_s": result.seconds, "det_rules": [s.rule for s in result.steps]}


def measure_design(problem: Problem, target: Target, llm_flags: dict[str, Any]) -> dict[str, Any]:
    config = resolve_config(llm_flags)
    with run_directory(f"llm-moves-{problem.label}") as workdir, LLMClient(config) as client:
        area, asked = _funnel(problem, target, client, workdir / "funnel")
        deterministic = _deterministic(problem, target, workdir / "deterministic")
    return {"design": problem.label, "model": config.model, "input_area": area,
            "asked": [asdict(a) for a in asked], **deterministic,
            "measured": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}


def _design_row(record: dict[str, Any]) -> dict[str, Any]:
    """One design: the deterministic moves' RTL area, the smallest proven and better LLM rewrite, their ratio."""
    det, asked = record["det_area"], record["asked"]
    llm = min((a["area"] for a in asked if a["better_proven"] and a["area"] is not None), default=None)
    best = min(det, llm) if det is not None and llm is not None else det
    return {"design": record["design"], "input um2": record["input_area"], "det rtl": det, "llm best": llm,
            "gain": best / det if det else None, "llm calls": len(asked),
            "llm s": sum(a["llm_s"] for a in asked), "det s": record["det_s"],
            "det rules": ",".join(record["det_rules"])}


def tables(records: list[dict[str, Any]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per design (areas, gain, LLM time) and per rule (the acceptance funnel)."""
    designs = pd.DataFrame([_design_row(r) for r in records])
    rows = [{**a, "notes": len(a["notes"])} for r in records for a in r["asked"]]
    funnel = pd.DataFrame(rows)
    if not funnel.empty:
        funnel = (funnel.groupby("rule")[["proposals", "compiled", "better", "proven", "better_proven", "llm_s"]]
                  .sum().assign(asked=funnel.groupby("rule").size()).reset_index())
        total = {column: funnel[column].sum() for column in funnel.columns if column != "rule"}
        funnel = pd.concat([funnel, pd.DataFrame([{"rule": "all", **total}])], ignore_index=True)
    return designs, funnel


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--suite", default="rtl-opt")
    parser.add_argument("--only", default=None, help="comma-separated design names")
    parser.add_argument("--liberty", default="nangate45")
    parser.add_argument("--clock-period", dest="clock_ns", type=float, default=10.0)
    parser.add_argument("--local", default=None, help="the local model to serve (0.5b, 1.5b)")
    parser.add_argument("--base-url", default=None, help="an OpenAI-compatible endpoint (with --model)")
    parser.add_argument("--model", default=None)
    parser.add_argument("--out", type=Path, default=Path("out/llm_moves"))
    parser.add_argument("--table", action="store_true", help="print the tables of the records in OUT and stop")
    args = parser.parse_args()
    folder = args.out / args.suite / (args.local or args.model or "endpoint")
    if not args.table:
        problems = [p for p in load(args.suite).problems if not args.only or p.label in args.only.split(",")]
        target = Target(liberty=resolve_liberty(args.liberty), clock_ns=args.clock_ns)
        folder.mkdir(parents=True, exist_ok=True)
        with ExitStack() as stack:
            flags = {"base_url": args.base_url, "model": args.model}
            if args.local:
                local = stack.enter_context(local_endpoint(args.local, say=print))
                flags = {"base_url": local.base_url, "model": local.model, **LOCAL_DEFAULTS}
            for problem in problems:
                path = folder / f"{problem.label}.json"
                if not path.is_file():
                    start = time.monotonic()
                    atomic_write(path, json.dumps(measure_design(problem, target, flags), indent=1) + "\n")
                    print(f"{problem.label}: measured in {time.monotonic() - start:.0f} s", flush=True)
    records = [json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))]
    designs, funnel = tables(records)
    with pd.option_context("display.width", 220, "display.max_columns", 20, "display.float_format", "{:.3f}".format):
        print(f"\nLLM moves on {args.suite} ({folder.name}), records in {folder}")
        print(designs.to_string(index=False))
        print(funnel.to_string(index=False))
    return 0


if __name__ == "__main__":
    unwind_on_sigterm()
    sys.exit(main())
