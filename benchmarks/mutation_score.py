"""Mutation score: how many planted bugs each check catches.

For every selected problem, K mutants of its reference RTL (``rtlgen.verify.mutate``) are verified by
the official testbench, the auto-testbench and formal equivalence. A mutant that formal proves
equivalent is not a bug and is left out; every other mutant counts as a bug ("non-equivalent"),
including those formal cannot judge (inconclusive or error: all of RTLLM synchronizer, whose
reference is not synthesizable). The "unjudged" column counts those; an unjudged mutant that no
check kills may be equivalent and is listed at the end for a person to decide (synchronizer's were
decided by directed simulation: all five are real bugs). A problem is scored only when its
unmutated reference passes the official testbench and the auto-testbench (and formal does not
refute it); otherwise a
check could "kill" mutants for reasons that have nothing to do with the mutation.

Goal (from the issue): the auto-testbench kills at least as many mutants as the official testbench,
and at least 95% of those formal kills.

    .venv/bin/python benchmarks/mutation_score.py --suite rtllm --limit 4 -k 5 -j 2
"""
from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

from rich.console import Console
from rich.table import Table

from rtlgen.errors import RtlgenError
from rtlgen.regress.bench import BenchJob, BenchSettings, run_jobs, select
from rtlgen.regress.records import BenchRecord
from rtlgen.spec.model import Candidate, Spec
from rtlgen.spec.suites import load_suite, reference_candidate
from rtlgen.verify.api import DEFAULT_SIMULATOR, SIMULATORS
from rtlgen.verify.mutate import mutate
from rtlgen.tools.run import unwind_on_sigterm

CHECKS = ("autotb", "formal", "official")
KILLED = {"official": ("fail",), "autotb": ("fail",), "formal": ("counterexample",)}


def mutant_jobs(spec: Spec, k: int, seed: int) -> list[BenchJob]:
    ref = reference_candidate(spec)
    jobs = [BenchJob(spec, ref, "ref")]
    for m in mutate(ref.rtl, k, seed=seed, top=spec.top):
        cand = Candidate(m.rtl, spec.top, origin=f"{spec.label}#m{m.index:02d}", provenance=("mutant", m.description))
        jobs.append(BenchJob(spec, cand, f"m{m.index:02d} {m.description}"))
    return jobs


def baseline_problem(ref: BenchRecord) -> str | None:
    """Why a problem cannot be scored (None when its reference is clean)."""
    if ref.official != "pass":
        return f"reference official={ref.official}"
    if ref.autotb != "pass":
        return f"reference autotb={ref.autotb}"
    if ref.formal in ("counterexample", "error"):
        return f"reference formal={ref.formal}"
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--suite", action="append", help="suite folder or name (repeatable) [default: verilog-eval, rtllm]")
    parser.add_argument("-k", "--mutants", type=int, default=5, help="mutants per problem [default: 5]")
    parser.add_argument("-j", "--jobs", type=int, default=2)
    parser.add_argument("--only", help="problems: comma-separated globs or substrings")
    parser.add_argument("--limit", type=int, help="at most this many problems per suite")
    parser.add_argument("--seed", type=int, default=0, help="mutation seed")
    parser.add_argument("--simulator", default=DEFAULT_SIMULATOR, choices=SIMULATORS)
    parser.add_argument("--json", type=Path, help="write every mutant's record here")
    args = parser.parse_args()
    console = Console() if Console().is_terminal else Console(width=160)

    jobs: list[BenchJob] = []
    skipped: dict[str, str] = {}
    for suite in args.suite or ["verilog-eval", "rtllm"]:
        for spec in select(load_suite(suite), args.only, args.limit):
            try:
                jobs += mutant_jobs(spec, args.mutants, args.seed)
            except RtlgenError as exc:
                skipped[spec.label] = str(exc).splitlines()[0]
    done = 0

    def progress(record: BenchRecord) -> None:
        nonlocal done
        done += 1
        console.print(f"[dim]{done}/{len(jobs)} {record.problem} {record.candidate[:50]}: official={record.official} "
                      f"autotb={record.autotb} formal={record.formal}[/]")

    records = run_jobs(jobs, BenchSettings(CHECKS, args.simulator), jobs=args.jobs, progress=progress)
    by_problem: dict[str, list[BenchRecord]] = defaultdict(list)
    for job, record in zip(jobs, records):
        by_problem[job.spec.label].append(record)

    table = Table(title=f"mutation score ({args.mutants} mutants per reference, seed {args.seed})")
    for col in ("problem", "mutants", "equivalent", "unjudged", "killed official", "killed autotb", "killed formal",
                "autotb missed"):
        table.add_column(col, justify="left" if col in ("problem", "autotb missed") else "right")
    total = defaultdict(int)
    missed_notes, unkilled_notes = [], []
    for problem, recs in by_problem.items():
        ref, mutants = recs[0], recs[1:]
        reason = baseline_problem(ref)
        if reason:
            skipped[problem] = reason
            continue
        bugs = [r for r in mutants if r.formal != "proven"]
        kills = {c: sum(getattr(r, c) in KILLED[c] for r in bugs) for c in CHECKS}
        missed = [r for r in bugs if r.autotb not in KILLED["autotb"]
                  and (r.official in KILLED["official"] or r.formal in KILLED["formal"])]
        missed_notes += [f"{problem} {r.candidate}" for r in missed]
        unjudged = [r for r in bugs if r.formal not in KILLED["formal"]]
        unkilled_notes += [f"{problem} {r.candidate} (formal {r.formal})" for r in unjudged
                           if not any(getattr(r, c) in KILLED[c] for c in CHECKS)]
        table.add_row(problem, str(len(mutants)), str(len(mutants) - len(bugs)), str(len(unjudged)),
                      str(kills["official"]), str(kills["autotb"]), str(kills["formal"]),
                      ", ".join(r.candidate.split()[0] for r in missed) or "-")
        total["mutants"] += len(mutants)
        total["bugs"] += len(bugs)
        total["unjudged"] += len(unjudged)
        for c in CHECKS:
            total[c] += kills[c]
    console.print(table)
    bugs = total["bugs"] or 1
    console.print(f"scored problems: {len(by_problem) - len([p for p in by_problem if p in skipped])}, mutants "
                  f"{total['mutants']}, non-equivalent {total['bugs']} (formal could not judge {total['unjudged']})")
    for c in ("official", "autotb", "formal"):
        console.print(f"  killed by {c:8s}: {total[c]:4d}  ({total[c] / bugs:.1%})")
    if total["bugs"]:
        goal_official = total["autotb"] >= total["official"]
        goal_formal = total["autotb"] >= 0.95 * total["formal"]
        console.print(f"goal autotb >= official: {'MET' if goal_official else 'NOT MET'} "
                      f"({total['autotb']} vs {total['official']})")
        console.print(f"goal autotb >= 95% of formal: {'MET' if goal_formal else 'NOT MET'} "
                      f"({total['autotb']} vs {0.95 * total['formal']:.1f})")
    else:
        console.print("[red]no mutant could be scored: goals not assessed[/]")
    for note in missed_notes:
        console.print(f"[yellow]autotb missed[/] {note}")
    for note in unkilled_notes:
        console.print(f"[yellow]no check killed, equivalence unknown[/] {note}")
    for problem, reason in skipped.items():
        console.print(f"[dim]not scored: {problem}: {reason}[/]")
    if args.json:
        args.json.write_text(json.dumps([{**r.to_dict(), "job": j.label} for j, r in zip(jobs, records)], indent=2))


if __name__ == "__main__":
    unwind_on_sigterm()
    main()
