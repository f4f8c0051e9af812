"""Every command the README shows runs, as written, from a copy of the checkout (benchmarks beside it); so do
the commands of the documents the README sends a user to for more (COMMAND_DOCS).

Commands that need an LLM endpoint talk to the scripted OpenAI-compatible server (RTLGEN_BASE_URL), which
answers a spec prompt with the example design of that name from designs/. The README can no longer drift
from the code: a renamed option, a missing file or a changed default fails here.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.llm.scripted_server import ScriptedServer

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
# The README keeps one example per use; the other commands live in these documents, and run here all the same.
COMMAND_DOCS = (README, ROOT / "docs" / "usage.md", ROOT / "docs" / "generation.md")
USER_FILES = ("designs", "examples", "README.md")
README_MAX_LINES = 150  # a newcomer's front page: the rest belongs in docs/


def readme_blocks(lang: str, doc: Path = README) -> list[str]:
    return re.findall(rf"^```{lang}\n(.*?)^```", doc.read_text(), flags=re.MULTILINE | re.DOTALL)


# Commands the README shows that this test does not run, each with the reason (keep this list short).
NOT_RUN = {
    "rtlgen llm install": "downloads model weights (0.5-1 GB); tests/llm covers install from small parts",
    "rtlgen llm serve": "starts a server that runs until stopped",
}


def doc_commands(doc: Path) -> list[str]:
    """The `rtlgen ...` lines of a document's sh blocks (setup lines like `make setup` are CI's own job)."""
    return [line.strip() for block in readme_blocks("sh", doc) for line in block.splitlines()
            if line.strip().startswith("rtlgen ")]


def readme_commands() -> list[str]:
    return [command for doc in COMMAND_DOCS for command in doc_commands(doc)]


def _skipped(command: str) -> str | None:
    return next((why for prefix, why in NOT_RUN.items() if command.startswith(prefix)), None)


def _design_for(body: dict[str, Any]) -> str:
    """A spec prompt gets the README design it names, in a fenced block."""
    text = " ".join(m["content"] for m in body["messages"])
    for name in ("counter", "alu"):
        if re.search(rf"\b{name}\b", text):
            return f"```verilog\n{(ROOT / 'designs' / name / f'{name}.v').read_text()}```\n"
    return "no idea"


@pytest.fixture
def checkout(tmp_path: Path, benchmarks: Path) -> Path:
    """A copy of the checkout's user-facing files with ../shared/benchmarks beside it."""
    root = tmp_path / "rtlgen"
    root.mkdir()
    for name in USER_FILES:
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, root / name)
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "benchmarks").symlink_to(benchmarks.resolve())
    return root


def test_readme_commands_are_found() -> None:
    commands = readme_commands()
    assert len(commands) >= 10 and any(c.startswith("rtlgen verify") for c in commands)
    assert all(doc_commands(doc) for doc in COMMAND_DOCS), "a document the README test runs shows no command"
    assert readme_blocks("python"), "the library example is missing"


def test_readme_is_a_front_page() -> None:
    lines = len(README.read_text().splitlines())
    assert lines < README_MAX_LINES, f"README.md has {lines} lines: move details to docs/ (under {README_MAX_LINES})"


@pytest.mark.slow
@pytest.mark.bench
@pytest.mark.llm
@pytest.mark.timeout(900)
def test_every_readme_command_runs_as_written(checkout: Path, tmp_path: Path) -> None:
    keep = ("RTLGEN_CACHE",)  # the user's cache (liberties, tool builds) as a user would have it
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RTLGEN_", "OPENAI_")) or k in keep}
    env.update(RTLGEN_CONFIG=str(tmp_path / "no-config.yaml"),
               XDG_CONFIG_HOME=str(tmp_path / "config"),
               PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    failures = []
    with ScriptedServer(responder=_design_for) as server:
        env.update(RTLGEN_BASE_URL=server.base_url, RTLGEN_MODEL=server.models[0], OPENAI_API_KEY="none")
        for command in readme_commands():
            if why := _skipped(command):
                print(f"$ {command}\n  not run: {why}")
                continue
            start = time.monotonic()
            proc = subprocess.run(["bash", "-c", command], cwd=checkout, env=env, capture_output=True, text=True,
                                  timeout=300)
            print(f"$ {command}\n  exit {proc.returncode} in {time.monotonic() - start:.1f} s")
            if proc.returncode != 0:
                failures.append(f"$ {command}\nexit {proc.returncode}\n{proc.stdout[-1500:]}\n{proc.stderr[-1500:]}")
        for block in readme_blocks("python"):
            proc = subprocess.run([sys.executable, "-c", block], cwd=checkout, env=env, capture_output=True, text=True,
                                  timeout=300)
            print(f"$ python (README library example)\n  exit {proc.returncode}")
            if proc.returncode != 0:
                failures.append(f"README python block\n{proc.stdout[-1500:]}\n{proc.stderr[-1500:]}")
    assert not failures, "\n\n".join(failures)
    assert (checkout / "mydesign" / "spec.md").is_file() and (checkout / "rtllm.html").is_file()
    assert (checkout / "out" / "counter" / "counter.v").is_file()
