"""The regression demonstration on a tiny suite: baseline, regressions named, improvement, rules, outputs."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from rtlgen.cli import cli
from rtlgen.regress.api import result_of
from rtlgen.regress.rules import load_rules
from rtlgen.regress.store import Store
from tests.regress.tiny import (ADDER_LEAN, ADDER_WASTEFUL, COUNTER, COUNTER_BIGGER, MUX, MUX_WRONG,
                                write_candidates, write_suite)


@dataclass
class Demo:
    root: Path
    store: Path
    outputs: list[str]
    codes: list[int]
    rules_update: str
    junit: Path
    html: Path
    json: Path


def _regress(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["regress", *args], catch_exceptions=False)
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    """Three runs of the tiny suite with PPA: references, then worse + wrong candidates, then better ones."""
    from rtlgen.config import benchmarks_dir

    root = tmp_path_factory.mktemp("demo")
    bench = benchmarks_dir(required=False)
    if bench is None:
        pytest.skip("needs the sky130 liberty from the shared benchmarks (RTLGEN_BENCHMARKS)")
    suite = write_suite(root / "tiny")
    worse = write_candidates(root / "worse", {"adder": ADDER_WASTEFUL, "counter": COUNTER_BIGGER, "mux": MUX_WRONG})
    better = write_candidates(root / "better", {"adder": ADDER_LEAN, "counter": COUNTER, "mux": MUX})
    store = root / "runs.db"
    common = ["--store", str(store), "--checks", "lint,formal", "--ppa", "--liberty",
              str(bench / "liberty" / "sky130hd_tt.lib.gz"), "-j", "2"]
    demo = Demo(root, store, [], [], "", root / "run2.xml", root / "run2.html", root / "run2.json")
    for args in ([str(suite), "--tag", "first", *common],
                 [str(suite), "--candidates", str(worse), *common, "--junit", str(demo.junit), "--html",
                  str(demo.html), "--json", str(demo.json)],
                 [str(suite), "--candidates", str(better), *common]):
        code, out = _regress(args)
        demo.codes.append(code)
        demo.outputs.append(out)
    code, demo.rules_update = _regress(["rules", "update", "--store", str(store)])
    assert code == 0, demo.rules_update
    return demo


@pytest.mark.bench
@pytest.mark.formal
@pytest.mark.synth
def test_run_1_records_a_baseline(demo: Demo) -> None:
    assert demo.codes[0] == 0, demo.outputs[0]
    db = Store(demo.store)
    first = db.runs()[0]
    assert first.tag == "first" and first.complete and first.ppa and first.liberty_sha256
    assert first.tool_versions.get("yosys") and first.git_commit is not None
    items = db.items(first.id)
    assert [(i.problem, i.status, i.record.formal) for i in items] == [
        ("adder", "ok", "proven"), ("counter", "ok", "proven"), ("mux", "ok", "proven")]
    assert all(i.synth is not None and i.synth.area_um2 == i.record.area_um2 > 0 for i in items)


@pytest.mark.bench
@pytest.mark.formal
@pytest.mark.synth
def test_run_2_exits_1_naming_the_larger_and_the_wrong_candidate(demo: Demo) -> None:
    code, out = demo.codes[1], demo.outputs[1]
    assert code == 1, out
    assert "REGRESSION metric: tiny/counter: area_um2" in out
    assert "REGRESSION newly failing: tiny/mux" in out and "counterexample" in out
    assert "tiny/adder" not in "".join(line for line in out.splitlines() if "REGRESSION" in line)
    db = Store(demo.store)
    counter = {i.problem: i for i in db.items(2)}["counter"]
    assert counter.ok and counter.record.formal == "proven"  # larger but equivalent
    regressions = {(c.kind, c.problem, c.metric) for c in result_of(db, db.run(2)).regressions}
    assert {("metric", "counter", "area_um2"), ("newly_failing", "mux", None)} <= regressions


@pytest.mark.bench
@pytest.mark.formal
@pytest.mark.synth
def test_run_3_with_a_better_candidate_passes_and_rules_update_tightens(demo: Demo) -> None:
    assert demo.codes[2] == 0, demo.outputs[2]
    assert "improved: tiny/adder: area_um2" in demo.outputs[2] and "newly passing: tiny/mux" in demo.outputs[2]
    db = Store(demo.store)
    areas = {r.id: {i.problem: i.record.area_um2 for i in db.items(r.id)} for r in db.runs()}
    assert areas[3]["adder"] < areas[1]["adder"]
    rules = load_rules(demo.store.parent / "rules-tiny.yaml")
    limit = {(r.design, r.metric): r.value for r in rules.rules if r.design}
    assert limit[("adder", "area_um2")] == pytest.approx(areas[3]["adder"])  # the best, not the first run's
    assert limit[("counter", "area_um2")] == pytest.approx(min(a["counter"] for a in areas.values() if a["counter"]))
    assert "adder area_um2 <=" in demo.rules_update
    # a tightened limit now catches what the relative baseline rule would not: the wasteful adder again
    ok_again = result_of(db, db.run(3))
    assert ok_again.exit_code == 0
    worse_run = result_of(db, db.run(1), baseline="none")
    assert any(c.kind == "limit" and c.problem == "adder" for c in worse_run.regressions)


@pytest.mark.bench
@pytest.mark.formal
@pytest.mark.synth
def test_junit_json_and_history_of_run_2(demo: Demo) -> None:
    root = ET.parse(demo.junit).getroot()
    cases = {c.get("name"): c for c in root.iter("testcase")}
    assert set(cases) == {"adder", "counter", "mux"}
    assert cases["adder"].find("failure") is None
    assert "area_um2" in cases["counter"].find("failure").get("message")
    assert cases["mux"].find("failure").get("type") == "runtime_mismatch"
    data = json.loads(demo.json.read_text())
    assert data["exit_code"] == 1 and data["counts"] == {"ok": 2, "failed": 1, "error": 0, "skipped": 0, "missing": 0}
    code, out = _regress(["history", "--store", str(demo.store), "--metric", "area_um2"])
    assert code == 0 and "run 1" in out and "run 3" in out and "counter" in out
    code, out = _regress(["history", "--store", str(demo.store), "--problem", "mux"])
    assert code == 0 and out.count("mux") == 3 and "failed" in out


@pytest.mark.bench
@pytest.mark.formal
@pytest.mark.synth
def test_html_page_renders_tables_and_plots_in_chromium(demo: Demo, tmp_path: Path) -> None:
    from tests.browser import dump_dom, screenshot

    dom = dump_dom(demo.html, tmp_path)
    assert '<table id="changes">' in dom and '<table id="items">' in dom
    assert dom.index('id="diff"') < dom.index('id="items"')  # the latest diff is on top
    assert dom.count('alt="trend tiny/') == 3 and 'alt="status over runs"' in dom
    png = screenshot(demo.html, tmp_path / "page.png", tmp_path)
    import matplotlib.image as mpimg

    pixels = mpimg.imread(png)[..., :3]
    assert pixels.shape[0] >= 2000 and pixels.shape[1] >= 1300
    ink = (pixels < 0.9).any(axis=2)
    assert ink[:800].mean() > 0.01  # text and the diff table at the top
    plot_blue = (abs(pixels[..., 0] - 0x3b / 255) < 0.08) & (abs(pixels[..., 2] - 0xa5 / 255) < 0.08)
    assert plot_blue.sum() > 200, "no trend line pixels: the plots did not render"


@pytest.mark.bench
@pytest.mark.synth
def test_a_verified_design_that_does_not_synthesize_is_an_error_under_ppa(tmp_path: Path) -> None:
    import rtlgen
    from rtlgen.regress.api import Recording, Selection
    from rtlgen.synth.target import Target

    result = rtlgen.regress("rtllm", recording=Recording(tmp_path / "r.db"),
                            selection=Selection("synchronizer", checks=("lint",)), synth=Target(liberty="sky130"))
    (item,) = result.items
    assert item.record.status == "pass" and item.status == "error" and not item.ok
    assert "ppa: SynthError" in item.record.message and "Multiple edge sensitive events" in item.record.message


@pytest.mark.bench
@pytest.mark.synth
def test_the_workers_get_the_liberty_whole_and_never_go_back_to_its_file(tmp_path: Path) -> None:
    """The liberty is found, hashed and validated once for the run and shipped by value: with its source file gone
    after that, every item still synthesizes onto it (a worker that re-found it by path would fail)."""
    import shutil

    import rtlgen
    from rtlgen.config import benchmarks_dir
    from rtlgen.regress.api import Recording, Selection
    from rtlgen.synth.liberty import resolve_liberty
    from rtlgen.synth.target import Target

    bench = benchmarks_dir(required=False)
    if bench is None:
        pytest.skip("needs the nangate45 liberty from the shared benchmarks (RTLGEN_BENCHMARKS)")
    source = Path(shutil.copy(bench / "liberty" / "nangate45_typ.lib.gz", tmp_path / "gone.lib.gz"))
    liberty = resolve_liberty(source)
    source.unlink()
    result = rtlgen.regress(str(write_suite(tmp_path / "tiny", {"adder": ADDER_LEAN})),
                            recording=Recording(tmp_path / "r.db"), selection=Selection(checks=("lint",)),
                            synth=Target(liberty=liberty))
    (item,) = result.items
    assert item.ok and item.synth is not None and item.record.area_um2 > 0, item.record.message
    assert result.run.liberty_sha256 == liberty.sha256 and item.synth.liberty["sha256"] == liberty.sha256


def test_regress_synthesizes_with_the_yosys_flow_only(tmp_path: Path) -> None:
    """Items are synthesized by the bench's yosys flow: another target is refused, not silently ignored."""
    import rtlgen
    from rtlgen.errors import ConfigError
    from rtlgen.regress.api import Recording
    from rtlgen.synth.target import Target

    with pytest.raises(ConfigError, match="yosys flow only, not 'openroad'"):
        rtlgen.regress(str(write_suite(tmp_path / "tiny")), recording=Recording(tmp_path / "r.db"),
                       synth=Target(flow="openroad"))
