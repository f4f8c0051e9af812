"""The flow portfolio: recipes are valid flows, the greedy search keeps what the acceptance rule prefers."""
from __future__ import annotations

from pathlib import Path

import pytest

from rtlgen.optimize import portfolio
from rtlgen.optimize.ppa import PPA, Criterion
from rtlgen.spec.model import Candidate
from rtlgen.synth.flows import load_flow
from rtlgen.synth.liberty import resolve_liberty
from rtlgen.synth.yosys import scratch_env
from tests.optimize.conftest import COUNT10


def test_every_knob_value_gives_a_valid_flow(tmp_path: Path):
    for knob, values in portfolio.KNOBS.items():
        for value in values:
            recipe = portfolio.Recipe(**{knob: value})
            flow = load_flow(str(recipe.write(tmp_path)))
            passes = [s.pass_name for s in flow.steps]
            assert passes[-1] == "stat" and "dfflibmap" in passes
    commands = " ; ".join(load_flow(str(portfolio.Recipe(fsm="binary", share="aggressive", booth=True, sat=True,
                                                           abc="area").write(tmp_path))).commands(
        {"top": "t", "liberty": "L", "clock_ps": 1, "memory_macros": "MM", "memory_macro_cell": "MC"}))
    # large memories kept as macros by the base flow's own steps, before the fine stage would flatten them
    assert commands.index("techmap -map MM") < commands.index("synth -run fine:check")
    for text in ("fsm -encoding binary", "share -aggressive", "booth", "opt_dff -sat", "-script +strash",
                 "read_verilog -lib MC"):
        assert text in commands


def test_search_keeps_only_improvements_within_tolerance(tmp_path: Path):
    base = PPA(100.0, 1.0, 1e-5)
    fake = {"recipe-default": PPA(100.0, 1.0, 1e-5), "recipe-fsm_binary": PPA(90.0, 1.2, 1e-5),   # delay +20%
            "recipe-share_aggressive": PPA(95.0, 1.0, 1e-5), "recipe-share_aggressive-abc_area": PPA(93.0, 1.0, 1e-5)}
    seen = []

    def measure(candidate: Candidate, flow: str) -> PPA:
        name = Path(flow).stem.rsplit("-", 1)[0]
        seen.append(name)
        return fake.get(name, PPA(101.0, 1.0, 1e-5))

    choice = portfolio.search(Candidate(COUNT10, "m"), base, measure, Criterion("area"), tmp_path)
    assert choice.recipe == portfolio.Recipe(share="aggressive", abc="area") and choice.ppa.area == 93.0
    # the one best before it is next in line when its netlist cannot be proven
    assert [(r, p.area) for r, _, p in choice.ranked()] == [(choice.recipe, 93.0),
                                                             (portfolio.Recipe(share="aggressive"), 95.0)]
    assert "recipe-fsm_binary" in seen and len(seen) == len(set(seen))


@pytest.mark.synth
@pytest.mark.formal
def test_a_recipe_netlist_is_proven_against_the_rtl(tmp_path: Path, nangate45):
    """The proof sees the mapped cells (as their liberty functions), so ABC's mapping is covered too."""
    from rtlgen.optimize.gate import Gate
    from rtlgen.spec.model import Clock, Reset

    rtl = Candidate(COUNT10, "m")
    flow = portfolio.Recipe(fsm="binary", sat=True, abc="deepsyn-amap").write(tmp_path)
    netlist = portfolio.proof_netlist(rtl, str(flow), resolve_liberty(nangate45), tmp_path / "netlist")
    assert "module m(" in netlist.rtl and "_X1" not in netlist.rtl  # no cell instance left: all functions
    gate = Gate(rtl, clock=Clock("clk"), reset=Reset("rst"), workdir=tmp_path / "gate", timeout=60)
    assert gate.check(rtl, netlist, "flow").status == "proven"


@pytest.mark.synth
@pytest.mark.formal
def test_a_wrong_mapping_is_caught(tmp_path: Path, nangate45):
    """A netlist whose cells compute something else is not proven: the cells' functions are what is compared."""
    from rtlgen.optimize.gate import Gate
    from rtlgen.spec.model import Clock, Reset

    rtl = Candidate(COUNT10, "m")
    flow = portfolio.Recipe().write(tmp_path)
    netlist = portfolio.proof_netlist(rtl, str(flow), resolve_liberty(nangate45), tmp_path / "netlist")
    wrong = Candidate(COUNT10.replace("8'd9", "8'd8"), "m")
    bad = portfolio.proof_netlist(wrong, str(flow), resolve_liberty(nangate45), tmp_path / "bad")
    gate = Gate(rtl, clock=Clock("clk"), reset=Reset("rst"), workdir=tmp_path / "gate", timeout=60)
    assert gate.check(rtl, netlist, "good").status == "proven"
    assert gate.check(rtl, bad, "bad").status == "counterexample"


@pytest.mark.synth
def test_a_relative_run_folder_still_gives_the_netlist(tmp_path: Path, nangate45, monkeypatch: pytest.MonkeyPatch):
    """`rtlgen optimize`'s default --out is relative (out/<top>-opt): ABC's temp folder must still be found from
    inside the netlist's folder (it was not: every recipe was rejected with 'mapped netlist not written').
    Yosys's mapping of a user's trusted design is still trusted."""
    monkeypatch.chdir(tmp_path)
    assert scratch_env(Path("relative")) == {"TMPDIR": str(tmp_path / "relative" / "tmp")}
    flow = portfolio.Recipe(clock_gating=True).write(Path("recipes"))
    netlist = portfolio.proof_netlist(Candidate(COUNT10, "m", trusted=True), str(flow), resolve_liberty(nangate45),
                                      Path("out") / "m-opt" / "flows" / "netlist")
    assert "module m(" in netlist.rtl and netlist.origin.startswith("recipe-clock_gating netlist")
    assert netlist.trusted



# A skid buffer, FPGA style (verilog-axis): data registers with an initial value that no reset sets; after mapping,
# some flip-flops' QN pins are used.
SKID = """module s(input clk, input rst, input load, input take, input [7:0] d, output [7:0] q, output v, output ready);
reg [7:0] q_reg = 8'd0, t_reg = 8'd0;
reg v_reg = 1'b0, t_valid = 1'b0, ready_reg = 1'b0;
always @(posedge clk) begin
  if (load & ~v_reg | take) q_reg <= t_valid ? t_reg : d;
  if (load & v_reg & ~take) t_reg <= d;
  t_valid <= rst ? 1'b0 : (load & v_reg & ~take) | (t_valid & ~take);
  v_reg <= rst ? 1'b0 : load | (v_reg & ~take) | t_valid;
  ready_reg <= rst ? 1'b0 : ~t_valid;
end
assign q = q_reg;
assign v = v_reg;
assign ready = ready_reg;
endmodule
"""


@pytest.mark.synth
@pytest.mark.formal
@pytest.mark.parametrize("recipe", [portfolio.Recipe(), portfolio.Recipe(clock_gating=True)], ids=lambda r: r.name)
def test_a_netlist_with_unreset_registers_is_proven(tmp_path: Path, nangate45, recipe: portfolio.Recipe):
    """A flip-flop whose QN is used is one register of the netlist, not a second one named after a cell: the gate
    pairs every register with the RTL's by name, so the unreset ones start equal and the recipe is proven (it was
    inconclusive: Yosys models QN as a register of its own, which started free of Q and had no partner)."""
    from rtlgen.optimize.gate import Gate
    from rtlgen.spec.model import Clock, Reset

    rtl = Candidate(SKID, "s")
    netlist = portfolio.proof_netlist(rtl, str(recipe.write(tmp_path)), resolve_liberty(nangate45), tmp_path / "net")
    gate = Gate(rtl, clock=Clock("clk"), reset=Reset("rst"), workdir=tmp_path / "gate", timeout=60)
    verdict = gate.check(rtl, netlist, "flow")
    assert verdict.status == "proven", verdict.message


def _unbounded_sweeps(commands: list[str]) -> list[str]:
    """The commands that run ABC's SAT sweep without a conflict bound: a `synth` whose fine stage maps with the
    default script, an `abc` with the default script, or a script whose `&fraig -x` has no `-C`."""
    return [c for c in commands
            if (c.startswith("synth ") and ":coarse" not in c and "-noabc" not in c)
            or (c.startswith("abc ") and ("-script" not in c or "&fraig,-x" in c.replace("&fraig,-x,-C,", "")))]


def test_every_flow_bounds_the_sat_sweep(tmp_path: Path):
    """Recipes and the delay flow sweep as the default flow does (an unbounded &fraig -x stalls on deep arithmetic)."""
    values = {"top": "t", "liberty": "L", "clock_ps": 1, "adder_map": "M", "memory_macros": "MM",
              "memory_macro_cell": "MC"}
    flows = [load_flow(name) for name in ("yosys", "yosys-delay")]
    flows += [load_flow(str(portfolio.Recipe(**{knob: value}).write(tmp_path)))
              for knob, values_ in portfolio.KNOBS.items() for value in values_]
    assert {f.name: _unbounded_sweeps(f.commands(values)) for f in flows} == {f.name: [] for f in flows}


# a 3-operand sum: a carry-save row of full adders, then a carry chain
SUM3 = "module s3(input [5:0] a, b, c, output [7:0] y); assign y = a + b + c; endmodule\n"


@pytest.mark.synth
@pytest.mark.parametrize("adders", ["after-abc", "before-abc"])
def test_the_adders_recipe_maps_full_adders_onto_the_liberty_cell(tmp_path: Path, nangate45, adders: str):
    from rtlgen.synth.api import synthesize
    from rtlgen.synth.target import Target

    liberty = resolve_liberty(nangate45)
    area = {}
    for recipe in (portfolio.Recipe(), portfolio.Recipe(adders=adders)):
        report = synthesize(Candidate(SUM3, "s3"), Target(flow=str(recipe.write(tmp_path)), liberty=liberty),
                            use_cache=False)
        area[recipe.adders] = (report.area_um2, report.cells.get("FA_X1", 0))
    assert area["off"][1] == 0 and area[adders][1] >= 5
    assert area[adders][0] < area["off"][0]


@pytest.mark.synth
@pytest.mark.formal
def test_a_full_adder_netlist_is_proven_and_a_swapped_output_is_caught(tmp_path: Path, nangate45,
                                                                        monkeypatch: pytest.MonkeyPatch):
    """FA_X1 has two outputs: the proof reads each one's liberty function, so the netlist that uses the carry as
    the carry is proven, and one whose techmap takes the sum pin for the carry (and back) is refused."""
    from dataclasses import replace

    from rtlgen.optimize.gate import Gate
    from rtlgen.synth import adders
    from rtlgen.synth.render import render

    liberty, rtl = resolve_liberty(nangate45), Candidate(SUM3, "s3")
    flow = str(portfolio.Recipe(adders="after-abc").write(tmp_path))
    good = portfolio.proof_netlist(rtl, flow, liberty, tmp_path / "good")
    cell = adders.full_adder_cell(liberty)
    swapped = tmp_path / "swapped_map.v"
    swapped.write_text(render("adder_map.v.j2", library=liberty.name,
                              cell=replace(cell, carry=cell.sum, sum=cell.carry)))
    monkeypatch.setattr("rtlgen.synth.yosys.adder_map", lambda _: swapped)
    bad = portfolio.proof_netlist(rtl, flow, liberty, tmp_path / "bad")
    assert "FA_X1" in (tmp_path / "good" / "mapped.json").read_text()
    gate = Gate(rtl, clock=None, reset=None, workdir=tmp_path / "gate", timeout=60)
    assert gate.check(rtl, good, "adders").status == "proven"
    assert gate.check(rtl, bad, "swapped").status == "counterexample"
