"""The local model server process: llama.cpp (xllamacpp) serving one GGUF file on 127.0.0.1.

``python -m rtlgen.llm.local.llama_process --model-path F --alias A --port N`` serves until SIGTERM/SIGINT
(``rtlgen.llm.local.launcher`` starts it so). ``rtlgen llm serve`` calls :func:`serve` with a record, which is
published (``rtlgen.llm.local.server_record``) once the model answers and removed on exit.
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import threading
import time

from rtlgen.llm.errors import ModelNotInstalled
from rtlgen.llm.local.server_record import answers, record_path
from rtlgen.store import atomic_write

try:
    import xllamacpp
except ImportError as exc:  # the optional extra is missing
    raise ModelNotInstalled("the local model runtime xllamacpp is not installed: run `make setup-llm` or "
                            "`pip install -e '.[local-llm]'` (Debian also needs libgomp1)") from exc


def _watch_parent(parent: int, stop: threading.Event) -> None:
    """Stop when the process that started us is gone (killed without a chance to stop us: no orphan server)."""
    while not stop.wait(1.0):
        if os.getppid() != parent:
            stop.set()


def serve(model_path: str, alias: str, port: int, threads: int, slots: int, ctx_per_slot: int,
          record: dict | None = None, parent: int | None = None) -> None:
    """Serve until a termination signal (or, with ``parent``, until that process is gone); ``record``
    (ServerRecord fields) is published while serving."""
    params = xllamacpp.CommonParams()
    params.model.path = model_path
    params.model_alias = alias
    params.hostnames = ["127.0.0.1"]
    params.port = port
    params.cpuparams.n_threads = threads
    params.cpuparams_batch.n_threads = threads
    params.n_parallel = slots
    params.n_ctx = ctx_per_slot * slots
    params.warmup = False
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    if parent is not None:
        threading.Thread(target=_watch_parent, args=(parent, stop), daemon=True).start()
    server = xllamacpp.Server(params)  # noqa: F841 - serves on its own threads while referenced
    path = None
    if record is not None:
        while not answers(port) and not stop.is_set():
            time.sleep(0.2)
        path = atomic_write(record_path(), json.dumps({**record, "pid": os.getpid(), "port": port,
                                                       "started": time.time()}))
    try:
        stop.wait()
    finally:
        if path is not None and path.is_file() and json.loads(path.read_text()).get("pid") == os.getpid():
            path.unlink(missing_ok=True)
    os._exit(0)  # llama.cpp's server threads do not join on interpreter shutdown


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--model-path", required=True)
    ap.add_argument("--alias", required=True)
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--slots", type=int, default=4)
    ap.add_argument("--ctx-per-slot", type=int, default=6144)
    ap.add_argument("--parent", type=int, help="exit when this process (the one that started us) is gone")
    args = ap.parse_args()
    serve(args.model_path, args.alias, args.port, args.threads, args.slots, args.ctx_per_slot, parent=args.parent)


if __name__ == "__main__":
    main()
