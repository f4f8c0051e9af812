"""Suite loaders against the real benchmark folders, and their errors on bad paths."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from pyslang.syntax import SyntaxTree

from rtlgen.errors import SpecError
from rtlgen.spec.interface import infer_clock, infer_reset, module_names, read_ports
from rtlgen.spec.model import Clock, Port, Reset
from rtlgen.spec.suites import load, load_suite, reference_candidate, rtllm, verilog_eval


def by_name(specs):
    return {s.name: s for s in specs}


@pytest.mark.bench
def test_verilog_eval_counts_and_ports(bench_root: Path) -> None:
    specs = load_suite(bench_root / "verilog-eval" / "spec-to-rtl")
    assert len(specs) == 62
    assert sum(s.is_sequential for s in specs) == 26  # README: 26 of the 62 are clocked
    s = by_name(specs)["Prob040_count10"]
    assert s.top == "TopModule" and s.reference_top == "RefModule" and s.suite == "verilog-eval"
    assert s.ports == (Port("clk", "input"), Port("reset", "input"), Port("q", "output", 4))
    assert s.clock == Clock("clk") and s.reset == Reset("reset", active_low=False, kind="sync")
    assert s.official_top == "tb" and Path(s.official_testbench).name == "Prob040_count10_test.sv"
    assert "decade counter" in s.prose.lower()
    assert by_name(specs)["Prob075_counter_2bc"].reset == Reset("areset", False, "async")
    assert by_name(specs)["Prob048_m2014_q4c"].reset == Reset("r", False, "sync")  # found by use, not by name
    assert by_name(specs)["Prob003_step_one"].ports == (Port("one", "output"),)


@pytest.mark.bench
def test_rtllm_counts_ports_and_renames(bench_root: Path) -> None:
    specs = by_name(load_suite(bench_root / "rtllm"))
    assert len(specs) == 25
    accu = specs["accu"]
    assert accu.top == "accu" and accu.reference_top == "verified_accu" and accu.official_top == "tb_valid_ready"
    assert accu.ports[:2] == (Port("clk", "input"), Port("rst_n", "input"))
    assert Port("data_out", "output", 10) in accu.ports
    assert accu.reset == Reset("rst_n", active_low=True, kind="async")
    booth = specs["multi_booth_8bit"]
    assert Path(booth.reference_rtl).name == "verified_booth4_mul.v"
    assert booth.reference_top == "verified_multi_booth_8bit"
    assert [Path(p).name for p in booth.data_files] == ["test_data.dat"]
    assert [Path(p).name for p in specs["alu"].data_files] == ["reference.dat"]
    assert specs["freq_div"].clock == Clock("CLK_in") and specs["freq_div"].reset == Reset("RST", False, "async")
    assert specs["instr_reg"].reset == Reset("rst", active_low=True, kind="async")  # negedge rst, if (!rst)
    renamed = sum(s.reference_top == f"verified_{s.name}" for s in specs.values())
    assert renamed == 12  # README: 12 references declare verified_<design>


@pytest.mark.bench
def test_reference_candidate_renames_only_the_top(bench_root: Path) -> None:
    spec = by_name(rtllm(bench_root / "rtllm"))["adder_32bit"]
    cand = reference_candidate(spec)
    assert cand.top == "adder_32bit"
    names = module_names(cand.rtl)
    assert names[0] == "adder_32bit" and "verified_adder_32bit" not in names and "CLA_16" in names
    assert read_ports(cand.rtl, "adder_32bit") == spec.ports
    ve = by_name(verilog_eval(bench_root / "verilog-eval" / "spec-to-rtl"))["Prob012_xnorgate"]
    assert module_names(reference_candidate(ve).rtl) == ["TopModule"]


@pytest.mark.bench
def test_aliases_resolve_under_benchmarks_dir(bench_root: Path, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("RTLGEN_BENCHMARKS", str(bench_root))
    monkeypatch.chdir(tmp_path)
    assert len(load_suite("rtllm")) == 25
    assert len(load_suite(bench_root / "verilog-eval")) == 62  # parent of spec-to-rtl works too


def test_bad_paths_say_what_layout_was_expected(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match="does not exist"):
        load_suite(tmp_path / "nowhere")
    (tmp_path / "random.txt").write_text("hello")
    with pytest.raises(SpecError, match="VerilogEval.*RTLLM"):
        load_suite(tmp_path)
    with pytest.raises(SpecError, match="no problems found"):
        verilog_eval(tmp_path)


def test_missing_problem_file_is_named(tmp_path: Path) -> None:
    (tmp_path / "problems.txt").write_text("Prob001_zero\n")
    (tmp_path / "Prob001_zero_prompt.txt").write_text("make a zero")
    with pytest.raises(SpecError, match="Prob001_zero_ref.sv"):
        load_suite(tmp_path)


def test_rtllm_scan_without_designs_json(tmp_path: Path) -> None:
    d = tmp_path / "Arith" / "Add" / "add4"
    d.mkdir(parents=True)
    (d / "design_description.txt").write_text("module add4: y = a + b")
    (d / "verified_add4.v").write_text("module verified_add4(input [3:0] a, b, output [3:0] y);\n"
                                        "  assign y = a + b;\nendmodule\n")
    (d / "testbench.v").write_text("module tb_add4; endmodule\n")
    (d / "vectors.dat").write_text("00\n")
    (spec,) = load_suite(tmp_path)
    assert (spec.name, spec.top, spec.reference_top, spec.official_top) == ("add4", "add4", "verified_add4", "tb_add4")
    assert [Path(p).name for p in spec.data_files] == ["vectors.dat"]
    assert spec.ports == (Port("a", "input", 4), Port("b", "input", 4), Port("y", "output", 4))
    bad = tmp_path / "designs.json"
    bad.write_text(json.dumps([{"design": "add4"}]))
    with pytest.raises(SpecError, match="lacks key"):
        load_suite(tmp_path)


def test_suite_v_files_are_read_as_verilog_2005_by_every_tool(tmp_path: Path) -> None:
    """An RTL-OPT pair whose ports are named ``dist`` and ``bit`` (plain Verilog-2005 names): the spec reads them and
    both candidates are texts a SystemVerilog reader (slang here; Icarus -g2012 and Yosys -sv alike) accepts."""
    (tmp_path / "designs.txt").write_text("pick\n")
    (tmp_path / "pick").mkdir()
    for stem, body in (("pick", "dist ? bit : 1'b0"), ("pick_ref", "dist & bit")):
        (tmp_path / "pick" / f"{stem}.v").write_text(f"module {stem}(input dist, input bit, output y);\n"
                                                     f"  assign y = {body};\nendmodule\n")
    (problem,) = load(tmp_path).problems
    assert problem.spec.ports == (Port("dist", "input"), Port("bit", "input"), Port("y", "output"))
    for candidate in (problem.reference, problem.start):
        assert read_ports(candidate.rtl, "pick") == problem.spec.ports
        assert not [d for d in SyntaxTree.fromText(candidate.rtl).diagnostics if d.isError()]


def test_clock_and_reset_inference_from_use() -> None:
    rtl = ("module m(input CLK_in, input RST, input go, output reg q);\n"
           "always @(posedge CLK_in or posedge RST) if (RST) q <= 0; else q <= go;\nendmodule\n")
    ports = read_ports(rtl, "m")
    assert infer_clock(ports, rtl) == Clock("CLK_in")
    assert infer_reset(ports, rtl) == Reset("RST", active_low=False, kind="async")
    odd = ("module m(input tick, input go, output reg q);\n"
           "always @(negedge tick) q <= go;\nendmodule\n")
    ports = read_ports(odd, "m")
    assert infer_clock(ports) is None
    assert infer_clock(ports, odd) == Clock("tick", "negedge")
    low = ("module m(input clk, input rst, output reg q);\n"
           "always @(posedge clk) begin if (!rst) q <= 0; else q <= ~q; end\nendmodule\n")
    assert infer_reset(read_ports(low, "m"), low) == Reset("rst", active_low=True, kind="sync")


def test_specs_point_at_files_in_place(tmp_path: Path) -> None:
    """Specs hold paths into the suite folder; nothing is copied (house rule)."""
    d = tmp_path / "s"
    d.mkdir()
    (d / "problems.txt").write_text("Prob001_one\n")
    (d / "Prob001_one_prompt.txt").write_text("output one")
    (d / "Prob001_one_ref.sv").write_text("module RefModule(output one); assign one = 1; endmodule\n")
    (d / "Prob001_one_test.sv").write_text("module tb; endmodule\n")
    (spec,) = load_suite(d)
    assert spec.reference_rtl == str(d / "Prob001_one_ref.sv") and spec.official_pass.startswith("^Mismatches")
