"""Golden models written by the LLM when the spec has none.

Each is one independent witness of what the spec means (rtlgen.generate.witnesses): drawn with its own seed and,
after the first, at the sampling temperature, never shown the designs or another model, so that models and designs
misreading the spec alike is no more likely than chance.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rtlgen.errors import LLMError
from rtlgen.generate.prompts import golden_messages, reply_text
from rtlgen.llm.extract import extract_python
from rtlgen.spec.model import Spec


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
                       temperature: float | None = None) -> GoldenModel:
    """Ask the LLM for a Python golden model of ``spec`` (draw ``attempt``, its own seed; ``temperature`` None: the
    endpoint's) and store it as ``workdir/golden_model[_N].py``."""
    kwargs: dict[str, Any] = {} if temperature is None else {"temperature": temperature}
    reply = client.complete(golden_messages(spec), n=1, seed=seed + 7919 * attempt, tag=f"{spec.label}:golden",
                            **kwargs)[0]
    if getattr(reply, "finish_reason", None) == "length":  # measured: runaway comments, "((a)) | ((a)) | ..."
        raise LLMError("the generated golden model ran to the token limit: what came back is not a whole model")
    code = extract_python(reply_text(reply))
    _validate(code)
    path = workdir / ("golden_model.py" if attempt == 1 else f"golden_model_{attempt}.py")
    path.write_text(code, encoding="utf-8")
    return GoldenModel(str(path), code, attempt, [str(getattr(reply, "call_id", "") or "")])
