"""PPA does not depend on the benchmark's testbench compiling: VerilogEval's Prob099 testbench binds ports
(Y2, Y4) that its own prompt and reference do not have; the reference is still synthesized and the record
says, apart from its status, that the official testbench failed and why."""
from __future__ import annotations

from pathlib import Path

import pytest

from rtlgen.regress.bench import BenchJob, BenchSettings, run_job
from rtlgen.regress.records import BenchRecord
from rtlgen.spec.suites import load_suite, reference_candidate
from rtlgen.synth.target import Target
from rtlgen.verify.result import CheckResult, VerifyResult

pytestmark = [pytest.mark.bench, pytest.mark.sim, pytest.mark.synth]


def test_broken_official_testbench_is_reported_apart_and_ppa_still_runs(bench_root: Path) -> None:
    spec = next(s for s in load_suite(bench_root / "verilog-eval" / "spec-to-rtl") if s.name == "Prob099_m2014_q6c")
    settings = BenchSettings(("lint", "official"), isolate=False,
                             ppa=Target(liberty=bench_root / "liberty" / "sky130hd_tt.lib.gz"))
    record = run_job(BenchJob(spec, reference_candidate(spec), "ref"), settings)
    assert record.official == "error" and record.status == "pass" and record.failure_class is None, record
    assert "official testbench does not compile" in record.official_error and "Y2" in record.official_error
    assert record.area_um2 and record.area_um2 > 0 and record.delay_ns and record.liberty


def test_a_real_failure_still_decides_beside_a_broken_testbench() -> None:
    broken = CheckResult("official", "error", failure_class="testbench_broken", message="tb broken\n  | port Y2")
    result = VerifyResult("p", "h", checks=[CheckResult("lint:iverilog", "pass"), broken,
                                            CheckResult("autotb", "fail", "simulated(9)", "runtime_mismatch", "q")])
    record = BenchRecord.from_verify("p", "verilog-eval", result)
    assert record.status == "fail" and record.failure_class == "runtime_mismatch"
    assert record.official_error == "tb broken\n  | port Y2"
    assert BenchRecord.from_dict(record.to_dict()) == record
