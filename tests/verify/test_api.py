"""verify(): sandbox first, lint gates the functional checks, private run dirs, `rtlgen verify` exit codes."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import rtlgen
from rtlgen.cli import cli, main
from rtlgen.errors import ConfigError
from rtlgen.spec.model import Candidate, Port, Spec
from rtlgen.verify.api import overall, verify
from rtlgen.verify.result import CheckResult, VerifyResult

pytestmark = pytest.mark.sim

SPEC = Spec(top="inv", ports=(Port("a", "input", 4), Port("y", "output", 4)), name="inv")
GOOD = "module inv(input [3:0] a, output [3:0] y); assign y = ~a; endmodule\n"


def test_unsafe_rtl_runs_nothing(tmp_path: Path) -> None:
    evil = GOOD.replace("endmodule", 'initial $system("touch pwned");\nendmodule')
    result = verify(Candidate(evil, "inv"), SPEC, workdir=tmp_path)
    names = [c.check for c in result.checks]
    assert names == ["lint:interface", "lint:iverilog", "lint:verilator", "autotb", "formal", "official"]
    assert all(c.verdict == "error" and c.failure_class == "unsafe_rtl" for c in result.checks)
    assert "line 1: $system runs a shell command" in result.checks[0].message
    assert list(tmp_path.iterdir()) == [] and not Path("pwned").exists()
    assert overall(result) == "fail"


def test_lint_failure_skips_functional_checks(tmp_path: Path) -> None:
    result = verify(Candidate(GOOD.replace("[3:0] y", "[2:0] y"), "inv"), SPEC, workdir=tmp_path)
    assert result.get("lint:interface").failure_class == "port_binding"
    for name in ("autotb", "formal"):
        check = result.get(name)
        assert check.verdict == "absent" and "lint failed (lint:interface: port_binding)" in check.message
    assert result.get("official").verdict == "absent"
    assert overall(result) == "fail" and not result.passed


def test_lint_only_pass_and_run_dir_removed(tmp_path: Path) -> None:
    result = verify(Candidate(GOOD, "inv"), SPEC, checks=("lint",), workdir=tmp_path)
    assert [c.verdict for c in result.checks] == ["pass"] * 3
    assert overall(result) == "pass" and list(tmp_path.iterdir()) == []
    kept = verify(Candidate(GOOD, "inv"), SPEC, checks=("lint",), workdir=tmp_path, keep=True)
    workdirs = {Path(c.artifacts["workdir"]) for c in kept.checks}
    assert len(workdirs) == 1 and (next(iter(workdirs)) / "candidate.sv").read_text() == GOOD


def test_bad_arguments_are_config_errors() -> None:
    with pytest.raises(ConfigError, match="choose from lint, autotb, formal, official"):
        verify(Candidate(GOOD, "inv"), SPEC, checks=("lint", "magic"))
    with pytest.raises(ConfigError, match="icarus, verilator"):
        verify(Candidate(GOOD, "inv"), SPEC, simulator="modelsim")


def test_overall_words() -> None:
    def res(*checks: tuple[str, str]) -> VerifyResult:
        return VerifyResult("s", "h", [CheckResult(name, verdict) for name, verdict in checks])

    assert overall(res(("lint:iverilog", "pass"), ("autotb", "pass"), ("formal", "inconclusive"))) == "pass"
    assert overall(res(("autotb", "absent"), ("formal", "inconclusive"))) == "unverified"
    assert overall(res(("autotb", "pass"), ("formal", "counterexample"))) == "fail"
    assert overall(res(("autotb", "pass"), ("official", "fail"))) == "pass"  # official decides only alone
    assert overall(res(("lint:iverilog", "pass"), ("official", "fail"))) == "fail"
    assert overall(res(("lint:iverilog", "pass"), ("autotb", "error"))) == "error"


def test_package_is_callable_and_lazy() -> None:
    result = rtlgen.verify(Candidate(GOOD, "inv"), SPEC, checks=("lint",))
    assert isinstance(result, VerifyResult) and rtlgen.verify.verify is verify


@pytest.mark.bench
def test_cli_exit_codes_on_a_benchmark_problem(benchmarks: Path, tmp_path: Path) -> None:
    ref = benchmarks / "verilog-eval" / "spec-to-rtl" / "Prob040_count10_ref.sv"
    good = tmp_path / "count10.sv"
    good.write_text(ref.read_text().replace("RefModule", "TopModule"))
    bad = tmp_path / "bug.sv"
    bad.write_text(good.read_text().replace("q == 9", "q == 10"))
    runner = CliRunner()
    args = ["--spec", "verilog-eval:Prob040_count10", "--checks", "lint,official", "--workdir", str(tmp_path / "runs")]
    ok = runner.invoke(cli, ["verify", str(good), *args, "--json", str(tmp_path / "r.json")])
    assert ok.exit_code == 0, ok.output
    data = json.loads((tmp_path / "r.json").read_text())
    assert data["overall"] == "pass" and data["checks"][-1]["strength"] == "simulated(439)"
    fail = runner.invoke(cli, ["verify", str(bad), *args])
    assert fail.exit_code == 1 and "Mismatches: 328 in 439 samples" in fail.output
    missing = runner.invoke(cli, ["verify", str(tmp_path / "nope.sv"), *args])
    assert missing.exit_code == 2 and "does not exist" in missing.output


def test_cli_bad_spec_exits_2(tmp_path: Path, monkeypatch, capsys) -> None:
    cand = tmp_path / "c.v"
    cand.write_text(GOOD)
    monkeypatch.setattr(sys, "argv", ["rtlgen", "verify", str(cand), "--spec", str(tmp_path / "missing.md")])
    with pytest.raises(SystemExit) as info:
        main()
    assert info.value.code == 2 and "missing.md' does not exist" in capsys.readouterr().err


@pytest.mark.bench
@pytest.mark.formal
def test_full_verify_of_a_reference_and_a_planted_bug(benchmarks: Path) -> None:
    from rtlgen.spec.suites import load_suite, reference_candidate

    spec = next(s for s in load_suite(benchmarks / "verilog-eval" / "spec-to-rtl") if s.name == "Prob040_count10")
    good = reference_candidate(spec)
    result = verify(good, spec)
    verdicts = {c.check: c.verdict for c in result.checks}
    assert verdicts == {"lint:interface": "pass", "lint:iverilog": "pass", "lint:verilator": "pass",
                        "autotb": "pass", "agreement": "pass", "formal": "proven", "official": "pass"}, result
    assert result.passed and overall(result) == "pass" and result.strength == "proven"
    bad = verify(Candidate(good.rtl.replace("q == 9", "q == 10"), spec.top), spec)
    assert {c.check: c.verdict for c in bad.checks if c.check in ("autotb", "formal", "official")} == {
        "autotb": "fail", "formal": "counterexample", "official": "fail"}, bad
    assert overall(bad) == "fail" and bad.first_mismatch is not None
