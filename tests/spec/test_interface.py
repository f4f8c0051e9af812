"""Reading a module's ports from RTL (pyslang) and inferring its clock and reset."""
from __future__ import annotations

import pytest

from rtlgen.errors import SpecError
from rtlgen.spec.interface import infer_clock, infer_reset, module_names, read_ports
from rtlgen.spec.model import Clock, Port, Reset

NON_ANSI = """
module old_style (clk, rst, d, q, flags);
  input clk;
  input rst;
  input [7:0] d;
  output [7:0] q;
  output [1:0] flags;
  reg [7:0] q;
  always @(posedge clk) if (rst) q <= 8'd0; else q <= d;
  assign flags = {q[7], ^q};
endmodule
"""

SV_LOGIC = """
module sv_style (
  input  logic        clk,
  input  logic        rst_n,
  input  logic [15:0] data_i,
  output logic [15:0] data_o,
  output logic        valid_o
);
  always_ff @(posedge clk or negedge rst_n)
    if (!rst_n) data_o <= '0; else data_o <= data_i;
  assign valid_o = |data_o;
endmodule
"""

SIGNED = """
module mac (input signed [7:0] a, input signed [7:0] b, input wire [3:0] u,
            output signed [15:0] p, output reg signed [3:0] s);
  assign p = a * b;
  always @* s = $signed(u);
endmodule
"""

PARAMS = """
module helper #(parameter N = 2) (input [N-1:0] x, output [N-1:0] y);
  assign y = ~x;
endmodule

module widen #(parameter WIDTH = 12, parameter DEPTH = 5, localparam AW = $clog2(DEPTH))
  (input [WIDTH-1:0] din, input [AW-1:0] addr, output [2*WIDTH-1:0] dout, inout [3:0] bus);
  helper #(.N(WIDTH)) h (.x(din), .y(dout[WIDTH-1:0]));
  assign dout[2*WIDTH-1:WIDTH] = {WIDTH{addr[0]}};
endmodule
"""


def test_non_ansi_verilog_2001_ports() -> None:
    assert read_ports(NON_ANSI, "old_style") == (
        Port("clk", "input"), Port("rst", "input"), Port("d", "input", 8), Port("q", "output", 8),
        Port("flags", "output", 2),
    )


def test_systemverilog_logic_ports() -> None:
    assert read_ports(SV_LOGIC, "sv_style") == (
        Port("clk", "input"), Port("rst_n", "input"), Port("data_i", "input", 16), Port("data_o", "output", 16),
        Port("valid_o", "output"),
    )


def test_signed_ports() -> None:
    ports = {p.name: p for p in read_ports(SIGNED, "mac")}
    assert ports["a"] == Port("a", "input", 8, signed=True)
    assert ports["p"] == Port("p", "output", 16, signed=True)
    assert ports["s"] == Port("s", "output", 4, signed=True)
    assert ports["u"].signed is False


def test_parameterised_widths_use_the_defaults() -> None:
    assert read_ports(PARAMS, "widen") == (
        Port("din", "input", 12), Port("addr", "input", 3), Port("dout", "output", 24), Port("bus", "inout", 4),
    )
    # a module that is instantiated elsewhere is still readable as a top of its own
    assert read_ports(PARAMS, "helper") == (Port("x", "input", 2), Port("y", "output", 2))


def test_unknown_top_names_the_modules_found() -> None:
    with pytest.raises(SpecError) as info:
        read_ports(PARAMS, "TopModule", "cand.v")
    err = info.value
    assert err.path == "cand.v" and err.field == "top"
    assert "'TopModule' is not declared" in str(err) and "helper, widen" in str(err)


def test_module_names_in_source_order() -> None:
    assert module_names(PARAMS) == ["helper", "widen"]
    assert module_names(NON_ANSI + SV_LOGIC) == ["old_style", "sv_style"]
    assert module_names("// no modules here\n") == []


def ins(*names: str) -> tuple[Port, ...]:
    return tuple(Port(n, "input") for n in names) + (Port("q", "output", 4),)


@pytest.mark.parametrize(
    ("names", "clock"),
    [
        (("clk", "rst", "d"), "clk"),
        (("d", "clock"), "clock"),
        (("i_clk", "reset"), "i_clk"),
        (("a", "b"), None),
    ],
)
def test_infer_clock_by_name(names: tuple[str, ...], clock: str | None) -> None:
    assert infer_clock(ins(*names)) == (Clock(clock) if clock else None)


def test_clock_must_be_a_one_bit_input() -> None:
    assert infer_clock((Port("clk", "input", 2), Port("d", "input"))) is None
    assert infer_clock((Port("clk", "output"),)) is None


@pytest.mark.parametrize(
    ("name", "rtl", "expected"),
    [
        ("rst", "always @(posedge clk) if (rst) q <= 0;", Reset("rst", False, "sync")),
        ("reset", "always @(posedge clk or posedge reset) if (reset) q <= 0;", Reset("reset", False, "async")),
        ("rst_n", "always @(posedge clk or negedge rst_n) if (!rst_n) q <= 0;", Reset("rst_n", True, "async")),
        ("rst_n", "always @(posedge clk) if (!rst_n) q <= 0;", Reset("rst_n", True, "sync")),
        ("aresetn", "", Reset("aresetn", True, "sync")),
        ("areset", "always @(posedge clk, posedge areset) q <= areset ? 0 : d;", Reset("areset", False, "async")),
        ("nrst", "", Reset("nrst", True, "sync")),
    ],
)
def test_infer_reset_polarity_and_kind(name: str, rtl: str, expected: Reset) -> None:
    assert infer_reset(ins("clk", name, "d"), rtl) == expected


def test_no_reset_when_no_input_looks_like_one() -> None:
    assert infer_reset(ins("clk", "d", "en")) is None
    assert infer_reset((Port("clk", "input"), Port("rst", "input", 2))) is None  # a reset is one bit


def test_reset_of_the_example_rtl_matches_its_spec() -> None:
    ports = read_ports(SV_LOGIC, "sv_style")
    assert infer_clock(ports) == Clock("clk")
    assert infer_reset(ports, SV_LOGIC) == Reset("rst_n", active_low=True, kind="async")
    old = read_ports(NON_ANSI, "old_style")
    assert infer_reset(old, NON_ANSI) == Reset("rst", active_low=False, kind="sync")


def test_unpacked_array_port_counts_all_its_bits() -> None:
    rtl = ("module m (input wire [2:0] sel, input wire [7:0] data [0:7], output reg [7:0] out);\n"
           "  always @(*) out = data[sel];\nendmodule\n")
    assert [(p.name, p.width) for p in read_ports(rtl, "m")] == [("sel", 3), ("data", 64), ("out", 8)]
