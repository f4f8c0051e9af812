"""A local OpenAI-compatible server that answers from a script, for tests of LLM code.

It serves ``POST /v1/chat/completions`` and ``GET /v1/models`` on 127.0.0.1 (ephemeral port) from a
thread. Each chat request pops the next :class:`Reply` of the script (or asks ``responder``), which sets
the reply text(s), HTTP status, delay or hang, and usage figures. Every request received is logged in
``server.requests`` so tests can assert what the client sent and how often.

Reusable from any test package::

    from tests.llm.scripted_server import Reply, ScriptedServer, scripted_server  # fixture
"""
from __future__ import annotations

import json
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Iterator

import pytest

from rtlgen.llm.config import LLMConfig

ERROR_TYPES = {400: "invalid_request_error", 401: "invalid_api_key", 404: "model_not_found",
               429: "rate_limit_exceeded", 500: "server_error", 503: "server_error"}


@dataclass
class Reply:
    """One scripted answer. ``text`` as a list gives choice i the text ``text[i % len]`` when n > 1."""

    text: str | list[str] = ""
    status: int = 200
    delay: float = 0.0  # seconds before answering
    hang: bool = False  # never answer (until the server stops or hang_seconds pass), then drop the connection
    prompt_tokens: int | None = None  # default: characters of the prompt / 4
    completion_tokens: int | None = None  # default: characters of the reply / 4
    finish_reason: str = "stop"
    error: str = ""  # message of an error reply
    headers: dict[str, str] = field(default_factory=dict)  # e.g. {"Retry-After": "0"}


@dataclass
class Request:
    method: str
    path: str
    body: dict[str, Any] | None
    headers: dict[str, str]
    time: float  # time.monotonic() when received


class ScriptedServer:
    """Start with ``with ScriptedServer([...]) as server:``; point a client at ``server.base_url``."""

    def __init__(self, script: list[Reply] | tuple[Reply, ...] = (), *, models: tuple[str, ...] = ("scripted-model",),
                 api_key: str | None = None, supports_n: bool | str = True,
                 responder: Callable[[dict[str, Any]], str | Reply] | None = None,
                 list_models: bool = True, hang_seconds: float = 60.0) -> None:
        self.script: deque[Reply] = deque(script)
        self.models = tuple(models)
        self.api_key = api_key  # when set, requests without "Bearer <api_key>" get 401
        self.supports_n = supports_n  # False: ignore the request's n and answer one choice; "reject": 400
        self.responder = responder  # asked when the script is empty
        self.list_models = list_models  # False: GET /v1/models answers 404
        self.hang_seconds = hang_seconds
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._counter = 0

    # ------------------------------------------------------------ lifecycle
    def start(self) -> "ScriptedServer":
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep test output clean
                pass

            def do_GET(self) -> None:  # noqa: N802 - http.server naming
                server._handle(self, "GET")

            def do_POST(self) -> None:  # noqa: N802
                server._handle(self, "POST")

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="scripted-llm", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> "ScriptedServer":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    # ------------------------------------------------------------ for tests
    @property
    def port(self) -> int:
        assert self._httpd is not None, "server not started"
        return self._httpd.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def push(self, *replies: Reply) -> None:
        """Append replies to the script."""
        with self._lock:
            self.script.extend(replies)

    @property
    def chat_requests(self) -> list[Request]:
        with self._lock:
            return [r for r in self.requests if r.path.endswith("/chat/completions")]

    def llm_config(self, **overrides: Any) -> LLMConfig:
        """An LLMConfig aimed at this server with test-friendly timeouts and backoff."""
        values: dict[str, Any] = dict(base_url=self.base_url, model=self.models[0], api_key=self.api_key or "not-needed",
                                      timeout=10.0, max_retries=3, backoff_base=0.05, backoff_max=0.5)
        values.update(overrides)
        return LLMConfig(**values)

    # ------------------------------------------------------------ serving
    def _send(self, handler: BaseHTTPRequestHandler, status: int, payload: dict[str, Any],
              headers: dict[str, str] | None = None) -> None:
        data = json.dumps(payload).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            handler.send_header(key, value)
        handler.end_headers()
        handler.wfile.write(data)

    def _error(self, handler: BaseHTTPRequestHandler, status: int, message: str,
               headers: dict[str, str] | None = None) -> None:
        self._send(handler, status, {"error": {"message": message, "type": ERROR_TYPES.get(status, "error"),
                                               "code": ERROR_TYPES.get(status)}}, headers)

    def _handle(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        with self._lock:
            self.requests.append(Request(method, handler.path, body, dict(handler.headers), time.monotonic()))
        if self.api_key is not None and handler.headers.get("Authorization") != f"Bearer {self.api_key}":
            return self._error(handler, 401, "Incorrect API key provided.")
        path = handler.path.rstrip("/")
        if method == "GET" and path == "/v1/models" and self.list_models:
            return self._send(handler, 200, {"object": "list", "data": [
                {"id": m, "object": "model", "created": 0, "owned_by": "scripted"} for m in self.models]})
        if method == "POST" and path == "/v1/chat/completions" and isinstance(body, dict):
            return self._chat(handler, body)
        return self._error(handler, 404, f"no route {method} {handler.path}")

    def _next_reply(self, body: dict[str, Any]) -> Reply:
        with self._lock:
            if self.script:
                return self.script.popleft()
        if self.responder is not None:
            answer = self.responder(body)
            return answer if isinstance(answer, Reply) else Reply(text=answer)
        return Reply(status=500, error="scripted server: the script is exhausted")

    def _chat(self, handler: BaseHTTPRequestHandler, body: dict[str, Any]) -> None:
        model = body.get("model")
        if model not in self.models:
            return self._error(handler, 404, f"The model `{model}` does not exist or you do not have access to it.")
        if self.supports_n == "reject" and int(body.get("n") or 1) > 1:
            return self._error(handler, 400, "n must be 1")
        reply = self._next_reply(body)
        if reply.delay:
            self._stop.wait(reply.delay)
        if reply.hang:
            self._stop.wait(self.hang_seconds)
            handler.close_connection = True
            return None
        if reply.status != 200:
            return self._error(handler, reply.status, reply.error or f"scripted error {reply.status}", reply.headers)
        n = int(body.get("n") or 1) if self.supports_n is True else 1
        texts = reply.text if isinstance(reply.text, list) else [reply.text]
        choices = [texts[i % len(texts)] for i in range(n)]
        prompt_chars = sum(len(str(m.get("content", ""))) for m in body.get("messages", []))
        prompt_tokens = reply.prompt_tokens if reply.prompt_tokens is not None else prompt_chars // 4
        completion = (reply.completion_tokens if reply.completion_tokens is not None
                      else sum(len(t) for t in choices) // 4)
        with self._lock:
            self._counter += 1
            rid = f"chatcmpl-scripted-{self._counter}"
        return self._send(handler, 200, {
            "id": rid, "object": "chat.completion", "created": int(time.time()), "model": model,
            "choices": [{"index": i, "message": {"role": "assistant", "content": t},
                         "finish_reason": reply.finish_reason} for i, t in enumerate(choices)],
            "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion,
                      "total_tokens": prompt_tokens + completion}}, reply.headers)


def closed_port() -> int:
    """A localhost port with nothing listening (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def scripted_server() -> Iterator[ScriptedServer]:
    """A started ScriptedServer with an empty script; push Reply objects onto it."""
    with ScriptedServer() as server:
        yield server
