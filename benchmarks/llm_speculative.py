"""Speculative decoding on the CPU: llama.cpp's drafts against none, on fresh-sample and repair prompts.

    .venv/bin/python benchmarks/llm_speculative.py                       # none, ngram_simple, ngram_mod, draft
    .venv/bin/python benchmarks/llm_speculative.py --kinds none ngram_simple --max-tokens 300

Each kind gets its own llama.cpp server (xllamacpp, in this process; 1 slot, ``--threads``) for the 1.5B model
and answers, at temperature 0, two spec prompts as the loop sends them (``spec_messages``) and one repair-like
prompt that shows ``designs/counter/counter.v`` and asks for it corrected (small models mostly hand such code back:
the case n-gram drafts are made for). ``draft`` uses the 0.5B model as the draft model. The table gives llama.cpp's
decode rate, the drafted and accepted tokens, and a digest of each reply: a speculative run whose digest differs
from ``none`` changed what the model answers. Why rtlgen does not use it: ``docs/generation.md``. Anything else
running on the machine changes every figure.
"""
from __future__ import annotations

import argparse
import hashlib
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

from llm_throughput import one_request  # noqa: E402
from rtlgen.generate.prompts import spec_messages  # noqa: E402
from rtlgen.llm.local.models import MODELS  # noqa: E402
from rtlgen.llm.local.launcher import free_port  # noqa: E402
from rtlgen.spec.suites import load_suite  # noqa: E402
from rtlgen.tools.run import unwind_on_sigterm  # noqa: E402

KINDS = {"none": "COMMON_SPECULATIVE_TYPE_NONE", "ngram_simple": "COMMON_SPECULATIVE_TYPE_NGRAM_SIMPLE",
         "ngram_mod": "COMMON_SPECULATIVE_TYPE_NGRAM_MOD", "draft": "COMMON_SPECULATIVE_TYPE_DRAFT_SIMPLE"}


def prompts() -> dict[str, list[dict[str, str]]]:
    specs = {s.label: s for s in load_suite("verilog-eval")}
    code = (ROOT / "designs" / "counter" / "counter.v").read_text()
    return {"sample Prob040": spec_messages(specs["Prob040_count10"], examples=0),
            "sample Prob114": spec_messages(specs["Prob114_bugs_case"], examples=0),
            "repair counter": [{"role": "system", "content": "You are an expert digital hardware designer."},
                               {"role": "user", "content": "This module fails its testbench at cycle 5: count "
                                "expected 8'h05, got 8'h04. Give the complete corrected module in one ```verilog "
                                f"block.\n\n```verilog\n{code}```\n"}]}


def serve(kind: str, threads: int) -> tuple[object, str]:
    import xllamacpp

    port = free_port()
    params = xllamacpp.CommonParams()
    params.model.path = str(MODELS["1.5b"].path())
    params.model_alias = "bench"
    params.hostnames = ["127.0.0.1"]
    params.port = port
    params.cpuparams.n_threads = params.cpuparams_batch.n_threads = threads
    params.n_parallel, params.n_ctx, params.warmup = 1, 8192, False
    params.speculative.types = [getattr(xllamacpp.common_speculative_type, KINDS[kind])]
    if kind == "draft":
        params.speculative.draft.mparams.path = str(MODELS["0.5b"].path())
        params.speculative.draft.cpuparams.n_threads = threads
    server = xllamacpp.Server(params)
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(f"{url}/health", timeout=1)
            return server, f"{url}/v1"
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"the {kind} server did not answer on port {port}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kinds", nargs="+", default=list(KINDS), choices=list(KINDS))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--max-tokens", type=int, default=400)
    args = ap.parse_args()
    missing = [key for key in ("1.5b", "0.5b") if not MODELS[key].path().is_file()]
    if missing:
        raise SystemExit(f"model(s) {', '.join(missing)} not installed: rtlgen llm install --model {missing[0]}")
    rows = []
    for kind in args.kinds:
        server, url = serve(kind, args.threads)
        for name, messages in prompts().items():
            done = one_request(url, "bench", messages, args.max_tokens)
            rows.append({"kind": kind, "prompt": name, "tokens": done["completion"],
                         "wall s": round(done["latency"], 1), "decode tok/s": round(done["decode_rate"] or 0, 1),
                         "drafted": done["timings"].get("draft_n"),
                         "accepted": done["timings"].get("draft_n_accepted"),
                         "reply digest": hashlib.sha256(done["text"].encode()).hexdigest()[:8]})
            print(rows[-1], flush=True)
        del server  # stops it: the next kind gets the cores to itself
    print(pd.DataFrame(rows).to_string(index=False))


if __name__ == "__main__":
    unwind_on_sigterm()
    main()
