"""Trust through the optimizer: rtlgen's own rewrites of a user's trusted design stay trusted, so a design
whose parameter check ends in ``$finish`` can still be optimized; an LLM's rewrite is the LLM's text and is
scanned as untrusted."""
from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from rtlgen.optimize import fsm, llm_moves, templates
from rtlgen.optimize.gate import Gate
from rtlgen.optimize.ppa import PPA
from rtlgen.spec.model import Candidate, Clock, Reset
from tests.optimize.test_fsm_extract import design

# An elaboration-time parameter check as verilog-axis writes it: untrusted text may not call $finish.
CHECK = """  initial begin
    if (W < 2) begin
      $error("W must be at least 2");
      $finish;
    end
  end
"""
SCALE = f"""module m #(parameter W = 8) (input [W-1:0] a, output [W-1:0] y);
{CHECK}  assign y = a * 9;
endmodule
"""


def _users(rtl: str, top: str = "m") -> Candidate:
    return Candidate(rtl, top, origin="m.v", trusted=True)


def test_rtlgens_own_rewrites_of_a_trusted_design_stay_trusted() -> None:
    shift_add = templates.propose(_users(SCALE), "const-mult-shift-add")
    reencoded = fsm.propose(_users(design("fsm_pulse").rtl, "fsm_pulse"))
    assert shift_add and reencoded
    assert all(p.candidate.trusted and p.candidate.origin == "m.v" for p in shift_add + reencoded)
    assert not any(p.candidate.trusted for p in templates.propose(Candidate(SCALE, "m"), "const-mult-shift-add"))


@pytest.mark.formal
def test_a_template_rewrite_of_a_trusted_design_with_finish_is_proven(tmp_path: Path) -> None:
    original = _users(SCALE)
    gate = Gate(original, clock=None, reset=None, workdir=tmp_path, timeout=60)
    move = templates.propose(original, "const-mult-shift-add")[0].candidate
    assert gate.admit(original) is None
    assert gate.check(original, move, "shift-add").status == "proven"


@pytest.mark.formal
def test_an_llm_rewrite_of_a_trusted_design_is_scanned_as_untrusted(tmp_path: Path) -> None:
    original = _users(SCALE)
    rewrite = SCALE.replace("a * 9", "(a << 3) + a")
    client = SimpleNamespace(complete=lambda messages, tag: [SimpleNamespace(text=f"```verilog\n{rewrite}```",
                                                                              call_id="call-1")])
    rule = SimpleNamespace(id="shift-add", title="multiply by shifts", description="")
    proposals, _ = llm_moves.propose(original, rule, PPA(area=1.0, delay=None, power=None, flow="base"), client)
    assert len(proposals) == 1 and not proposals[0].candidate.trusted
    verdict = Gate(original, clock=Clock("clk"), reset=Reset("rst"), workdir=tmp_path).check(
        original, proposals[0].candidate, "llm")
    assert verdict.status == "unsafe" and "$finish" in verdict.message
