"""Sim/synth agreement: a design whose simulation differs from its synthesis is never proven.

The corpus in fixtures/sim_synth holds pairs: ``NAME.bad.v`` has one such construct and says in its
first line which class and signal must be reported (``// expect: CLASS SIGNAL``); ``NAME.good.v`` is
the corrected design, which must still be proven (self-equivalence).
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from rtlgen.spec.model import Candidate, Spec
from rtlgen.verify.agreement import CLASSES, check_agreement
from rtlgen.verify.api import verify
from tests.conftest import spec_from_rtl

pytestmark = pytest.mark.formal

CORPUS = Path(__file__).parent / "fixtures" / "sim_synth"
BAD = sorted(CORPUS.glob("*.bad.*"))
GOOD = sorted(CORPUS.glob("*.good.*"))
_EXPECT = re.compile(r"^// expect: (\w+) (\w+) --")


def _spec(path: Path, reference: Path) -> Spec:
    return spec_from_rtl(path.read_text()).with_(reference_rtl=str(reference), reference_top="TopModule")


def test_corpus_is_paired_and_large_enough() -> None:
    assert len(BAD) >= 20
    assert sorted(p.name.replace(".bad.", ".") for p in BAD) == sorted(p.name.replace(".good.", ".") for p in GOOD)
    assert {_EXPECT.match(p.read_text()).group(1) for p in BAD} == set(CLASSES)


@pytest.mark.parametrize("bad", BAD, ids=lambda p: p.name)
def test_mismatch_design_is_never_proven(bad: Path, tmp_path: Path) -> None:
    failure_class, signal = _EXPECT.match(bad.read_text()).groups()
    good = bad.with_name(bad.name.replace(".bad.", ".good."))
    result = verify(Candidate(bad.read_text(), "TopModule", origin=str(bad)), _spec(bad, good), checks=("formal",),
                    workdir=tmp_path)
    agreement, formal = result.get("agreement"), result.get("formal")
    assert agreement.verdict == "error" and agreement.failure_class == failure_class, agreement.message
    assert re.search(rf"{re.escape(bad.name)}:\d+: '{signal}' ", agreement.message), agreement.message
    assert formal.verdict == "error" and formal.failure_class == failure_class and not formal.passed
    assert f"'{signal}'" in formal.message and result.overall == "error"


@pytest.mark.parametrize("good", GOOD, ids=lambda p: p.name)
def test_correct_variant_is_proven(good: Path, tmp_path: Path) -> None:
    result = verify(Candidate(good.read_text(), "TopModule", origin=str(good)), _spec(good, good), checks=("formal",),
                    workdir=tmp_path)
    assert result.get("agreement").verdict == "pass", result.get("agreement").message
    formal = result.get("formal")
    assert formal.verdict == "proven", formal.message + formal.log[-2000:]


def test_findings_name_the_users_file_and_line(tmp_path: Path) -> None:
    rtl = (CORPUS / "sens_stale_regs.bad.v").read_text()
    result = check_agreement(Candidate(rtl, "TopModule", origin="/somewhere/alu.v"), tmp_path)
    ra = ("alu.v:9: 'ra' is read by the combinational block of line 8 but is not in its event list: simulation keeps "
          "stale values, synthesis does not (use @*) [pyslang]")
    assert result.message.splitlines() == [
        f"simulation and synthesis of this design disagree, so no proof of it is valid: {ra} (and 1 more below)",
        f"  {ra}",
        "  alu.v:9: 'rb' is read by the combinational block of line 8 but is not in its event list: simulation keeps "
        "stale values, synthesis does not (use @*) [pyslang]",
    ]
    assert "candidate.sv" not in result.message


def test_the_first_line_of_a_refusal_names_a_finding(tmp_path: Path) -> None:
    """Reports, bench lines and formal's "not attempted" show the first line only: it must carry the reason."""
    bad = CORPUS / "multi_reset_update.bad.v"
    result = verify(Candidate(bad.read_text(), "TopModule", origin=str(bad)), _spec(bad, bad), checks=("formal",),
                    workdir=tmp_path)
    for check in ("agreement", "formal"):
        first = result.get(check).message.splitlines()[0]
        assert re.search(r"so no proof of it is valid: multi_reset_update\.bad\.v:\d+: '\w+' \S", first), first


def test_an_initial_x_is_an_unreset_register_not_a_mismatch(tmp_path: Path) -> None:
    """``initial q = 1'hx`` starts q unknown, as hardware does; a defined initial value still is a finding."""
    rtl = ("module TopModule(input clk, input [3:0] d, output reg [3:0] q, output reg p);\n  initial q = 4'hx;\n"
           "  reg [1:0] r = 2'bxx;\n  always @(posedge clk) begin r <= d[1:0]; q <= d ^ {2'b00, r}; p <= d[0]; end\n"
           "endmodule\n")
    (tmp_path / "ref.v").write_text(rtl)
    spec = spec_from_rtl(rtl).with_(reference_rtl=str(tmp_path / "ref.v"), reference_top="TopModule")
    result = verify(Candidate(rtl, "TopModule", origin="flop.v"), spec, checks=("formal",), workdir=tmp_path / "run")
    assert result.get("agreement").verdict == "pass", result.get("agreement").message
    assert result.get("formal").verdict == "proven", result.get("formal").message
    defined = check_agreement(Candidate(rtl.replace("4'hx", "4'h0"), "TopModule", origin="flop.v"), tmp_path / "def")
    assert defined.failure_class == "sim_synth_mismatch" and "flop.v:2: 'q' has an initial value" in defined.message


D_LATCH = "module TopModule(input en, input [3:0] d, output reg [3:0] q);\n  always @* if (en) q = d;\nendmodule\n"


def test_a_latch_written_as_a_latch_passes_and_is_proven(tmp_path: Path) -> None:
    (tmp_path / "ref.v").write_text(D_LATCH)
    spec = spec_from_rtl(D_LATCH).with_(reference_rtl=str(tmp_path / "ref.v"), reference_top="TopModule")
    result = verify(Candidate(D_LATCH, "TopModule", origin="dlatch.v"), spec, checks=("formal",),
                    workdir=tmp_path / "run")
    assert result.get("agreement").verdict == "pass", result.get("agreement").message
    assert result.get("formal").verdict == "proven", result.get("formal").message


def test_a_latch_beside_fully_assigned_outputs_is_refused_with_the_reason(tmp_path: Path) -> None:
    rtl = D_LATCH.replace("output reg [3:0] q);", "output reg [3:0] q, output reg v);").replace(
        "always @* if (en) q = d;", "always @* begin\n    v = en;\n    if (en) q = d;\n  end")
    result = check_agreement(Candidate(rtl, "TopModule", origin="/work/dlatch.v"), tmp_path)
    assert result.failure_class == "latch"
    assert ("dlatch.v:2: 'q' is latched: the combinational block of line 2 assigns v on every path but not 'q'"
            in result.message.splitlines()[0]), result.message
    assert "can glitch in hardware where zero-delay simulation cannot" in result.message


def test_a_latch_in_always_comb_is_refused(tmp_path: Path) -> None:
    rtl = D_LATCH.replace("always @*", "always_comb").replace("output reg", "output logic")
    result = check_agreement(Candidate(rtl, "TopModule", origin="dlatch.sv"), tmp_path)
    assert result.failure_class == "latch" and "dlatch.sv:2: 'q' is latched in the always_comb block" in result.message


def test_x_propagation_idiom_and_intended_latch_pass(tmp_path: Path) -> None:
    rtl = """module TopModule(input clk, input en, input [1:0] s, input d, output reg y, output reg q);
  always @* begin
    y = s[0] & s[1];
    if (|s === 1'bx) y = 1'bx;
  end
  always_latch if (en) q = d;
endmodule
"""
    result = check_agreement(Candidate(rtl, "TopModule"), tmp_path)
    assert result.verdict == "pass", result.message


def test_findings_in_a_multi_file_project_name_each_file(tmp_path: Path) -> None:
    from rtlgen.spec.sources import candidate_from_files

    (tmp_path / "leaf.v").write_text("module leaf(input a, input b, output reg y);\n  always @(a)\n    y = a | b;\nendmodule\n")
    (tmp_path / "top.v").write_text("module TopModule(input a, input b, output y);\n  leaf u(.a(a), .b(b), .y(y));\n"
                                    "endmodule\n")
    candidate = candidate_from_files([tmp_path / "top.v", tmp_path / "leaf.v"], "TopModule")
    result = check_agreement(candidate, tmp_path / "run")
    assert result.failure_class == "sim_synth_mismatch"
    assert " leaf.v:3: 'b' is read by the combinational block of line 2 " in result.message, result.message


def test_two_instances_driving_one_wire_are_multi_driven(tmp_path: Path) -> None:
    rtl = ("module inv(input a, output y);\n  assign y = ~a;\nendmodule\n"
           "module TopModule(input a, input b, output y);\n  wire w;\n  inv u1(.a(a), .y(w));\n  inv u2(.a(b), .y(w));\n"
           "  assign y = w;\nendmodule\n")
    result = check_agreement(Candidate(rtl, "TopModule", origin="pair.v"), tmp_path)
    assert result.failure_class == "multi_driven" and "pair.v:5: 'w' is driven from several" in result.message
