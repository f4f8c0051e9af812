"""Retrieval puts the right rules first, for designs of each category (ours and RTL-OPT's)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from rtlgen.cli import cli
from rtlgen.optimize.rules import design_features, load_rules

OURS = {
    "fsm": ("""module f(input clk, rst, go, output done);
  localparam IDLE = 4'b0001, RUN = 4'b0010, WAIT = 4'b0100, DONE = 4'b1000;
  reg [3:0] state, next;
  always @(posedge clk) if (rst) state <= IDLE; else state <= next;
  always @(*) case (state)
    IDLE: next = go ? RUN : IDLE;
    RUN: next = WAIT;
    WAIT: next = DONE;
    DONE: next = IDLE;
    default: next = IDLE;
  endcase
  assign done = (state == DONE);
endmodule
""", {"fsm-binary-encoding", "fsm-merge-equivalent", "fsm-remove-unreachable"}),
    "const_mult": ("""module m(input [7:0] x, output [11:0] y);
  assign y = x * 12;
endmodule
""", {"const-mult-shift-add"}),
    "compare": ("""module c(input [2:0] a, b, output eq);
  assign eq = (a[2] == b[2]) && (a[1] == b[1]) && (a[0] == b[0]);
endmodule
""", {"compare-word-level"}),
    "decoder": ("""module d(input [3:0] s, output [15:0] o);
  assign o = 16'd1 << s;
endmodule
""", {"decoder-compare-per-output"}),
    "andor_mux": ("""module m(input [1:0] s, input [31:0] a, b, c, d, output [31:0] y);
  assign y = ((s == 2'd0) ? a : 32'd0) | ((s == 2'd1) ? b : 32'd0) | ((s == 2'd2) ? c : 32'd0)
           | ((s == 2'd3) ? d : 32'd0);
endmodule
""", {"mux-andor-to-index"}),
    "add_sub": ("""module a(input op, input [7:0] x, y, output [7:0] r);
  assign r = op ? x + y : x - y;
endmodule
""", {"share-add-sub"}),
    "counter": ("""module c(input clk, rst, output [7:0] q);
  reg [7:0] n;
  always @(posedge clk) if (rst) n <= 8'd0; else if (n == 8'd5) n <= 8'd0; else n <= n + 8'd1;
  assign q = n;
endmodule
""", {"counter-width-reduction"}),
    "register_file": ("""module rf(input clk, we, input [2:0] wa, ra, input [7:0] wd, output [7:0] rd);
  reg [7:0] mem [0:7];
  always @(posedge clk) if (we) mem[wa] <= wd;
  assign rd = mem[ra];
endmodule
""", {"memory-zero-register"}),
    "enable": ("""module e(input clk, load, input [15:0] d, output reg [15:0] q);
  always @(posedge clk) if (load) q <= d;
endmodule
""", {"clock-gating-enable"}),
}


@pytest.fixture(scope="module")
def store():
    return load_rules()


@pytest.mark.parametrize("name", sorted(OURS))
def test_right_rule_first_for_our_designs(store, name: str) -> None:
    rtl, expected = OURS[name]
    ranked = store.search(rtl, 3)
    top = {r.rule.id for r in ranked}
    assert ranked[0].rule.id in expected or expected <= top, [(r.rule.id, round(r.score, 2)) for r in ranked]
    assert ranked[0].score >= ranked[-1].score
    assert "x" in ranked[0].why  # the evidence: feature x count (snippet)


def test_fsm_rules_outrank_datapath_rules_for_an_fsm(store) -> None:
    ranked = store.search(OURS["fsm"][0], 5)
    assert [r.rule.category for r in ranked[:3]] == ["fsm"] * 3


def test_features_of_a_design() -> None:
    features = design_features(OURS["fsm"][0])
    assert {"has_fsm", "has_onehot_states", "has_sequential", "has_sync_reset"} <= set(features.names)
    assert "has_multiplier" not in features
    assert design_features(OURS["const_mult"][0]).evidence["has_multiplier_by_constant"] == ["x * 12"]


# RTL-OPT pair -> a rule that must be among the first three for its suboptimal design
RTL_OPT = {
    "add_sub": "share-add-sub", "addr_calcu": "share-mux-before-arith", "alu_8bit": "alu-shared-adder",
    "comparator": "compare-merge-derived", "comparator_2bit": "compare-word-level",
    "comparator_8bit": "compare-word-level", "decoder_8bit": "decoder-compare-per-output",
    "divider_8bit": "division-restoring-compare", "fsm_encode": "fsm-binary-encoding",
    "mul_const": "const-mult-shift-add", "mult_if": "mux-priority-flatten", "mux_4to1_64bit": "mux-andor-to-index",
    "mux_encode": "mux-case-to-index", "register": "memory-zero-register", "selector": "table-for-narrow-function",
    "sub_8bit": "arith-word-level", "sub_32bit": "arith-word-level", "adder_carry": "arith-word-level",
}


@pytest.mark.bench
@pytest.mark.parametrize("design", sorted(RTL_OPT))
def test_right_rule_in_top3_for_rtl_opt(store, benchmarks: Path, design: str) -> None:
    path = next((benchmarks / "rtl-opt" / design).glob(f"{design}.*v"))
    ranked = store.search(path.read_text(), 3)
    assert RTL_OPT[design] in [r.rule.id for r in ranked], [(r.rule.id, round(r.score, 2)) for r in ranked]


def test_cli_list_show_search(tmp_path: Path) -> None:
    runner = CliRunner()
    listed = runner.invoke(cli, ["rules", "list", "--kind", "template", "--json", "-"])
    assert listed.exit_code == 0, listed.output
    assert {r["kind"] for r in json.loads(listed.output)} == {"template"}
    shown = runner.invoke(cli, ["rules", "show", "const-mult-shift-add"])
    assert shown.exit_code == 0 and "shift" in shown.output and "risks" in shown.output
    design = tmp_path / "m.v"
    design.write_text(OURS["const_mult"][0])
    out = tmp_path / "rank.json"
    searched = runner.invoke(cli, ["rules", "search", str(design), "-k", "4", "--json", str(out)])
    assert searched.exit_code == 0, searched.output
    data = json.loads(out.read_text())
    assert data["ranking"][0]["rule"] == "const-mult-shift-add" and len(data["ranking"]) == 4
    assert "has_multiplier_by_constant" in data["features"]
    assert "const-mult-shift-add" in searched.output


def test_cli_unknown_rule_and_top_are_bad_input(tmp_path: Path) -> None:
    from rtlgen.cli import main  # noqa: F401 - exit codes come from main's error mapping

    runner = CliRunner()
    result = runner.invoke(cli, ["rules", "show", "nope"], standalone_mode=False)
    assert result.exception is not None and "no rule 'nope'" in str(result.exception)
    design = tmp_path / "m.v"
    design.write_text(OURS["const_mult"][0])
    bad = runner.invoke(cli, ["rules", "search", str(design), "--top", "zz"])
    assert bad.exit_code == 2 and "zz" in bad.output


def test_negated_feature_keeps_one_hot_encoding_away_from_a_one_hot_fsm(store) -> None:
    ranked = {r.rule.id: r for r in store.search(OURS["fsm"][0], None)}
    assert "not has_onehot_states" in store.get("fsm-onehot-encoding").detect
    assert ranked["fsm-onehot-encoding"].score < ranked["fsm-binary-encoding"].score
    assert "missing not has_onehot_states" in ranked["fsm-onehot-encoding"].why
