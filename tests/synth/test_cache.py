"""The synthesis caches: a design priced under several activities is mapped by Yosys once."""
from __future__ import annotations

from pathlib import Path

import pytest

from rtlgen.spec.model import Candidate
from rtlgen.synth import api, cache
from rtlgen.synth.target import Target
from tests.synth.conftest import simulate_dump

TB = """`timescale 1ns/1ps
module tb;
  reg [7:0] a = 0, b = 0;
  wire [8:0] s;
  adder dut(.a(a), .b(b), .s(s));
  initial begin
    $dumpfile("sim.vcd"); $dumpvars(0, tb);
    repeat (30) begin #10 a = a + 8'd37; b = b ^ a; end
    $finish;
  end
endmodule
"""


@pytest.fixture
def own_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("RTLGEN_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv(cache.CACHE_ENV, raising=False)
    return tmp_path / "cache"


@pytest.mark.sim
@pytest.mark.synth
@pytest.mark.bench
def test_one_mapping_serves_every_activity(own_cache: Path, tmp_path: Path, adder: Candidate, nangate45: str,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    vcd = simulate_dump(tmp_path / "sim", TB, adder.rtl)
    mapped: list[str] = []
    real_run_flow = api.run_flow

    def counted(rtl: str, top: str, *args, **kwargs):  # type: ignore[no-untyped-def]
        mapped.append(top)
        return real_run_flow(rtl, top, *args, **kwargs)

    monkeypatch.setattr(api, "run_flow", counted)
    simulated = api.synthesize(adder, Target(liberty=nangate45), vcd=str(vcd))
    vectorless = api.synthesize(adder, Target(liberty=nangate45))
    assert mapped == ["adder"]  # the second activity priced on the stored netlist
    assert vectorless.seconds["yosys"] == 0.0 and not vectorless.cached
    assert simulated.activity["source"] == f"gate-sim({vcd})"
    assert vectorless.activity["source"].startswith("vectorless(")
    assert (vectorless.area_um2, vectorless.cells, vectorless.delay_ns) == (simulated.area_um2, simulated.cells,
                                                                          simulated.delay_ns)
    uncached = api.synthesize(adder, Target(liberty=nangate45), use_cache=False)
    assert mapped == ["adder", "adder"]
    assert uncached.to_dict() | {"seconds": None} == vectorless.to_dict() | {"seconds": None}
    api.synthesize(adder, Target(liberty=nangate45, clock_ns=5.0))  # another clock is another mapping
    assert mapped == ["adder", "adder", "adder"]


def test_a_partly_stored_mapping_is_a_miss(own_cache: Path, tmp_path: Path) -> None:
    netlist = tmp_path / "netlist.v"
    netlist.write_text("module m; endmodule\n")
    cache.put_mapped("ab" * 32, {"report": {"top": "m"}}, [netlist])
    into = tmp_path / "into"
    into.mkdir()
    assert cache.get_mapped("ab" * 32, into) == {"report": {"top": "m"}, "files": ["netlist.v"]}
    assert (into / "netlist.v").read_text() == "module m; endmodule\n"
    cache.put_mapped("ab" * 32, {"report": {"top": "other"}}, [netlist])  # the first copy stays
    assert cache.get_mapped("ab" * 32, into)["report"] == {"top": "m"}
    stored = next(own_cache.glob("synth/mapped/*/*/netlist.v.gz"))
    stored.unlink()
    assert cache.get_mapped("ab" * 32, into) is None
