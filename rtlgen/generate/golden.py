"""A golden model written by the LLM when the spec has none, and its cross-check against candidates.

CorrectBench / VRank idea: the candidates are imperfect but independent. If most candidates that
compile disagree with the model on the same inputs, the model is more likely wrong than they are:
it is regenerated once with that evidence, and the report says verification was against a
generated model.
"""
from __future__ import annotations

import ast
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from rtlgen.errors import LLMError
from rtlgen.generate.prompts import golden_messages, reply_text
from rtlgen.llm.extract import extract_python
from rtlgen.spec.model import Spec
from rtlgen.verify.result import VerifyResult


@dataclass
class CrossCheck:
    """How the candidates that compiled judged the golden model."""

    judged: int = 0  # candidates that compiled and were simulated against the model
    agree: int = 0  # ... and matched it
    disagree: int = 0  # ... and mismatched or crashed the testbench
    largest_group: int = 0  # disagreeing candidates with the same first mismatch (VRank-style group)
    largest_is_error: bool = False  # ... and that group is the model failing (an exception), not a mismatch
    evidence: str = ""  # first mismatch of the largest group, for the regeneration prompt

    @property
    def suspect(self) -> bool:
        """At least two judges and more than half of them disagree."""
        return self.judged >= 2 and self.disagree * 2 > self.judged

    @property
    def contested(self) -> bool:
        """More than half of the judges fail the model in the same way: the candidates, written independently of
        it, agree with each other against it. A design later repaired until it matches such a model is not
        evidence of anything (measured: Qwen2.5-Coder 1.5B's XNOR model was an XOR; the repairs followed it)."""
        return self.judged >= 2 and self.largest_group * 2 > self.judged and not self.largest_is_error

    @property
    def broken(self) -> bool:
        """Every judge's run ended in the same error of the model itself: nothing can pass it."""
        return self.judged >= 1 and self.largest_group == self.judged and self.largest_is_error

    def describe(self) -> str:
        text = f"{self.agree}/{self.judged} compiled candidates agree with the model"
        if self.broken:
            return text + f"; it fails with its own error on every one: {self.evidence.splitlines()[0]}"
        if self.largest_group > 1:
            text += f"; {self.largest_group} disagreeing candidates give the same first mismatch"
        return text


@dataclass
class GoldenModel:
    path: str
    text: str
    attempt: int
    llm_calls: list[str] = field(default_factory=list)


def _validate(code: str) -> None:
    """The model must parse and define ``evaluate`` or ``class Model`` (the golden model contract)."""
    try:
        tree = ast.parse(code)
    except SyntaxError as exc:
        raise LLMError(f"the generated golden model is not valid Python: {exc.msg} (line {exc.lineno})") from None
    names = {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
    if not names & {"evaluate", "Model"}:
        raise LLMError("the generated golden model defines neither evaluate(inputs) nor class Model")


def write_golden_model(spec: Spec, client: Any, workdir: Path, *, attempt: int = 1, seed: int = 1,
                       previous: str = "", check: CrossCheck | None = None, example: str = "") -> GoldenModel:
    """Ask the LLM for a Python golden model of ``spec`` and store it as ``workdir/golden_model[_N].py``; a
    regeneration shows the ``previous`` model with the candidates' ``check`` and the spec's ``example`` it
    contradicts."""
    messages = golden_messages(spec, previous=previous, check=check, example=example)
    reply = client.complete(messages, n=1, seed=seed + 7919 * attempt, tag=f"{spec.label}:golden")[0]
    if getattr(reply, "finish_reason", None) == "length":  # measured: runaway comments, "((a)) | ((a)) | ..."
        raise LLMError("the generated golden model ran to the token limit: what came back is not a whole model")
    code = extract_python(reply_text(reply))
    _validate(code)
    path = workdir / ("golden_model.py" if attempt == 1 else f"golden_model_{attempt}.py")
    path.write_text(code, encoding="utf-8")
    return GoldenModel(str(path), code, attempt, [str(getattr(reply, "call_id", "") or "")])


def cross_check(results: Sequence[VerifyResult | None]) -> CrossCheck:
    """Count agreement of compiled candidates with the model; group disagreements by first mismatch."""
    out = CrossCheck()
    groups: Counter[tuple[Any, ...]] = Counter()
    examples: dict[tuple[Any, ...], str] = {}
    for vr in results:
        if vr is None:
            continue
        auto = vr.get("autotb")
        lint_ok = all(c.verdict not in ("fail", "error") for c in vr.checks if c.check.startswith("lint"))
        if auto is None or not lint_ok or auto.verdict == "absent":
            continue
        out.judged += 1
        if auto.passed:
            out.agree += 1
            continue
        out.disagree += 1
        m = auto.mismatch
        key = (m.cycle, m.signal, m.actual) if m else ("error", auto.failure_class)
        groups[key] += 1
        examples.setdefault(key, m.describe() if m else auto.message)
    if groups:
        key, out.largest_group = groups.most_common(1)[0]
        out.largest_is_error = key[0] == "error"
        out.evidence = examples[key]
    return out
