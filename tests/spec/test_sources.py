"""Real projects as input: several files, -I, -D, -f lists, language by extension, the user's file and line."""
from __future__ import annotations

from pathlib import Path

import pytest

from rtlgen.errors import ConfigError
from rtlgen.spec import rtl_file
from rtlgen.spec.frontend import elaborate
from rtlgen.spec.model import Candidate
from rtlgen.spec.rtl_file import escape_sv_keywords, read_rtl
from rtlgen.spec.sources import collect, load_candidate, read_filelist

SUB = """module sub(input [`WIDTH-1:0] a, output [`WIDTH-1:0] y);
  wire [`WIDTH-1:0] logic;   // a Verilog-2005 name that SystemVerilog reserves
  assign logic = a + `STEP;
  assign y = logic;
endmodule
"""
TOP = """module top(input logic clk, input logic [`WIDTH-1:0] a, output logic [`WIDTH-1:0] q);
`include "params.vh"
  logic [W-1:0] y;
  sub u(.a(a), .y(y));
  always_ff @(posedge clk) q <= y;
endmodule
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    (root / "rtl").mkdir(parents=True)
    (root / "inc").mkdir()
    (root / "inc" / "params.vh").write_text("localparam W = `WIDTH;\n")
    (root / "rtl" / "sub.v").write_text(SUB)
    (root / "rtl" / "top.sv").write_text(TOP)
    (root / "files.f").write_text("// the project\nrtl/sub.v rtl/top.sv\n+incdir+inc\n+define+WIDTH=4+STEP=1\n")
    return root


def test_file_list_paths_are_relative_to_the_list(project: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)  # another working directory
    files, incdirs, defines = read_filelist(project / "files.f")
    assert files == [str(project / "rtl" / "sub.v"), str(project / "rtl" / "top.sv")]
    assert incdirs == [str(project / "inc")] and defines == [("WIDTH", "4"), ("STEP", "1")]


def test_combined_candidate_names_user_files_and_escapes_keywords(project: Path) -> None:
    cand = load_candidate(collect(filelists=[project / "files.f"]))
    assert cand.top == "top"  # the one module nothing instantiates
    assert cand.rtl.startswith("`define WIDTH 4\n`define STEP 1\n")
    assert f'`line 1 "{project / "rtl" / "sub.v"}" 0' in cand.rtl
    assert f'`line 1 "{project / "inc" / "params.vh"}" 1\nlocalparam W' in cand.rtl
    assert f'`line 3 "{project / "rtl" / "top.sv"}" 2\n  logic [W-1:0] y;' in cand.rtl
    assert "wire [`WIDTH-1:0] \\logic ;   // a Verilog-2005 name" in cand.rtl  # .v: escaped; .sv: keyword kept
    assert "input logic clk" in cand.rtl and "\\logic  clk" not in cand.rtl


def test_language_override_and_escaping_skips_comments_strings() -> None:
    text = 'wire logic; // logic\n$display("logic"); `define int 3\nassign \\bit = int;\n'
    escaped = 'wire \\logic ; // logic\n$display("logic"); `define int 3\nassign \\bit = \\int ;\n'
    assert escape_sv_keywords(text) == escaped


def test_one_design_file_is_read_as_verilog_2005_by_its_extension(tmp_path: Path) -> None:
    """``Candidate.from_file`` (``--rtl``, ``--candidates``, suite designs): a ``.v`` file's ``dist`` is a name."""
    text = "module m(input [3:0] a, output [3:0] dist); assign dist = a; endmodule\n"
    (tmp_path / "m.v").write_text(text)
    (tmp_path / "m.sv").write_text(text)
    assert Candidate.from_file(tmp_path / "m.v", "m").rtl == text.replace("dist", "\\dist ")
    assert Candidate.from_file(tmp_path / "m.sv", "m").rtl == text


# Each a .v file: written in SystemVerilog (read as written), or in Verilog-2005 with such words as names (escaped).
V_FILES = {
    "always_comb and logic ports, which parse escaped too (a type named logic) but do not elaborate": (
        "module m(input logic a, output logic y);\n  always_comb y = a;\nendmodule\n", "as written"),
    "SystemVerilog with a mistake of its own on line 3": (
        "module m(input logic clk, output logic [3:0] q);\n  always_ff @(posedge clk)\n    q <= q + ;\nendmodule\n",
        "as written"),
    "a signal named logic beside an instance of a module from another file": (
        "module m(input a, output y);\n  wire logic;\n  sub u(.a(a));\n  assign logic = a;\n  assign y = logic;\n"
        "endmodule\n", "escaped"),
}


@pytest.mark.parametrize("text, read", V_FILES.values(), ids=V_FILES.keys())
def test_a_v_file_written_in_systemverilog_is_read_as_written(tmp_path: Path, caplog: pytest.LogCaptureFixture,
                                                               text: str, read: str) -> None:
    path = tmp_path / "m.v"
    path.write_text(text)
    expected = text if read == "as written" else escape_sv_keywords(text)
    assert Candidate.from_file(path, "m").rtl == expected
    assert (f"{path}: read as SystemVerilog" in caplog.text) == (read == "as written")
    assert read_rtl(path, "verilog-2005") == escape_sv_keywords(text)  # a language given is the language read


def test_only_a_v_file_with_systemverilog_keywords_in_its_code_is_parsed(tmp_path: Path, monkeypatch) -> None:
    def no_parse(text: str) -> None:
        raise AssertionError("parsed")

    monkeypatch.setattr(rtl_file, "parse", no_parse)
    text = "module m(input a, output y); // logic\n  assign y = a; // always_ff in a comment\nendmodule\n"
    (tmp_path / "m.v").write_text(text)
    assert read_rtl(tmp_path / "m.v") == text


ASSERT_MACRO = """`ifdef FORMAL
  `define assert(e) assert(e)
`else
  `define assert(e) empty_statement
`endif
module chk(input clk, input [3:0] a, output reg [3:0] q);
  task empty_statement; begin end endtask
  always @(posedge clk) begin
    q <= a;
    if (a == 4'd15) `assert(q != 4'd15);
  end
endmodule
"""


def test_macro_names_are_never_escaped_so_yosys_reads_define_assert(tmp_path: Path, monkeypatch) -> None:
    """picorv32 defines `assert(...) in a .v file: an escaped name (`define \\assert) is no macro to any tool."""
    from rtlgen.synth.api import synthesize  # noqa: PLC0415

    design = tmp_path / "chk.v"
    design.write_text(ASSERT_MACRO)
    cand = load_candidate(collect([design]))
    assert "`define assert(e) " in cand.rtl and "`define assert(e) empty_statement" in cand.rtl
    monkeypatch.delenv("RTLGEN_LIBERTY", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    assert synthesize(cand, use_cache=False).cell_count > 0


def test_defines_and_includes_from_options(project: Path) -> None:
    src = collect([project / "rtl" / "sub.v", project / "rtl" / "top.sv"], include_dirs=[project / "inc"],
                  defines=["WIDTH=8", "STEP=2"])
    assert src.defines == (("WIDTH", "8"), ("STEP", "2")) and src.include_dirs == (str(project / "inc"),)
    assert type(src).from_dict(src.to_dict()) == src


def test_bad_inputs_fail_before_any_work(project: Path) -> None:
    with pytest.raises(ConfigError, match="design file .*nope.v' does not exist"):
        collect([project / "nope.v"])
    with pytest.raises(ConfigError, match="include folder .*missing' does not exist"):
        collect([project / "rtl" / "sub.v"], include_dirs=[project / "missing"])
    with pytest.raises(ConfigError, match="bad define '1X'"):
        collect([project / "rtl" / "sub.v"], defines=["1X"])
    with pytest.raises(ConfigError, match="no design file"):
        collect([])
    (project / "bad.f").write_text("rtl/sub.v -y libdir\n")
    with pytest.raises(ConfigError, match=r"bad.f:1: option '-y' is not supported"):
        read_filelist(project / "bad.f")


def test_a_missing_entry_of_a_file_list_names_the_list_and_line(project: Path) -> None:
    for entry, kind, name in (("rtl/gone.v", "design file", "rtl/gone.v"), ("+incdir+gone", "include folder", "gone"),
                              ("-f lists/gone.f", "file list", "lists/gone.f")):
        (project / "bad.f").write_text(f"// the project\nrtl/sub.v\n{entry}\n")
        with pytest.raises(ConfigError) as info:
            collect(filelists=[project / "bad.f"])
        assert str(info.value).startswith(f"{project / 'bad.f'}:3: {kind} '{name}' does not exist "
                                          f"(looked for {project / name};")


def test_top_is_optional_only_when_unambiguous() -> None:
    assert elaborate("module a; endmodule\nmodule b; a u(); endmodule\n", None, "x.v")[1].top == "b"
    with pytest.raises(ConfigError, match=r"several top-level modules \(a, b\); choose one with --top"):
        elaborate("module a; endmodule\nmodule b; endmodule\n", None, "x.v")
    assert elaborate("module a; endmodule\nmodule b; endmodule\n", "a", "x.v")[1].top == "a"
    with pytest.raises(ConfigError, match=r"module 'c' is not declared in x.v \(modules: a, b\)"):
        elaborate("module a; endmodule\nmodule b; endmodule\n", "c", "x.v")
