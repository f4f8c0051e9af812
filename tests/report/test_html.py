import json

import pytest

from rtlgen.errors import RtlgenError
from rtlgen.report.html import load_records, render_html, write_report

RECORDS = [
    {"problem": "alu", "suite": "rtllm", "official": "pass", "autotb": "pass", "formal": "proven",
     "failure_class": None, "seconds": 1.5, "area_um2": 1500.25, "delay_ns": 2.5, "power_w": 1e-4},
    {"problem": "accu", "suite": "rtllm", "official": "fail", "autotb": "fail", "formal": "counterexample",
     "failure_class": "runtime_mismatch", "seconds": 2.0, "area_um2": 300.0, "delay_ns": 1.25, "power_w": 2e-5,
     "message": "first mismatch at cycle 12 <b>"},
]


def test_report_has_every_record_counts_and_plots(tmp_path):
    src = tmp_path / "run.json"
    src.write_text(json.dumps(RECORDS))
    out = write_report(src, tmp_path / "r.html")
    html = out.read_text()
    assert html.count("<tr>") == 1 + len(RECORDS)
    assert "1500.25" in html and "counterexample" in html
    assert "official</b>: pass 1, fail 1" in html
    assert html.count("data:image/png;base64,") == 3  # area, delay, power
    assert "&lt;b&gt;" in html  # messages are escaped, never injected


def test_report_without_ppa_has_no_plots():
    html = render_html([{k: v for k, v in r.items() if k not in ("area_um2", "delay_ns", "power_w")} for r in RECORDS])
    assert "data:image/png" not in html


def test_jsonl_records_load(tmp_path):
    src = tmp_path / "run.jsonl"
    src.write_text("\n".join(json.dumps(r) for r in RECORDS))
    assert [r["problem"] for r in load_records(src)] == ["alu", "accu"]


@pytest.mark.parametrize("content, needle", [
    ("not json at all {", "neither JSON nor JSON Lines"),
    ('[{"x": 1}]', "each with a 'problem' key"),
])
def test_bad_results_file_is_a_clear_error(tmp_path, content, needle):
    src = tmp_path / "bad.json"
    src.write_text(content)
    with pytest.raises(RtlgenError, match=needle):
        load_records(src)


def test_missing_results_file(tmp_path):
    with pytest.raises(RtlgenError, match="does not exist"):
        load_records(tmp_path / "nope.json")
