"""The sandbox refuses escaping constructs (by token, not by text) and isolates each run."""
from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from rtlgen.errors import UnsafeRTL
from rtlgen.tools.rundir import run_directory
from rtlgen.verify.sandbox import check_untrusted, find_unsafe

SAFE = """
// $system("rm -rf /") in a comment is harmless, so is "$fopen" in a string:
module TopModule(input clk, input [3:0] d, output reg [3:0] q);
  reg [3:0] rom [0:15];
  initial $readmemh("rom.hex", rom);
  always @(posedge clk) begin
    q <= d ^ rom[d];
    $display("q=%0d uses $system text only", q);
  end
endmodule
"""


def refused(rtl: str, **kw) -> str:
    with pytest.raises(UnsafeRTL) as info:
        check_untrusted(rtl, **kw)
    return str(info.value)


def test_safe_rtl_with_tasks_in_comments_and_strings_passes() -> None:
    check_untrusted(SAFE)
    assert find_unsafe(SAFE) == []


@pytest.mark.parametrize("body, task", [
    ('initial $system("touch x");', "$system"),
    ('integer f; initial f = $fopen("out.txt", "w");', "$fopen"),
    ('initial $fdisplay(32\'h8000_0003, "x");', "$fdisplay"),
    ('initial $fwrite(3, "x");', "$fwrite"),
    ('reg [7:0] m [0:3]; initial $writememh("results.xml", m);', "$writememh"),
    ('initial #5 $finish;', "$finish"),
    ('initial $fatal(1, "stop");', "$fatal"),
    ('initial $c("system(\\"id\\");");', "$c"),
])
def test_refuses_shell_file_and_control_tasks_naming_task_and_line(body: str, task: str) -> None:
    message = refused(f"module TopModule;\n  {body}\nendmodule\n")
    assert f"line 2: {task}" in message


@pytest.mark.parametrize("rtl, needle", [
    ('module m; reg [7:0] r [0:3]; initial $readmemh("/etc/passwd", r); endmodule', "absolute path '/etc/passwd'"),
    ('module m; reg [7:0] r [0:3]; initial $readmemb("../../secret.bin", r); endmodule', "leaves the run directory"),
    ('module m; initial $dumpfile("/home/x/w.vcd"); endmodule', "absolute path"),
    ('module m; parameter F = "/etc/passwd"; reg [7:0] r [0:3]; initial $readmemh(F, r); endmodule',
     "not a plain string literal"),
    ('`include "/etc/passwd"\nmodule m; endmodule', "`include"),
    ('`include "../up.v"\nmodule m; endmodule', "`include"),
    ('`include <sys.v>\nmodule m; endmodule', "`include"),
])
def test_refuses_paths_outside_the_run_directory(rtl: str, needle: str) -> None:
    assert needle in refused(rtl)


def test_relative_paths_inside_the_run_directory_are_allowed() -> None:
    check_untrusted('module m; reg [7:0] r [0:3]; initial begin $readmemh("data/rom.hex", r); '
                    '$dumpfile("w.vcd"); $dumpvars; end endmodule')


def test_hidden_branches_macros_and_dpi_are_seen() -> None:
    hidden = "module m;\n`ifdef __ICARUS__\n  initial $system(\"id\");\n`endif\nendmodule\n"
    assert "line 3: $system" in refused(hidden)
    pasted = "`define J(a,b) a``b\nmodule m; initial `J($sys,tem)(\"id\"); endmodule\n"
    assert "token pasting" in refused(pasted)
    in_macro = '`define RUN $system("id")\nmodule m; initial `RUN; endmodule\n'
    assert "line 1: $system" in refused(in_macro)
    dpi = 'module m; import "DPI-C" function int system(input string s); endmodule'
    assert "DPI" in refused(dpi)
    systemc = "`systemc_header\n#include <stdlib.h>\n`systemc_interface\nmodule m; endmodule\n"
    assert "`systemc_header" in refused(systemc)


def test_forbidden_text_catches_escaped_spoof_strings() -> None:
    spoof = 'module m; initial $display("Mis\\155atches: 0 in 10 samples"); endmodule'
    check_untrusted(spoof)  # fine unless a testbench's verdict text is at stake
    assert "spoofing" in refused(spoof, forbidden_text=[r"Mismatches:"])


def test_run_directory_is_private_outside_tmp_and_removed(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("RTLGEN_WORKDIR", raising=False)
    monkeypatch.setenv("RTLGEN_CACHE", str(tmp_path / "cache"))
    with run_directory("Prob/../x y") as one, run_directory("Prob/../x y") as two:
        assert one != two and one.parent == two.parent == (tmp_path / "cache" / "runs").resolve()
        assert one.name.startswith("Prob_.._x_y-")  # the label cannot add path components
        assert stat.S_IMODE(os.stat(one).st_mode) == 0o700
        (one / "f").write_text("x")
    assert not one.exists() and not two.exists()
    with run_directory("kept", keep=True, base=tmp_path / "w") as kept:
        pass
    assert kept.is_dir() and kept.parent == (tmp_path / "w").resolve()


def test_default_run_root_is_not_tmp(monkeypatch) -> None:
    monkeypatch.delenv("RTLGEN_WORKDIR", raising=False)
    monkeypatch.delenv("RTLGEN_CACHE", raising=False)
    with run_directory("where") as path:
        assert not str(path).startswith("/tmp/")
