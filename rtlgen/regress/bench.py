"""Verify a whole suite: one (spec, candidate) job per problem, run in parallel, one record each.

Each job runs in a worker process apart from its caller (``rtlgen.executor.call_isolated``: one per bench
worker, reused job after job, so Python's start and rtlgen's imports are paid once per worker, not per job) so a
hung simulator or a crash costs one record, never the suite: the outer timeout kills that worker and the next job
gets a new one. Jobs are spread over workers by ``rtlgen.executor`` (process pool by default), longest first by the
time each took when last run.
"""
from __future__ import annotations

import fnmatch
import functools
import json
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Sequence

from rtlgen.config import cache_dir
from rtlgen.errors import ConfigError, ItemFailed, ItemTimeout
from rtlgen.verify.api import CHECKS, DEFAULT_SIMULATOR, SIMULATORS, verify
from rtlgen.executor import call_isolated, get_executor
from rtlgen.regress.records import BenchRecord, JobResult
from rtlgen.report.kinds import power_columns
from rtlgen.spec.model import Candidate, Spec
from rtlgen.spec.suites import Problem, Suite, design_file, reference_candidate
from rtlgen.synth.target import Target
from rtlgen.tools.run import error_lines
from rtlgen.verify.result import VerifyResult

TIMES_FILE = "seconds.json"
DEFAULT_TIMEOUT = 900.0  # s per problem, around every check together (each check has its own timeout too)

Progress = Callable[[BenchRecord], None]


def checks_for(suite: Suite, asked: Sequence[str] = ()) -> tuple[str, ...]:
    """The checks a suite's problems get: those asked for, else the suite's own (realworld, with no testbench or
    golden model: lint and the proof against itself), else every check."""
    return tuple(asked) or suite.checks or CHECKS


@dataclass(frozen=True)
class BenchJob:
    """One problem to verify. ``candidate`` is None when there is nothing to verify (``missing`` says why)."""

    spec: Spec
    candidate: Candidate | None
    label: str = ""
    missing: str = ""


@dataclass(frozen=True)
class BenchSettings:
    """How every job is judged: the checks, simulator and seed, the outer ``timeout`` around each job (in a worker
    process apart from the caller unless ``isolate`` is off), and ``ppa``: the Target candidates that pass are also
    synthesized onto (area, delay and power into the record; None: no synthesis)."""

    checks: tuple[str, ...] = CHECKS
    simulator: str = DEFAULT_SIMULATOR
    seed: int = 1
    timeout: float = DEFAULT_TIMEOUT
    isolate: bool = True
    ppa: Target | None = None

    def __post_init__(self) -> None:
        unknown = sorted(set(self.checks) - set(CHECKS))
        if unknown or not self.checks:
            raise ConfigError(f"unknown or no check(s) {unknown}; choose from {', '.join(CHECKS)}")
        if self.simulator not in SIMULATORS:
            raise ConfigError(f"unknown simulator '{self.simulator}'; choose from {', '.join(SIMULATORS)}")


def select(specs: Sequence[Spec], only: str | None = None, limit: int | None = None) -> list[Spec]:
    """Specs whose name matches ``only`` (comma-separated globs; a plain word matches as a substring), at most ``limit``."""
    chosen = list(specs)
    if only:
        patterns = [p.strip() for p in only.split(",") if p.strip()]
        chosen = [s for s in chosen if any(_matches(s.label, p) for p in patterns)]
    return chosen[:limit] if limit else chosen


def select_problems(problems: Sequence[Problem], only: str | None = None, limit: int | None = None) -> list[Problem]:
    """``select`` over a suite's problems."""
    by_label = {p.label: p for p in problems}
    return [by_label[s.label] for s in select([p.spec for p in problems], only, limit)]


def _matches(name: str, pattern: str) -> bool:
    if any(ch in pattern for ch in "*?["):
        return fnmatch.fnmatchcase(name, pattern)
    return pattern in name


def candidate_jobs(specs: Sequence[Spec], candidates: str | Path = "ref") -> list[BenchJob]:
    """A job per spec: its reference (``"ref"``) or ``DIR/<problem>.v|.sv``; absent files become missing jobs."""
    if str(candidates) == "ref":
        return [BenchJob(s, reference_candidate(s), "ref") for s in specs]
    folder = Path(candidates)
    if not folder.is_dir():
        raise ConfigError(f"candidates must be 'ref' or a folder of <problem>.v / <problem>.sv files; {folder} is neither")
    jobs = []
    for spec in specs:
        found = design_file(folder, spec.label)
        if found is None:
            missing = f"no candidate file {spec.label}.v or {spec.label}.sv in {folder}"
            jobs.append(BenchJob(spec, None, str(folder / f"{spec.label}.v"), missing=missing))
        else:
            jobs.append(BenchJob(spec, Candidate.from_file(found, spec.top), str(found)))
    return jobs


def problem_job(problem: Problem, candidates: str | Path = "ref") -> BenchJob:
    """The job for a suite's problem: its reference candidate as the suite built it (a realworld design is the
    user's own, trusted, files), or ``DIR/<problem>.v|.sv``; nothing to judge becomes a missing job."""
    spec = problem.spec
    if str(candidates) != "ref":
        return candidate_jobs([spec], candidates)[0]
    if problem.reference is None:
        return BenchJob(spec, None, "ref", missing="the problem has no reference RTL to use as the candidate")
    return BenchJob(spec, problem.reference, problem.reference.origin or "ref")


def run_bench(specs: Sequence[Spec], candidates: str | Path = "ref", settings: BenchSettings = BenchSettings(), *,
              jobs: int = 1, executor: str = "process", progress: Progress | None = None) -> list[BenchRecord]:
    """Verify every spec's candidate (``"ref"`` or a folder) under ``settings``; one record per spec, in spec order.

    With ``settings.ppa``, candidates that pass are also synthesized onto it (``rtlgen.synth.synthesize``).
    """
    return run_jobs(candidate_jobs(specs, candidates), settings, jobs=jobs, executor=executor, progress=progress)


def run_jobs(bench_jobs: Sequence[BenchJob], settings: BenchSettings = BenchSettings(), *, jobs: int = 1,
             executor: str = "process", progress: Progress | None = None,
             times: Path | None = None) -> list[BenchRecord]:
    """Run arbitrary (spec, candidate) jobs (e.g. mutants) over ``jobs`` workers; records come back in job order.

    Jobs start longest first (``longest_first``, from the seconds each took when last run with these checks, kept
    in ``times``, default the cache's ``bench/seconds.json``): a long job started last would hold one worker alone
    at the end while the others sit idle."""
    times = times or cache_dir() / "bench" / TIMES_FILE
    last = last_seconds(times)
    records: dict[int, BenchRecord] = {}
    indexed = longest_first(list(enumerate(bench_jobs)), settings, last)
    for outcome in get_executor(executor, jobs).map(functools.partial(_run_indexed, settings), indexed):
        index, job = outcome.item
        record = outcome.result[1] if outcome.ok else BenchRecord.failure(
            job.spec.label, job.spec.suite, "error", "tool_error", f"bench worker crashed: {outcome.error!r}", job.label)
        records[index] = record
        if progress:
            progress(record)
    remember_seconds(times, {time_key(job, settings): records[i].seconds for i, job in indexed
                             if job.candidate is not None})
    return [records[i] for i in range(len(indexed))]


def time_key(job: BenchJob, settings: BenchSettings) -> str:
    """What a job's time is remembered under: its suite, problem and checks (official only is far quicker)."""
    return f"{job.spec.suite}/{job.spec.label}/{','.join(settings.checks)}"


def estimated_cost(job: BenchJob) -> float:
    """A job's size before any run of it: its candidate's characters plus its ports' bits (a wide design's proof
    and simulation cost more than its text says)."""
    text = len(job.candidate.rtl) if job.candidate else 0
    return float(text + sum(p.width for p in job.spec.ports))


def longest_first(indexed: list[tuple[int, BenchJob]], settings: BenchSettings,
                  last: dict[str, float]) -> list[tuple[int, BenchJob]]:
    """Jobs never timed first (largest ``estimated_cost`` first: any could be long), then the timed ones by their
    last seconds, longest first."""
    def key(item: tuple[int, BenchJob]) -> tuple[bool, float]:
        seconds = last.get(time_key(item[1], settings))
        return (seconds is not None, -(estimated_cost(item[1]) if seconds is None else seconds))

    return sorted(indexed, key=key)


def last_seconds(times: Path) -> dict[str, float]:
    """The seconds remembered in ``times`` (none when it is missing or unreadable: the order is only a hint)."""
    try:
        data = json.loads(times.read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def remember_seconds(times: Path, seconds: dict[str, float]) -> None:
    """Add ``seconds`` to ``times``, replaced whole (write then rename), so a concurrent reader sees either file."""
    times.parent.mkdir(parents=True, exist_ok=True)
    merged = {**last_seconds(times), **seconds}
    with tempfile.NamedTemporaryFile("w", dir=times.parent, suffix=".tmp", delete=False) as tmp:
        json.dump(merged, tmp)
    os.replace(tmp.name, times)


def _run_indexed(settings: BenchSettings, item: tuple[int, BenchJob]) -> tuple[int, BenchRecord]:
    index, job = item
    return index, run_job(job, settings)


def run_job(job: BenchJob, settings: BenchSettings = BenchSettings()) -> BenchRecord:
    """Verify one job, in an isolated worker process with an outer timeout unless ``settings.isolate`` is off."""
    return run_job_full(job, settings).record


def run_job_full(job: BenchJob, settings: BenchSettings = BenchSettings()) -> JobResult:
    """``run_job``, keeping the VerifyResult and SynthReport the record was flattened from."""
    spec = job.spec
    if job.candidate is None:
        return JobResult(BenchRecord.failure(spec.label, spec.suite, "missing", "no_module", job.missing, job.label))
    if not settings.isolate:
        return _verify_record(job, settings)
    start = time.monotonic()
    request = {"spec": spec.to_dict(), "label": job.label, "candidate": job.candidate.to_dict(),
               "settings": {"checks": list(settings.checks), "simulator": settings.simulator, "seed": settings.seed,
                            "ppa": settings.ppa.to_dict() if settings.ppa else None}}
    try:
        return JobResult.from_dict(json.loads(call_isolated(_worker_job, request, settings.timeout)))
    except ItemTimeout:
        return JobResult(BenchRecord.failure(spec.label, spec.suite, "error", "timeout",
                                             f"verification exceeded the outer timeout of {settings.timeout:g} s",
                                             job.label, time.monotonic() - start))
    except ItemFailed as exc:
        tail = " | ".join(error_lines(str(exc), 5))
        return JobResult(BenchRecord.failure(spec.label, spec.suite, "error", "tool_error",
                                             f"bench worker gave no record: {tail}", job.label,
                                             time.monotonic() - start))


def _verify_record(job: BenchJob, settings: BenchSettings) -> JobResult:
    """Call ``rtlgen.verify.api.verify`` and flatten its result; a raised error becomes an error record.
    With ``--ppa`` the auto testbench also dumps its waves, in a folder that lives until the synthesis has
    replayed them on the mapped netlist (the stimulus of the gate-level power)."""
    if not settings.ppa:
        return _verified(job, settings, None)
    with tempfile.TemporaryDirectory(prefix=f"{job.spec.label}-ppa-") as waves:
        return _verified(job, settings, Path(waves))


def _verified(job: BenchJob, settings: BenchSettings, waves: Path | None) -> JobResult:
    start = time.monotonic()
    try:
        result = verify(job.candidate, job.spec, simulator=settings.simulator, checks=settings.checks,
                        seed=settings.seed, waves=waves is not None, workdir=waves)
    except Exception as exc:  # noqa: BLE001 - any failure of one problem is that problem's record
        return JobResult(BenchRecord.failure(job.spec.label, job.spec.suite, "error", "tool_error",
                                             f"{type(exc).__name__}: {exc}", job.label, time.monotonic() - start))
    record = BenchRecord.from_verify(job.spec.label, job.spec.suite, result, job.label)
    if settings.ppa and record.passed:
        from rtlgen.synth.power.gatesim import autotb_label  # noqa: PLC0415 - only with --ppa, as in _with_ppa

        dump = (result.get("autotb").artifacts or {}).get("vcd") if result.get("autotb") else None
        label = autotb_label(job.spec, settings.seed) if dump else None
        return _with_ppa(record, result, job.candidate, settings.ppa, dump, label)
    return JobResult(record, result)


def _with_ppa(record: BenchRecord, result: VerifyResult, candidate: Candidate, target: Target,
              vcd: str | None = None, vcd_label: str | None = None) -> JobResult:
    """Add area/delay/power of a verified candidate (power from the gate-level simulation of ``vcd``, its auto
    testbench's waves, shown as ``vcd_label``, when there are some); a synthesis failure is noted in the message."""
    try:
        # here, not at the top: ~50 ms CPU more for every problem's child process (measured, min of 15), which
        # synthesizes only with --ppa
        from rtlgen.synth.api import synthesize  # noqa: PLC0415

        report = synthesize(candidate, target, vcd=vcd, vcd_label=vcd_label)
    except Exception as exc:  # noqa: BLE001 - PPA is extra information; verification already passed
        detail = " ".join(line.strip() for line in str(exc).splitlines() if line.strip())  # the tool's own lines
        record.message = f"ppa: {type(exc).__name__}: {detail[:400]}"
        return JobResult(record, result)
    if report.lost_logic_message:  # the figures describe another circuit: the problem failed
        record.status, record.failure_class, record.message = "fail", "lost_logic", report.lost_logic_message
        return JobResult(record, result, report)
    record.area_um2, record.delay_ns, record.power_w = report.area_um2, report.delay_ns, report.power_w
    record.power_detail = power_columns(report.power, report.activity) or None
    record.liberty = (report.liberty or {}).get("name") if report.liberty else None
    record.clock_ns = report.clock_ns
    return JobResult(record, result, report)


def _worker_job(request: dict) -> str:
    """In the isolated worker process: verify the job ``request`` describes; its JobResult as JSON."""
    spec = Spec.from_dict(request["spec"])
    candidate = Candidate.from_dict(request["candidate"])
    s = request["settings"]
    settings = BenchSettings(tuple(s["checks"]), s["simulator"], s["seed"], isolate=False,
                             ppa=Target.from_dict(s["ppa"]) if s["ppa"] else None)
    outcome = _verify_record(BenchJob(spec, candidate, request.get("label", "")), settings)
    return json.dumps(outcome.to_dict())


def write_json(records: Iterable[BenchRecord], path: str | Path) -> None:
    """A JSON list with one record per problem."""
    Path(path).write_text(json.dumps([r.to_dict() for r in records], indent=2) + "\n")

