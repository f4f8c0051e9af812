import json
import re

import pytest

from rtlgen.errors import RtlgenError
from rtlgen.report.html import load_rows, render_html, write_report

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
    out, kind = write_report(src, tmp_path / "r.html")
    html = out.read_text()
    assert kind.name == "bench records"
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
    assert [r["problem"] for r in load_rows(src)[1]] == ["alu", "accu"]


@pytest.mark.parametrize("content, needle", [
    ("not json at all {", "neither JSON nor JSON Lines"),
    ('[{"x": 1}]', r"report can render \(it is a list of 1 item\(s\), the first dict with keys x\)"),
])
def test_bad_results_file_is_a_clear_error(tmp_path, content, needle):
    src = tmp_path / "bad.json"
    src.write_text(content)
    with pytest.raises(RtlgenError, match=needle):
        load_rows(src)


def test_missing_results_file(tmp_path):
    with pytest.raises(RtlgenError, match="does not exist"):
        load_rows(tmp_path / "nope.json")


def test_key_columns_first_rest_collapsible_numbers_with_units():
    html = render_html(RECORDS + [{**RECORDS[0], "problem": "tiny", "power_w": 2.614691e-06, "area_um2": 91.34}])
    head = html[html.index("<thead>"):html.index("</thead>")]
    assert head.index("problem") < head.index("official") < head.index("area") and "message" not in head
    assert "1,500.2 µm²" in html and "2.500 ns" in html and "2.61 µW" in html and "100 µW" in html
    assert "2.614691e-06" not in html.replace('data-sort="2.614691e-06"', "")  # raw only as the sort key
    assert html.count("<details>") == 3 and "<dt>message</dt>" in html


def test_small_suite_plots_have_no_fractional_histogram():
    import matplotlib  # noqa: PLC0415

    from rtlgen.report.html import SMALL_SUITE, _plots  # noqa: PLC0415
    import pandas as pd  # noqa: PLC0415

    assert len(RECORDS) < SMALL_SUITE
    plots = _plots(pd.json_normalize(RECORDS))
    assert [p["title"] for p in plots] == ["area (µm²)", "critical path (ns)", "power (µW)"]
    assert matplotlib.get_backend().lower() == "agg"


@pytest.mark.slow
def test_report_in_a_real_browser(tmp_path):
    """Headless Chromium lays the page out: the key columns fit a 1280 px window, details open on click."""
    from tests.browser import dump_dom, screenshot  # noqa: PLC0415

    records = [{**RECORDS[i % 2], "problem": f"design_{i}", "area_um2": 100.0 + 37 * i, "check_seconds": {"lint": 0.1},
                "candidate_hash": "3318f3c7960b3175", "liberty": "sky130_fd_sc_hd__tt_025C_1v80", "clock_ns": 10.0}
               for i in range(12)]
    src = tmp_path / "run.json"
    src.write_text(json.dumps(records))
    page, _ = write_report(src, tmp_path / "r.html")
    probe = tmp_path / "probe.html"
    probe.write_text(page.read_text().replace("</body>", """<script>
const t = document.getElementById("results");
document.querySelector("th").click();  // sort by problem
document.querySelector("details").open = true;
document.body.dataset.layout = JSON.stringify({table: t.getBoundingClientRect().right, viewport: innerWidth,
  first: t.tBodies[0].rows[0].cells[0].textContent, opened: document.querySelector("details dl").offsetHeight,
  imgs: [...document.images].filter(i => i.naturalWidth > 0).length});
</script></body>"""))
    dom = dump_dom(probe, tmp_path, width=1280, height=900)
    layout = json.loads(re.search(r'data-layout="([^"]*)"', dom).group(1).replace("&quot;", '"'))
    assert layout["table"] <= layout["viewport"], layout  # no horizontal scrolling for the key columns
    assert layout["first"] == "design_0" and layout["opened"] > 0 and layout["imgs"] == 3, layout
    shot = screenshot(page, tmp_path / "report.png", tmp_path, width=1280, height=1600)
    assert shot.stat().st_size > 10_000
