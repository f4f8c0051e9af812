"""Fixtures for the generation-loop tests: an isolated environment and a scripted LLM that answers by
prompt kind. The scripted answers (correct RTL from designs/ and planted-bug variants) live here only."""
from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

from rtlgen.config import PROJECT_ROOT
from rtlgen.llm.config import LlmSettings
from tests.llm.scripted_server import Reply, ScriptedServer

COUNTER_DIR = PROJECT_ROOT / "designs" / "counter"
COUNTER_SPEC = COUNTER_DIR / "spec.md"
GOOD = (COUNTER_DIR / "counter.v").read_text()
MODEL = (COUNTER_DIR / "model.py").read_text()
# planted bugs
SYNTAX = GOOD.replace("count <= count + 1'b1;", "count <= count + 1'b1")  # missing semicolon
COUNT_BY_TWO = GOOD.replace("count + 1'b1", "count + 2'd2")  # mismatches at the second enabled cycle
IGNORES_RESET = GOOD.replace("if (rst)\n            count <= {WIDTH{1'b0}};\n        else if (en)", "if (en)")
WRONG_MODEL = MODEL.replace("(self.count + 1) & MASK", "(self.count + 3) & MASK")

assert SYNTAX != GOOD and COUNT_BY_TWO != GOOD and IGNORES_RESET != GOOD and WRONG_MODEL != MODEL


def fenced(code: str, lang: str = "verilog", prose: str = "Here is the design.") -> str:
    return f"{prose}\n\n```{lang}\n{code.strip()}\n```\n\nIt follows the specification."


def module_text(rtl: str) -> str:
    """The RTL from its first module on (extraction drops comments before it)."""
    return rtl[rtl.index("module"):].strip()


def kind_of(body: dict[str, Any]) -> str:
    """Which prompt a request carries: spec, compile (repair), mismatch (repair) or golden."""
    system = body["messages"][0]["content"]
    if "does not compile" in system:
        return "compile"
    if "behaves differently" in system:
        return "mismatch"
    if "golden model" in system:
        return "golden"
    return "spec"


class Script:
    """Replies per prompt kind, consumed in order (the last one repeats); records every request."""

    def __init__(self, **kinds: list[str | Reply] | Callable[[dict[str, Any]], str]) -> None:
        self.kinds = kinds
        self.seen: list[tuple[str, dict[str, Any]]] = []
        self._lock = threading.Lock()

    def __call__(self, body: dict[str, Any]) -> str | Reply:
        kind = kind_of(body)
        with self._lock:
            self.seen.append((kind, body))
            answers = self.kinds.get(kind)
            if answers is None:
                return Reply(status=500, error=f"test script has no answer for a '{kind}' prompt")
            if callable(answers):
                return answers(body)
            return answers.pop(0) if len(answers) > 1 else answers[0]

    def count(self, kind: str) -> int:
        return sum(1 for k, _ in self.seen if k == kind)

    def prompts(self, kind: str) -> list[str]:
        return [body["messages"][-1]["content"] for k, body in self.seen if k == kind]


@pytest.fixture
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No RTLGEN_*/OPENAI_* settings from the shell, no config file, a private cache; returns tmp_path."""
    for var in list(os.environ):
        if var.startswith(("RTLGEN_", "OPENAI_")) and var != "RTLGEN_BENCHMARKS":
            monkeypatch.delenv(var)
    monkeypatch.setenv("RTLGEN_CONFIG", str(tmp_path / "absent-config.yaml"))
    monkeypatch.setenv("RTLGEN_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("RTLGEN_BACKOFF_BASE", "0.05")
    monkeypatch.setenv("RTLGEN_BACKOFF_MAX", "0.2")
    return tmp_path


@pytest.fixture
def llm(isolated: Path) -> Iterator[Callable[..., ScriptedServer]]:
    """``llm(script, **server_options)`` starts a scripted server answering with ``script``."""
    servers: list[ScriptedServer] = []

    def start(script: Script | None = None, replies: tuple[Reply, ...] = (), **options: Any) -> ScriptedServer:
        server = ScriptedServer(list(replies), responder=script, **options).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


NO_SYNTH = None  # generate(synth=None): verify only, no synthesis


def flags(server: ScriptedServer, **extra: Any) -> LlmSettings:
    """generate()'s LLM settings aimed at ``server``."""
    return LlmSettings(**{"base_url": server.base_url, "model": server.models[0], "timeout": 20.0, **extra})


@pytest.fixture
def as_local_model(monkeypatch: pytest.MonkeyPatch) -> Callable[[ScriptedServer], list[str]]:
    """``as_local_model(server)``: the scripted server stands in for the local model rtlgen starts when no
    endpoint is configured; returns the list of notices the opener was given (one per opening)."""
    from rtlgen.generate import api as generate_api
    from rtlgen.llm.local.launcher import LocalEndpoint

    def install(server: ScriptedServer) -> list[str]:
        opened: list[str] = []

        @contextmanager
        def scripted_local(*args: Any, say: Callable[[str], None] = lambda msg: None, **kwargs: Any):
            opened.append("local model opened")
            say("local model ready")
            yield LocalEndpoint(server.base_url, server.models[0], "scripted", shared=True)

        monkeypatch.setattr(generate_api, "local_endpoint", scripted_local)
        return opened

    return install
