"""`rtlgen report` reads every JSON rtlgen writes, each written here by its own writer (to_dict/to_json)."""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from rtlgen.generate.result import GenerationResult
from rtlgen.optimize.pairs import PairRecord
from rtlgen.optimize.result import OptResult, Step
from rtlgen.regress.api import RegressResult
from rtlgen.regress.diff import Diff
from rtlgen.regress.model import Item, RunInfo
from rtlgen.regress.records import BenchRecord
from rtlgen.report.html import write_report
from rtlgen.synth.report import SynthReport
from rtlgen.verify.result import CheckResult, VerifyResult

VECTORLESS = "vectorless(input_activity=0.1,duty=0.5)"
SYNTH = SynthReport(top="counter", design_hash="3318f3c7", flow="yosys", clock_ns=10.0, area_kind="um2",
                    liberty={"name": "NangateOpenCellLibrary_typical", "path": "/x.lib", "sha256": "ab"},
                    area_um2=120.5, delay_ns=0.812, power_w=2.06e-3, cell_count=30,
                    critical_path={"startpoint": "count_reg[0]", "endpoint": "count_reg[7]", "path_group": "clk"},
                    activity={"source": VECTORLESS})
GATE_POWER = {"engine": "gate", "source": "gate-sim(/w/rtl.vcd)", "internal_w": 3e-6, "switching_w": 2e-6,
              "leakage_w": 1e-6, "total_w": 6e-6,
              "groups": {"clock": {"total_w": 1.5e-6}, "register": {"total_w": 2.5e-6},
                         "combinational": {"total_w": 2e-6}},
              "top_cells": [{"instance": "c_3", "cell": "DFF_X1", "group": "register", "total_w": 1e-6}]}
GATE_SYNTH = SYNTH.with_(power_w=6e-6, power=GATE_POWER, activity={"source": "gate-sim(/w/rtl.vcd)", "cycles": 2000})
VERIFY = VerifyResult("counter", "3318f3c7", [CheckResult("lint:iverilog", "pass", seconds=0.1),
                                                CheckResult("autotb", "fail", failure_class="runtime_mismatch",
                                                            message="first mismatch at cycle 12", seconds=0.6)])


def _written(tmp_path: Path, data: Any) -> tuple[str, str]:
    """``data`` as a JSON file, reported: the kind it was read as and the page."""
    src = tmp_path / "in.json"
    src.write_text(data if isinstance(data, str) else json.dumps(data, default=str))
    page, kind = write_report(src, tmp_path / "r.html")
    return kind.name, page.read_text()


def _headers(html: str) -> list[str]:
    head = html[html.index("<thead>"):html.index("</thead>")]
    return re.findall(r"<th[^>]*>([^<]*)</th>", head)


def test_bench_optimize_pairs(tmp_path: Path) -> None:
    pairs = [PairRecord("LFSR", "rtllm", input_area=25.004, rtl_area=25.004, final_area=20.0, input_delay=0.18,
                        final_delay=0.18, power_before=4.63e-6, power_after=4.1e-6, equivalence="proven",
                        autotb="pass", rules=("share-adders",), tried=18, accepted=1, seconds=49.7),
             PairRecord("alu", "rtl-opt", error="ToolFailed: yosys exit 1")]
    kind, html = _written(tmp_path, [p.to_dict() for p in pairs])
    assert kind == "optimization pairs" and "rtlgen bench --optimize --json" in html
    assert _headers(html)[:6] == ["problem", "equivalence", "autotb", "input area", "area", "area ratio"]
    assert "25.0 µm²" in html and "20.0 µm²" in html and "0.800" in html and "4.10 µW" in html
    assert "share-adders" in html and "ToolFailed: yosys exit 1" in html and "<b>2</b> pairs" in html


def test_synth_report_with_its_power_activity_next_to_the_power(tmp_path: Path) -> None:
    kind, html = _written(tmp_path, SYNTH.to_json())
    assert kind == "synthesis report"
    headers = _headers(html)
    assert headers.index("power activity") == headers.index("power") + 1
    assert "120.5 µm²" in html and "2.06 mW" in html and VECTORLESS in html
    assert "count_reg[0] -&gt; count_reg[7]" in html


def _shows_the_gate_power(html: str) -> bool:
    """The engine as a column beside the activity, and the breakdown by group and by kind among the details."""
    headers = _headers(html)
    details = dict(re.findall(r"<dt>([^<]*)</dt><dd>([^<]*)</dd>", html))
    assert headers.index("power engine") == headers.index("power") + 1
    assert headers.index("power activity") == headers.index("power") + 2
    assert "gate-sim(/w/rtl.vcd)" in html and ">gate<" in html
    assert {k: details.get(k) for k in ("clock network power", "register power", "combinational power",
                                        "internal power", "switching power", "leakage power")} == {
        "clock network power": "1.50 µW", "register power": "2.50 µW", "combinational power": "2.00 µW",
        "internal power": "3.00 µW", "switching power": "2.00 µW", "leakage power": "1.00 µW"}
    return details.get("costliest cells") == "c_3 (DFF_X1)"


def test_synth_report_shows_its_power_engine_source_and_groups(tmp_path: Path) -> None:
    kind, html = _written(tmp_path, GATE_SYNTH.to_json())
    assert kind == "synthesis report" and _shows_the_gate_power(html)


def test_generation_run_shows_its_power_engine_source_and_groups(tmp_path: Path) -> None:
    run = GenerationResult(spec="counter", top="counter", source=None, verified=True, rtl="module counter; endmodule",
                           candidate_hash="3318f3c7", rank="", golden="spec model", interface_from="spec",
                           verify=VERIFY, ppa=GATE_SYNTH)
    kind, html = _written(tmp_path, run.to_json(default=str))
    assert kind == "generation run" and _shows_the_gate_power(html)


def test_regress_items_show_their_power_engine_source_and_groups(tmp_path: Path) -> None:
    record = BenchRecord("LFSR", "rtllm", autotb="pass", formal="proven", status="pass", area_um2=25.0, power_w=6e-6)
    item = Item("rtllm", "LFSR", "ok", record, synth=GATE_SYNTH)
    result = RegressResult(RunInfo(1, ("rtllm",), "ref", "2026-12-07T06:00"), (item,), Diff("none"), "s.db")
    kind, html = _written(tmp_path, result.to_dict())
    assert kind == "regression run" and _shows_the_gate_power(html)


def test_bench_ppa_records_show_their_power_engine_source_and_groups(tmp_path: Path) -> None:
    from rtlgen.report.kinds import power_columns  # noqa: PLC0415

    record = BenchRecord("LFSR", "rtllm", autotb="pass", status="pass", area_um2=25.0, power_w=6e-6,
                         power_detail=power_columns(GATE_POWER, GATE_SYNTH.activity))
    kind, html = _written(tmp_path, [record.to_dict()])
    assert kind == "bench records" and _shows_the_gate_power(html)


def test_optimize_result(tmp_path: Path) -> None:
    """Its power is labelled with the engine and activity (the optimizer's power_source)."""
    SOURCE = "engine gate, gate-sim(auto testbench, seed 1), same stimulus before and after"
    step = Step("share-adders", "rtl", "one adder", 100.0, 1e-3, 0.7, "proven", "equiv_status ok", 1.0)
    opt = OptResult(top="counter", liberty="nangate45", clock_ns=10.0, goal="area", area_before_um2=120.5,
                    area_after_um2=100.0, delay_before_ns=0.8, delay_after_ns=0.7, power_before_w=2e-3,
                    power_after_w=1e-3, equivalence="proven", power_source=SOURCE, steps=(step,))
    kind, html = _written(tmp_path, opt.to_json())
    assert kind == "optimization result"
    assert "120.5 µm²" in html and "100.0 µm²" in html and SOURCE in html and "share-adders" in html
    headers = _headers(html)
    assert headers.index("power activity") == headers.index("power") + 1


def test_verify_result_one_row_per_check(tmp_path: Path) -> None:
    kind, html = _written(tmp_path, {**VERIFY.to_dict(), "overall": VERIFY.overall})  # as `rtlgen verify --json`
    assert kind == "verification result" and "<b>2</b> checks" in html
    assert "lint:iverilog" in html and "runtime_mismatch" in html and "first mismatch at cycle 12" in html


def test_generation_run_summary(tmp_path: Path) -> None:
    run = GenerationResult(spec="counter", top="counter", source=None, verified=True, rtl="module counter; endmodule",
                           candidate_hash="3318f3c7", rank="", golden="spec model", interface_from="spec",
                           verify=VERIFY, ppa=SYNTH)
    kind, html = _written(tmp_path, run.to_json(default=str))
    assert kind == "generation run" and "120.5 µm²" in html and VECTORLESS in html and ">pass<" in html


def test_regress_items_with_their_power_activity(tmp_path: Path) -> None:
    record = BenchRecord("LFSR", "rtllm", autotb="pass", formal="proven", status="pass", area_um2=25.0,
                         power_w=4.6e-6)
    item = Item("rtllm", "LFSR", "ok", record, synth=SYNTH.with_(activity={"source": "gate-sim(auto testbench)"}))
    result = RegressResult(RunInfo(1, ("rtllm",), "ref", "2026-12-07T06:00"), (item,), Diff("none"), "s.db")
    kind, html = _written(tmp_path, result.to_dict())
    assert kind == "regression run" and "LFSR" in html and "gate-sim(auto testbench)" in html and "25.0 µm²" in html


@pytest.mark.parametrize("data", [{"root": "/c", "parts": []}, [{"name": "yosys", "status": "ok"}], 3])
def test_other_json_names_its_shape_and_what_renders(tmp_path: Path, data: Any) -> None:
    from rtlgen.errors import RtlgenError  # noqa: PLC0415

    with pytest.raises(RtlgenError, match=r"not a JSON file rtlgen report can render \(it is .*bench --optimize"):
        _written(tmp_path, data)


@pytest.mark.bench
@pytest.mark.synth
@pytest.mark.formal
@pytest.mark.slow
def test_report_reads_a_real_bench_optimize_run(benchmarks: Path, tmp_path: Path) -> None:
    """`rtlgen bench rtllm --only LFSR --optimize --json` (about a minute), then `rtlgen report` of its JSON."""
    from click.testing import CliRunner  # noqa: PLC0415

    from rtlgen.cli import cli  # noqa: PLC0415

    pairs, page = tmp_path / "pairs.json", tmp_path / "pairs.html"
    bench = CliRunner().invoke(cli, ["bench", "rtllm", "--only", "LFSR", "--optimize", "--liberty",
                                     str(benchmarks / "liberty" / "nangate45_typ.lib.gz"), "--json", str(pairs)])
    assert pairs.is_file(), bench.output
    report = CliRunner().invoke(cli, ["report", str(pairs), "-o", str(page)])
    assert report.exit_code == 0, report.output
    assert "optimization pairs (written by rtlgen bench --optimize --json)" in report.output
    design = json.loads(pairs.read_text())[0]
    assert design["design"] == "LFSR" and f">{design['equivalence']}<" in page.read_text()


def test_regress_page_shows_each_items_power_engine_source_and_breakdown(tmp_path: Path) -> None:
    from rtlgen.regress.html import render  # noqa: PLC0415
    from rtlgen.regress.store import Store  # noqa: PLC0415

    record = BenchRecord("LFSR", "rtllm", autotb="pass", formal="proven", status="pass", area_um2=25.0, power_w=6e-6)
    item = Item("rtllm", "LFSR", "ok", record, synth=GATE_SYNTH)
    result = RegressResult(RunInfo(1, ("rtllm",), "ref", "2026-12-07T06:00"), (item,), Diff("none"), "s.db")
    html = render(result, Store(tmp_path / "s.db"))
    row = re.findall(r"<td[^>]*>([^<]*)</td>", html[html.index("LFSR") - 200:])
    assert "gate" in row and "gate-sim(/w/rtl.vcd)" in row
    assert ("clock network 1.50 µW, register 2.50 µW, combinational 2.00 µW; internal 3.00 µW, switching 2.00 µW, "
            "leakage 1.00 µW") in row
