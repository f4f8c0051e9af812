"""Lint against the real tools: Icarus 11 and Verilator classify broken candidates; the interface check names ports."""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from rtlgen.spec.model import Candidate, Port, Spec
from rtlgen.tools import find, run
from rtlgen.spec.sources import collect, load_candidate
from rtlgen.verify.lint import lint, lint_design, verilator_lint_command

pytestmark = pytest.mark.sim

SPEC = Spec(top="TopModule", ports=(Port("clk", "input"), Port("d", "input", 4), Port("q", "output", 4)), name="t")
GOOD = """module TopModule(input clk, input [3:0] d, output reg [3:0] q);
  always @(posedge clk) q <= d;
endmodule
"""


def checks(rtl: str, tmp_path: Path, spec: Spec = SPEC) -> dict:
    return {c.check: c for c in lint(Candidate(rtl, spec.top), spec, tmp_path)}


def test_good_candidate_passes_all_three(tmp_path: Path) -> None:
    start = time.monotonic()
    result = checks(GOOD, tmp_path)
    assert [c.verdict for c in result.values()] == ["pass", "pass", "pass"]
    assert list(result) == ["lint:interface", "lint:iverilog", "lint:verilator"]
    assert time.monotonic() - start < 10


def test_syntax_error_quotes_iverilog(tmp_path: Path) -> None:
    result = checks(GOOD.replace("q <= d;", "q <= d"), tmp_path)
    for name in ("lint:iverilog", "lint:verilator"):
        assert result[name].verdict == "fail" and result[name].failure_class == "syntax_error"
    assert "candidate.sv:3: syntax error" in result["lint:iverilog"].message  # iverilog's own line, quoted
    assert "syntax error, unexpected endmodule" in result["lint:verilator"].message


def test_text_that_is_not_verilog(tmp_path: Path) -> None:
    result = checks("Sure! Here is the module you asked for: it latches d into q.\n", tmp_path)
    interface = result["lint:interface"]
    assert interface.failure_class == "syntax_error" and "does not look like Verilog" in interface.message
    assert "Sure! Here is the module" in interface.message
    assert result["lint:iverilog"].failure_class == "syntax_error"


def test_markdown_fences_are_named(tmp_path: Path) -> None:
    result = checks("```verilog\n" + GOOD + "```\n", tmp_path)
    assert "Markdown code fences" in result["lint:interface"].message


def test_wire_assigned_in_always_block(tmp_path: Path) -> None:
    result = checks(GOOD.replace("output reg [3:0] q", "output [3:0] q"), tmp_path)
    assert result["lint:interface"].verdict == "pass"
    assert result["lint:iverilog"].failure_class == "reg_wire_misuse"
    assert "q is declared here as wire" in result["lint:iverilog"].message
    assert result["lint:verilator"].failure_class == "reg_wire_misuse"


def test_unknown_module(tmp_path: Path) -> None:
    rtl = GOOD.replace("always @(posedge clk) q <= d;", "wire [3:0] w; dff4 u(.c(clk), .d(d), .q(w));")
    result = checks(rtl, tmp_path)
    assert result["lint:iverilog"].failure_class == "unknown_module"
    assert "Unknown module type: dff4" in result["lint:iverilog"].message
    assert result["lint:verilator"].failure_class == "unknown_module"


def test_wrong_port_width_names_the_port(tmp_path: Path) -> None:
    result = checks(GOOD.replace("output reg [3:0] q", "output reg [2:0] q"), tmp_path)
    interface = result["lint:interface"]
    assert interface.verdict == "fail" and interface.failure_class == "port_binding"
    assert "port 'q' is 3 bit(s) wide, the spec says 4" in interface.message
    assert result["lint:iverilog"].verdict == "pass"  # fine on its own: only the spec check sees it


def test_missing_extra_and_direction_ports(tmp_path: Path) -> None:
    rtl = "module TopModule(input clk, output [3:0] d, output reg [3:0] q, input en);\nendmodule\n"
    message = checks(rtl, tmp_path)["lint:interface"].message
    assert "port 'd' is an output, the spec says input" in message
    assert "port 'en'" in message and "not in the spec" in message


def test_missing_top_lists_modules_found(tmp_path: Path) -> None:
    result = checks(GOOD.replace("TopModule", "top_module"), tmp_path)
    interface = result["lint:interface"]
    assert interface.failure_class == "no_module"
    assert "'TopModule' is not declared; modules found: top_module" in interface.message


def test_icarus_only_classes(tmp_path: Path) -> None:
    cast = """module TopModule(input clk, input [3:0] d, output reg [3:0] q);
  typedef enum logic [1:0] {A, B, C} st_t;
  st_t s, n;
  always_comb n = d[0] ? A : B;
  always @(posedge clk) s <= n;
  always @(posedge clk) q <= {2'b0, s};
endmodule
"""
    assert checks(cast, tmp_path / "a")["lint:iverilog"].failure_class == "explicit_cast"
    zero = GOOD.replace("q <= d;", "q <= d + 0'b0;")
    assert checks(zero, tmp_path / "b")["lint:iverilog"].failure_class == "zero_width_constant"
    clock = GOOD.replace("posedge clk", "posedge clock")
    assert checks(clock, tmp_path / "c")["lint:iverilog"].failure_class == "port_binding"
    no_sens = GOOD.replace("always @(posedge clk) q <= d;", "always_comb q = 4'd3;")
    assert checks(no_sens, tmp_path / "d")["lint:iverilog"].failure_class == "no_sensitivity"


def test_unsafe_candidate_is_not_linted(tmp_path: Path) -> None:
    result = checks(GOOD.replace("always", 'initial $system("touch pwned");\n  always'), tmp_path)
    assert all(c.verdict == "error" and c.failure_class == "unsafe_rtl" for c in result.values())
    assert "line 2: $system" in result["lint:iverilog"].message
    assert not (tmp_path / "candidate.sv").exists()


def test_spec_read_from_the_same_rtl_matches_and_port_order_is_noted(tiny_spec, tmp_path: Path) -> None:
    spec = tiny_spec(GOOD)
    assert spec.clock is not None and spec.clock.name == "clk"
    assert checks(GOOD, tmp_path / "same", spec)["lint:interface"].verdict == "pass"
    swapped = GOOD.replace("input clk, input [3:0] d", "input [3:0] d, input clk")
    result = checks(swapped, tmp_path / "swapped", spec)["lint:interface"]
    assert result.verdict == "pass" and "port order differs" in result.message


@pytest.mark.parametrize("rtl", [
    "module top(input a, output y);\n  wire unused;\n  assign y = a;\nendmodule\n",  # warnings, exit 0
    "module top(input a, output y);\n  assign y = b;\nendmodule\n",  # an error, exit 1
])
def test_verilator_run_directly_says_what_its_wrapper_script_says(rtl: str, tmp_path: Path) -> None:
    """The lint runs ``verilator_bin`` as the ``verilator`` script would (same root, same stack), without the script:
    the same exit code and the same lines, but for the run's own wall time."""
    (tmp_path / "candidate.sv").write_text(rtl)
    args = ["--lint-only", "-Wall", "-Wno-fatal", "--timing", "--top-module", "top", "candidate.sv"]
    direct = run(verilator_lint_command(args), timeout=60, cwd=tmp_path, check=False)
    wrapped = run([find("verilator"), *args], timeout=60, cwd=tmp_path, check=False)

    def lines(text: str) -> list[str]:
        return [line for line in text.splitlines() if "Walltime" not in line]

    assert direct.cmd[3].endswith("verilator_bin") and "verilator_bin" not in wrapped.cmd[0]
    assert (direct.returncode, lines(direct.output)) == (wrapped.returncode, lines(wrapped.output))
    assert lines(direct.output)  # a warning or an error was reported, so the comparison said something


CHECKED = """module checked #(parameter WIDTH = 8) (input clk, input [WIDTH-1:0] d, output reg [WIDTH-1:0] q);
  initial begin
    if (WIDTH % 8 != 0) begin
      $error("WIDTH must be a multiple of 8");
      $finish;
    end
  end
  always @(posedge clk) q <= d;
endmodule
"""


@pytest.mark.parametrize("width, verdict", [(8, "pass"), (12, "fail")])
def test_a_design_s_own_parameter_check_judges_the_parameters_given(tmp_path: Path, width: int, verdict: str) -> None:
    source = tmp_path / "checked.v"
    source.write_text(CHECKED)
    design = load_candidate(collect([source], params=[f"WIDTH={width}"]), "checked")
    result = {c.check: c for c in lint_design(design, tmp_path / "lint")}
    assert result["lint:iverilog"].verdict == "pass" and result["lint:verilator"].verdict == "pass"
    time_zero = result["lint:time-zero"]
    assert time_zero.verdict == verdict
    if verdict == "fail":  # the user's file:line and the design's own message
        assert time_zero.failure_class == "design_check"
        assert f"{source}:4: WIDTH must be a multiple of 8" in time_zero.message
