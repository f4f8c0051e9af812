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
    lines = result.message.splitlines()[1:]
    assert lines == [
        "  alu.v:9: 'ra' is read by the combinational block of line 8 but is not in its event list: simulation keeps "
        "stale values, synthesis does not (use @*) [pyslang]",
        "  alu.v:9: 'rb' is read by the combinational block of line 8 but is not in its event list: simulation keeps "
        "stale values, synthesis does not (use @*) [pyslang]",
    ]
    assert "candidate.sv" not in result.message


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
    assert "  leaf.v:3: 'b' is read by the combinational block of line 2 " in result.message, result.message


def test_two_instances_driving_one_wire_are_multi_driven(tmp_path: Path) -> None:
    rtl = ("module inv(input a, output y);\n  assign y = ~a;\nendmodule\n"
           "module TopModule(input a, input b, output y);\n  wire w;\n  inv u1(.a(a), .y(w));\n  inv u2(.a(b), .y(w));\n"
           "  assign y = w;\nendmodule\n")
    result = check_agreement(Candidate(rtl, "TopModule", origin="pair.v"), tmp_path)
    assert result.failure_class == "multi_driven" and "pair.v:5: 'w' is driven from several" in result.message
