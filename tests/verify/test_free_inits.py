"""A design judged against itself with free initial values (the realworld suite) is proven by `verify`'s formal check;
the same spec keeping initial values stays refused by the agreement check, as before."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from rtlgen.spec.interface import infer_clock, read_ports
from rtlgen.spec.model import Candidate, Spec
from rtlgen.verify.api import verify

pytestmark = pytest.mark.formal

# FPGA style, as verilog-axis writes its registers: initialised where declared, set by no reset.
HOLD = """module hold(input clk, input en, input [3:0] d, output [3:0] q);
reg [3:0] r = 4'd5;
always @(posedge clk) if (en) r <= d;
assign q = r;
endmodule
"""


def _self_spec(tmp_path: Path, free_inits: bool) -> Spec:
    ref = tmp_path / "hold.v"
    ref.write_text(HOLD)
    ports = read_ports(HOLD, "hold")
    return Spec(top="hold", ports=ports, clock=infer_clock(ports), name="hold", reference_rtl=str(ref),
                reference_top="hold", free_inits=free_inits)


def test_free_initial_values_let_a_design_be_proven_against_itself(tmp_path: Path) -> None:
    candidate = Candidate(HOLD, "hold", trusted=True)
    kept = verify(candidate, _self_spec(tmp_path, free_inits=False), checks=("formal",))
    assert kept.get("agreement").verdict == "error" and kept.get("formal").verdict == "error"
    free = verify(candidate, _self_spec(tmp_path, free_inits=True), checks=("formal",))
    assert free.get("agreement").verdict == "pass", free.get("agreement").message
    formal = free.get("formal")
    assert formal.verdict == "proven" and formal.passed, formal.message
    assert "start them free" in formal.message


def test_free_inits_round_trips_through_the_spec_dict(tmp_path: Path) -> None:
    spec = _self_spec(tmp_path, free_inits=True)
    assert Spec.from_dict(spec.to_dict()) == spec and replace(spec, free_inits=False) != spec
