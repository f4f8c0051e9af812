"""Simulation/synthesis agreement (check "agreement"): constructs whose synthesized meaning differs
from their simulated meaning, found before any proof.

A formal proof works on the synthesized netlist; a testbench runs the simulator's event semantics.
For the constructs below the two disagree, so a proof of such a design says nothing about the RTL a
simulator (or a person) reads, and ``verify`` reports formal as ``error`` instead of ``proven``:

- ``multi_driven``: one signal driven from several always blocks (Yosys ``check``: multiple
  conflicting drivers; Verilator MULTIDRIVEN; pyslang: the whole signal written in two always
  blocks). Synthesis picks a netlist, a simulator lets the last block that ran win.
- ``latch``: a combinational block (``always @*``, ``always_comb``) that leaves a signal unassigned
  on some path (Verilator LATCH, on by default, so ``verify`` reuses its lint run's log). Intended latches belong in ``always_latch``, which is accepted.
- ``comb_loop``: a combinational loop (Yosys ``check``: logic loop).
- ``sim_synth_mismatch``: an incomplete event list (``always @(a, b)`` reading a signal it does not
  list: simulation holds stale values, synthesis builds the logic), an event list mixing edges and
  levels, a register whose initial value no reset sets (simulation and the proof start from it,
  ASIC synthesis does not), or a comparison with an X/Z literal (true in simulation when the signal
  is X, never true in synthesis) other than the X-propagation idiom ``if (s === 'x) y = 'x``.

X/Z values stored or driven are not flagged: the formal check already gives them their sound
meaning (an X in the candidate may be any value, so it cannot make a wrong design ``proven``).

Each finding names the signal and the line of the user's file. Verdict ``pass`` (nothing found) or
``error`` with the finding's class; a tool that cannot read the design only narrows what was
checked (its own check, lint or formal, reports the problem).
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path

from rtlgen.errors import ToolError, ToolTimeout
from rtlgen.spec.model import Candidate
from rtlgen.spec.yosys_compat import packed_ports
from rtlgen.tools import find, run
from rtlgen.tools.yosys import get_runner
from rtlgen.verify.blocks import Access, Design, read_design
from rtlgen.verify.lint import CANDIDATE_FILE, complete_modules, write_candidate
from rtlgen.verify.result import CheckResult

CHECK = "agreement"
CLASSES = ("multi_driven", "latch", "comb_loop", "sim_synth_mismatch")
YOSYS_SCRIPT = "agreement.ys"
CHECK_LOG, INIT_LOG = "agreement_check.log", "agreement_init.log"
# After proc (and before any optimisation, which would fold conflicting drivers into constants) `check`
# reports drivers and loops; opt_dff then turns recognised sync resets into $sdff, so the registers left
# as $dff/$dffe with an init value are the ones no reset sets. `tee` keeps both answers in files, whichever
# Yosys runner (the fast in-process pyosys worker by default, or the CLI) runs the script.
_SCRIPT = f"""read_verilog -sv {{file}}
hierarchy -top {{top}}
proc
flatten
tee -q -o {CHECK_LOG} check
opt_dff
tee -q -o {INIT_LOG} select -list t:$dff t:$dffe %u %co1:+[Q] w:* %i a:init %i
"""
_VERILATOR_WARNING = re.compile(r"%Warning-(MULTIDRIVEN|LATCH): ([^:]*):(\d+):\d+: (.*)")
_QUOTED = re.compile(r"'([^']+)'")
_DRIVERS = re.compile(r"multiple conflicting drivers for [^.\s]+\.\\?([^\s\[]+)(?: \[\d+\])?:\n((?:    .*\n)+)")
_CELL_SOURCE = re.compile(r"\$([^$\s]+):(\d+)\$")  # "$not$top.v:2$1": a cell made from line 2 of top.v
_LOOP_SOURCE = re.compile(r"source: ([^:\s]*):(\d+)\.")
_LISTED = re.compile(r"^\S+/\\?(\S+)$")


@dataclass(frozen=True)
class Finding:
    failure_class: str
    signal: str
    file: str  # the user's file name (``line directives of combined sources are honoured)
    line: int
    why: str
    tool: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: '{self.signal}' {self.why} [{self.tool}]"


def _slang_findings(design: Design) -> list[Finding]:
    """Event lists, whole-signal writes from several blocks, X/Z comparisons: read from the RTL's meaning."""
    found: list[Finding] = []
    for block in design.blocks:
        if block.kind == "listed":
            written = {a.path for a in block.writes}
            for read in block.reads:
                if read.path not in block.listed and read.path not in written:
                    found.append(Finding("sim_synth_mismatch", read.name, read.file, read.line,
                                         f"is read by the combinational block of line {block.line} but is not in its "
                                         "event list: simulation keeps stale values, synthesis does not (use @*)", "pyslang"))
        elif block.kind == "mixed":
            found += [Finding("sim_synth_mismatch", name, block.file, block.line, "is a level event in an edge-triggered "
                              "event list: simulation runs the block on both of its changes, synthesis cannot", "pyslang")
                      for name in block.level_events]
    found += [Finding("sim_synth_mismatch", c.name, c.file, c.line, "is compared with an X/Z literal: simulation "
                      "matches X/Z bits literally or yields X, synthesis sees only 0 and 1", "pyslang")
              for c in design.x_compares]
    whole_writers: dict[str, dict[int, Access]] = {}
    for index, block in enumerate(design.blocks):
        if block.kind not in ("initial", "other"):
            for write in block.writes:
                if write.whole:
                    whole_writers.setdefault(write.path, {}).setdefault(index, write)
    for by_block in whole_writers.values():
        if len(by_block) > 1:
            writes = sorted(by_block.values(), key=lambda a: (a.file, a.line))
            found.append(Finding("multi_driven", writes[0].name, writes[0].file, writes[0].line,
                                 f"is assigned in {len(writes)} always blocks (lines {', '.join(str(a.line) for a in writes)}): "
                                 "synthesis builds one driver, simulation lets the last block to run win", "pyslang"))
    return found


def _first_write(design: Design, name: str, file: str, line: int) -> tuple[str, int]:
    """Where ``name`` is first written (the tools point at its declaration or at nothing)."""
    first = next(iter(design.writers(name)), None)
    return (first.file, first.line) if first else (file, line)


def _verilator_log(workdir: Path, top: str, deadline: float) -> str:
    cmd = [find("verilator"), "--lint-only", "-Wall", "-Wno-fatal", "--timing", "--top-module", top, CANDIDATE_FILE]
    return run(cmd, timeout=_left(deadline), cwd=workdir, check=False).output


def _verilator_findings(output: str, design: Design) -> list[Finding]:
    found = []
    for kind, file, line, text in _VERILATOR_WARNING.findall(output):
        names = _QUOTED.findall(text)
        signal = names[-1].rsplit(".", 1)[-1] if names else "?"
        if kind == "LATCH":
            found.append(Finding("latch", signal, Path(file).name, int(line), "is latched: not every path of its "
                                 "combinational block assigns it (write always_latch if a latch is intended)",
                                 "verilator LATCH"))
        else:
            found.append(Finding("multi_driven", signal, *_first_write(design, signal, Path(file).name, int(line)),
                                 "is driven from several blocks or instances: synthesis builds one driver, simulation "
                                 "lets the last one to run win", "verilator MULTIDRIVEN"))
    return found


def _yosys_findings(workdir: Path, top: str, design: Design, deadline: float) -> tuple[list[Finding], str]:
    """Yosys's own checks; the second value is the reason they were skipped ("" when they ran)."""
    # Yosys reads its own copy (unpacked-array ports packed, lines kept); same file name, so sources still match
    yosys_file = Path("yosys") / CANDIDATE_FILE
    (workdir / yosys_file).parent.mkdir(exist_ok=True)
    (workdir / yosys_file).write_text(packed_ports((workdir / CANDIDATE_FILE).read_text()))
    (workdir / YOSYS_SCRIPT).write_text(_SCRIPT.format(file=yosys_file.as_posix(), top=top))
    result = run(get_runner().command(YOSYS_SCRIPT), timeout=_left(deadline), cwd=workdir, check=False)
    if result.returncode != 0 or not (workdir / INIT_LOG).is_file():
        error = next((ln.strip() for ln in result.output.splitlines() if "ERROR" in ln), f"exit code {result.returncode}")
        return [], f"yosys could not elaborate the design ({error}): multiple drivers, loops and initial values unchecked"
    log = (workdir / CHECK_LOG).read_text(errors="replace")
    found: list[Finding] = []
    bits: dict[str, list[tuple[str, int]]] = {}
    for path, drivers in _DRIVERS.findall(log):
        # a user's signal ("q", flattened "u1.q"), or a net Yosys named after the cell driving it
        name = "(unnamed net)" if "$" in path else path.rsplit(".", 1)[-1]
        bits.setdefault(name, []).extend((Path(f).name, int(n)) for f, n in _CELL_SOURCE.findall(drivers))
    for name, cells in bits.items():
        where = _first_write(design, name, *min(cells, default=(CANDIDATE_FILE, 0)))
        found.append(Finding("multi_driven", name, *where, "has multiple conflicting drivers" +
                             (f" (cells from lines {', '.join(sorted({str(n) for _, n in cells}))})" if cells else ""),
                             "yosys check"))
    for chunk in log.split("found logic loop")[1:]:
        sources = sorted((Path(f).name, int(n)) for f, n in _LOOP_SOURCE.findall(chunk.split("Warning:")[0]))
        file, line = sources[0] if sources else (CANDIDATE_FILE, 0)
        names = design.written_at(file, line)
        found.append(Finding("comb_loop", names[0] if names else "?", file, line,
                             "is part of a combinational loop: simulation may oscillate, synthesis cannot build it",
                             "yosys check"))
    listed = [m.group(1) for ln in (workdir / INIT_LOG).read_text().splitlines() if (m := _LISTED.match(ln.strip()))]
    for path in listed:
        name = path.rsplit(".", 1)[-1]
        found.append(Finding("sim_synth_mismatch", name, *design.initialized.get(name, (CANDIDATE_FILE, 0)),
                             "has an initial value that no reset sets: simulation (and a proof) start from it, ASIC "
                             "synthesis leaves the register unknown", "yosys"))
    return found, ""


def _left(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise ToolTimeout([CHECK], 0, "")
    return left


def check_agreement(candidate: Candidate, workdir: Path, *, timeout: float = 60,
                    verilator_log: str | None = None) -> CheckResult:
    """``pass`` when no construct whose simulation differs from its synthesis is found, else ``error``
    with the first finding's class (see the module docstring); every finding is listed in the message.

    ``verilator_log``: the output of ``verilator --lint-only`` on this candidate when the caller already
    ran it (``verify``'s lint did; LATCH and MULTIDRIVEN are on by default), which saves running it again.
    """
    start = time.monotonic()
    deadline = start + timeout
    workdir = Path(workdir)
    write_candidate(candidate, workdir)
    design = read_design(candidate.rtl, CANDIDATE_FILE)
    findings = _slang_findings(design)
    notes: list[str] = []
    if candidate.top not in complete_modules(candidate.rtl):
        notes.append(f"module '{candidate.top}' not found: tool checks skipped")
    else:
        try:
            log = verilator_log if verilator_log is not None else _verilator_log(workdir, candidate.top, deadline)
            findings += _verilator_findings(log, design)
            more, skipped = _yosys_findings(workdir, candidate.top, design, deadline)
        except ToolTimeout:
            return CheckResult(CHECK, "error", failure_class="timeout", seconds=time.monotonic() - start,
                               message=f"the agreement check (verilator lint, yosys check) did not finish within "
                                       f"{timeout:g} s")
        except ToolError as exc:
            return CheckResult(CHECK, "error", failure_class="tool_error", message=str(exc),
                               seconds=time.monotonic() - start)
        findings += more
        notes += [skipped] if skipped else []
    user_file = Path(candidate.origin).name if candidate.origin and "," not in candidate.origin else "candidate"
    unique: dict[tuple[str, str], Finding] = {}
    for finding in sorted(findings, key=lambda f: (f.file, f.line, f.tool)):  # one per (class, signal): the first
        unique.setdefault((finding.failure_class, finding.signal), finding)
    ordered = sorted(unique.values(), key=lambda f: (CLASSES.index(f.failure_class), f.file, f.line))
    lines = [str(f).replace(CANDIDATE_FILE, user_file) for f in ordered]
    notes = [n.replace(CANDIDATE_FILE, user_file) for n in notes]
    seconds = time.monotonic() - start
    if not ordered:
        return CheckResult(CHECK, "pass", message="; ".join(["simulation and synthesis agree: no multiple drivers, "
                                                             "latches, loops or sim-only constructs found", *notes]),
                           seconds=seconds)
    return CheckResult(CHECK, "error", failure_class=ordered[0].failure_class, seconds=seconds,
                       message="simulation and synthesis of this design disagree, so no proof of it is valid:\n" +
                               "\n".join(f"  {ln}" for ln in lines + notes))
