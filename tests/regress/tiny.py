"""A tiny suite for regression tests: three spec.md designs, each its own reference RTL (formal proves it),
and candidates that are larger-but-equivalent, wrong, or leaner."""
from __future__ import annotations

from pathlib import Path

COUNTER = ("module counter(input clk, input rst, input en, output reg [3:0] count);\n"
           "  always @(posedge clk) if (rst) count <= 4'd0; else if (en) count <= count + 4'd1;\nendmodule\n")
# Equivalent but larger: a kept shadow register that nothing reads.
COUNTER_BIGGER = ("module counter(input clk, input rst, input en, output reg [3:0] count);\n"
                  "  (* keep *) reg [3:0] shadow;\n"
                  "  always @(posedge clk) begin\n    shadow <= count;\n"
                  "    if (rst) count <= 4'd0; else if (en) count <= count + 4'd1;\n  end\nendmodule\n")
# The reference adder carries dead logic kept alive on purpose, so a better candidate exists.
ADDER_WASTEFUL = ("module adder(input [7:0] a, input [7:0] b, output [8:0] s);\n"
                  "  (* keep *) wire [7:0] t = a & b;\n  assign s = a + b;\nendmodule\n")
ADDER_LEAN = "module adder(input [7:0] a, input [7:0] b, output [8:0] s);\n  assign s = a + b;\nendmodule\n"
MUX = ("module mux(input [1:0] sel, input [3:0] a, input [3:0] b, input [3:0] c, input [3:0] d, output [3:0] y);\n"
       "  assign y = sel == 2'd0 ? a : sel == 2'd1 ? b : sel == 2'd2 ? c : d;\nendmodule\n")
MUX_WRONG = MUX.replace("sel == 2'd1 ? b", "sel == 2'd1 ? c")
DESIGNS = {"adder": ADDER_WASTEFUL, "counter": COUNTER, "mux": MUX}
SPEC = "---\ntop: {top}\nreference:\n  rtl: {top}.v\n---\n{top}: see the reference RTL.\n"


def write_suite(root: Path, designs: dict[str, str] = DESIGNS) -> Path:
    for top, rtl in designs.items():
        (root / top).mkdir(parents=True, exist_ok=True)
        (root / top / f"{top}.v").write_text(rtl)
        (root / top / "spec.md").write_text(SPEC.format(top=top))
    return root


def write_candidates(root: Path, designs: dict[str, str]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for top, rtl in designs.items():
        (root / f"{top}.v").write_text(rtl)
    return root

