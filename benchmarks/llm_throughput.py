"""Local model throughput under each concurrency setting: threads per server x requests in flight.

    .venv/bin/python benchmarks/llm_throughput.py                      # 1.5b and 0.5b, threads 1,2 x in flight 1,2
    .venv/bin/python benchmarks/llm_throughput.py --model 0.5b --requests 6 --max-tokens 300

For every (threads, in flight) pair a fresh server (``rtlgen.llm.local.launcher.LocalServer``, slots = in
flight) answers the same ``--requests`` prompts: real spec-to-RTL prompts of VerilogEval problems, built as
the generation loop builds them (``spec_messages``, ``--examples 0``), at temperature 0. The table gives the
wall time for all of them, the tokens generated per second over that wall time (what a generation round sees),
the median latency of one request, and llama.cpp's own prompt and decode rates. The machine's load average is printed: on
2 cores, anything else running (verification tools, another server) changes every figure.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

from rtlgen.llm.local.models import MODELS  # noqa: E402
from rtlgen.llm.local.launcher import LocalServer  # noqa: E402
from rtlgen.generate.prompts import spec_messages  # noqa: E402
from rtlgen.spec.suites import load_suite  # noqa: E402
from rtlgen.tools.run import unwind_on_sigterm

PROBLEMS = ("Prob040_count10", "Prob063_review2015_shiftcount", "Prob085_shift4", "Prob114_bugs_case",
            "Prob028_m2014_q4a", "Prob090_circuit1")


def prompts(count: int) -> list[list[dict[str, str]]]:
    specs = {s.label: s for s in load_suite("verilog-eval")}
    chosen = [specs[name] for name in PROBLEMS if name in specs][:count]
    if len(chosen) < count:
        raise SystemExit(f"only {len(chosen)} of the prompt problems are in the benchmark data; use --requests "
                         f"{len(chosen)} or fewer")
    return [spec_messages(spec, examples=0) for spec in chosen]  # what the loop sends with --examples 0


def one_request(url: str, alias: str, messages: list[dict[str, str]], max_tokens: int) -> dict:
    start = time.perf_counter()
    payload = {"model": alias, "messages": messages, "max_tokens": max_tokens, "temperature": 0}
    request = urllib.request.Request(f"{url}/chat/completions", json.dumps(payload).encode(),
                                     {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=3600) as reply:
        body = json.load(reply)
    timings = body.get("timings", {})
    return {"latency": time.perf_counter() - start, "completion": body["usage"]["completion_tokens"],
            "prompt_rate": timings.get("prompt_per_second"), "decode_rate": timings.get("predicted_per_second"),
            "timings": timings, "text": body["choices"][0]["message"]["content"]}


def measure(key: str, threads: int, in_flight: int, batch: list, max_tokens: int) -> dict:
    model = MODELS[key]
    with LocalServer(model, threads=threads, slots=in_flight) as server:
        start = time.perf_counter()
        with ThreadPoolExecutor(in_flight) as pool:
            done = list(pool.map(lambda m: one_request(server.base_url, model.alias, m, max_tokens), batch))
        wall = time.perf_counter() - start
    tokens = sum(d["completion"] for d in done)
    return {"model": key, "threads": threads, "in flight": in_flight, "requests": len(done), "tokens": tokens,
            "wall s": round(wall, 1), "tokens/s (wall)": round(tokens / wall, 1),
            "median latency s": round(statistics.median(d["latency"] for d in done), 1),
            "prompt tok/s": round(statistics.median(d["prompt_rate"] or 0 for d in done), 1),
            "decode tok/s": round(statistics.median(d["decode_rate"] or 0 for d in done), 1),
            "load avg": round(os.getloadavg()[0], 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", nargs="+", default=["1.5b", "0.5b"], choices=sorted(MODELS))
    ap.add_argument("--threads", default="1,2", help="comma-separated thread counts per server")
    ap.add_argument("--in-flight", default="1,2", help="comma-separated numbers of concurrent requests")
    ap.add_argument("--requests", type=int, default=4)
    ap.add_argument("--max-tokens", type=int, default=400)
    args = ap.parse_args()
    batch = prompts(args.requests)
    rows = []
    for key in args.model:
        if not MODELS[key].path().is_file():
            print(f"{key}: not installed (rtlgen llm install --model {key}); skipped")
            continue
        for threads in (int(t) for t in args.threads.split(",")):
            for in_flight in (int(c) for c in args.in_flight.split(",")):
                rows.append(measure(key, threads, in_flight, batch, args.max_tokens))
                print(rows[-1], flush=True)
    print(pd.DataFrame(rows).to_string(index=False))


if __name__ == "__main__":
    unwind_on_sigterm()
    main()
