"""``synthesize()``: a candidate's area, timing and power under one flow, liberty and clock."""
from __future__ import annotations

import json
import time
import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from rtlgen.errors import ConfigError
from rtlgen.spec.model import Candidate
from rtlgen.synth import cache
from rtlgen.synth.flows import Flow, load_flow
from rtlgen.synth.liberty import Liberty
from rtlgen.synth.memories import MemoryMacro, macros_in
from rtlgen.synth.power.energy import price
from rtlgen.synth.power.gatesim import Stimulus, simulate
from rtlgen.synth.power.library import read_power_library
from rtlgen.synth.power.sta_power import sta_power
from rtlgen.synth.render import templates_text
from rtlgen.synth.report import SCHEMA, DesignWarning, SynthReport
from rtlgen.synth.sanity import lost_outputs, unmapped_logic
from rtlgen.synth.target import Target
from rtlgen.synth.sta import DEFAULT_ACTIVITY, DEFAULT_DUTY, StaResult, clock_ports, run_sta
from rtlgen.synth import SYNTH_TIMEOUT_S
from rtlgen.synth.yosys import CELL_SUFFIX, NETLIST_FILE, YosysRun, run_flow
from rtlgen.tools.yosys import YosysRunner, get_runner
from rtlgen.tools.registry import tool_version
from rtlgen.tools.rundir import run_directory
from rtlgen.verify.sandbox import refuse_untrusted

ESTIMATE_FLOW = "estimate"


@lru_cache(maxsize=1)
def _sta_version() -> str:
    return tool_version("sta")


def _choose(flow: str, liberty: Liberty | None) -> tuple[Flow, Liberty | None, list[str]]:
    """The flow and liberty to use; a liberty flow without any liberty falls back to the estimate."""
    chosen = load_flow(flow)
    warnings: list[str] = []
    if not chosen.needs_liberty:
        if liberty:
            warnings.append(f"flow '{chosen.name}' ignores the liberty {liberty.label}")
        return chosen, None, warnings
    if liberty is None:
        warnings.append(f"no liberty configured (--liberty, RTLGEN_LIBERTY or config file): flow "
                        f"'{chosen.name}' replaced by '{ESTIMATE_FLOW}' (transistor count, no timing or power)")
        return load_flow(ESTIMATE_FLOW), None, warnings
    return chosen, liberty, warnings


def synthesize(candidate: Candidate, target: Target = Target(), *, vcd: str | None = None, vcd_scope: str = "dut",
               vcd_label: str | None = None, timeout: float = SYNTH_TIMEOUT_S, runner: str | None = None,
               use_cache: bool = True, keep: bool = False) -> SynthReport:
    """Synthesize ``candidate`` onto ``target`` and report area, timing and power (see docs/synth.md).

    ``vcd`` is the stimulus: a dump of the design's RTL simulation (instance ``vcd_scope``, e.g. the auto
    testbench's). Its inputs are replayed on the mapped netlist and the power is priced from that gate-level
    simulation: by rtlgen (``target.power_engine`` "gate", the default with a stimulus) or by OpenSTA ("sta").
    Without one, OpenSTA's vectorless estimate. ``vcd_label`` names the stimulus in the report (default: the path).

    Raises SynthError (quoting Yosys/OpenSTA/Icarus) when the design does not synthesize, UnsafeRTL for RTL
    that reaches outside its run directory, LibertyError for a missing or corrupt liberty, FlowError
    for a bad flow, WaveError for an unusable VCD, ConfigError for the gate engine without a stimulus.
    """
    start = time.monotonic()
    clock_ns = target.clock_ns
    chosen, lib, warnings = _choose(target.flow, target.liberty)
    yosys = get_runner(runner)
    versions = {"yosys": yosys.version()}
    if lib is not None:
        versions["sta"] = f"OpenSTA {_sta_version()}"
    vcd_hash = cache.file_hash(vcd) if (vcd and lib is not None) else None
    if vcd and lib is None:
        warnings.append("VCD ignored: power needs a liberty")
    engine = _engine(target.power_engine, vcd_hash is not None)
    mapping = {"schema": SCHEMA, "rtl": candidate.rtl, "top": candidate.top, "flow": chosen.text,
               "liberty": lib.sha256 if lib else None, "clock_ns": clock_ns,
               "dont_use": [lib.dont_use.lists, lib.dont_use.patterns] if lib else None,
               "memory_macro_bits": target.memory_macro_bits, "templates": templates_text(), "versions": versions}
    key = cache.cache_key({**mapping, "vcd": vcd_hash, "vcd_scope": vcd_scope if vcd_hash else None,
                           "vcd_label": vcd_label if vcd_hash else None,
                           "defaults": [DEFAULT_ACTIVITY, DEFAULT_DUTY], "power_engine": engine})
    caching = use_cache and cache.enabled()
    if caching:
        hit = cache.get(key)
        if hit is not None:
            return _warned(SynthReport.from_dict(hit).with_(cached=True))
    # Yosys reads `include files and $readmem data at elaboration
    refuse_untrusted(candidate)
    with run_directory(f"synth-{candidate.top}", keep=keep) as workdir:
        mapped = _Mapped(candidate, chosen, lib, clock_ns, versions, cache.cache_key(mapping) if caching else None,
                         target.memory_macro_bits)
        report, ys = mapped.run(workdir, yosys, timeout)
        report = report.with_(warnings=(*warnings, *report.warnings))
        if lib is not None and ys.netlist is not None:
            stimulus = Path(vcd) if vcd_hash else None
            report = _add_timing_power(report, lib, ys, clock_ns, timeout,
                                       _Power(engine, stimulus, vcd_scope, vcd_label))
    seconds = dict(report.seconds, total=round(time.monotonic() - start, 4))
    report = report.with_(seconds=seconds)
    if caching:
        cache.put(key, report.to_dict())
    return _warned(report)


@dataclass(frozen=True)
class _Mapped:
    """The design mapped by one flow onto one liberty: what a report holds before timing and power.

    ``key`` (None: not cached) names the mapped run in the cache: power is priced per stimulus on one netlist, so a
    design measured under several activities is mapped by Yosys once."""

    candidate: Candidate
    flow: Flow
    lib: Liberty | None
    clock_ns: float
    versions: dict[str, str]
    key: str | None
    memory_macro_bits: int | None

    def run(self, workdir: Path, yosys: YosysRunner, timeout: float) -> tuple[SynthReport, YosysRun]:
        """The report of the mapping (no timing or power yet) and the run whose netlist is in ``workdir``."""
        stored = cache.get_mapped(self.key, workdir) if self.key else None
        if stored is not None:  # no Yosys ran: its seconds are not this report's
            report = SynthReport.from_dict(stored["report"]).with_(seconds={"yosys": 0.0})
            netlist = workdir / NETLIST_FILE if self.lib else None
            return report, YosysRun(stat={}, netlist=netlist, seconds=0.0, log="", workdir=workdir)
        c = self.candidate
        ys = run_flow(c.rtl, c.top, self.flow, self.lib, self.clock_ns, workdir, runner=yosys, timeout=timeout,
                      memory_macro_bits=self.memory_macro_bits)
        report = _report(c, self.flow, self.lib, self.clock_ns, ys, self.versions, [])
        if self.key:
            cache.put_mapped(self.key, {"report": report.to_dict()},
                             [p for p in (ys.netlist, ys.netlist_json) if p is not None])
        return report, ys


def _warned(report: SynthReport) -> SynthReport:
    """Each design issue Yosys's ``check`` found becomes a Python warning (errors under ``-W error``)."""
    for issue in report.design_issues:
        warnings.warn(f"{report.top}: {issue['kind']}: {issue['message']}", DesignWarning, stacklevel=3)
    return report


def _signal(point: str | None) -> str | None:
    """A timing path end named as the design's signal: register cells are named ``<signal>.reg`` by the
    flow (Yosys ``rename -wire``), ports by themselves; unnamed internal cells stay as they are."""
    if point is None:
        return None
    point = point.replace("\\", "")
    return point.removesuffix(CELL_SUFFIX)


def _report(candidate: Candidate, flow: Flow, lib: Liberty | None, clock_ns: float, ys: YosysRun,
            versions: dict[str, str], warnings: list[str]) -> SynthReport:
    stat = ys.stat
    cells = {str(k): int(v) for k, v in sorted(stat.get("num_cells_by_type", {}).items())}
    issues = tuple(i.to_dict() for i in ys.issues)
    mapped = json.loads(ys.mapped_json.read_text())
    macros = macros_in(mapped, candidate.top, lib)
    warnings = [*warnings, *(f"yosys check: {i['kind']}: {i['message']}" for i in issues), *_macro_warnings(macros)]
    common = dict(top=candidate.top, design_hash=candidate.content_hash, flow=flow.name, clock_ns=clock_ns,
                  area_kind=flow.area_kind, liberty=lib.describe() if lib else None,
                  cell_count=int(stat.get("num_cells", 0)), cells=cells, tool_versions=dict(versions),
                  seconds={"yosys": round(ys.seconds, 4)}, warnings=tuple(warnings), design_issues=issues,
                  lost_logic=tuple(lost_outputs(json.loads(ys.rtl_json.read_text()), mapped, candidate.top)),
                  memory_macros=macros)
    if flow.area_kind == "transistors":
        count = str(stat.get("estimated_num_transistors", "0"))
        if count.endswith("+"):
            common["warnings"] += ("transistor count is a lower bound: Yosys has no transistor figure for some "
                                   "cells (e.g. flip-flops with asynchronous set/reset)",)
        return SynthReport(**common, transistors=int(count.rstrip("+")))
    common["lost_logic"] += tuple(unmapped_logic(cells, lib)) if lib is not None else ()
    area = float(stat.get("area", 0.0))  # Yosys omits the key when no cell is left (constant outputs)
    seq = stat.get("sequential_area")
    if seq is None and lib is not None:  # older Yosys: sum the liberty's sequential cell areas
        seq = sum(lib.cells[c].area * n for c, n in cells.items() if c in lib.cells and lib.cells[c].sequential)
    seq = float(seq) if seq is not None else None
    return SynthReport(**common, area_um2=area, sequential_area_um2=seq,
                       combinational_area_um2=None if seq is None else round(area - seq, 6))


def _macro_warnings(macros: tuple[MemoryMacro, ...]) -> list[str]:
    """What a report with memory macros must say beside its figures."""
    if not macros:
        return []
    names = ", ".join(m.name for m in macros)
    kept, its, it = (("1 memory kept as a memory macro", "its", "it") if len(macros) == 1 else
                     (f"{len(macros)} memories kept as memory macros", "their", "them"))
    return [f"{kept} ({names}; memory_macro_bits, --memory-macro-bits): {its} area is an estimate listed apart, not "
            f"in the area; timing paths into and out of {it} are cut (OpenSTA links a black box) and power leaves "
            f"{it} out"]


def _engine(asked: str, stimulus: bool) -> str:
    """Who prices power: ``auto`` is the gate-level engine where a stimulus exists, else OpenSTA (vectorless)."""
    if asked == "auto":
        return "gate" if stimulus else "sta"
    if asked == "gate" and not stimulus:
        raise ConfigError("the gate-level power engine needs a stimulus: pass a VCD of the design's simulation "
                          "(rtlgen synth --vcd FILE), or choose --power-engine sta (OpenSTA vectorless)")
    return asked


@dataclass(frozen=True)
class _Power:
    """How this run prices power: the engine ("gate" or "sta") and the stimulus dump, if any."""

    engine: str
    stimulus: Path | None
    scope: str
    label: str | None


def _add_timing_power(report: SynthReport, lib: Liberty, ys: YosysRun, clock_ns: float, timeout: float,
                      how: _Power) -> SynthReport:
    """Timing (and the vectorless power) from OpenSTA; with a stimulus, power from its gate-level simulation."""
    assert ys.netlist is not None and ys.netlist_json is not None and ys.workdir is not None
    if how.stimulus is not None and report.memory_macros:
        raise ConfigError(f"the gate-level simulation cannot replay a stimulus through the memory macro "
                          f"{report.memory_macros[0].name}: build memories from flip-flops "
                          "(--memory-macro-bits off, Target(memory_macro_bits=None)) or leave out the stimulus")
    netlist = json.loads(ys.netlist_json.read_text())
    clocks = clock_ports(netlist, report.top, lib)
    sta = run_sta(lib, ys.netlist, report.top, clock_ns, clocks, timeout=timeout)
    seconds = dict(report.seconds, sta=round(sta.seconds, 4))
    warnings = list(report.warnings)
    if how.stimulus is None:
        power, activity = _vectorless(sta)
    else:
        stimulus = Stimulus(how.stimulus, how.scope, clocks[0] if clocks else None, clock_ns, how.label)
        power, activity = _simulated(report.top, lib, ys, netlist, stimulus, timeout, how.engine, seconds)
    delay = None if sta.slack_ns is None else round(clock_ns - sta.slack_ns, 6)
    if delay is None:
        warnings.append("OpenSTA found no constrained timing path (no delay reported)")
    return report.with_(
        delay_ns=delay, arrival_ns=sta.arrival_ns, slack_ns=sta.slack_ns,
        fmax_mhz=round(1000.0 / delay, 3) if delay and delay > 0 else None,
        critical_path={"startpoint": _signal(sta.startpoint), "endpoint": _signal(sta.endpoint),
                       "path_group": sta.path_group}, clock_ports=tuple(clocks),
        power_w=power["total_w"], power=power, activity=activity, seconds=seconds, warnings=tuple(warnings))


def _split(sta: StaResult) -> dict[str, Any]:
    power = {"engine": "sta", "internal_w": sta.internal_w, "switching_w": sta.switching_w,
             "leakage_w": sta.leakage_w, "total_w": sta.total_w}
    return {**power, "underflow_cells": len(sta.underflow_cells)} if sta.underflow_cells else power


def _vectorless(sta: StaResult) -> tuple[dict[str, Any], dict[str, Any]]:
    """OpenSTA's power with every input at the default activity, propagated through the logic."""
    activity: dict[str, Any] = {"source": f"vectorless(input_activity={DEFAULT_ACTIVITY:g},duty={DEFAULT_DUTY:g})",
                                "default_activity": DEFAULT_ACTIVITY, "default_duty": DEFAULT_DUTY}
    return _split(sta), activity


def _simulated(top: str, lib: Liberty, ys: YosysRun, netlist: dict[str, Any], stimulus: Stimulus, timeout: float,
               engine: str, seconds: dict[str, float]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Power from the gate-level simulation of the mapped netlist under the stimulus' inputs, priced by the
    chosen engine: rtlgen from the liberty's tables ("gate"), or OpenSTA given the same activity ("sta")."""
    assert ys.netlist_json is not None and ys.workdir is not None
    t0 = time.monotonic()
    library = read_power_library(lib)
    gates = simulate(ys.netlist_json, top, library, stimulus, ys.workdir / "gatesim", timeout=timeout)
    seconds["gatesim"] = round(time.monotonic() - t0, 4)
    t0 = time.monotonic()
    if engine == "gate":
        power = price(gates, library, netlist).to_dict()
    else:
        sta = sta_power(gates, lib, netlist, stimulus.clock_ns, ys.workdir / "sta-power", timeout=timeout)
        power = {**_split(sta), "source": gates.source}
    seconds["power"] = round(time.monotonic() - t0, 4)
    activity = {"source": gates.source, "engine": engine, "scope": stimulus.scope, "cycles": gates.cycles,
                "duration_ns": gates.duration_ns, "nets": len(gates.bits)}
    return power, activity


__all__ = ["synthesize"]
