"""`rtlgen synth --spec`: the spec's auto testbench is the power stimulus only for a design with the spec's ports."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from rtlgen.cli import cli
from rtlgen.errors import ConfigError

pytestmark = pytest.mark.synth

COUNTER = """module counter #(parameter W = 4) (input clk, input rst, input en, output reg [W-1:0] q);
always @(posedge clk) if (rst) q <= 0; else if (en) q <= q + 1;
endmodule
"""


def test_a_parameter_that_changes_the_ports_is_refused_before_synthesis(tmp_path: Path, nangate45: str) -> None:
    """The spec's reference is the design at its defaults; with -P W=8 its testbench would drive 4 of the 8 bits
    and the power would be of a stimulus that does not cover the design: refused, naming the port and the fix."""
    design = tmp_path / "counter.v"
    design.write_text(COUNTER)
    spec = tmp_path / "spec.md"
    spec.write_text(f"---\nreference:\n  rtl: {design}\n  top: counter\n---\nA counter with enable.\n")
    res = CliRunner().invoke(cli, ["synth", str(design), "-P", "W=8", "--spec", str(spec), "--liberty", nangate45,
                                   "--no-cache"])
    assert isinstance(res.exception, ConfigError), res.output
    message = str(res.exception)
    assert "port 'q' is 8 bit(s) wide, the spec says 4" in message and "--vcd" in message
    assert "done" not in res.output
