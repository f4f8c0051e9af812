"""Overhead of the generation loop against a scripted LLM with a fixed latency per call.

Runs ``--specs`` specs (the designs/ examples, repeated as variants whose prose differs so that no
two share a prompt) with ``--samples`` candidates each, at each ``--concurrency``; then re-runs the
last configuration with the warm cache. Reports wall time, the sum of the tool times (verify +
synth, as measured inside the loop), LLM calls and the loop overhead.

The scripted server answers with the design's own RTL from designs/; on every other spec the first
samples carry a planted syntax error so that a repair round runs. Usage::

    .venv/bin/python benchmarks/generate_loop.py --specs 20 --samples 4 --concurrency 1 8 --latency 0.5
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rtlgen.generate.api import Sampling, generate  # noqa: E402
from rtlgen.llm import LLMClient  # noqa: E402
from rtlgen.llm.config import LlmSettings  # noqa: E402
from rtlgen.synth.liberty import resolve_liberty  # noqa: E402
from rtlgen.synth.target import Target  # noqa: E402
from rtlgen.executor import get_executor  # noqa: E402
from rtlgen.tools.run import unwind_on_sigterm
from tests.llm.scripted_server import Reply, ScriptedServer  # noqa: E402

DESIGNS = ROOT / "designs"


def make_variants(count: int, dest: Path) -> list[tuple[Path, str]]:
    """``count`` spec folders copied from designs/ with a variant line appended to the prose."""
    sources = sorted(p.parent for p in DESIGNS.glob("*/spec.md") if (p.parent / f"{p.parent.name}.v").is_file())
    out = []
    for i in range(count):
        src = sources[i % len(sources)]
        folder = dest / f"{src.name}_v{i}"
        shutil.copytree(src, folder)
        spec = folder / "spec.md"
        spec.write_text(spec.read_text() + f"\n\n(Benchmark variant {i}.)\n")
        out.append((spec, (src / f"{src.name}.v").read_text()))
    return out


class Responder:
    """Correct RTL for the design the prompt names; planted syntax errors on odd-numbered variants."""

    def __init__(self, rtl_by_variant: dict[str, str], latency: float) -> None:
        self.rtl = rtl_by_variant
        self.latency = latency

    def __call__(self, body: dict[str, Any]) -> Reply:
        prompt = body["messages"][-1]["content"]
        variant = re.findall(r"Benchmark variant (\d+)\.", prompt)[-1]
        rtl = self.rtl[variant]
        repair = "does not compile" in body["messages"][0]["content"]
        if int(variant) % 2 and not repair:
            rtl = rtl.rstrip().removesuffix("endmodule")  # planted: the module is never closed
        return Reply(text=f"Here it is.\n```verilog\n{rtl}\n```\n", delay=self.latency)


def run_all(specs: list[Path], server: ScriptedServer, cache: Path, *, samples: int, concurrency: int,
            synth: bool) -> dict[str, float]:
    os.environ["RTLGEN_CACHE"] = str(cache)
    client = LLMClient(server.llm_config(concurrency=concurrency, timeout=60.0), cache=cache / "llm")
    before = len(server.chat_requests)
    spec_jobs = max(1, concurrency // samples)  # specs in flight; each runs min(concurrency, samples) lanes
    target = Target(liberty=resolve_liberty()) if synth else None  # the configured liberty, resolved once

    def one(spec: Path) -> Any:
        return generate(spec, sampling=Sampling(samples, 2), synth=target,
                        llm=LlmSettings(concurrency=concurrency), client=client)

    start = time.perf_counter()
    results = [o.result for o in get_executor("thread", spec_jobs).map(one, specs) if o.ok or _raise(o.error)]
    wall = time.perf_counter() - start
    return {"wall_s": wall, "tool_s": sum(r.tool_seconds for r in results),
            "calls": len(server.chat_requests) - before, "cached": client.ledger.total().cached,
            "llm_s": client.ledger.total().latency_s,
            "verified": sum(r.verified for r in results), "specs": len(results)}


def _raise(error: BaseException | None) -> bool:
    raise error  # type: ignore[misc]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--specs", type=int, default=20)
    ap.add_argument("--samples", type=int, default=4)
    ap.add_argument("--concurrency", type=int, nargs="+", default=[1, 8])
    ap.add_argument("--latency", type=float, default=0.5, help="seconds the scripted server waits per call")
    ap.add_argument("--no-synth", action="store_true")
    args = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="genbench-", dir=Path.home()) as tmp:
        variants = make_variants(args.specs, Path(tmp) / "specs")
        responder = Responder({str(i): rtl for i, (_, rtl) in enumerate(variants)}, args.latency)
        specs = [s for s, _ in variants]
        with ScriptedServer(responder=responder) as server:
            for conc in args.concurrency:
                cache = Path(tmp) / f"cache-c{conc}"
                rows.append((f"concurrency {conc}", run_all(specs, server, cache, samples=args.samples,
                                                            concurrency=conc, synth=not args.no_synth)))
            rows.append((f"concurrency {args.concurrency[-1]}, cached",
                         run_all(specs, server, cache, samples=args.samples, concurrency=args.concurrency[-1],
                                 synth=not args.no_synth)))
    print(f"\n{args.specs} specs x {args.samples} samples, scripted LLM latency {args.latency:g} s per call, "
          f"{os.cpu_count()} cores")
    head = (f"{'run':<26}{'wall s':>9}{'tools s':>9}{'LLM s':>8}{'overhead s':>12}{'LLM calls':>11}{'cached':>8}"
            f"{'verified':>10}")
    print(head + "\n" + "-" * len(head))
    for name, r in rows:
        overhead = r["wall_s"] - r["tool_s"] - r["llm_s"]
        print(f"{name:<26}{r['wall_s']:>9.1f}{r['tool_s']:>9.1f}{r['llm_s']:>8.1f}{overhead:>12.1f}"
              f"{r['calls']:>11d}{r['cached']:>8d}{r['verified']:>7d}/{r['specs']}")
    print("tools s = verify + synth times summed over all runs inside the loop; LLM s = summed call latencies;\n"
          "overhead = wall - tools - LLM (the loop's own cost at concurrency 1; negative when work overlaps)")


if __name__ == "__main__":
    unwind_on_sigterm()
    main()
