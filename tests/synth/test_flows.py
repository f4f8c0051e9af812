"""Flows are data: the shipped ones load, malformed ones fail naming the file and the key."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from rtlgen.synth.flows import FlowError, available_flows, load_flow

GOOD = """name: tiny
description: d
needs_liberty: false
area_kind: transistors
steps:
  - pass: synth
    description: s
    options:
      - flag: -top {top}
        description: top
  - pass: stat
    description: st
"""


def test_shipped_flows_load_and_render() -> None:
    names = available_flows()
    assert {"yosys", "yosys-delay", "estimate"} <= set(names)
    for name in names:
        flow = load_flow(name)
        cmds = flow.commands({"top": "t", "liberty": "L.lib", "clock_ps": 2500, "memory_macros": "M.v",
                              "memory_macro_cell": "C.v"})
        assert cmds[0].startswith("synth -top t") and cmds[-1].startswith("stat")
        assert all(step.description and all(o.description for o in step.options) for step in flow.steps)
    delay = load_flow("yosys-delay").commands({"top": "t", "liberty": "L", "clock_ps": 2500, "memory_macros": "M.v",
                                               "memory_macro_cell": "C.v"})
    assert "-D 2500" in " ".join(delay)
    assert load_flow("estimate").area_kind == "transistors" and not load_flow("estimate").needs_liberty
    assert load_flow("yosys").needs_liberty


@pytest.mark.parametrize("edit, key", [
    (lambda t: t.replace("description: d\n", "description: d\ncolour: red\n"), "flow.colour"),
    (lambda t: t.replace("  - pass: stat\n    description: st\n", "  - pass: stat\n"), "steps[1].description"),
    (lambda t: t.replace("-top {top}", "-top {tpo}"), "steps[0].options[0].flag"),
    (lambda t: t.replace("pass: stat", "pass: opt_clean"), "steps[1].pass"),
    (lambda t: t.replace("area_kind: transistors", "area_kind: furlongs"), "flow.area_kind"),
    (lambda t: t.replace("needs_liberty: false", "needs_liberty: maybe"), "flow.needs_liberty"),
    (lambda t: t.replace("-top {top}", "-liberty {liberty}"), "flow.needs_liberty"),
    (lambda t: t.replace("pass: synth", "pass: synth; shell rm"), "steps[0].pass"),
])
def test_bad_flow_names_file_and_key(tmp_path: Path, edit, key: str) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(GOOD)
    assert load_flow(str(good)).name == "tiny"
    bad = tmp_path / "bad.yaml"
    bad.write_text(edit(GOOD))
    with pytest.raises(FlowError) as info:
        load_flow(str(bad))
    assert str(bad) in str(info.value) and key in str(info.value)


def test_unknown_flow_lists_choices() -> None:
    with pytest.raises(FlowError, match="choose one of .*yosys"):
        load_flow("no-such-flow")


def test_rendered_scripts() -> None:
    from rtlgen.synth.yosys import render_script  # noqa: PLC0415

    est = render_script(load_flow("estimate"), "top1", None, 10.0, netlist=False)
    lines = [ln for ln in est.splitlines() if ln and not ln.startswith("#")]
    assert lines[:4] == ["read_verilog -sv design.sv", "hierarchy -check -top top1", "proc",
                         "tee -q -o check.log check"]
    assert lines.index("write_json -selected rtl.json") < lines.index("synth -top top1 -flatten -run :fine")
    stat = lines.index("tee -q -o stat.json stat -json -tech cmos")
    assert "abc -g cmos2" in lines and lines[stat - 1].startswith("delete t:$scopeinfo t:$print")
    assert lines[stat + 1:] == ["select top1", "write_json -selected mapped.json", "select -clear"]
    assert "write_verilog" not in est and "rename" not in est  # no liberty flip-flops to name
    mapped = [ln for ln in render_script(load_flow("yosys"), "top1", None, 10.0, netlist=False).splitlines()
              if not ln.startswith("#")]
    flops = mapped.index("rename -wire -suffix .reg t:$_*DFF* t:$_DLATCH*")
    assert mapped[flops + 1].startswith("dfflegalize") and mapped[flops + 2].startswith("dfflibmap")


def test_a_flow_is_parsed_once_per_file_version(tmp_path: Path) -> None:
    """A suite run asks for the same flow for every design: the same Flow comes back until the file changes."""
    path = tmp_path / "tiny.yaml"
    path.write_text(GOOD)
    first = load_flow(str(path))
    assert load_flow(str(path)) is first and load_flow("yosys") is load_flow("yosys")
    path.write_text(GOOD.replace("description: d", "description: edited"))
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000))
    assert load_flow(str(path)).description == "edited"
