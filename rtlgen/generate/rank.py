"""Rank a candidate's verification and turn it into repair feedback.

Ranking signal (documented choice, MAGE-style): among candidates that compile and simulate but
mismatch, fewer mismatching cycles over the whole auto-testbench run (``CheckResult.mismatches``)
is better; on equal counts, a later first mismatch is better (the candidate agreed with the golden
model for longer). A verified candidate beats any other; among verified ones the smallest area wins
(``rtlgen.generate.api``). A failing run with no mismatch at all (a timeout, a crash) ranks as a
simulation error, below every counted mismatch. A degenerate design (``degenerate``: its outputs never change
while the golden's or another witness's do) ranks below every compiling design that is not, even one that
passes the golden model.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Sequence

from rtlgen.generate.result import LEVELS, Rank
from rtlgen.verify.result import FAILURE_CLASSES, CheckResult, Mismatch, VerifyResult

LOG_LINES = 12
_PATH = re.compile(r"(?<![\w.])(?:/[\w.\-+@]+)+/([\w.\-+@]+)")


def strip_paths(text: str) -> str:
    """Replace absolute paths by their file name: tool logs name the private run directory, which
    would make prompts differ between runs (no cache hits) and means nothing to the LLM."""
    return _PATH.sub(r"\1", text)


def _level(name: str) -> int:
    return LEVELS.index(name)


def mismatch_count(check: CheckResult | None) -> int | None:
    """The autotb's count of mismatching cycles over its whole run, when it reports one."""
    return None if check is None else check.mismatches


def _lint_failed(vr: VerifyResult) -> bool:
    return any(c.check.startswith("lint") and c.verdict in ("fail", "error") for c in vr.checks)


def degenerate(vr: VerifyResult | None, others_vary: bool = False) -> str:
    """Why a design is degenerate, or "": no bit of its outputs is seen both 0 and 1 over the auto-testbench's cycles
    away from reset, x and z being no value (an empty module, outputs never driven, a register stuck at 0 with a few x
    cycles) while the golden's outputs change, or, with ``others_vary``, while another witness's do (a sample's, or a
    generated model's: the spec describes behaviour). Such a design only matches a golden model that is itself stuck
    (measured: a Gray counter whose LLM-written model never updated ``gray``; the design kept had gray always 0 and
    synthesized to nothing; RTLLM's synchronizer, whose kept sample had dataout 0 wherever known, x in a few cycles,
    was nearest a constant model and failed the benchmark's testbench)."""
    auto = vr.get("autotb") if vr is not None else None
    if auto is None or auto.design_varied is not False:
        return ""
    if auto.golden_varied:
        return "its outputs never change over the auto-testbench's run (constant, x or undriven) while the golden's do"
    if others_vary:
        return ("its outputs never change over the auto-testbench's run (constant, x or undriven) while another "
                "witness's do (a sample's or a generated model's)")
    return ""


def behaviour_groups(results: Sequence[VerifyResult | None], constant_ok: bool = False) -> list[list[int]]:
    """Indices of ``results`` grouped by identical design outputs over one shared stimulus (VRank's behavioural
    clustering), largest group first; only judged runs count, and those of designs whose outputs never change only
    when ``constant_ok`` (nothing drives the design but its clock, or no witness's outputs change: a constant may
    be right)."""
    groups: dict[str, list[int]] = defaultdict(list)
    for i, vr in enumerate(results):
        auto = vr.get("autotb") if vr is not None else None
        if auto is not None and auto.trace and (auto.design_varied or constant_ok):
            groups[auto.trace].append(i)
    return sorted(groups.values(), key=lambda g: (-len(g), g[0]))


def rank_of(vr: VerifyResult | None, others_vary: bool = False) -> Rank:
    """The rank of a verified (or not) candidate; ``None`` means no code could be extracted. ``others_vary``: another
    witness's outputs change over the run (``witnesses.any_varies``), so a design whose outputs do not is
    degenerate."""
    if vr is None:
        return Rank(_level("no_code"))
    if vr.failure_class == "unsafe_rtl":
        return Rank(_level("unsafe"))
    if not _lint_failed(vr) and degenerate(vr, others_vary):
        return Rank(_level("degenerate"))
    if vr.passed:
        return Rank(_level("verified"))
    if _lint_failed(vr):
        return Rank(_level("compile_error"))
    functional = [c for c in vr.checks if c.check in ("autotb", "formal")]
    failing = [c for c in functional if c.failed]
    if any(c.mismatch is not None for c in failing):
        count = mismatch_count(vr.get("autotb"))
        first = vr.first_mismatch
        return Rank(_level("mismatch"), -(count or 0), first.cycle if first else 0)
    if failing or any(c.verdict == "error" for c in functional):
        return Rank(_level("sim_error"))
    return Rank(_level("unjudged"))


def rejection(new: Rank, kept: Rank) -> str:
    """Why an edit ranked ``new`` is rolled back in favour of the ``kept`` version (a note for the report)."""
    if new.name == kept.name == "mismatch" and (new.mismatches or 0) > (kept.mismatches or 0):
        return (f"rejected: the edit raises the mismatching cycles from {kept.mismatches or 0} to {new.mismatches}"
                f" ({new.describe()} is worse than the kept {kept.describe()})")
    return f"rejected: {new.describe()} is worse than the kept {kept.describe()}"


def _log_excerpt(check: CheckResult) -> str:
    lines = [ln for ln in check.log.splitlines() if ln.strip()]
    errors = [ln for ln in lines if "error" in ln.lower() or "syntax" in ln.lower()]
    return "\n".join((errors or lines)[:LOG_LINES])


@dataclass
class Feedback:
    """What a repair prompt is told: a compile-type error with the tool's words, or the first mismatch."""

    kind: str  # compile | mismatch
    failure_class: str
    message: str
    mismatch: Mismatch | None = None


def no_code_feedback(error: str) -> Feedback:
    return Feedback("compile", "no_module", error or "the reply contained no Verilog module")


def feedback_of(vr: VerifyResult) -> Feedback | None:
    """The classified compile error with the tool's own words, or the first mismatch with its cycle
    window; None when nothing failed."""
    if vr.passed:
        return None
    bad = [c for c in vr.checks if c.verdict in ("fail", "error", "counterexample")]
    first = next((c for c in bad if c.check.startswith("lint")), None) or next(iter(bad), None)
    if first is None:
        return None
    if first.mismatch is not None:
        fclass = first.failure_class if first.failure_class in ("runtime_mismatch", "reset_issue") else "runtime_mismatch"
        count = mismatch_count(first)
        message = ""
        if count and first.compared:
            message = f"Over the whole simulation, {count} of the {first.compared} compared cycles mismatched."
        return Feedback("mismatch", fclass, message, first.mismatch)
    fclass = first.failure_class if first.failure_class in FAILURE_CLASSES else "compile_error"
    parts = [f"{first.check}: {first.message.strip()}" if first.message else first.check]
    excerpt = strip_paths(_log_excerpt(first)) if first.log else ""
    if excerpt and excerpt not in strip_paths(first.message):
        parts.append(excerpt)
    return Feedback("compile", fclass, "\n".join(parts))
