"""Read verdicts out of Yosys and ABC logs: counts and fixed phrases, never a return code alone."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

_EQUIV_COUNTS = re.compile(r"Of those cells (\d+) are proven and (\d+) are unproven")
_EQUIV_FOUND = re.compile(r"Found (\d+) \$equiv cells in")
_TABLE_ROW = re.compile(r"^\s+(?:(init|\d+)\s+)?\\(\S+)\s+(\S+)\s+(\S+)\s+([01xz]+)\s*$")
_BASE_PROVEN = re.compile(r"Base case for induction length (\d+) proven")
_PDR_FAIL = re.compile(r"Output (\d+) of miter .* was asserted in frame (\d+)")
_ERROR = re.compile(r"^(?:\S+: ?)?ERROR: ?(.*)$", re.MULTILINE)


def equiv_status(log: str) -> tuple[int, int] | None:
    """(total, unproven) $equiv cells from ``equiv_status``; None if the pass did not report."""
    counts = _EQUIV_COUNTS.findall(log)
    if counts:
        proven, unproven = (int(x) for x in counts[-1])
        return proven + unproven, unproven
    found = _EQUIV_FOUND.findall(log)
    if found:
        return int(found[-1]), int(found[-1])  # no per-cell summary: count every cell as unproven
    return None


def yosys_error(log: str) -> str | None:
    """The first ``ERROR:`` line of a Yosys log (without the prefix), if any."""
    match = _ERROR.search(log)
    if not match:
        return None
    where = match.group(0).split("ERROR:", 1)[0].strip()
    return f"{where} {match.group(1).strip()}".strip()


@dataclass
class SatOutcome:
    """What one ``sat`` run concluded. kind: proven | counterexample | bounded | timeout | unknown."""

    kind: str
    depth: int = 0  # induction length proven, or base-case depth reached without a failure
    trace: dict[int, dict[str, str]] = field(default_factory=dict)  # step (1-based; 0 = init) -> name -> bits
    by: str = ""  # what proved it, when not this sat run (a proof of the same miter by ABC)


def sat_outcome(log: str) -> SatOutcome:
    """Classify a ``sat -prove-asserts`` log; 'Reached maximum number of time steps' is *bounded*, not a failure."""
    bases = [int(k) for k in _BASE_PROVEN.findall(log)]
    depth = max(bases, default=0)
    if "Induction step proven: SUCCESS!" in log:
        return SatOutcome("proven", depth)
    if "no model found: SUCCESS!" in log:
        return SatOutcome("proven", depth)
    for marker in ("model found for base case: FAIL!", "SAT proof finished - model found: FAIL!"):
        if marker in log:
            return SatOutcome("counterexample", depth, parse_table(log.split(marker, 1)[1]))
    if "Reached maximum number of time steps" in log:
        return SatOutcome("bounded", depth)
    if "TIMEOUT" in log or "Interrupted SAT solver" in log:
        return SatOutcome("timeout", depth)
    return SatOutcome("unknown", depth)


def parse_table(text: str) -> dict[int, dict[str, str]]:
    """The first value table Yosys ``sat -show`` printed in ``text``: step -> signal -> binary digits.

    Sequential problems print a time column (``init``, 1, 2, ...); combinational ones do not (step 1).
    """
    trace: dict[int, dict[str, str]] = {}
    started = False
    for line in text.splitlines():
        match = _TABLE_ROW.match(line)
        if match:
            started = True
            step = 0 if match.group(1) == "init" else int(match.group(1) or 1)  # combinational: one step
            trace.setdefault(step, {})[match.group(2)] = match.group(5)
        elif started and line.strip() and not line.lstrip().startswith(("----", "init")):  # init rows may be slices
            break
    return trace


@dataclass
class PdrOutcome:
    """ABC ``pdr`` result. kind: proven | counterexample | undecided; frame is 0-based."""

    kind: str
    frame: int | None = None


def pdr_outcome(log: str) -> PdrOutcome:
    match = _PDR_FAIL.search(log)
    if match:
        return PdrOutcome("counterexample", int(match.group(2)))
    if "Property proved" in log:
        return PdrOutcome("proven")
    return PdrOutcome("undecided")


def aiger_map(text: str) -> tuple[dict[int, tuple[str, int]], dict[int, list[tuple[str, int]]]]:
    """Yosys ``write_aiger -map``: (AIGER input index -> (port, bit), init-input index -> every (wire, bit) of it).

    A register's initial value is listed under each of its aliases (``gold.r``, ``gold.q`` for
    ``assign q = r``); the caller picks the one the replayed netlist still has as a register.
    """
    inputs: dict[int, tuple[str, int]] = {}
    inits: dict[int, list[tuple[str, int]]] = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[0] == "input":
            inputs.setdefault(int(parts[1]), (parts[3], int(parts[2])))
        elif len(parts) == 4 and parts[0] == "init":
            inits.setdefault(int(parts[1]), []).append((parts[3], int(parts[2])))
    return inputs, inits


def abc_cex(text: str) -> dict[int, dict[int, int]]:
    """ABC ``write_cex -n``: frame -> primary-input index -> value."""
    frames: dict[int, dict[int, int]] = {}
    for match in re.finditer(r"^pi(\d+)@(\d+)=([01])$", text, re.MULTILINE):
        frames.setdefault(int(match.group(2)), {})[int(match.group(1))] = int(match.group(3))
    return frames
