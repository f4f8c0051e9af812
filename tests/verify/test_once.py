"""What one check run does once: parse a text, lex it for the sandbox scan, build the stimulus. The auto testbench's
limit follows the simulator it runs under, and under Icarus its harness replays the stimulus itself (no cocotb)
while the checker reads the outputs it wrote."""
from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest

from rtlgen.spec.model import Candidate
from rtlgen.spec.syntax import parse
from rtlgen.verify import api, autotb, official, sandbox
from rtlgen.verify.autotb import OUTPUTS, run_autotb
from rtlgen.verify.blocks import read_design
from rtlgen.verify.golden import END_MARK, CheckerConfig, Layout, judge
from rtlgen.verify.lint import complete_modules
from rtlgen.verify.result import CheckResult
from rtlgen.verify.sandbox import check_untrusted, refuse_untrusted
from rtlgen.verify.stimulus import Stimulus
from tests.conftest import spec_from_rtl
from tests.verify.test_official import local_spec
from tests.verify.test_unsupported import FSM, MODEL

WIRE = "module TopModule(input a, output y);\n  assign y = a;\nendmodule\n"


def _wire_spec(tmp_path: Path):
    (tmp_path / "ref.v").write_text(WIRE)
    return spec_from_rtl(WIRE).with_(reference_rtl=str(tmp_path / "ref.v"), reference_top="TopModule")


def _counted(monkeypatch: pytest.MonkeyPatch, module: object, name: str, calls: list[str]) -> None:
    real = getattr(module, name)

    def counting(*args: object, **kwargs: object) -> object:
        calls.append(name)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, counting)


def test_a_text_is_parsed_once_and_a_changed_text_again() -> None:
    text = "module parsed_once(input x, output y);\n  assign y = x;\nendmodule\n"
    assert parse(text) is parse(text)
    assert complete_modules(text) == ["parsed_once"]
    changed = text.replace("parsed_once", "parsed_twice")
    assert parse(changed) is not parse(text) and complete_modules(changed) == ["parsed_twice"]
    assert parse(text, "other.sv") is not parse(text)  # the file name is in every location of the tree


def test_a_candidate_is_lexed_once_for_every_scan_and_a_changed_one_again(monkeypatch: pytest.MonkeyPatch) -> None:
    lexed: list[str] = []
    _counted(monkeypatch, sandbox, "Lexer", lexed)
    name = f"scanned_{uuid.uuid4().hex}"  # a text no earlier test scanned
    candidate = Candidate(f"module {name}(input a, output y);\n  assign y = a;\nendmodule\n", name)
    refuse_untrusted(candidate)  # verify
    refuse_untrusted(candidate)  # its lint
    refuse_untrusted(candidate, forbidden_text=("Mismatches:",))  # its official testbench
    assert len(lexed) == 1
    with pytest.raises(sandbox.UnsafeRTL, match=r"\$finish"):
        check_untrusted(candidate.rtl.replace("assign", "initial $finish;\n  assign"))
    assert len(lexed) == 2


def test_the_blocks_say_which_were_written_always_comb() -> None:
    design = read_design("module m(input a, output logic y, output reg z);\n  always_comb y = a;\n"
                         "  always @* z = a;\nendmodule\n")
    assert [(b.line, b.kind, b.always_comb) for b in design.blocks] == [(2, "comb", True), (3, "comb", False)]


@pytest.mark.sim
def test_verify_builds_the_stimulus_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[str] = []
    _counted(monkeypatch, api, "make_stimulus", built)
    _counted(monkeypatch, autotb, "make_stimulus", built)
    result = api.verify(Candidate(WIRE, "TopModule"), _wire_spec(tmp_path), checks=("autotb", "official"),
                        workdir=tmp_path)
    assert result.get("autotb").verdict == "pass" and built == ["make_stimulus"]


@pytest.mark.sim
def test_autotb_moved_to_verilator_gets_verilator_s_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    asked: dict[str, object] = {}

    def fake_autotb(candidate: Candidate, spec: object, workdir: Path, **kwargs: object) -> CheckResult:
        asked.update(kwargs)
        return CheckResult("autotb", "pass")

    monkeypatch.setattr(autotb, "run_autotb", fake_autotb)
    (tmp_path / "model.py").write_text(MODEL)
    spec = spec_from_rtl(FSM, model=str(tmp_path / "model.py"))
    candidate = Candidate(FSM, "TopModule")
    api.verify(candidate, spec, checks=("lint", "autotb"), workdir=tmp_path)
    assert asked["simulator"] == "verilator"  # Icarus does not support the enum casts
    assert asked["timeout"] == api.default_timeout(candidate, spec, "verilator")
    assert asked["timeout"] > api.default_timeout(candidate, spec, "icarus")


@pytest.mark.sim
def test_icarus_autotb_replays_the_stimulus_in_the_harness(tmp_path: Path) -> None:
    result = run_autotb(Candidate(WIRE, "TopModule"), _wire_spec(tmp_path), tmp_path)
    assert result.verdict == "pass" and "results" not in result.artifacts  # no cocotb results file
    lines = (tmp_path / "autotb" / OUTPUTS).read_text().splitlines()
    assert lines == ["0 0", "1 1", END_MARK]  # the exhaustive stimulus of one input: the candidate's, the reference's


def _checker(tmp_path: Path) -> Path:
    Stimulus(("a",), (2,), ((0,), (1,), (2,), (3,)), (), "exhaustive").write(tmp_path / "stimulus.json")
    config = tmp_path / "checker.json"
    CheckerConfig(Layout(("y",), (2,)), "stimulus.json", "verdict.json", "token", "reference").write(config)
    return config


def test_the_checker_reads_the_replayed_outputs(tmp_path: Path) -> None:
    config = _checker(tmp_path)
    outputs = tmp_path / "outputs.txt"
    outputs.write_text("00 00\n01 01\n1x 10\n11 11\n" + END_MARK + "\n")
    judge(config, outputs)
    verdict = json.loads((tmp_path / "verdict.json").read_text())
    assert (verdict["status"], verdict["failure_class"], verdict["compared"]) == ("fail", "runtime_mismatch", 4)
    assert verdict["mismatch"]["cycle"] == 2 and verdict["mismatch"]["actual"] == "2'b1x"


def test_no_verdict_when_the_simulation_stopped_before_the_end(tmp_path: Path) -> None:
    config = _checker(tmp_path)
    outputs = tmp_path / "outputs.txt"
    outputs.write_text("00 00\n01 01\n")  # no end mark: the harness did not reach its last vector
    judge(config, outputs)
    assert not (tmp_path / "verdict.json").exists()


@pytest.mark.sim
def test_the_official_check_reuses_lint_s_compile_of_the_candidate_alone(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    commands: list[str] = []
    real = official.run

    def recording(cmd: list[str], **kwargs: object) -> object:
        commands.append(" ".join(cmd))
        return real(cmd, **kwargs)

    monkeypatch.setattr(official, "run", recording)
    spec = local_spec(tmp_path)
    good = Candidate("module inv(input [3:0] a, output [3:0] y); assign y = ~a; endmodule\n", "inv")
    result = api.verify(good, spec, checks=("lint", "official"), workdir=tmp_path)
    assert result.get("official").verdict == "pass" and not any("alone.vvp" in c for c in commands)
    assert official.run_official(good, spec, tmp_path / "alone").verdict == "pass"  # no lint before it: compiled
    assert any("alone.vvp" in c for c in commands)
    bad = Candidate("module inv(input [3:0] a, output [3:0] y); assign y = a + ; endmodule\n", "inv")
    refused = api.verify(bad, spec, checks=("lint", "official"), workdir=tmp_path).get("official")
    assert refused.verdict == "fail" and "does not compile on its own" in refused.message


@pytest.mark.sim
def test_the_reference_is_prepared_once_for_every_candidate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    renamed: list[str] = []
    _counted(monkeypatch, autotb, "prefix_modules", renamed)
    (tmp_path / "ref.v").write_text(WIRE + f"// a reference text no earlier test prepared: {uuid.uuid4().hex}\n")
    spec = spec_from_rtl(WIRE).with_(reference_rtl=str(tmp_path / "ref.v"), reference_top="TopModule")
    for k, rtl in enumerate((WIRE, WIRE.replace("assign y = a;", "assign y = a ^ 1'b0;"))):
        assert run_autotb(Candidate(rtl, "TopModule"), spec, tmp_path / str(k)).verdict == "pass"
    assert renamed == ["prefix_modules"]
