"""Output folders never mix runs (rtlgen.outdir), and generated SystemVerilog is saved as .sv."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from rtlgen.cli import main
from rtlgen.errors import ConfigError
from rtlgen.generate.outputs import write_outputs
from rtlgen.generate.result import GenerationResult
from rtlgen.outdir import MANIFEST, claim, rtl_file_name
from tests.generate.conftest import COUNTER_DIR, COUNTER_SPEC, GOOD, isolated  # noqa: F401 - fixture

SV_COUNTER = """module counter #(parameter int WIDTH = 8) (
    input  logic             clk,
    input  logic             rst,
    input  logic             en,
    output logic [WIDTH-1:0] count
);
    always_ff @(posedge clk) begin
        if (rst) count <= '0;
        else if (en) count <= count + 1'b1;
    end
endmodule
"""


def _main(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture, *args: object) -> tuple[int, str]:
    """The console entry point in-process: exit code and everything printed."""
    monkeypatch.setattr(sys, "argv", ["rtlgen", *map(str, args)])
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    printed = capsys.readouterr()
    return code, printed.out + printed.err


class _Ledger:
    def table(self) -> str:
        return "calls 2"


class _RecordedClient:
    """What write_outputs needs of an LLM client: a transcript and a usage table."""

    ledger = _Ledger()

    def write_transcript(self, path: Path) -> Path:
        path.write_text('{"text": "an earlier reply"}\n')
        return path


def _earlier_llm_run(out: Path) -> None:
    result = GenerationResult(spec="counter", top="counter", source=None, verified=False, rtl=GOOD,
                              candidate_hash=None, rank="", golden="generated model", interface_from="spec")
    write_outputs(result, out, client=_RecordedClient(), golden_model="def model(): ...\n")


def _listing(out: Path) -> set[str]:
    return {p.name for p in out.iterdir()} - {MANIFEST}


@pytest.mark.sim
def test_rtl_run_leaves_nothing_of_an_earlier_llm_run(isolated: Path, monkeypatch, capsys) -> None:
    out = isolated / "out"
    _earlier_llm_run(out)
    assert {"transcript.jsonl", "llm_usage.txt", "golden_model.py"} <= _listing(out)
    code, printed = _main(monkeypatch, capsys, COUNTER_SPEC, "--rtl", COUNTER_DIR / "counter.v", "--out", out,
                          "--no-synth")
    assert code == 0, printed
    summary = json.loads((out / "summary.json").read_text())
    assert summary["llm"] is None
    assert _listing(out) == {f.split("/")[0] for f in summary["files"]}  # the folder is exactly this run's
    assert not {"transcript.jsonl", "llm_usage.txt", "golden_model.py"} & _listing(out)


def test_a_folder_with_the_users_files_is_refused_before_any_work(isolated: Path, monkeypatch, capsys) -> None:
    out = isolated / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("my notes")
    code, printed = _main(monkeypatch, capsys, COUNTER_SPEC, "--rtl", COUNTER_DIR / "counter.v", "--out", out)
    assert code == 2
    assert str(out) in printed and "notes.txt" in printed and "--force" in printed
    assert _listing(out) == {"notes.txt"} and not (out / MANIFEST).exists()


@pytest.mark.sim
def test_mutate_force_keeps_the_users_files_and_reruns_replace_old_mutants(tmp_path: Path, monkeypatch,
                                                                             capsys) -> None:
    design = tmp_path / "counter.v"
    design.write_text(GOOD)
    out = tmp_path / "m"
    out.mkdir()
    (out / "notes.txt").write_text("my notes")
    args = ("mutate", design, "--top", "counter", "--out", out)
    code, printed = _main(monkeypatch, capsys, *args, "-n", "3")
    assert code == 2 and "--force" in printed
    code, printed = _main(monkeypatch, capsys, *args, "-n", "3", "--force")
    assert code == 0, printed
    assert _listing(out) == {"notes.txt", "mutants.json", "counter_m01.v", "counter_m02.v", "counter_m03.v"}
    code, printed = _main(monkeypatch, capsys, *args, "-n", "2")  # the notes were accepted once: no --force
    assert code == 0, printed
    assert _listing(out) == {"notes.txt", "mutants.json", "counter_m01.v", "counter_m02.v"}
    assert (out / "notes.txt").read_text() == "my notes"


def test_claim_removes_only_what_rtlgen_wrote(tmp_path: Path) -> None:
    out = tmp_path / "o"
    folder = claim(out, "run")
    assert not out.exists()  # nothing is created until something is written
    folder.record(out / "a.v", "testbench/autotb/tb.py", out.resolve() / "sub" / "x")
    for name in ("a.v", "testbench/autotb/tb.py", "sub/x"):
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_text("old run")
    claim(out, "run")
    assert _listing(out) == set()
    (out / "later.txt").write_text("the user's")
    with pytest.raises(ConfigError, match=r"later\.txt.*--force"):
        claim(out, "run")
    claim(out, "run", force=True).record("b.v")
    (out / "b.v").write_text("new run")
    claim(out, "run")
    assert _listing(out) == {"later.txt"}


def test_a_run_folder_without_manifest_is_read_by_its_summary(tmp_path: Path) -> None:
    """A folder a generation run wrote before manifests existed: its summary.json lists what that run wrote."""
    out = tmp_path / "o"
    _earlier_llm_run(out)
    (out / MANIFEST).unlink()
    (out / "notes.txt").write_text("the user's")
    with pytest.raises(ConfigError, match=r"\(notes\.txt\)"):  # only the user's file is foreign
        claim(out, "run")
    claim(out, "run", force=True)
    assert _listing(out) == {"notes.txt"}


def test_systemverilog_is_named_sv_and_verilog_v() -> None:
    assert rtl_file_name("counter", SV_COUNTER) == "counter.sv"
    assert rtl_file_name("counter", GOOD) == "counter.v"
    assert rtl_file_name("t", "module t(input a, output y);\n  // logic here\n  assign y = a;\nendmodule\n") == "t.v"


@pytest.mark.sim
@pytest.mark.synth
def test_generated_systemverilog_is_saved_as_sv_and_reads_back(isolated: Path, monkeypatch, capsys, caplog) -> None:
    given = isolated / "given.v"  # SystemVerilog in a .v file: read as written, with a warning (rtl_file.read_rtl)
    given.write_text(SV_COUNTER)
    out = isolated / "out"
    code, printed = _main(monkeypatch, capsys, COUNTER_SPEC, "--rtl", given, "--out", out, "--no-synth")
    assert code == 0, printed
    assert f"{given}: read as SystemVerilog" in caplog.text
    assert (out / "counter.sv").read_text() == SV_COUNTER and not (out / "counter.v").exists()
    assert "counter.sv" in json.loads((out / "summary.json").read_text())["files"]
    code, printed = _main(monkeypatch, capsys, "synth", out / "counter.sv", "--top", "counter")
    assert code == 0, printed
