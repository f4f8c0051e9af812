"""The default flow runs Yosys's default ABC script with a bounded SAT sweep, and maps as Yosys's own script does."""
from __future__ import annotations

from pathlib import Path

import pytest

from rtlgen.spec.model import Candidate
from rtlgen.synth import synthesize
from rtlgen.synth.flows import FLOWS_DIR, load_flow
from rtlgen.synth.target import Target

# The default flow as it would be with Yosys's own ABC scripts (SAT sweep bounded at 1,000,000 conflicts per pair)
UNBOUNDED = """name: yosys-unbounded
description: The default flow with Yosys's own ABC scripts.
needs_liberty: true
area_kind: um2
steps:
  - pass: synth
    description: d
    options:
      - flag: -top {top}
        description: d
      - flag: -flatten
        description: d
  - pass: dfflibmap
    description: d
    options:
      - flag: -liberty {liberty}
        description: d
  - pass: abc
    description: d
    options:
      - flag: -liberty {liberty}
        description: d
  - pass: opt_clean
    description: d
  - pass: stat
    description: d
    options:
      - flag: -liberty {liberty}
        description: d
"""


def test_both_abc_runs_bound_the_sat_sweep() -> None:
    commands = load_flow("yosys").commands({"top": "t", "liberty": "L", "clock_ps": 10000, "memory_macros": "M.v",
                                            "memory_macro_cell": "C.v"})
    assert commands[0] == "synth -top t -flatten -noabc -run :fine"  # memories become macros before the fine stage
    assert "synth -top t -noabc -run fine:" in commands  # the generic mapping is a step of its own
    abc = [c for c in commands if c.split()[0] == "abc"]
    assert len(abc) == 2 and all(";&fraig,-x,-C,100;" in c for c in abc)
    assert abc[1].startswith("abc -liberty L ")


@pytest.mark.synth
@pytest.mark.bench
def test_the_bound_maps_small_designs_as_yosys_does(tmp_path: Path, adder: Candidate, counter: Candidate,
                                                    nangate45: str) -> None:
    unbounded = tmp_path / "yosys-unbounded.yaml"
    unbounded.write_text(UNBOUNDED)
    assert (FLOWS_DIR / "yosys.yaml").is_file()
    for design in (adder, counter):
        ours = synthesize(design, Target(liberty=nangate45), use_cache=False)
        theirs = synthesize(design, Target(flow=str(unbounded), liberty=nangate45), use_cache=False)
        assert (ours.area_um2, ours.cells, ours.delay_ns) == (theirs.area_um2, theirs.cells, theirs.delay_ns)
