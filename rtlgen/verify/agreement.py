"""Simulation/synthesis agreement (check "agreement"): constructs whose synthesized meaning differs
from their simulated meaning, found before any proof.

A formal proof works on the synthesized netlist; a testbench runs the simulator's event semantics.
For the constructs below the two disagree, so a proof of such a design says nothing about the RTL a
simulator (or a person) reads, and ``verify`` reports formal as ``error`` instead of ``proven``:

- ``multi_driven``: one signal driven from several always blocks (Yosys ``check``: multiple
  conflicting drivers; Verilator MULTIDRIVEN; pyslang: the whole signal written in two always
  blocks). Synthesis picks a netlist, a simulator lets the last block that ran win.
- ``latch``: a combinational block that assigns some signals on every path and leaves another
  unassigned on some path, or any latch in ``always_comb`` (Verilator LATCH, on by default, so
  ``verify`` reuses its lint run's log). A latch written as a latch (``always_latch``, or an
  ``always @*`` block that writes only the signals it holds, e.g. ``if (en) q = d;``) simulates as
  it synthesizes and is accepted.
- ``comb_loop``: a combinational loop (Yosys ``check``: logic loop).
- ``sim_synth_mismatch``: an incomplete event list (``always @(a, b)`` reading a signal it does not
  list: simulation holds stale values, synthesis builds the logic), an event list mixing edges and
  levels, a register whose initial value no reset sets (simulation and the proof start from it,
  ASIC synthesis does not; an all-x initial value is what an unreset register is, and passes), or a
  comparison with an X/Z literal (true in simulation when the signal is X, never true in synthesis)
  other than the X-propagation idiom ``if (s === 'x) y = 'x``.

X/Z values stored or driven are not flagged: the formal check already gives them their sound
meaning (an X in the candidate may be any value, so it cannot make a wrong design ``proven``).

Each finding names the signal and the line of the user's file. Verdict ``pass`` (nothing found) or
``error`` with the finding's class; a tool that cannot read the design only narrows what was
checked (its own check, lint or formal, reports the problem).
"""
from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from pathlib import Path

from rtlgen.errors import ToolError, ToolTimeout
from rtlgen.spec.model import Candidate
from rtlgen.spec.yosys_compat import packed_ports
from rtlgen.tools import run
from rtlgen.tools.yosys import get_runner
from rtlgen.verify.blocks import Access, Design, read_design
from rtlgen.verify.formal.wording import started_free
from rtlgen.verify.lint import CANDIDATE_FILE, complete_modules, verilator_lint_command, write_candidate
from rtlgen.verify.result import CheckResult

CHECK = "agreement"
CLASSES = ("multi_driven", "latch", "comb_loop", "sim_synth_mismatch")
YOSYS_SCRIPT = "agreement.ys"
CHECK_LOG, INIT_JSON = "agreement_check.log", "agreement_init.json"
# After proc (and before any optimisation, which would fold conflicting drivers into constants) `check`
# reports drivers and loops; opt_dff then turns recognised sync resets into $sdff, so the registers left
# as $dff/$dffe with an init value are the ones no reset sets (read from the JSON netlist, which keeps the
# value: an all-x one is no initial value). `tee` and the JSON keep both answers in files, whichever Yosys
# runner (the fast in-process pyosys worker by default, or the CLI) runs the script.
_SCRIPT = f"""read_verilog -sv {{file}}
hierarchy -top {{top}}
proc
flatten
tee -q -o {CHECK_LOG} check
opt_dff
write_json {INIT_JSON}
"""
_VERILATOR_WARNING = re.compile(r"%Warning-(MULTIDRIVEN|LATCH): ([^:]*):(\d+):\d+: (.*)")
_QUOTED = re.compile(r"'([^']+)'")
_DRIVERS = re.compile(r"multiple conflicting drivers for [^.\s]+\.\\?([^\s\[]+)(?: \[\d+\])?:\n((?:    .*\n)+)")
_CELL_SOURCE = re.compile(r"\$([^$\s]+):(\d+)\$")  # "$not$top.v:2$1": a cell made from line 2 of top.v
_LOOP_SOURCE = re.compile(r"source: ([^:\s]*):(\d+)\.")
_UNRESET_INIT = ("has an initial value that no reset sets: simulation (and a proof) start from it, ASIC synthesis "
                 "leaves the register unknown")


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
    cmd = verilator_lint_command(["--lint-only", "-Wall", "-Wno-fatal", "--timing", "--top-module", top,
                                  CANDIDATE_FILE])
    return run(cmd, timeout=_left(deadline), cwd=workdir, check=False).output


def _latch_findings(latches: list[tuple[str, str, int]], design: Design) -> list[Finding]:
    """Latches of combinational blocks that are risks; a block that is a latch and nothing else is intended.

    A block such as ``always @* if (en) q = d;`` writes only signals it holds: a D latch written as a
    latch, which simulates as it synthesizes. The risk is a block that assigns some outputs on every path
    and forgets one on some path: its latch is enabled by the block's own logic, which can glitch in
    hardware where zero-delay simulation cannot. An ``always_comb`` block declares combinational logic, so
    any latch in it is refused (Yosys will not synthesize it).
    """
    by_block: dict[tuple[str, int], set[str]] = {}
    for signal, file, line in latches:
        by_block.setdefault((file, line), set()).add(signal)
    found = []
    for (file, line), held in by_block.items():
        block = next((b for b in design.blocks if (b.file, b.line) == (file, line)), None)
        others = sorted({w.name for w in block.writes} - held) if block else ["?"]
        for signal in sorted(held):
            if block is not None and block.always_comb:
                why = (f"is latched in the always_comb block of line {line}: always_comb declares combinational "
                       "logic, so synthesis refuses it (Yosys) while simulation holds the old value (write "
                       "always_latch if a latch is intended)")
            elif others:
                why = (f"is latched: the combinational block of line {line} assigns {', '.join(others)} on every "
                       f"path but not '{signal}', so synthesis builds a latch enabled by that block's logic, which "
                       "can glitch in hardware where zero-delay simulation cannot (assign it on every path, or "
                       "write the latch in a block of its own)")
            else:
                continue
            found.append(Finding("latch", signal, file, line, why, "verilator LATCH"))
    return found


def _verilator_findings(output: str, design: Design) -> list[Finding]:
    found = []
    latches: list[tuple[str, str, int]] = []
    for kind, file, line, text in _VERILATOR_WARNING.findall(output):
        names = _QUOTED.findall(text)
        signal = names[-1].rsplit(".", 1)[-1] if names else "?"
        if kind == "LATCH":
            latches.append((signal, Path(file).name, int(line)))
        else:
            found.append(Finding("multi_driven", signal, *_first_write(design, signal, Path(file).name, int(line)),
                                 "is driven from several blocks or instances: synthesis builds one driver, simulation "
                                 "lets the last one to run win", "verilator MULTIDRIVEN"))
    return found + (_latch_findings(latches, design) if latches else [])


def _yosys_findings(workdir: Path, top: str, design: Design, deadline: float) -> tuple[list[Finding], str]:
    """Yosys's own checks; the second value is the reason they were skipped ("" when they ran)."""
    # Yosys reads its own copy (unpacked-array ports packed, lines kept); same file name, so sources still match
    yosys_file = Path("yosys") / CANDIDATE_FILE
    (workdir / yosys_file).parent.mkdir(exist_ok=True)
    (workdir / yosys_file).write_text(packed_ports((workdir / CANDIDATE_FILE).read_text()))
    (workdir / YOSYS_SCRIPT).write_text(_SCRIPT.format(file=yosys_file.as_posix(), top=top))
    result = get_runner().run(YOSYS_SCRIPT, workdir, _left(deadline))
    if result.returncode != 0 or not (workdir / INIT_JSON).is_file():
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
    for path in _initialised_registers(json.loads((workdir / INIT_JSON).read_text())["modules"][top]):
        name = path.rsplit(".", 1)[-1]
        found.append(Finding("sim_synth_mismatch", name, *design.initialized.get(name, (CANDIDATE_FILE, 0)),
                             _UNRESET_INIT, "yosys"))
    return found, ""


def _initialised_registers(module: dict) -> list[str]:
    """Wires on the Q of a register without reset (``$dff``/``$dffe``) whose initial value has a 0 or 1 bit.

    An all-x initial value (``initial q = 1'hx``) is what an unreset register is in hardware: simulation
    and synthesis both start it unknown, so it is no finding.
    """
    state = {bit for cell in module.get("cells", {}).values() if cell["type"] in ("$dff", "$dffe")
             for bit in cell["connections"].get("Q", ())}
    return sorted(name for name, net in module.get("netnames", {}).items()
                  if not name.startswith("$") and state.intersection(net["bits"])
                  and set(str(net.get("attributes", {}).get("init", "x"))) & {"0", "1"})


def _left(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise ToolTimeout([CHECK], 0, "")
    return left


def _started_free(findings: list[Finding]) -> tuple[list[Finding], list[str]]:
    """Findings without the registers whose initial value no reset sets, and a note naming those registers."""
    free = sorted({f.signal for f in findings if f.why == _UNRESET_INIT})
    if not free:
        return findings, []
    return [f for f in findings if f.why != _UNRESET_INIT], [started_free(free)]


def check_agreement(candidate: Candidate, workdir: Path, *, timeout: float = 60,
                    verilator_log: str | None = None, free_inits: bool = False) -> CheckResult:
    """``pass`` when no construct whose simulation differs from its synthesis is found, else ``error``
    with the first finding's class (see the module docstring); every finding is listed in the message.

    ``verilator_log``: the output of ``verilator --lint-only`` on this candidate when the caller already
    ran it (``verify``'s lint did; LATCH and MULTIDRIVEN are on by default), which saves running it again.
    ``free_inits``: the caller's proofs drop declared initial values (the optimizer's gate, through
    ``prove_equivalent``), so a register whose initial value no reset sets is no disagreement for them: it is
    named in a note of the message instead of being a finding.
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
    if free_inits:
        findings, started_free = _started_free(findings)
        notes += started_free
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
    # the first finding also on the first line: reports, bench lines and formal's "not attempted" show only that
    # line; the lines below list every finding, one each
    more = f" (and {len(lines) - 1} more below)" if len(lines) > 1 else ""
    return CheckResult(CHECK, "error", failure_class=ordered[0].failure_class, seconds=seconds,
                       message=f"simulation and synthesis of this design disagree, so no proof of it is valid: "
                               f"{lines[0]}{more}" + "".join(f"\n  {ln}" for ln in lines + notes))
