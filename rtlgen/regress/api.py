"""``rtlgen.regress(...)``: run suites, record every item in the store, diff against a baseline.

Inputs are resolved once here (suites to Specs with absolute paths, the candidate source, the LLM endpoint;
the PPA Target arrives with its liberty resolved), then one ``Task`` per problem, carrying those values,
goes through the executor (process pool, or Dask). Each finished item is written to the store at once;
``resume`` finishes the newest interrupted run of the same suites without redoing what it recorded.
"""
from __future__ import annotations

import time
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Sequence

import rtlgen
from rtlgen.config import PROJECT_ROOT
from rtlgen.errors import ConfigError, RtlgenError, ToolError
from rtlgen.executor import get_executor
from rtlgen.generate.api import Sampling, generate, resolve_endpoint
from rtlgen.generate.loop import loop_budget
from rtlgen.llm.config import LLMConfig, LlmSettings
from rtlgen.optimize.loop import Search, optimize
from rtlgen.regress.bench import (CHECKS, DEFAULT_TIMEOUT, BenchJob, BenchSettings, checks_for, problem_job,
                                  run_job_full, select_problems)
from rtlgen.regress.baseline import choose_baseline, rules_for
from rtlgen.regress.diff import Diff, compare
from rtlgen.regress.model import ITEM_STATUSES, Item, RunInfo
from rtlgen.regress.records import BenchRecord, JobResult
from rtlgen.regress.store import Store, now
from rtlgen.spec.suites import Problem, Suite, load
from rtlgen.spec.model import Candidate
from rtlgen.synth.target import Target
from rtlgen.tools.registry import check_tools
from rtlgen.tools.run import run

MODES = ("ref", "generate", "optimize")  # or a folder of <problem>.v / .sv files
FLOW = "yosys"
Progress = Callable[[Item, int, int], None]


@dataclass(frozen=True)
class Recording:
    """Where a run is recorded and what it is judged against: ``store`` (an SQLite file, created when absent),
    ``baseline`` (``last``, ``best``, ``none`` or a tag), this run's ``tag``, ``resume`` (finish the newest
    interrupted run of the same suites) and the threshold ``rules`` (None: rules-<suite>.yaml beside the store,
    else built-in)."""

    store: str | Path
    baseline: str = "last"
    tag: str | None = None
    resume: bool = False
    rules: str | Path | None = None


@dataclass(frozen=True)
class Workers:
    """Where items run: ``executor`` ``process`` (a pool on this machine, serial in-process with one job) or
    ``dask`` (a LocalCluster, or the cluster at ``scheduler``); ``jobs`` items at once, each judged within
    ``timeout`` seconds."""

    executor: str = "process"
    scheduler: str | None = None
    jobs: int = 1
    timeout: float = DEFAULT_TIMEOUT


@dataclass(frozen=True)
class Selection:
    """What a run judges: the problems whose name matches ``only`` (comma-separated globs or substrings), at most
    ``limit`` per suite, with ``checks`` (none: each suite's own, ``Suite.checks``; every check unless it says)."""

    only: str | None = None
    limit: int | None = None
    checks: tuple[str, ...] = ()


@dataclass(frozen=True)
class Options:
    """Everything a worker needs, resolved on the client (absolute paths, validated values, the liberty whole)."""

    candidates: str                       # ref | generate | optimize | absolute folder
    settings: BenchSettings
    llm: LlmSettings = field(default_factory=LlmSettings)
    sampling: Sampling = Sampling()       # samples/rounds None: the budget that suits the model and problem
    # generate: the endpoint, resolved once for the whole run; the local model this run opened (or a running one)
    endpoint: LLMConfig | None = None
    local_model: bool = False


@dataclass(frozen=True)
class Task:
    suite: str
    problem: Problem
    options: Options


@dataclass(frozen=True)
class RegressResult:
    """One run as recorded (read back from the store) and its diff against the baseline."""

    run: RunInfo
    items: tuple[Item, ...]
    diff: Diff
    store: str

    @property
    def regressions(self) -> list:
        return self.diff.regressions

    @property
    def exit_code(self) -> int:
        """1 when anything regressed against the baseline, 0 otherwise."""
        return 1 if self.regressions else 0

    def counts(self) -> dict[str, int]:
        return {s: sum(i.status == s for i in self.items) for s in ITEM_STATUSES}

    def to_dict(self) -> dict[str, Any]:
        return {"run": self.run.to_dict(), "items": [i.to_dict() for i in self.items], "diff": self.diff.to_dict(),
                "store": self.store, "counts": self.counts(), "exit_code": self.exit_code}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "RegressResult":
        return cls(RunInfo.from_dict(data["run"]), tuple(Item.from_dict(i) for i in data["items"]),
                   Diff.from_dict(data["diff"]), data["store"])


def regress(suites: str | Sequence[str], candidates: str = "ref", *, recording: Recording,
            workers: Workers = Workers(), selection: Selection = Selection(), sampling: Sampling = Sampling(),
            synth: Target | None = None, llm: LlmSettings = LlmSettings(),
            progress: Progress | None = None, say: Callable[[str], None] | None = None) -> RegressResult:
    """Run ``suites`` with ``candidates`` (``ref``, ``generate``, ``optimize`` or a folder), record each item
    as ``recording`` says and compare with its baseline. ``synth``, a Target of the yosys flow, adds PPA to every
    verified item (every worker gets the value whole, its liberty already found, hashed and parsed). ``sampling``'s seed and
    simulator judge every candidate; its ``samples`` and ``rounds`` of generated candidates left None take the
    budget ``rtlgen.generate`` would choose for each problem with the same model (``loop_budget``). ``say`` gets
    the run's notices (the local model server starting, for generated candidates with no endpoint configured).
    ``llm`` is resolved once here for generated candidates (one endpoint, or one local model server, for the
    whole run) and the workers get the resolved endpoint."""
    names = (suites,) if isinstance(suites, str) else tuple(suites)
    loaded = [load(name) for name in names]
    asked = tuple(selection.checks)
    checks = asked or _suite_checks(loaded)
    db = Store(recording.store)
    _check_flow(synth)
    lib = synth.liberty if synth else None
    settings = BenchSettings(checks, sampling.simulator, sampling.seed, workers.timeout, ppa=synth)
    with ExitStack() as stack:  # the local model server, when this run started one (after the inputs are checked)
        endpoint, local_model = None, False
        if _candidate_source(candidates) == "generate":  # one endpoint (and local model server) for every worker
            endpoint, local_model = resolve_endpoint(llm, stack, say or (lambda msg: None))
        options = Options(_candidate_source(candidates), settings, llm, sampling, endpoint, local_model)
        info = RunInfo(id=None, suites=tuple(s.name for s in loaded), candidates=options.candidates, started=now(),
                       tag=recording.tag, rtlgen_version=rtlgen.__version__, git_commit=_git_commit(),
                       tool_versions=_tool_versions(), checks=checks, ppa=synth is not None,
                       flow=FLOW if synth else None, liberty=lib.name if lib else None,
                       liberty_sha256=lib.sha256 if lib else None, clock_ns=synth.clock_ns if synth else None,
                       llm_model=endpoint.model if endpoint else None, executor=workers.executor)
        run, done = _open_run(db, info, recording.resume)
        tasks = [Task(suite.name, p, _for_suite(options, suite, asked)) for suite in loaded
                 for p in select_problems(suite.problems, selection.only, selection.limit)
                 if (suite.name, p.label) not in done]
        # Longest first, by the last recorded time (never-seen problems before all): a long item started
        # last would hold the whole run up while the other workers sit idle.
        last = db.last_seconds()
        tasks.sort(key=lambda t: -last.get((t.suite, t.problem.label), float("inf")))
        total = len(tasks) + len(done)
        executor = get_executor(workers.executor, workers.jobs, workers.scheduler)
        for n, outcome in enumerate(executor.map(run_task, tasks), len(done) + 1):
            task = outcome.item
            item = outcome.result if outcome.ok else _lost(task, outcome.error)
            db.record(run.id, item)
            if progress:
                progress(item, n, total)
        run = db.finish_run(run)
        return result_of(db, run, recording.baseline, recording.rules)


def result_of(db: Store, run: RunInfo, baseline: str = "last", rules: str | Path | None = None) -> RegressResult:
    """The recorded ``run`` and its diff against ``baseline`` (also for re-reporting an old run)."""
    items = tuple(db.items(run.id))
    label, base_items, comparable = choose_baseline(db, run, baseline)
    diff = compare(run, items, base_items, label, comparable, lambda suite: rules_for(db, suite, rules))
    return RegressResult(run, items, diff, str(db.path))


def _check_flow(synth: Target | None) -> None:
    """A PPA target of another flow is refused: every run of a store compares figures of the one flow it records."""
    if synth is not None and synth.flow != FLOW:
        raise ConfigError(f"regress synthesizes with the {FLOW} flow only, not '{synth.flow}': leave "
                          "Target.flow at its default")


def _open_run(db: Store, info: RunInfo, resume: bool) -> tuple[RunInfo, set[tuple[str, str]]]:
    if not resume:
        return db.start_run(info), set()
    run = db.interrupted(info.suites)
    if run is None:
        raise ConfigError(f"--resume: {db.path} has no interrupted run of {', '.join(info.suites)}")
    mismatched = [k for k in ("candidates", "checks", "ppa", "liberty_sha256", "clock_ns")
                  if getattr(run, k) != getattr(info, k)]
    if mismatched:
        raise ConfigError(f"--resume: {run.label()} was started with other {', '.join(mismatched)}; give the same "
                          "options as the interrupted run")
    return run, db.recorded_keys(run.id)


def _suite_checks(suites: Sequence[Suite]) -> tuple[str, ...]:
    """Every check some suite runs by default, in the usual order (what the run records)."""
    wanted = {c for s in suites for c in checks_for(s)}
    return tuple(c for c in CHECKS if c in wanted)


def _for_suite(options: Options, suite: Suite, asked: tuple[str, ...]) -> Options:
    """The run's options with the suite's own checks when none were asked for: a realworld design has no
    testbench and no golden model, so only lint and the proof against itself make sense."""
    if asked or suite.checks is None:
        return options
    return replace(options, settings=replace(options.settings, checks=checks_for(suite)))


def _candidate_source(candidates: str) -> str:
    if candidates in MODES:
        return candidates
    folder = Path(candidates)
    if not folder.is_dir():
        raise ConfigError(f"--candidates must be {', '.join(MODES)} or a folder of <problem>.v / <problem>.sv files; "
                          f"{candidates} is neither")
    return str(folder.resolve())


@lru_cache(maxsize=1)
def _git_commit() -> str | None:
    """The checkout's commit (``-dirty`` with uncommitted changes); None outside a git checkout."""
    try:
        head = run(["git", "rev-parse", "HEAD"], timeout=20, cwd=PROJECT_ROOT, check=False)
        if head.returncode != 0:
            return None
        dirty = run(["git", "status", "--porcelain", "--untracked-files=no"], timeout=20, cwd=PROJECT_ROOT, check=False)
    except ToolError:
        return None
    return head.stdout.strip() + ("-dirty" if dirty.stdout.strip() else "")


@lru_cache(maxsize=1)
def _tool_versions() -> dict[str, str]:
    """Versions of the tools found, as `rtlgen doctor` checks them against tools.lock (missing ones named)."""
    return {s.name: (s.version or "missing") + ("" if s.ok else f" (tools.lock: {s.wanted})") for s in check_tools()}


# --- the work of one item (runs on a worker) --------------------------------------------------------

def run_task(task: Task) -> Item:
    """Judge one problem's candidate; every failure becomes the item's status, never an exception."""
    started, t0 = now(), time.monotonic()
    problem, opts = task.problem, task.options
    llm: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    try:
        if opts.candidates == "generate":
            result, llm, extra = _generated(problem, opts)
        elif opts.candidates == "optimize":
            result, extra = _optimized(problem, opts)
        elif opts.candidates == "ref" and problem.reference is None:
            record = BenchRecord.failure(problem.label, task.suite, "missing", "no_module",
                                         "the problem has no reference RTL to use as the candidate", "ref")
            return Item.from_job(task.suite, JobResult(record), started=started, ended=now(),
                                 seconds=time.monotonic() - t0).with_status("skipped")
        else:
            result = run_job_full(problem_job(problem, opts.candidates), opts.settings)
    except RtlgenError as exc:
        result = JobResult(BenchRecord.failure(problem.label, task.suite, "error", "tool_error",
                                               f"{type(exc).__name__}: {exc}", opts.candidates))
    item = Item.from_job(task.suite, result, started=started, ended=now(), seconds=time.monotonic() - t0,
                         llm=llm, extra=extra)
    if opts.settings.ppa and item.ok and item.synth is None:
        return item.with_status("error")  # asked for PPA and got none: not a pass (the record says why)
    return item


def _generated(problem: Problem, opts: Options) -> tuple[JobResult, dict[str, Any], dict[str, Any]]:
    """``rtlgen.generate`` on the spec; its final verification and PPA become the item."""
    s = opts.settings
    # the workers see an endpoint, so generate cannot tell the local model: the budget is resolved here
    budget = loop_budget(opts.local_model, problem.spec, opts.sampling.samples, opts.sampling.rounds)
    # openai: ~600 ms CPU more per worker process (measured after this module's imports); only generating needs it
    from rtlgen.llm.client import LLMClient  # noqa: PLC0415

    gen = generate(problem.spec, sampling=replace(opts.sampling, samples=budget.samples, rounds=budget.rounds),
                   synth=s.ppa, llm=opts.llm, client=LLMClient(opts.endpoint, use_cache=opts.llm.use_cache))
    usage = gen.llm.to_dict() if gen.llm else {}
    spec = problem.spec
    if gen.verify is None:
        record = BenchRecord.failure(spec.label, spec.suite, "fail", "no_code", "; ".join(gen.notes)[:500], "generate")
        return JobResult(record), usage, {"generation": gen.to_dict()}
    record = BenchRecord.from_verify(spec.label, spec.suite, gen.verify, "generate")
    synth = gen.ppa
    if synth is not None:
        record.area_um2, record.delay_ns, record.power_w = synth.area_um2, synth.delay_ns, synth.power_w
        record.liberty, record.clock_ns = (synth.liberty or {}).get("name"), synth.clock_ns
    return JobResult(record, gen.verify, synth), usage, {"generation": gen.to_dict()}


def _optimized(problem: Problem, opts: Options) -> tuple[JobResult, dict[str, Any]]:
    """``rtlgen.optimize`` on the problem's starting RTL, then the optimized RTL is judged like any candidate."""
    spec = problem.spec
    if problem.start is None:
        return JobResult(BenchRecord.failure(spec.label, spec.suite, "missing", "no_module",
                                             "no RTL to optimize", "optimize")), {}
    s = opts.settings
    search = Search(seed=s.seed, llm=bool(opts.llm.overrides()), llm_flags=opts.llm.overrides() or None)
    opt = optimize(problem.start, s.ppa or Target(), search, spec=spec)
    optimized = Candidate(opt.rtl or problem.start.rtl, spec.top, "optimize", ("optimize",))
    result = run_job_full(BenchJob(spec, optimized, "optimize"), s)
    return result, {"optimization": opt.to_dict()}


def _lost(task: Task, error: BaseException | None) -> Item:
    """An item whose worker died or raised: recorded as an error, with the reason."""
    stamp = now()
    record = BenchRecord.failure(task.problem.label, task.suite, "error", "tool_error",
                                 f"worker lost the item: {type(error).__name__}: {error}", task.options.candidates)
    return Item.from_job(task.suite, JobResult(record), started=stamp, ended=stamp, seconds=0.0)
