"""`rtlgen SPEC --target yosys`: end to end, --rtl, and every configuration error (exit code 2)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from rtlgen.cli import main
from rtlgen.config import benchmarks_dir
from tests.generate.conftest import COUNT_BY_TWO, COUNTER_DIR, COUNTER_SPEC, GOOD, Script, fenced, module_text
from tests.llm.scripted_server import ScriptedServer, closed_port


def cli(monkeypatch: pytest.MonkeyPatch, *args: str) -> int:
    """Run the console entry point in-process; its exit code."""
    monkeypatch.setattr(sys, "argv", ["rtlgen", *map(str, args)])
    with pytest.raises(SystemExit) as exc:
        main()
    return int(exc.value.code or 0)


def _liberty() -> list[str]:
    root = benchmarks_dir(required=False)
    lib = root / "liberty" / "sky130hd_tt.lib.gz" if root else None
    return ["--liberty", str(lib)] if lib and lib.is_file() else []


@pytest.mark.llm
@pytest.mark.sim
@pytest.mark.synth
def test_end_to_end_counter_target_yosys(llm, isolated: Path, monkeypatch, capsys):
    script = Script(spec=[fenced(COUNT_BY_TWO)], mismatch=[fenced(GOOD)])
    server = llm(script)
    monkeypatch.setenv("RTLGEN_BASE_URL", server.base_url)
    monkeypatch.setenv("RTLGEN_MODEL", server.models[0])
    out = isolated / "out"
    liberty = _liberty()
    code = cli(monkeypatch, COUNTER_SPEC, "--target", "yosys", "--out", out, "-n", "1", "--rounds", "2", *liberty)
    printed = capsys.readouterr().out
    assert code == 0, printed
    assert "VERIFIED" in printed and "generate" in printed and "repair" in printed and "synth" in printed
    assert "samples 1, repair rounds 2, 4 in flight" in printed  # the budget used, as asked
    files = {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()}
    for name in ("counter.v", "verify.json", "ppa.json", "ppa.md", "transcript.jsonl", "summary.json",
                 "llm_usage.txt"):
        assert name in files, sorted(files)
    assert any(f.startswith("testbench/autotb/") for f in files), sorted(files)
    assert module_text((out / "counter.v").read_text()) == module_text(GOOD)
    summary = json.loads((out / "summary.json").read_text())
    assert summary["verified"] is True and summary["llm"]["calls"] == 2
    assert json.loads((out / "verify.json").read_text())["passed"] is True
    transcript = [json.loads(line) for line in (out / "transcript.jsonl").read_text().splitlines()]
    assert len(transcript) == 2
    assert all({"messages", "text", "prompt_tokens", "completion_tokens", "latency_s", "cost_usd", "cached"}
               <= set(t) for t in transcript)
    ppa = json.loads((out / "ppa.json").read_text())
    assert ppa, "empty PPA report"
    assert "| metric | value |" in (out / "ppa.md").read_text() or (out / "ppa.md").read_text().startswith("#")


@pytest.mark.sim
@pytest.mark.synth
def test_rtl_flag_skips_generation(isolated: Path, monkeypatch, capsys):
    """--rtl needs no LLM endpoint at all (none is configured here)."""
    out = isolated / "given"
    code = cli(monkeypatch, COUNTER_SPEC, "--rtl", COUNTER_DIR / "counter.v", "--out", out)
    printed = capsys.readouterr().out
    assert code == 0, printed
    summary = json.loads((out / "summary.json").read_text())
    assert summary["verified"] and summary["llm"] is None and summary["attempts"][0]["kind"] == "given"
    assert (out / "ppa.json").is_file() and not (out / "transcript.jsonl").exists()


@pytest.mark.sim
def test_rtl_flag_with_a_buggy_design_exits_1(isolated: Path, monkeypatch, capsys):
    bad = isolated / "bad.v"
    bad.write_text(COUNT_BY_TWO)
    code = cli(monkeypatch, COUNTER_SPEC, "--rtl", bad, "--out", isolated / "o", "--no-synth")
    assert code == 1
    assert "NOT VERIFIED" in capsys.readouterr().out


def test_no_endpoint_configured(isolated: Path, monkeypatch, capsys):
    code = cli(monkeypatch, COUNTER_SPEC, "--out", isolated / "o")
    err = capsys.readouterr().err
    assert code == 2
    assert "No LLM endpoint is configured" in err and "--base-url" in err and "RTLGEN_BASE_URL" in err
    assert "no local model is installed" in err and "rtlgen llm install" in err and "make setup-llm" in err
    assert not (isolated / "o").exists()


@pytest.mark.llm
def test_dead_endpoint(isolated: Path, monkeypatch, capsys):
    monkeypatch.setenv("RTLGEN_MAX_RETRIES", "1")
    url = f"http://127.0.0.1:{closed_port()}/v1"
    code = cli(monkeypatch, COUNTER_SPEC, "--base-url", url, "--model", "m", "-n", "1", "--out", isolated / "o")
    err = capsys.readouterr().err
    assert code == 2 and "cannot connect to the LLM endpoint" in err and url in err


@pytest.mark.llm
def test_wrong_api_key(isolated: Path, monkeypatch, capsys):
    with ScriptedServer(api_key="right-key") as server:
        code = cli(monkeypatch, COUNTER_SPEC, "--base-url", server.base_url, "--model", server.models[0],
                   "--api-key", "wrong-key", "-n", "1", "--out", isolated / "o")
    err = capsys.readouterr().err
    assert code == 2 and "rejected the API key" in err


@pytest.mark.llm
def test_unknown_model(isolated: Path, monkeypatch, capsys):
    with ScriptedServer() as server:
        code = cli(monkeypatch, COUNTER_SPEC, "--base-url", server.base_url, "--model", "no-such-model",
                   "-n", "1", "--out", isolated / "o")
    err = capsys.readouterr().err
    assert code == 2 and "model 'no-such-model' not found" in err and "scripted-model" in err


def test_bad_budget_is_a_usage_error(isolated: Path, monkeypatch, capsys):
    code = cli(monkeypatch, COUNTER_SPEC, "--budget", "lots", "--base-url", "http://127.0.0.1:9/v1", "--model", "m")
    assert code == 2 and "--budget" in capsys.readouterr().err


def test_unknown_target_is_a_config_error_before_any_llm_call(isolated: Path, monkeypatch, capsys):
    code = cli(monkeypatch, COUNTER_SPEC, "--target", "no-such-flow", "--base-url", "http://127.0.0.1:9/v1",
               "--model", "m", "--out", isolated / "o")
    err = capsys.readouterr().err
    assert code == 2 and "unknown flow 'no-such-flow'" in err and "yosys" in err
