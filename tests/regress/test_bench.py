"""`rtlgen bench` over real benchmark problems, and the record flattening it relies on."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from rtlgen.cli import cli
from rtlgen.errors import ConfigError
from rtlgen.regress.bench import BenchJob, BenchSettings, candidate_jobs, longest_first, run_bench, run_job, run_jobs, \
    select, time_key
from rtlgen.regress.records import RECORD_KEYS, BenchRecord, records_table, totals
from rtlgen.spec.model import Candidate, Spec
from rtlgen.spec.suites import load_suite, reference_candidate
from rtlgen.verify.result import CheckResult, VerifyResult

SMALL = ["Prob012_xnorgate", "Prob024_hadd", "Prob040_count10"]


def ve_specs(bench_root: Path, names: list[str]) -> list[Spec]:
    return select(load_suite(bench_root / "verilog-eval" / "spec-to-rtl"), ",".join(names))


@pytest.mark.bench
@pytest.mark.sim
@pytest.mark.formal
def test_bench_references_pass_and_records_have_the_agreed_keys(bench_root: Path, tmp_path: Path) -> None:
    out, csv = tmp_path / "bench.json", tmp_path / "bench.csv"
    result = CliRunner().invoke(cli, ["bench", str(bench_root / "verilog-eval" / "spec-to-rtl"), "--only", ",".join(SMALL),
                                      "--candidates", "ref", "-j", "2", "--json", str(out), "--csv", str(csv)])
    records = json.loads(out.read_text())
    assert [r["problem"] for r in records] == SMALL
    for r in records:
        assert set(RECORD_KEYS) <= set(r)
        assert (r["suite"], r["official"], r["autotb"]) == ("verilog-eval", "pass", "pass"), r
        assert r["formal"] == "proven" and r["status"] == "pass" and r["failure_class"] is None, r
        assert r["strength"] == "proven" and r["seconds"] > 0
    assert result.exit_code == 0, result.output
    assert list(pd.read_csv(csv)["problem"]) == SMALL


@pytest.mark.bench
@pytest.mark.sim
def test_planted_bug_syntax_error_and_missing_file(bench_root: Path, tmp_path: Path) -> None:
    specs = ve_specs(bench_root, SMALL)
    hadd = reference_candidate(specs[1]).rtl
    assert "{cout, sum} = a+b" in hadd
    (tmp_path / "Prob024_hadd.sv").write_text(hadd.replace("a+b", "a|b"))  # wrong when a = b = 1
    (tmp_path / "Prob012_xnorgate.v").write_text("module TopModule(input a, input b, output out);\n"
                                                 "  assign out = ~(a ^ b)\nendmodule\n")  # missing ';'
    records = run_bench(specs, tmp_path, BenchSettings(("lint", "autotb", "official")), jobs=2)
    by = {r.problem: r for r in records}
    assert by["Prob024_hadd"].status == "fail" and by["Prob024_hadd"].autotb == "fail"
    assert by["Prob024_hadd"].official == "fail"
    assert by["Prob024_hadd"].failure_class == "runtime_mismatch"
    assert by["Prob012_xnorgate"].status == "fail" and by["Prob012_xnorgate"].failure_class == "syntax_error"
    missing = by["Prob040_count10"]
    assert missing.status == "missing" and "Prob040_count10.v" in missing.message
    assert totals(records)["missing"] == 1 and totals(records)["pass"] == 0


@pytest.mark.bench
def test_cli_exit_code_is_nonzero_when_a_problem_does_not_pass(bench_root: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["bench", str(bench_root / "rtllm"), "--only", "accu", "--candidates", str(tmp_path)])
    assert result.exit_code == 1
    assert "missing" in result.output


@pytest.mark.bench
def test_outer_timeout_kills_the_job_and_records_it(bench_root: Path) -> None:
    (job,) = candidate_jobs(ve_specs(bench_root, ["Prob040_count10"]), "ref")
    record = run_job(job, BenchSettings(timeout=0.2))
    assert (record.status, record.failure_class) == ("error", "timeout")
    assert "outer timeout of 0.2 s" in record.message


@pytest.mark.bench
def test_candidate_dir_picks_v_or_sv_and_rejects_non_folders(bench_root: Path, tmp_path: Path) -> None:
    specs = ve_specs(bench_root, SMALL[:2])
    (tmp_path / "Prob024_hadd.sv").write_text("module TopModule(); endmodule\n")
    jobs = candidate_jobs(specs, tmp_path)
    assert jobs[0].candidate is None and jobs[1].candidate.origin.endswith("Prob024_hadd.sv")
    with pytest.raises(ConfigError, match="folder"):
        candidate_jobs(specs, tmp_path / "nope")


def test_candidate_files_are_read_as_verilog_2005(tmp_path: Path) -> None:
    """A ``.v`` candidate's port ``dist`` (a SystemVerilog keyword) reaches the checks as the port ``\\dist ``."""
    (tmp_path / "p.v").write_text("module t(input a, output dist); assign dist = a; endmodule\n")
    (job,) = candidate_jobs([Spec(top="t", name="p")], tmp_path)
    assert job.candidate.rtl == "module t(input a, output \\dist ); assign \\dist  = a; endmodule\n"


def test_select_by_glob_substring_and_limit() -> None:
    specs = [Spec(top="t", name=n) for n in ("Prob001_a", "Prob002_b", "accu", "alu")]
    assert [s.name for s in select(specs, "Prob00*")] == ["Prob001_a", "Prob002_b"]
    assert [s.name for s in select(specs, "al,accu")] == ["accu", "alu"]
    assert [s.name for s in select(specs, None, limit=1)] == ["Prob001_a"]


def test_jobs_never_timed_go_first_by_size_then_timed_ones_longest_first() -> None:
    def job(name: str, rtl: str) -> BenchJob:
        return BenchJob(Spec(top="t", name=name, suite="s"), Candidate(rtl=rtl, top="t"))

    jobs = list(enumerate([job("quick", "x"), job("small_new", "y" * 10), job("slow", "z"), job("big_new", "w" * 99)]))
    settings = BenchSettings(("lint",))
    last = {time_key(jobs[0][1], settings): 0.5, time_key(jobs[2][1], settings): 40.0,
            time_key(jobs[1][1], BenchSettings(("official",))): 99.0}  # another checks' time is not this one's
    order = [j.spec.label for _, j in longest_first(jobs, settings, last)]
    assert order == ["big_new", "small_new", "slow", "quick"]


@pytest.mark.bench
@pytest.mark.sim
def test_run_jobs_starts_the_longest_last_run_first_and_remembers_times(bench_root: Path, tmp_path: Path) -> None:
    jobs = candidate_jobs(ve_specs(bench_root, SMALL), "ref")
    settings, times = BenchSettings(("lint",), isolate=False), tmp_path / "seconds.json"
    times.write_text(json.dumps({time_key(j, settings): s for j, s in zip(jobs, (1.0, 3.0, 2.0))}))
    started: list[str] = []
    records = run_jobs(jobs, settings, progress=lambda r: started.append(r.problem), times=times)
    assert started == ["Prob024_hadd", "Prob040_count10", "Prob012_xnorgate"]
    assert [r.problem for r in records] == SMALL  # records still come back in job order
    remembered = json.loads(times.read_text())
    assert [remembered[time_key(j, settings)] for j in jobs] == [r.seconds for r in records]


def verify_result(*checks: CheckResult) -> VerifyResult:
    return VerifyResult(spec="p", candidate_hash="abc", checks=list(checks), seconds=2.5)


def test_record_from_verify_flattens_verdicts_and_blames_the_first_failure() -> None:
    result = verify_result(
        CheckResult("lint:iverilog", "pass", seconds=0.1), CheckResult("lint:verilator", "pass", seconds=0.2),
        CheckResult("autotb", "fail", "simulated(200)", "runtime_mismatch", "q differs at cycle 7", seconds=1.0),
        CheckResult("formal", "counterexample", "bounded(8)", "runtime_mismatch", "cex", seconds=0.5),
        CheckResult("official", "pass", seconds=0.3))
    r = BenchRecord.from_verify("p", "rtllm", result, "ref")
    assert (r.lint, r.autotb, r.formal, r.official, r.status) == ("pass", "fail", "counterexample", "pass", "fail")
    assert r.failure_class == "runtime_mismatch" and "cycle 7" in r.message
    assert r.check_seconds == {"lint": 0.3, "autotb": 1.0, "formal": 0.5, "official": 0.3}
    assert set(RECORD_KEYS) <= set(r.to_dict()) and "area_um2" not in r.to_dict()
    assert BenchRecord.from_dict(r.to_dict()) == r


@pytest.mark.parametrize("verdicts, status", [
    ({"autotb": "pass", "formal": "proven", "official": "pass"}, "pass"),
    ({"autotb": "pass", "formal": "inconclusive", "official": "absent"}, "pass"),
    ({"autotb": "absent", "formal": "inconclusive", "official": "absent"}, "inconclusive"),
    ({"autotb": "error", "formal": "proven", "official": "pass"}, "error"),
    ({"autotb": "pass", "formal": "proven", "official": "fail"}, "fail"),
])
def test_status_summarises_the_checks(verdicts: dict[str, str], status: str) -> None:
    result = verify_result(CheckResult("lint:iverilog", "pass"), *(CheckResult(c, v) for c, v in verdicts.items()))
    assert BenchRecord.from_verify("p", None, result).status == status


def test_records_table_columns_and_ppa_columns_only_when_present() -> None:
    plain = BenchRecord("a", "rtllm", status="pass")
    frame = records_table([plain])
    assert list(frame.columns[:3]) == ["problem", "suite", "status"] and "area_um2" not in frame.columns
    ppa = BenchRecord("b", "rtllm", status="pass", area_um2=12.5, liberty="sky130", clock_ns=10.0)
    assert records_table([plain, ppa])["area_um2"].tolist()[1] == 12.5


def test_settings_reject_unknown_checks_and_simulators() -> None:
    with pytest.raises(ConfigError, match="choose from lint, autotb, formal, official"):
        BenchSettings(checks=("lint", "vibes"))
    with pytest.raises(ConfigError, match="icarus, verilator"):
        BenchSettings(simulator="vcs")
