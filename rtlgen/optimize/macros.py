"""Memory macros in the gate's proofs: each macro a black box, cut out of both designs the same way.

Synthesis keeps every inferred memory of at least ``Target.memory_macro_bits`` bits with a write port as one black
box (``rtlgen.synth.memories``), and a recipe's netlist holds that black box: nothing can be proven about what is
inside it, and flattened, a 4096-word memory costs the proof minutes of elaboration alone. So the gate proves both
designs with each macro cut out (``macro_cut.v.j2``): its read data become inputs, the same free values in both
designs, and what it would see (write enables, addresses and data, read addresses, enables, clocks and resets, each
only where it can change the memory) become outputs that must be equal. The RTL's memories are made macros as
synthesis makes them (the synthesis flows' own techmap, ``memories.macro_map``).

Why that is sound: the macros of the two designs are paired by name and must have equal parameters (geometry and
behaviour: read ports' clocking, enables, resets and transparency, write ports' clocking and priority, initial
contents), and they start with equal contents, as register correspondence assumes of matched registers. If the rest
is proven equal for every sequence of read data, and with it every value the macros see, then by induction on the
cycles each pair of macros sees the same inputs, so holds the same words and reads the same data: the designs are
equal. A write in the reset cycle changes a macro too, while the proof compares outputs from the cycle after it, so
with a reset the macro's inputs are compared one cycle late, registered on its write clock. A difference at a macro's
pins is a counterexample to the designs as netlists with that black box, as an equivalence checker reports one at a
black box's inputs; it can be one the memory would hide (a different value written where nothing reads).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from pathlib import Path

from rtlgen.optimize.render import render
from rtlgen.optimize.rules.features import design_features
from rtlgen.spec.model import Candidate
from rtlgen.spec.yosys_compat import packed_ports
from rtlgen.synth.memories import BEHAVIOUR_PARAMETERS, MACRO_CELL, macro_cell, macro_map
from rtlgen.synth.yosys import scratch_env
from rtlgen.tools.run import run
from rtlgen.tools.yosys import get_runner
from rtlgen.verify.formal.wording import listed

READ_ATTRIBUTE = "rtlgen_macro_read"   # the cut's read data: inputs of the top
PIN_ATTRIBUTE = "rtlgen_macro_pin"     # what the macro would see: outputs of the top
DESIGN, MACROS_JSON, STAGE, CUT = "design.sv", "macros.json", "stage.il", "cut.v"


@dataclass(frozen=True)
class Macro:
    """One macro of a design: its memory's name, its cell in the netlist, and every parameter (binary strings)."""

    name: str
    cell: str
    parameters: tuple[tuple[str, str], ...]

    def value(self, key: str) -> int:
        text = dict(self.parameters)[key]
        return int(text, 2) if set(text) <= {"0", "1"} else 0

    def describe(self) -> str:
        return (f"'{self.name}' {self.value('WORDS')} x {self.value('WIDTH')} ({self.value('RD_PORTS')} read / "
                f"{self.value('WR_PORTS')} write ports)")

    def behaviour(self) -> dict[str, str]:
        """What must be equal for two macros to be the same memory (everything but the cell's name)."""
        return {k: v for k, v in self.parameters if k != "MEMID"}


@dataclass(frozen=True)
class Cut:
    """A design with its macros cut out (``candidate``: the macros' pins as ports), or as it was when it has none."""

    candidate: Candidate
    macros: tuple[Macro, ...]


def may_hold_macros(candidate: Candidate) -> bool:
    """Whether ``candidate`` can hold a macro (a memory array, or a netlist's macro cell): the rest need no cut."""
    return MACRO_CELL in candidate.rtl or "has_memory_array" in design_features(candidate.rtl)


def cut(candidate: Candidate, min_bits: int, *, delayed: bool, workdir: Path, timeout: float) -> Cut:
    """``candidate`` with each memory of at least ``min_bits`` bits with a write port (and each macro cell it already
    holds) cut out; ``delayed``: the pins registered on the write clock (the proof forces a reset in its first cycle).
    Raises ToolFailed or ToolTimeout when Yosys does."""
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / DESIGN).write_text(packed_ports(candidate.rtl))
    (workdir / "macro_map.v").write_text(macro_map(min_bits).read_text())
    (workdir / "macro_cell.v").write_text(macro_cell().read_text())
    _yosys(workdir, "elaborate.ys", [
        "read_verilog -lib macro_cell.v", f"read_verilog -sv {DESIGN}", f"hierarchy -check -top {candidate.top}",
        "proc", "chformal -remove", "flatten -noscopeinfo", "delete t:$print",
        # memories inferred as synthesis infers them: flip-flop enables and resets found first (x kept as x), so a
        # register loaded from a read merges into the read port, as in the recipe's macro
        "opt -keepdc", "memory -nomap", "techmap -map macro_map.v t:$mem_v2", f"write_rtlil {STAGE}",
        f"write_json {MACROS_JSON}"], timeout)
    macros = _macros(json.loads((workdir / MACROS_JSON).read_text())["modules"][candidate.top])
    if not macros:
        return Cut(candidate, ())
    (workdir / "macro_cut.v").write_text(render("macro_cut.v.j2", cell=MACRO_CELL, behaviour=BEHAVIOUR_PARAMETERS,
                                                read_attribute=READ_ATTRIBUTE, pin_attribute=PIN_ATTRIBUTE,
                                                delayed=delayed))
    _yosys(workdir, "cut.ys", [
        f"read_rtlil {STAGE}", f"cd {candidate.top}",
        *(f"rename {m.cell} {_slug(m.name)}_macro" for m in macros), "cd ..",
        f"techmap -autoproc -map macro_cut.v t:{MACRO_CELL}", f"expose -input a:{READ_ATTRIBUTE}",
        f"expose a:{PIN_ATTRIBUTE}", f"rename -unescape a:{READ_ATTRIBUTE} a:{PIN_ATTRIBUTE}",
        f"write_verilog -noattr {CUT}"], timeout)
    text = (workdir / CUT).read_text()
    return Cut(replace(candidate, rtl=text, origin=f"{candidate.origin or candidate.top}, memory macros cut out"),
               macros)


def mismatch(gold: Cut, gate: Cut) -> str:
    """Why the two designs' macros cannot be paired ('' when each has a partner of its name and parameters)."""
    ours, theirs = {m.name: m for m in gold.macros}, {m.name: m for m in gate.macros}
    alone = [f"{m.describe()} of the {side} only" for side, mine, other in
             (("reference", ours, theirs), ("candidate", theirs, ours)) for m in mine.values() if m.name not in other]
    differ = [f"{m.describe()}: {listed(_differing(m, theirs[m.name]))} differ" for m in ours.values()
              if m.name in theirs and m.behaviour() != theirs[m.name].behaviour()]
    return "; ".join(alone + differ)


def describe(macros: tuple[Macro, ...]) -> str:
    """The assumption a proof with macros cut out rests on, for its message."""
    return (f"memory macros as black boxes ({listed([m.describe() for m in macros])}): paired by name with equal "
            "parameters and starting with equal contents, their read data the same free inputs in both designs and "
            "what each would see compared as outputs")


def _differing(one: Macro, other: Macro) -> list[str]:
    theirs = other.behaviour()
    return [k for k, v in one.behaviour().items() if theirs.get(k) != v]


def _macros(module: dict) -> tuple[Macro, ...]:
    found = [Macro(str(cell["parameters"]["MEMID"]).lstrip("\\"), name,
                   tuple(sorted((k, str(v)) for k, v in cell["parameters"].items())))
             for name, cell in module.get("cells", {}).items() if cell["type"] == MACRO_CELL]
    return tuple(sorted(found, key=lambda m: m.name))


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", name) or "memory"


def _yosys(workdir: Path, script: str, commands: list[str], timeout: float) -> None:
    (workdir / script).write_text("\n".join(commands) + "\n")
    run(get_runner().command(script), timeout=timeout, cwd=workdir, env=scratch_env(workdir), tool="Yosys")
