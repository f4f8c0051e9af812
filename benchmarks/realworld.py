"""The realworld suite as a user meets it: per design the front end and lint, rtlgen's synthesis beside a plain
Yosys run of the same files, the design proven equivalent to itself, and (``--optimize``) rtlgen optimize.

    .venv/bin/python benchmarks/realworld.py --out out/realworld [--liberty nangate45] [--only TOP,TOP]
        [--proof-timeout 600] [--synth-timeout 1800] [--optimize [--time-budget 900]]
    .venv/bin/python benchmarks/realworld.py --out out/realworld --table

Designs: ``rtlgen.spec.suites.load("realworld")`` (picorv32, serv_rf_top, ten verilog-axis tops, read in place
from $RTLGEN_BENCHMARKS/realworld). Each design's measures are written to ``OUT/<top>.json`` once all of them are
taken (``OUT/<top>.optimize.json`` for the optimizer); a re-run skips the designs already measured, so a long run
resumes where it stopped. SIGTERM and Ctrl-C kill the running tool and stop before the next record. ``--table``
prints the table of the records in OUT without running anything.

Columns: ``lint`` the front end (``refused``: it names the problems) then Icarus and Verilator; ``rtlgen um2``
and ``plain um2`` the areas of ``rtlgen.synth.synthesize`` (its flow, STA and power included in its time) and
of ``rtlgen.synth.reference.plain_yosys_area`` (``synth -flatten; dfflibmap; abc; stat``, no dont-use list);
``area x`` and ``time x`` rtlgen over plain (goal: time x <= 1.3); ``self`` the design against itself through
``rtlgen.verify.formal.pairwise.prove_equivalent``, the optimizer gate's two-design entry point, with the
suite's inferred clock and reset (goal: proven within 10 minutes), and its strength; with ``--optimize`` the
area before and after ``rtlgen.optimize.optimize`` under ``--time-budget``, whether the result was proven
equivalent end to end, whether it finished inside the budget, and the steps it kept.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import sys
import time
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pandas as pd  # noqa: E402

from rtlgen.errors import DesignInputError, RtlgenError  # noqa: E402
from rtlgen.optimize.loop import Limits, Search, optimize  # noqa: E402
from rtlgen.spec.sources import read_design  # noqa: E402
from rtlgen.spec.suites import Problem, design_sources, load  # noqa: E402
from rtlgen.store import atomic_write  # noqa: E402
from rtlgen.synth.api import synthesize  # noqa: E402
from rtlgen.synth.target import Target  # noqa: E402
from rtlgen.synth.liberty import Liberty, resolve_liberty  # noqa: E402
from rtlgen.synth.reference import plain_yosys_area  # noqa: E402
from rtlgen.tools.run import unwind_on_sigterm  # noqa: E402
from rtlgen.verify.formal.pairwise import prove_equivalent  # noqa: E402
from rtlgen.verify.lint import lint_design  # noqa: E402
from rtlgen.tools.rundir import run_directory  # noqa: E402

SUITE = "realworld"


@dataclass(frozen=True)
class Measured:
    """One design's lint, synthesis and self-equivalence, as written to ``OUT/<top>.json``."""

    design: str
    lint: str = ""
    lint_s: float | None = None
    area_um2: float | None = None
    synth_s: float | None = None
    plain_area_um2: float | None = None
    plain_s: float | None = None
    formal: str = ""
    strength: str = ""
    formal_s: float | None = None
    notes: tuple[str, ...] = ()          # why a column is empty, and the self-proof's verdict text; one line each
    measured: str = ""                   # date and machine

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Measured":
        known = {f.name for f in fields(cls)}
        return cls(**{**{k: v for k, v in data.items() if k in known}, "notes": tuple(data.get("notes", ()))})


@dataclass(frozen=True)
class Optimized:
    """``rtlgen optimize`` on one design under a time budget, as written to ``OUT/<top>.optimize.json``."""

    design: str
    area_before_um2: float | None = None
    area_after_um2: float | None = None
    equivalence: str = ""
    kept: tuple[str, ...] = ()           # the accepted steps: RTL rules, then the flow portfolio's recipe
    stopped: str = ""                    # "" finished inside the budget; else what stopped it
    seconds: float | None = None
    time_budget_s: float | None = None
    error: str = ""
    measured: str = ""


def _lines(text: str) -> str:
    """A tool's message on one line, whole (its quoted error lines included): a note under the table."""
    return " | ".join(line.strip() for line in text.splitlines() if line.strip())


def _stamp() -> str:
    """Date, machine and its load (a shared machine's load stretches every time in the record)."""
    load = os.getloadavg()[0]
    return (f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {platform.node()} ({os.cpu_count()} cores, "
            f"load {load:.1f})")


def _lint(problem: Problem, notes: list[str]) -> tuple[str, float]:
    """The front end on the design's own files, then the linters (what ``rtlgen lint`` runs)."""
    start = time.monotonic()
    try:
        design = read_design(design_sources(Path(problem.spec.source)), problem.spec.top)
    except DesignInputError as exc:
        more = f" (+{len(exc.problems) - 1} more)" if exc.problems[1:] else ""
        notes.append(f"front end: {exc.problems[0]}{more}")
        return "refused", time.monotonic() - start
    with run_directory(f"lint-{problem.label}") as workdir:
        checks = lint_design(design.candidate, workdir)
    notes += [f"{c.check}: {_lines(c.message)}" for c in checks if not c.passed]
    return ("fail" if any(c.verdict == "fail" for c in checks) else "pass"), time.monotonic() - start


def _synth(problem: Problem, lib: Liberty, timeout: float, notes: list[str]) -> dict[str, float | None]:
    """rtlgen's synthesis (uncached, so its time is real) and the plain Yosys run of the same files."""
    figures: dict[str, float | None] = {}
    start = time.monotonic()
    try:
        report = synthesize(problem.reference, Target(liberty=lib), timeout=timeout, use_cache=False)
        figures.update(area_um2=report.area_um2, synth_s=time.monotonic() - start)
    except RtlgenError as exc:
        notes.append(f"rtlgen synth after {time.monotonic() - start:.0f} s: {type(exc).__name__}: "
                     f"{_lines(str(exc))}")
    sources = design_sources(Path(problem.spec.source))
    try:
        area, seconds = plain_yosys_area(sources.files, problem.spec.top, lib, include_dirs=sources.include_dirs,
                                         timeout=timeout)
        figures.update(plain_area_um2=area, plain_s=seconds)
    except RtlgenError as exc:
        notes.append(f"plain yosys: {type(exc).__name__}: {_lines(str(exc))}")
    return figures


def _self_proof(problem: Problem, timeout: float, notes: list[str]) -> tuple[str, str, float]:
    design, spec = problem.reference, problem.spec
    with run_directory(f"self-{problem.label}") as workdir:
        found = prove_equivalent(design, design, clock=spec.clock, reset=spec.reset, workdir=workdir, timeout=timeout)
    notes.append(f"self-equivalence {found.verdict}: {_lines(found.message)}")  # a proof's assumptions too
    return found.verdict, str(found.strength or ""), found.seconds


def _stage(problem: Problem, what: str) -> None:
    """A line as each step starts: one design can take most of an hour (axis_fifo), and a silent run looks hung."""
    print(f"{problem.label}: {what} ...", flush=True)


def measure(problem: Problem, lib: Liberty, args: argparse.Namespace) -> Measured:
    notes: list[str] = []
    _stage(problem, "lint")
    lint, lint_s = _lint(problem, notes)
    _stage(problem, f"rtlgen synth, then plain Yosys (up to {args.synth_timeout:g} s each)")
    figures = _synth(problem, lib, args.synth_timeout, notes)
    _stage(problem, f"self-equivalence proof (up to {args.proof_timeout:g} s)")
    formal, strength, formal_s = _self_proof(problem, args.proof_timeout, notes)
    return Measured(problem.label, lint, lint_s, formal=formal, strength=strength, formal_s=formal_s,
                    notes=tuple(notes), measured=_stamp(), **figures)


def optimized(problem: Problem, lib: Liberty, args: argparse.Namespace) -> Optimized:
    _stage(problem, f"rtlgen optimize (budget {args.time_budget:g} s)")
    start = time.monotonic()
    try:
        with run_directory(f"optimize-{problem.label}") as workdir:
            limits = Limits(args.proof_timeout, args.synth_timeout, args.time_budget)
            result = optimize(problem.reference, Target(liberty=lib), Search(llm=False), limits, spec=problem.spec,
                              workdir=workdir)
    except RtlgenError as exc:
        return Optimized(problem.label, error=f"{type(exc).__name__}: {_lines(str(exc))}",
                         seconds=time.monotonic() - start, time_budget_s=args.time_budget, measured=_stamp())
    return Optimized(problem.label, result.area_before_um2, result.area_after_um2, result.equivalence,
                     tuple(step.rule for step in result.steps), result.stopped, result.seconds, result.time_budget_s,
                     measured=_stamp())


def _ratio(num: float | None, den: float | None) -> float | None:
    return num / den if num is not None and den else None


def table(out: Path) -> pd.DataFrame:
    """One row per design measured in ``out``, in the suite's order (optimizer columns when measured)."""
    rows = []
    for path in sorted(out.glob("*.json")):
        if path.name.endswith(".optimize.json"):
            continue
        m = Measured.from_dict(json.loads(path.read_text()))
        row = {"design": m.design, "lint": m.lint, "lint s": m.lint_s, "rtlgen um2": m.area_um2,
               "plain um2": m.plain_area_um2, "area x": _ratio(m.area_um2, m.plain_area_um2),
               "synth s": m.synth_s, "plain s": m.plain_s, "time x": _ratio(m.synth_s, m.plain_s),
               "self": m.formal, "strength": m.strength, "self s": m.formal_s}
        opt = out / f"{m.design}.optimize.json"
        if opt.is_file():
            o = Optimized(**json.loads(opt.read_text()))
            row.update({"opt before um2": o.area_before_um2, "opt after um2": o.area_after_um2,
                        "opt proven": o.equivalence or ("error (below)" if o.error else ""),
                        "in budget": not o.stopped and not o.error,
                        "opt s": o.seconds, "kept": ",".join(o.kept)})
        rows.append(row)
    order = {top: n for n, top in enumerate(p.label for p in load(SUITE).problems)}
    return pd.DataFrame(rows).sort_values("design", key=lambda s: s.map(order)) if rows else pd.DataFrame()


def print_table(out: Path) -> None:
    df = table(out)
    records = [Measured.from_dict(json.loads(p.read_text())) for p in sorted(out.glob("*.json"))
               if not p.name.endswith(".optimize.json")]
    stamps = sorted({r.measured for r in records})
    print(f"realworld suite, records in {out} (measured {stamps[0]} .. {stamps[-1]})" if stamps
          else f"no records in {out}")
    with pd.option_context("display.width", 250, "display.max_columns", 30, "display.float_format", "{:.2f}".format):
        print(df.to_string(index=False))
    for r in records:
        for note in r.notes:
            print(f"{r.design}: {note}")
        optimized = out / f"{r.design}.optimize.json"
        error = json.loads(optimized.read_text()).get("error") if optimized.is_file() else ""
        if error:
            print(f"{r.design}: rtlgen optimize: {error}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, required=True, help="folder of the per-design JSON records")
    parser.add_argument("--liberty", default="nangate45")
    parser.add_argument("--only", default=None, help="comma-separated tops (default: all twelve)")
    parser.add_argument("--proof-timeout", type=float, default=600.0, help="seconds for each self-equivalence proof")
    parser.add_argument("--synth-timeout", type=float, default=1800.0, help="seconds for each synthesis run")
    parser.add_argument("--optimize", action="store_true", help="also rtlgen optimize each design (long)")
    parser.add_argument("--time-budget", type=float, default=900.0, help="rtlgen optimize's whole-run budget (s)")
    parser.add_argument("--table", action="store_true", help="print the table of the records in OUT and stop")
    args = parser.parse_args()
    if args.table:
        print_table(args.out)
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    lib = resolve_liberty(args.liberty)
    wanted = set(args.only.split(",")) if args.only else None
    print(f"$ {shlex.join([Path(sys.executable).name, *sys.argv])}", flush=True)
    try:
        for problem in load(SUITE).problems:
            if wanted and problem.label not in wanted:
                continue
            _record(args.out / f"{problem.label}.json", lambda: asdict(measure(problem, lib, args)))
            if args.optimize:
                _record(args.out / f"{problem.label}.optimize.json", lambda: asdict(optimized(problem, lib, args)))
    except (KeyboardInterrupt, SystemExit) as stop:  # Ctrl-C, or SIGTERM (unwind_on_sigterm): the tool is killed
        print("stopped: the designs not yet recorded are measured by the next run", flush=True)
        return stop.code if isinstance(stop, SystemExit) else 130
    print_table(args.out)
    return 0


def _record(path: Path, take: Any) -> None:
    """Measure and write ``path`` unless it is there (a resumed run skips what it measured)."""
    if path.is_file():
        print(f"{path.stem}: already measured", flush=True)
        return
    start = time.monotonic()
    atomic_write(path, json.dumps(take(), indent=1) + "\n")
    print(f"{path.stem}: measured in {time.monotonic() - start:.0f} s", flush=True)


if __name__ == "__main__":
    unwind_on_sigterm()
    sys.exit(main())
