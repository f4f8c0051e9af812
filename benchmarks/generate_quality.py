"""Generation quality with the local model: raw single-shot vs rtlgen's loop, judged by the benchmarks' testbenches.

Per problem of VerilogEval (62) and RTLLM (25) in ``../shared/benchmarks``:
- raw: one reply at temperature 0 to VerilogEval's own prompt format, judged by the benchmark's testbench;
- rtlgen: ``rtlgen.generate`` (N samples, R repair rounds, no synthesis; left unset, the local model's shipped
  budget, ``loop_budget``) on the spec *without* the official testbench (the loop never sees the judge), then the
  benchmark's testbench on the design it chose. ``--hidden`` also removes the reference RTL: the loop has the prose
  and ports only and writes its own golden models (``GOLDEN_MODELS``, named ``-m3`` in the config), as for a
  user's spec.
Each problem's record is ``OUT/<config>/<problem>.json``; problems already there are skipped, so an
interrupted run resumes. A record names the checkout it was measured with (``git_commit``: the commit, ``-dirty``
with uncommitted changes, taken when the run starts) and the table lists the checkouts of each row, so a row mixing
code versions shows it; ``--rejudge`` runs the problems already recorded again from the cached replies alone (no
model server, no call), so a changed loop re-judges what the model drew, and keeps a record whose replies are not
all cached. Known benchmark defects are listed and excluded. LLM seconds and tokens count the
calls actually made: replies served from rtlgen's cache (an earlier run with the same prompts) cost nothing,
and the ``calls/prob (cached)`` column says how many there were. Usage::

    .venv/bin/python benchmarks/generate_quality.py --model 1.5b --concurrency 1 --hidden --out /work/notes/genq
    .venv/bin/python benchmarks/generate_quality.py --out /work/notes/genq --table   # table of what is done
    .venv/bin/python benchmarks/generate_quality.py --model 1.5b --concurrency 1 --hidden --out OUT --rejudge
"""
from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn  # noqa: E402

from rtlgen.errors import LLMError, RtlgenError  # noqa: E402
from rtlgen.spec.model import Candidate, Spec  # noqa: E402
from rtlgen.generate.loop import GOLDEN_MODELS, LoopBudget, LoopOptions, loop_budget  # noqa: E402
from rtlgen.regress.api import _git_commit as git_commit  # noqa: E402
from rtlgen.spec.suites import load_suite  # noqa: E402
from rtlgen.tools.run import unwind_on_sigterm

# Benchmark defects (see ../shared/benchmarks/README.md): no design can pass, or the judge is not meaningful.
EXCLUDED = {
    "Prob099_m2014_q6c": "testbench binds ports the prompt and reference do not have (even the reference fails)",
    "Prob156_review2015_fancytimer": "reference uses casts Icarus 11 rejects (even the reference fails)",
    "Prob132_always_if2": "prompt describes a different circuit than the code it shows",
    "clkgenerator": "reference is a behavioural #delay clock, not synthesizable; testbench drives a reg",
    "fixed_point_adder": "testbench drives x on every input ($random % (1 << 32) is modulo 0 in 32 bits) and "
                         "passes any design whose output is then x",
    "square_wave": "testbench only fails a run of more than 8 ones in a row: a constant 0 or x output passes "
                   "(checked with `assign wave_out = 1'b0;` and `1'bx`)",
    "comparator_4bit": "testbench only fails a 0 on the output that should be 1 (`!A_greater` with x is not true): "
                       "all outputs x, or all 1, pass (checked with `assign A_greater = 1'bx;` ... and `1'b1`)",
}
# VerilogEval's own spec-to-rtl prompt (scripts/sv-generate), 0-shot: the raw single-shot baseline.
RAW_SYSTEM = "You are a Verilog RTL designer that only writes code using correct Verilog syntax."
RAW_USER = ("\nQuestion:\n{prose}\n\nEnclose your code with [BEGIN] and [DONE]. Only output the code snippet\n"
            "and do NOT output anything else.\n\nAnswer:\n")


def problems(suites: list[str], only: list[str] | None, limit: int | None) -> list[Spec]:
    """The suites' problems interleaved (one of each in turn), so a partial run covers every suite."""
    loaded = [load_suite(suite) for suite in suites]
    specs = [s for group in itertools.zip_longest(*loaded) for s in group if s is not None]
    if only:
        specs = [s for s in specs if any(o in s.label for o in only)]
    return specs[:limit] if limit else specs


def official(rtl: str | None, spec: Spec) -> dict[str, Any]:
    """The benchmark's own testbench on ``rtl``: pass, failure class and its one-line message."""
    from rtlgen.verify.official import run_official

    if not rtl:
        return {"pass": False, "class": "no_code", "message": "no code"}
    with tempfile.TemporaryDirectory(prefix="genq-", dir=Path.home()) as tmp:  # not /tmp: see TOOLCHAIN
        res = run_official(Candidate(rtl=rtl, top=spec.top, origin="llm"), spec, Path(tmp))
    return {"pass": res.verdict == "pass", "class": res.failure_class, "message": res.message.splitlines()[0]
            if res.message else ""}


def raw_single_shot(spec: Spec, client: Any) -> dict[str, Any]:
    from rtlgen.llm import extract_verilog

    messages = [{"role": "system", "content": RAW_SYSTEM},
                {"role": "user", "content": RAW_USER.format(prose=spec.prose.strip())}]
    t0 = time.perf_counter()
    reply = client.complete(messages, n=1, temperature=0.0, seed=1, tag=f"raw:{spec.label}")[0]
    try:
        rtl = extract_verilog(reply.text, spec.top)
    except LLMError:
        rtl = None
    return {**official(rtl, spec), "rtl": rtl, "tokens": reply.prompt_tokens + reply.completion_tokens,
            "completion_tokens": reply.completion_tokens, "finish_reason": reply.finish_reason,
            "llm_s": round(reply.latency_s, 2), "wall_s": round(time.perf_counter() - t0, 2)}


def loop_spec(spec: Spec, hidden: bool) -> Spec:
    """What the loop may see: never the official testbench; with ``hidden`` not the reference either."""
    seen = spec.with_(official_testbench=None, official_top=None, official_pass=None, data_files=())
    return seen.with_(reference_rtl=None, reference_top=None, model=None) if hidden else seen


def designs_drawn(spec: Spec, client: Any, since: int) -> list[str]:
    """The distinct designs the loop drew for ``spec`` (client transcript entries from ``since`` on), extracted and
    fixed as the loop does; replies cut at the token limit are left out (their continuation is another entry), so
    this is a lower bound of what the loop saw."""
    from rtlgen.generate.fixes import fix_candidate
    from rtlgen.llm import extract_verilog

    designs: dict[str, None] = {}
    for entry in client.transcript[since:]:
        tag = entry.get("tag", "")
        if not tag.startswith(f"{spec.label}:") or tag.endswith(":golden") or entry.get("finish_reason") == "length":
            continue
        try:
            designs[fix_candidate(extract_verilog(entry["text"], spec.top), spec.reset).rtl] = None
        except LLMError:
            continue
    return list(designs)


def rtlgen_loop(spec: Spec, client: Any, args: argparse.Namespace) -> dict[str, Any]:
    from rtlgen.generate.api import Sampling, generate

    since = len(client.transcript)
    t0 = time.perf_counter()
    try:
        chosen = budget(args)
        sampling = Sampling(chosen.samples, chosen.rounds, seed=1, examples=args.examples,
                            sample_temperature=args.sample_temperature)
        result = generate(loop_spec(spec, args.hidden), sampling=sampling, synth=None,
                          client=client)
    except RtlgenError as exc:
        return {"verified": False, "error": str(exc).splitlines()[0], "wall_s": round(time.perf_counter() - t0, 2)}
    first = [a.failure_class for a in result.attempts if a.round == 0]
    usage = result.llm
    assert usage is not None, "generate was given a client, so it reports its usage"
    return {"verified": result.verified, "rank": result.rank, "official": official(result.rtl, spec),
            "first_round_classes": first, "final_class": result.verify.failure_class if result.verify else "no_code",
            "rounds_used": max((a.round for a in result.attempts), default=0), "attempts": len(result.attempts),
            "tokens": usage.tokens, "llm_s": usage.latency_s, "tool_s": round(result.tool_seconds, 2),
            "llm_calls": usage.calls, "llm_cached": usage.cached,
            "wall_s": round(time.perf_counter() - t0, 2), "golden": result.golden, "verdict": result.verdict,
            "notes": result.notes,
            "attempts_detail": [{"lane": a.lane, "round": a.round, "kind": a.kind, "rank": a.rank,
                                 "class": a.failure_class, "accepted": a.accepted, "note": a.note[:300],
                                 "verdict": a.verdict[:300]}
                                for a in result.attempts],
            "drawn_tb_pass": sum(official(rtl, spec)["pass"] for rtl in designs_drawn(spec, client, since)),
            "rtl": result.rtl}


# The sampling temperature of every record made before it was an option (86daae0): their config names carry no
# temperature, so only this value may be left out of a name (never "the current default", which can change).
UNNAMED_SAMPLE_TEMPERATURE = 0.8


def budget(args: argparse.Namespace) -> LoopBudget:
    """Samples and rounds: those given, the rest the local model's shipped budget for a spec with the reference
    (LOCAL_BUDGET) or, with --hidden, without one (SPEC_ONLY_BUDGET)."""
    golden = None if args.hidden else "reference"
    return loop_budget(True, Spec(top="t", model=golden), args.samples, args.rounds)


def concurrency(args: argparse.Namespace) -> int:
    """Requests in flight: all samples at once unless --concurrency says fewer (then samples and repairs stop
    at the first verified design, as rtlgen does with the local model)."""
    return args.concurrency or max(1, budget(args).samples)


def config_name(args: argparse.Namespace) -> str:
    chosen = budget(args)
    return (f"{args.model}-n{chosen.samples}-r{chosen.rounds}-ex{args.examples}"
            + (f"-t{args.sample_temperature:g}" if args.sample_temperature != UNNAMED_SAMPLE_TEMPERATURE else "")
            + (f"-c{concurrency(args)}" if concurrency(args) != max(1, chosen.samples) else "")
            + (f"-m{GOLDEN_MODELS}-hidden" if args.hidden else "-ref") + (f"-{args.label}" if args.label else ""))


def run(args: argparse.Namespace) -> Path:
    from rtlgen.llm import LLMClient, resolve_config
    from rtlgen.llm.local.launcher import LocalServer, pick_model

    out = Path(args.out) / config_name(args)
    out.mkdir(parents=True, exist_ok=True)
    specs = problems(args.suite, args.only, args.limit)
    todo = [s for s in specs if s.label not in EXCLUDED and (out / f"{s.label}.json").is_file() == args.rejudge]
    for name, why in EXCLUDED.items():
        if any(s.label == name for s in specs):
            (out / f"{name}.json").write_text(json.dumps({"problem": name, "excluded": why}))
    print(f"{config_name(args)}: {len(specs)} problems, {len(todo)} to {'re-judge' if args.rejudge else 'run'}")
    if not todo:
        return out
    if args.rejudge:
        measure(todo, cached_client(args.model, args.max_tokens), out, args, threads=None)
        return out
    with ExitStack() as stack:
        model = pick_model(args.model)
        server = stack.enter_context(LocalServer(model, threads=args.threads, slots=concurrency(args)))
        print(f"server {model.alias} up in {server.start_seconds:.1f} s ({server.threads} threads)", flush=True)
        client = LLMClient(resolve_config({"base_url": server.base_url, "model": model.alias, "timeout": 3600,
                                           "max_tokens": args.max_tokens, "concurrency": concurrency(args)}),
                           use_cache=not args.no_cache)
        measure(todo, client, out, args, threads=server.threads)
    return out


def cached_client(model: str, max_tokens: int) -> Any:
    """A client of the local ``model`` that serves cached replies and makes no call: its replies are keyed by the
    weights' hash on any loopback port, and nothing answers on the discard port, so a miss fails at once."""
    from rtlgen.llm import LLMClient, LLMConfig
    from rtlgen.llm.local.models import get_model

    return LLMClient(LLMConfig(base_url="http://127.0.0.1:9/v1", model=get_model(model).alias, max_tokens=max_tokens,
                               concurrency=1, timeout=5, max_retries=0))


def measure(todo: list[Spec], client: Any, out: Path, args: argparse.Namespace, threads: int | None) -> None:
    """Raw and loop on each problem, one record each; ``threads`` None: re-judged from cached replies, so the
    recorded threads stay those the replies were drawn with, and a problem with a reply missing keeps its record."""
    checkout = git_commit()  # the code this process loaded, whatever is committed while it runs
    columns = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()]
    with Progress(*columns) as bar:
        task = bar.add_task(config_name(args), total=len(todo))
        for spec in todo:
            bar.update(task, description=f"{config_name(args)} {spec.label}")
            bar.advance(task)
            path = out / f"{spec.label}.json"
            try:
                raw = raw_single_shot(spec, client)
            except LLMError as exc:
                bar.console.print(f"{spec.label}: kept as it was, its raw reply is not cached ({exc})")
                continue
            loop = rtlgen_loop(spec, client, args)
            if threads is None and (loop.get("error") or loop.get("llm_calls")):
                bar.console.print(f"{spec.label}: kept as it was, not every reply is cached ({loop.get('error')})")
                continue
            record = {"problem": spec.label, "suite": spec.suite, "config": config_name(args),
                      "git_commit": checkout, "model": client.config.model, "threads": threads, "raw": raw,
                      "rtlgen": loop}
            if threads is None:
                record = drawing_cost(record, json.loads(path.read_text()))
            path.write_text(json.dumps(record, indent=1, default=str))


RAW_COST = ("tokens", "completion_tokens", "llm_s", "wall_s")  # of the raw reply, kept by a re-judged record
LOOP_COST = ("tokens", "llm_s", "llm_calls", "llm_cached")  # of the loop's replies, the same


def drawing_cost(record: dict[str, Any], drawn: dict[str, Any]) -> dict[str, Any]:
    """A re-judged ``record`` with the LLM cost of the run that drew its replies (``drawn``, the record it
    replaces): its threads, tokens, calls and LLM seconds, the raw reply's wall seconds, and as the loop's wall
    seconds those LLM seconds plus this run's tools, what a run of today's loop drawing them would have taken."""
    loop, was = record["rtlgen"], drawn["rtlgen"]
    llm = {key: value for key, value in was.items() if key in LOOP_COST}
    raw = {key: value for key, value in drawn["raw"].items() if key in RAW_COST}
    return {**record, "threads": drawn["threads"], "raw": {**record["raw"], **raw},
            "rtlgen": {**loop, **llm, "wall_s": round(loop["wall_s"] - loop["llm_s"] + llm.get("llm_s", 0), 2)}}


def load_records(root: Path) -> list[dict[str, Any]]:
    """Every config's records; one of a problem excluded after it was measured counts as excluded."""
    records = [json.loads(p.read_text()) for p in sorted(root.glob("*/*.json"))]
    return [{"problem": r["problem"], "config": r.get("config"), "excluded": EXCLUDED[r["problem"]]}
            if r.get("problem") in EXCLUDED and "excluded" not in r else r for r in records]


NOT_COMPILING = {"syntax_error", "explicit_cast", "zero_width_constant", "no_sensitivity", "reg_wire_misuse",
                 "unknown_module", "clock_binding", "port_binding", "compile_error", "no_module", "no_code",
                 "unsafe_rtl"}


def compiles(failure_class: str | None, passed: bool | None) -> bool:
    return bool(passed) or (failure_class is not None and failure_class not in NOT_COMPILING)


def table(records: list[dict[str, Any]]) -> pd.DataFrame:
    """One row per config and suite, and per config run on several suites one over all of them ("all")."""
    done = [r for r in records if "excluded" not in r]
    groups = [(key, group.to_dict("records")) for key, group in pd.DataFrame(done).groupby(["config", "suite"])] \
        if done else []
    by_config: dict[str, list[dict[str, Any]]] = {}
    for (config, _), recs in groups:
        by_config.setdefault(config, []).append(recs)
    overall = [((config, "all"), [r for recs in parts for r in recs]) for config, parts in by_config.items()
               if len(parts) > 1]
    return pd.DataFrame([_row(config, suite, recs) for (config, suite), recs
                         in sorted(groups + overall, key=lambda g: (g[0][0], g[0][1] == "all", g[0][1]))])


def _row(config: str, suite: str, recs: list[dict[str, Any]]) -> dict[str, Any]:
    """The table's columns over one group of records."""
    verified = [r for r in recs if r["rtlgen"].get("verified")]
    # ranked verified: passed every check, whether called verified or not (a doubted generated golden model)
    built = sum(compiles(r["rtlgen"].get("final_class"), r["rtlgen"].get("rank") == "verified") for r in recs)
    confirmed = [r for r in verified if r["rtlgen"]["official"]["pass"]]
    n = len(recs)
    return {
        "config": config, "suite": suite, "problems": n,
        "raw compiles": f"{sum(compiles(r['raw']['class'], r['raw']['pass']) for r in recs)}/{n}",
        "raw pass": f"{sum(r['raw']['pass'] for r in recs)}/{n}",
        "rtlgen compiles": f"{built}/{n}",
        "rtlgen verified": f"{len(verified)}/{n}",
        "verified / raw": (f"{len(verified) / raw_pass:.2f}" if (raw_pass := sum(r["raw"]["pass"] for r in recs))
                           else "-"),
        "verified & tb pass": f"{len(confirmed)}/{len(verified)}" if verified else "-",
        "rtlgen tb pass": f"{sum(r['rtlgen'].get('official', {}).get('pass', False) for r in recs)}/{n}",
        # problems where some design the loop drew passes the benchmark's testbench (records since it was counted)
        "any drawn tb pass": (f"{sum(r['rtlgen'].get('drawn_tb_pass', 0) > 0 for r in recs)}/{n}"
                              if all("drawn_tb_pass" in r["rtlgen"] for r in recs) else "-"),
        "calls/prob (cached)": (f"{sum(r['rtlgen'].get('llm_calls', 0) for r in recs) / n:.1f} "
                                f"({sum(r['rtlgen'].get('llm_cached', 0) for r in recs) / n:.1f})"
                                if any("llm_calls" in r["rtlgen"] for r in recs) else "-"),  # older records
        "tokens/prob": round(sum(r["rtlgen"].get("tokens", 0) for r in recs) / n),
        "LLM s/prob": round(sum(r["rtlgen"].get("llm_s", 0) for r in recs) / n, 1),
        "tool s/prob": round(sum(r["rtlgen"].get("tool_s", 0) for r in recs) / n, 1),
        "wall s/prob": round(sum(r["rtlgen"].get("wall_s", 0) for r in recs) / n, 1),
        "checkouts": checkouts(recs),
    }


def checkouts(recs: list[dict[str, Any]]) -> str:
    """The checkouts the records were measured with (short commit, ``-dirty``), each with its count."""
    counts = pd.Series([_checkout(r.get("git_commit")) for r in recs]).value_counts()
    return ", ".join(f"{name} ({n})" for name, n in counts.items())


def _checkout(commit: str | float | None) -> str:
    """A record's checkout, short; 'unrecorded' for records made before they named it (NaN once the records of
    a row went through a DataFrame beside ones that do)."""
    if not isinstance(commit, str):
        return "unrecorded"
    return commit[:7] + ("-dirty" if commit.endswith("-dirty") else "")


_FIX_WORDS = ("removed the body declaration", "as logic: assigned", "a signal driving itself", "the reset is")


def repairs(records: list[dict[str, Any]]) -> pd.DataFrame:
    """Per failure class seen in the first round: in how many problems it occurred, and how many ended verified."""
    rows: dict[str, dict[str, int]] = {}
    for r in records:
        loop = r.get("rtlgen") or {}
        seen = set(c for c in loop.get("first_round_classes", []) if c)
        detail = loop.get("attempts_detail", [])
        if any(a["kind"] == "repair" and "same code" in a["note"] for a in detail):
            seen.add("(repair echoed the code: resampled)")
        if any(a["kind"] == "repair" and "does not fit" in a["note"] for a in detail):
            seen.add("(repair prompt too long: resampled)")
        if any(a["accepted"] and any(w in a["note"] for w in _FIX_WORDS) for a in detail):
            seen.add("(mechanical fix applied)")
        for cls in seen:
            row = rows.setdefault(cls, {"problems": 0, "ended verified": 0})
            row["problems"] += 1
            row["ended verified"] += bool(loop.get("verified"))
    return pd.DataFrame.from_dict(rows, orient="index").sort_values("problems", ascending=False) if rows else \
        pd.DataFrame()


def first_samples(records: list[dict[str, Any]]) -> pd.DataFrame:
    """Per config and suite: problems with a first-round sample ranked verified among lanes 0..k-1, k = 1..n.

    What more samples buy, read off one run: lane k's first sample does not depend on how many lanes there are
    (its seed and temperature are its own). A sample ranked verified passed lint and the auto-testbench; the
    final checks on the chosen design (formal, when a reference exists) can still refuse it.
    """
    rows = []
    done = [r for r in records if "excluded" not in r and r["rtlgen"].get("attempts_detail")]
    for (config, suite), group in pd.DataFrame(done).groupby(["config", "suite"]) if done else []:
        first_pass: list[int | None] = []  # per problem: the lowest lane whose first sample was verified
        lanes = 0
        for r in group.to_dict("records"):
            samples = [a for a in r["rtlgen"]["attempts_detail"] if a["round"] == 0 and a["kind"] == "sample"]
            lanes = max(lanes, len(samples))
            first_pass.append(min((a["lane"] for a in samples if a["rank"] == "verified"), default=None))
        row: dict[str, Any] = {"config": config, "suite": suite, "problems": len(group)}
        for k in range(1, lanes + 1):
            row[f"{k} lanes"] = sum(1 for lane in first_pass if lane is not None and lane < k)
        rows.append(row)
    frame = pd.DataFrame(rows)
    counts = [c for c in frame.columns if c.endswith(" lanes")]
    return frame.astype({c: "Int64" for c in counts})  # a config with fewer lanes leaves <NA>, not a float


def compare(records: list[dict[str, Any]], first: str, second: str) -> list[str]:
    """Problems both configs ran whose loop outcome differs, with the second config's final rank."""
    by = {c: {r["problem"]: r for r in records if r.get("config") == c and "excluded" not in r}
          for c in (first, second)}
    common = sorted(set(by[first]) & set(by[second]))
    lines = [f"{first} vs {second}: {len(common)} problems run by both; verified "
             f"{sum(by[first][p]['rtlgen'].get('verified', False) for p in common)} vs "
             f"{sum(by[second][p]['rtlgen'].get('verified', False) for p in common)}"]
    for p in common:
        a, b = by[first][p]["rtlgen"], by[second][p]["rtlgen"]
        if bool(a.get("verified")) != bool(b.get("verified")):
            lines.append(f"  {p}: {'verified' if a.get('verified') else a.get('rank')} -> "
                         f"{'verified' if b.get('verified') else b.get('rank')}")
    return lines


def defects(records: list[dict[str, Any]]) -> list[str]:
    """Designs rtlgen called verified that the benchmark's testbench fails: each one is to be investigated."""
    return [f"{r['config']} {r['problem']}: {r['rtlgen']['official']['class']}: {r['rtlgen']['official']['message']}"
            for r in records if "excluded" not in r and r["rtlgen"].get("verified")
            and not r["rtlgen"]["official"]["pass"]]


def report(root: Path, compare_with: list[str] | None = None) -> None:
    records = load_records(root)
    pd.set_option("display.width", 200)
    pd.set_option("display.max_columns", 20)
    print(table(records).to_string(index=False))
    print("\nProblems with a first sample ranked verified (lint and auto-testbench pass) within the first k lanes:")
    lanes = first_samples(records)
    print(lanes.astype(object).where(lanes.notna(), "").to_string(index=False))
    excluded = sorted({(r["problem"], r["excluded"]) for r in records if "excluded" in r})
    for name, why in excluded:
        print(f"excluded {name}: {why}")
    for config in sorted({r["config"] for r in records if "excluded" not in r}):
        rep = repairs([r for r in records if r.get("config") == config])
        if not rep.empty:
            print(f"\n{config}: first-round failure classes (problems where a first sample had it; how many ended "
                  "verified):")
            print(rep.to_string())
    if compare_with:
        print()
        print("\n".join(compare(records, *compare_with)))
    bad = defects(records)
    print(f"\nverified but the benchmark's testbench fails: {len(bad)}")
    for line in bad:
        print("  " + line)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(Path.home() / "genq"), help="results folder (one sub-folder per config)")
    ap.add_argument("--model", default="1.5b", help="local model: 0.5b or 1.5b")
    ap.add_argument("-n", "--samples", type=int, help="default: the local model's shipped budget (loop_budget)")
    ap.add_argument("--rounds", type=int, help="default: the local model's shipped budget (loop_budget)")
    ap.add_argument("--examples", type=int, default=LoopOptions.examples, help="in-context examples from designs/")
    ap.add_argument("--sample-temperature", type=float, default=LoopOptions.sample_temperature,
                    help="temperature of every sample but lane 0's first (and of fresh samples after an echo)")
    ap.add_argument("--hidden", action="store_true", help="hide the reference: the loop writes its golden model")
    ap.add_argument("--suite", nargs="+", default=["verilog-eval", "rtllm"])
    ap.add_argument("--only", nargs="+", help="problems whose name contains any of these")
    ap.add_argument("--limit", type=int)
    ap.add_argument("--concurrency", type=int, help="requests in flight (default: the samples); fewer: samples "
                    "and repairs go in waves and stop at the first verified design")
    ap.add_argument("--no-cache", action="store_true",
                    help="ask the model anew (timing runs: a cached reply takes no LLM time); give the run a --label")
    ap.add_argument("--threads", type=int, default=int(os.environ.get("RTLGEN_LLM_THREADS", "1")))
    ap.add_argument("--max-tokens", type=int, default=2048)
    ap.add_argument("--label", default="", help="appended to the config name: runs of a changed loop kept apart")
    ap.add_argument("--compare", nargs=2, metavar="CONFIG",
                    help="only print the table and the per-problem outcome differences of two configs")
    ap.add_argument("--table", action="store_true", help="only print the table of the records in --out")
    ap.add_argument("--rejudge", action="store_true", help="run the recorded problems again from cached replies "
                    "only (no model server): the current loop's verdicts on what the model drew")
    args = ap.parse_args()
    if not (args.table or args.compare):  # both read the records; neither starts a run
        run(args)
    report(Path(args.out), args.compare)


if __name__ == "__main__":
    unwind_on_sigterm()
    main()
