"""GenerationResult is plain data: what ``to_dict`` writes (summary.json, regress records) ``from_dict`` reads back."""
from __future__ import annotations

import json

from rtlgen.generate.result import Attempt, GenerationResult, LoopBudget, StageTime
from rtlgen.llm.ledger import LLMUsage
from rtlgen.synth.report import SynthReport
from rtlgen.verify.result import CheckResult, VerifyResult


def _result() -> GenerationResult:
    verify = VerifyResult("counter", "abc123", [CheckResult("lint:iverilog", "pass"),
                                                 CheckResult("formal", "proven", strength="proven", seconds=1.5)])
    ppa = SynthReport(top="counter", design_hash="abc123", flow="yosys", clock_ns=10.0, area_kind="um2",
                      liberty={"name": "sky130", "path": "/x.lib", "sha256": "0f"}, area_um2=123.4, cell_count=17,
                      delay_ns=1.25, slack_ns=8.75, clock_ports=("clk",), power_w=2e-5, warnings=("w",))
    return GenerationResult(spec="counter", top="counter", source="designs/counter/spec.md", verified=True,
                            rtl="module counter; endmodule\n", candidate_hash="abc123", rank="verified",
                            golden="spec model", interface_from="spec", verify=verify, ppa=ppa,
                            attempts=[Attempt(0, 0, "sample", "abc123", "verified", "PASS", llm_calls=["c1"])],
                            stages=[StageTime("generate", 3.0, "1 attempt")], notes=["n"],
                            llm=LLMUsage("counter:", calls=1, prompt_tokens=10, cost_known=False, model="qwen",
                                         base_url="http://127.0.0.1:1/v1"),
                            budget=LoopBudget(8, 0, concurrency=1),
                            tool_seconds=2.0, seconds=5.0)


def test_a_result_round_trips_through_json() -> None:
    result = _result()
    again = GenerationResult.from_dict(json.loads(result.to_json(default=str)))
    assert again == result
    assert isinstance(again.ppa, SynthReport) and again.ppa.clock_ports == ("clk",)
    assert isinstance(again.llm, LLMUsage) and isinstance(again.budget, LoopBudget)
    assert str(again.strength) == "proven" and again.rejected_edits == 0
    assert str(again) == str(result)  # the summary renders the same from the stored record


def test_the_summary_reads_the_typed_report() -> None:
    text = str(_result())
    assert "123.40 um2 (17 cells)" in text and "1.250 ns critical path, slack 8.750 ns" in text
    assert "2.000e-05 W" in text
    bare = GenerationResult.from_dict({**_result().to_dict(), "ppa": None})
    rows = dict(bare.summary_rows())
    assert rows["area"] == rows["timing"] == rows["power"] == "-"


def test_the_summary_reads_the_typed_usage_and_budget() -> None:
    rows = dict(_result().summary_rows())
    assert rows["loop budget"] == "samples 8, repair rounds 0, 1 in flight"
    assert rows["LLM"] == "qwen at http://127.0.0.1:1/v1"
    assert rows["LLM calls"] == "1 (0 cached), 10+0 tokens, cost unknown (no prices configured)"
    given = dict(GenerationResult.from_dict({**_result().to_dict(), "llm": None, "budget": None}).summary_rows())
    assert given["loop budget"] == given["LLM"] == given["LLM calls"] == "-"  # --rtl: no LLM asked


def test_the_verdict_names_its_evidence_and_tells_spec_only_from_a_users_model() -> None:
    spec_only = GenerationResult.from_dict({**_result().to_dict(),
                                            "evidence": "spec-only: 5/8 samples + 2/3 models agree"})
    assert spec_only.verdict == "proven, spec-only: 5/8 samples + 2/3 models agree"
    assert dict(spec_only.summary_rows())["verdict"] == spec_only.verdict
    assert spec_only.to_dict()["verdict"] == spec_only.verdict
    users = GenerationResult.from_dict({**_result().to_dict(), "evidence": "against the spec's golden model"})
    assert users.verdict == "proven, against the spec's golden model"
