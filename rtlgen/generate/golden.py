"""Golden models written by the LLM when the spec has none.

Each is one independent witness of what the spec means (rtlgen.generate.witnesses): drawn with its own seed and,
after the first, at the sampling temperature, never shown the designs or another model, so that models and designs
misreading the spec alike is no more likely than chance. A model repaired from its own error (``repair_golden_model``)
is shown its own conversation and that error only, and stays as independent.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rtlgen.generate.model_probe import answers_from_inputs
from rtlgen.generate.prompts import golden_messages, golden_repair_messages, reply_text
from rtlgen.llm.errors import ExtractionError
from rtlgen.llm.extract import extract_python
from rtlgen.spec.model import Spec

# The slip a generated model makes most against the contract (docs/spec-format.md): its ``step`` advances the state
# and returns the new one, what the design shows one cycle later (measured with Qwen2.5-Coder 1.5B, reference
# hidden: both of RTLLM pe's usable models and one of VerilogEval Prob048's returned ``self.c`` or ``self.q`` after
# updating it, and every sample, the benchmark's testbench passing them, mismatched them on every cycle).
_LATE = """

# rtlgen: the model above read one cycle later. Its step returns the state after the clock edge, where the contract
# asks for the outputs before it, so each cycle shows what it returned for the cycle before; while the asynchronous
# reset is asserted, what it returns for this cycle (that reset acts before the edge).
from rtlgen.verify.golden import contract_model  # noqa: E402 - the model above is read as the contract reads it

_AS_WRITTEN = Model
ASYNC_RESET = {async_reset!r}


class Model:
    def reset(self):
        self._model = contract_model(_AS_WRITTEN)
        self._model.reset()
        self._shown = None

    def step(self, inputs):
        shown, self._shown = self._shown, dict(self._model.step(inputs))
        if ASYNC_RESET is not None and inputs.get(ASYNC_RESET[0]) == ASYNC_RESET[1]:
            return self._shown
        return {{name: None for name in self._shown}} if shown is None else shown
"""


@dataclass
class GoldenModel:
    path: str
    text: str
    attempt: int
    llm_calls: list[str] = field(default_factory=list)
    reply: str = ""  # the LLM's whole reply the model came from: its side of the conversation a repair continues


def _defines(code: str) -> set[str]:
    """The functions and classes ``code`` defines at its top level."""
    return {n.name for n in ast.parse(code).body if isinstance(n, (ast.FunctionDef, ast.ClassDef))}


def _validate(code: str) -> None:
    """The model must parse and define ``evaluate`` or ``class Model`` (the golden model contract)."""
    try:
        names = _defines(code)
    except SyntaxError as exc:
        raise ExtractionError(f"the generated golden model is not valid Python: {exc.msg} (line {exc.lineno})",
                              "syntax_error") from None
    if not names & {"evaluate", "Model"}:
        raise ExtractionError("the generated golden model defines neither evaluate(inputs) nor class Model", "no_code")


def _model_code(reply: Any) -> str:
    """The model in ``reply``, shaped as the contract asks (``_validate``)."""
    if getattr(reply, "finish_reason", None) == "length":  # measured: runaway comments, "((a)) | ((a)) | ..."
        raise ExtractionError("the generated golden model ran to the token limit: what came back is not a whole model",
                              "truncated")
    code = extract_python(reply_text(reply))
    _validate(code)
    return code


# Model N is drawn with seed + N * MODEL_SEED_STRIDE: a prime, so no model's seed is another's offset by a small
# constant (a fresh draw's, loop.REDRAW_SEED).
MODEL_SEED_STRIDE = 7919


def _ask(client: Any, messages: list[dict[str, str]], attempt: int, seed: int, temperature: float | None,
         tag: str) -> Any:
    """One reply for model ``attempt``: its own seed, and ``temperature`` (None: the endpoint's)."""
    kwargs: dict[str, Any] = {} if temperature is None else {"temperature": temperature}
    return client.complete(messages, n=1, seed=seed + MODEL_SEED_STRIDE * attempt, tag=tag, **kwargs)[0]


def _stored(reply: Any, workdir: Path, attempt: int, calls: list[str]) -> GoldenModel:
    """The model in ``reply`` written as ``workdir/golden_model[_N].py`` (nothing is written for an unusable reply),
    its LLM calls ``calls`` and this reply's."""
    code = _model_code(reply)
    path = workdir / ("golden_model.py" if attempt == 1 else f"golden_model_{attempt}.py")
    path.write_text(code, encoding="utf-8")
    return GoldenModel(str(path), code, attempt, [*calls, str(getattr(reply, "call_id", "") or "")],
                       reply_text(reply))


def write_golden_model(spec: Spec, client: Any, workdir: Path, *, attempt: int = 1, seed: int = 1,
                       temperature: float | None = None) -> GoldenModel:
    """Ask the LLM for a Python golden model of ``spec`` (draw ``attempt``, its own seed; ``temperature`` None: the
    endpoint's) and store it as ``workdir/golden_model[_N].py``."""
    reply = _ask(client, golden_messages(spec), attempt, seed, temperature, f"{spec.label}:golden")
    return _stored(reply, workdir, attempt, [])


def repair_golden_model(model: GoldenModel, error: str, spec: Spec, client: Any, workdir: Path, *, seed: int = 1,
                        temperature: float | None = None) -> GoldenModel:
    """``model`` corrected by the LLM from ``error``, the testbench's report of the model failing on the stimulus
    every design gets (it steps on the inputs alone, so it failed for every design); stored in ``model``'s place.

    The repair continues the model's own conversation (the golden-model prompt, its reply) with that error and
    nothing else: no design, no design's outputs, no other model. So the repaired model is as independent a witness
    of the spec as a drawn one, which a design repaired toward a model would not be."""
    messages = golden_repair_messages(spec, model.reply, error)
    reply = _ask(client, messages, model.attempt, seed, temperature, f"{spec.label}:golden-repair")
    return _stored(reply, workdir, model.attempt, model.llm_calls)


def late_reading(model: GoldenModel, spec: Spec, workdir: Path) -> GoldenModel | None:
    """``model`` read one cycle later (``_LATE``), stored beside it as ``golden_model[_N]_late.py``; None for a
    combinational spec or model, where there is no edge to be early of, and for a model that answers each cycle from
    its state alone (``model_probe.answers_from_inputs``, run in ``workdir``): a right Moore model, which read late
    would match a design one cycle late. Nothing is written for a model not read late."""
    if not spec.is_sequential or "Model" not in _defines(model.text) \
            or not answers_from_inputs(model.path, spec, workdir):
        return None
    areset = (spec.reset.name, spec.reset.asserted) if spec.reset and spec.reset.kind == "async" else None
    code = model.text + _LATE.format(async_reset=areset)
    path = Path(model.path).with_name(f"{Path(model.path).stem}_late.py")
    path.write_text(code, encoding="utf-8")
    return GoldenModel(str(path), code, model.attempt, model.llm_calls, model.reply)
