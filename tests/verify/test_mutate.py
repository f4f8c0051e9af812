"""Mutants: distinct, compiling, one spot each, the rest of the source byte for byte."""
from __future__ import annotations

import difflib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from rtlgen.cli import cli
from rtlgen.errors import RtlgenError
from rtlgen.tools.registry import find
from rtlgen.tools.run import run
from rtlgen.verify.mutate import OPERATORS, find_sites, mutate

COUNTER = """\
module counter(input clk, input rst, input en, input [3:0] limit, output reg [3:0] q, output done);
  // keep this comment
  assign done = (q == limit) ? 1'b1 : 1'b0;
  always @(posedge clk) begin
    if (rst) q <= 4'h0;
    else if (en && q < limit) q <= q + 1;
    else q <= q;
  end
endmodule
"""


def compiles(rtl: str, tmp_path: Path, top: str = "counter") -> bool:
    src = tmp_path / "check.v"
    src.write_text(rtl)
    return run([find("iverilog"), "-g2012", "-s", top, "-o", str(tmp_path / "check.vvp"), str(src)],
               timeout=60, check=False).returncode == 0


@pytest.mark.sim
def test_mutants_are_distinct_compiling_single_spot_changes(tmp_path: Path) -> None:
    mutants = mutate(COUNTER, 8, seed=3, top="counter")
    assert len(mutants) == 8
    texts = [m.rtl for m in mutants]
    assert len(set(texts)) == 8 and COUNTER not in texts
    assert len({m.operator for m in mutants}) >= 4  # a mix of bug kinds, not eight constant tweaks
    for m in mutants:
        assert compiles(m.rtl, tmp_path), m.description
        # the edit is exactly original -> replacement at the recorded line; everything else is untouched
        start = m.offset
        assert COUNTER[:start].count("\n") + 1 == m.line and COUNTER[start:].startswith(m.original)
        assert COUNTER[:start] + m.replacement + COUNTER[start + len(m.original):] == m.rtl
        changed = [l for l in difflib.ndiff(COUNTER.splitlines(), m.rtl.splitlines()) if l[:1] in "+-"]
        assert changed and "// keep this comment" in m.rtl


@pytest.mark.sim
def test_seed_is_reproducible_and_changes_choice() -> None:
    a = [m.rtl for m in mutate(COUNTER, 4, seed=1)]
    assert a == [m.rtl for m in mutate(COUNTER, 4, seed=1)]
    assert a != [m.rtl for m in mutate(COUNTER, 4, seed=2)]


def test_sites_cover_each_operator_but_not_port_widths() -> None:
    sites = find_sites(COUNTER)
    assert {s.operator for s in sites} == set(OPERATORS) - {"swap_operands"}  # COUNTER has no {a, b}
    header_end = COUNTER.index(");")
    assert not [s for s in sites if s.start < header_end]  # [3:0] in the port list is never touched
    reset = [s for s in sites if s.operator == "wrong_reset_value"]
    assert [s.replacement for s in reset] == ["f"]  # 4'h0 -> 4'hf


@pytest.mark.sim
def test_reductions_concatenations_and_indices_are_mutated() -> None:
    rtl = "module t(input [7:0] in, input [2:0] s, output [3:0] y, output z, output w);\n" \
          "  assign {y, z} = {in[3:0], &in};\n  assign w = in[s];\nendmodule\n"
    got = {(m.operator, m.original, m.replacement) for m in mutate(rtl, 20)}
    assert ("swap_operator", "&", "|") in got
    assert ("off_by_one", "s", "s + 1") in got
    assert ("swap_operands", "in[3:0], &in", "&in, in[3:0]") in got


@pytest.mark.sim
def test_fewer_mutants_when_design_has_few_spots() -> None:
    tiny = "module t(input a, output y);\n  assign y = ~a;\nendmodule\n"
    mutants = mutate(tiny, 5)
    assert [m.rtl for m in mutants] == ["module t(input a, output y);\n  assign y = a;\nendmodule\n"]


@pytest.mark.sim
def test_broken_design_is_refused() -> None:
    with pytest.raises(RtlgenError, match="does not compile"):
        mutate("module t(input a, output y);\n  assign y = a +;\nendmodule\n", 3)


@pytest.mark.sim
def test_cli_writes_mutants_and_index(tmp_path: Path) -> None:
    design = tmp_path / "counter.v"
    design.write_text(COUNTER)
    result = CliRunner().invoke(cli, ["mutate", str(design), "-n", "3", "--top", "counter", "--out", str(tmp_path / "m")])
    assert result.exit_code == 0, result.output
    index = json.loads((tmp_path / "m" / "mutants.json").read_text())
    assert [e["file"] for e in index] == ["counter_m01.v", "counter_m02.v", "counter_m03.v"]
    assert all(e["line"] >= 1 and e["original"] != e["replacement"] for e in index)
    assert (tmp_path / "m" / "counter_m02.v").read_text() != COUNTER
