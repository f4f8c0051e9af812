"""Chat messages for each LLM step, from the jinja2 templates in ``templates/``; no prompt text lives in code.

Prompt names (``render_prompt``): ``spec_to_rtl`` (spec, examples), ``repair_compile`` (spec, code, failure_class,
failure_text, message), ``repair_mismatch`` (spec, code, mismatch[, failure_class, failure_text, message]),
``golden_model`` (spec); each is ``<name>.system.j2`` and ``<name>.user.j2``, and templates see a helper for cycle
tables. Follow-ups continue a conversation with one user message: ``continue.user.j2`` (a reply cut at the token
limit) and ``golden_model_repair.user.j2`` (error: a generated golden model's own error). The in-context examples
are the designs of the repository's ``designs/`` folder, which ship with the package as ``rtlgen/generate/designs``
(a link to that folder, read through importlib.resources).

Everything that goes into a prompt is deterministic (no run paths, no times), so a re-run hits the
LLM cache call for call.
"""
from __future__ import annotations

import re
import warnings
import zlib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2

from rtlgen.errors import RtlgenError, SpecError
from rtlgen.generate.rank import Feedback, strip_paths
from rtlgen.spec.model import Candidate, Spec
from rtlgen.spec.parse import load_spec
from rtlgen.templating import template_env
from rtlgen.verify.result import FAILURE_CLASSES

Messages = list[dict[str, str]]
PACKAGE_DATA = resources.files(__package__)
TEMPLATES = PACKAGE_DATA / "templates"
EXAMPLE_DESIGNS = PACKAGE_DATA / "designs"
PROMPTS = ("spec_to_rtl", "repair_compile", "repair_mismatch", "golden_model")


@dataclass(frozen=True)
class ExampleDesign:
    """An in-context example: a spec (prose + interface) and RTL that meets it."""

    name: str
    spec: Spec
    rtl: str


@lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    env = template_env(str(TEMPLATES), keep_trailing_newline=False)
    env.globals.update(window_table=window_table)
    return env


def render_prompt(name: str, **context: Any) -> Messages:
    """System and user messages for prompt ``name`` (one of PROMPTS)."""
    if name not in PROMPTS:
        raise ValueError(f"unknown prompt '{name}'; choose one of {', '.join(PROMPTS)}")
    context.setdefault("examples", [])
    env = _env()
    try:
        return [{"role": role, "content": env.get_template(f"{name}.{role}.j2").render(**context).strip() + "\n"}
                for role in ("system", "user")]
    except jinja2.UndefinedError as exc:
        raise ValueError(f"prompt '{name}' needs more context: {exc.message}") from None


def _flatten(row: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in row.items():
        if isinstance(value, dict):
            out.update(_flatten(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


def window_table(window: list[dict[str, Any]], mark_cycle: int | None = None) -> str:
    """A Markdown table of a mismatch's cycle window (nested dicts become ``outer.inner`` columns)."""
    rows = [_flatten(r) for r in window]
    columns: list[str] = []
    for row in rows:
        columns.extend(k for k in row if k not in columns)
    if not columns:
        return "(no cycle window recorded)"
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for row in rows:
        cells = ["" if row.get(c) is None else str(row.get(c)) for c in columns]
        flag = "  <- first mismatch" if mark_cycle is not None and row.get("cycle") == mark_cycle else ""
        lines.append("| " + " | ".join(cells) + " |" + flag)
    return "\n".join(lines)


def _design_rtl(spec: Spec, folder: Path) -> Path | None:
    if spec.reference_rtl:
        return Path(spec.reference_rtl)
    named = [folder / f"{spec.top}{ext}" for ext in (".v", ".sv")]
    found = [p for p in named if p.is_file()] or sorted([*folder.glob("*.v"), *folder.glob("*.sv")])
    return found[0] if len(found) == 1 or (found and found[0] in named) else None


def load_examples(designs_dir: str | Path | None = None) -> list[ExampleDesign]:
    """Every ``<designs_dir>/*/spec.md`` (default: the example designs shipped with rtlgen) with its RTL
    (``<top>.v``), as in-context examples."""
    root = Path(designs_dir) if designs_dir else Path(str(EXAMPLE_DESIGNS))
    examples = []
    for spec_md in sorted(root.glob("*/spec.md")):
        try:
            spec = load_spec(spec_md)
        except (SpecError, RtlgenError, OSError) as exc:
            warnings.warn(f"skipping example {spec_md}: {exc}", stacklevel=2)
            continue
        rtl = _design_rtl(spec, spec_md.parent)
        if rtl is not None:
            examples.append(ExampleDesign(spec_md.parent.name, spec,
                                          rtl.read_text(encoding="utf-8", errors="replace")))
    return examples


def select_examples(spec: Spec, examples: list[ExampleDesign], k: int = 1) -> list[ExampleDesign]:
    """Up to ``k`` examples other than ``spec`` itself, same kind (sequential/combinational) first, short first."""
    others = [e for e in examples if e.spec.top != spec.top and e.name != spec.name]
    others.sort(key=lambda e: (e.spec.is_sequential != spec.is_sequential, len(e.rtl)))
    return others[:k]


def reply_text(reply: Any) -> str:
    return reply if isinstance(reply, str) else reply.text


@lru_cache(maxsize=1)
def _examples() -> tuple[ExampleDesign, ...]:
    return tuple(load_examples())


def spec_messages(spec: Spec, examples: int = 1) -> Messages:
    """The spec-to-RTL prompt with ``examples`` in-context designs from designs/ (never the spec's own)."""
    own = Path(spec.source).resolve().parent.name if spec.source else None
    pool = [e for e in _examples() if e.name != own]
    return render_prompt("spec_to_rtl", spec=spec, examples=select_examples(spec, pool, examples) if examples else [])


def repair_messages(spec: Spec, candidate: Candidate | None, feedback: Feedback) -> Messages:
    """A self-contained repair prompt: the spec, the previous attempt, and what went wrong."""
    code = candidate.rtl if candidate else ""
    text = FAILURE_CLASSES.get(feedback.failure_class, feedback.failure_class)
    if feedback.kind == "mismatch" and feedback.mismatch is not None:
        return render_prompt("repair_mismatch", spec=spec, code=code, mismatch=feedback.mismatch,
                             failure_class=feedback.failure_class, failure_text=text,
                             message=strip_paths(feedback.message))
    return render_prompt("repair_compile", spec=spec, code=code, failure_class=feedback.failure_class,
                         failure_text=text, message=strip_paths(feedback.message))


def golden_messages(spec: Spec) -> Messages:
    """The golden-model prompt: the spec and the model contract, nothing of any design or other model."""
    return render_prompt("golden_model", spec=spec)


def _follow_up(messages: Messages, reply: str, template: str, **context: Any) -> Messages:
    """The conversation ``messages``, the LLM's ``reply`` to it, and the user message of ``template``."""
    follow_up = _env().get_template(template).render(**context)
    return [*messages, {"role": "assistant", "content": reply}, {"role": "user", "content": follow_up.strip() + "\n"}]


def continue_messages(messages: Messages, partial: str) -> Messages:
    """The conversation so far plus the cut-off reply and a request to go on from where it stopped."""
    return _follow_up(messages, partial, "continue.user.j2")


def golden_repair_messages(spec: Spec, reply: str, error: str) -> Messages:
    """The golden-model conversation (the prompt, the model's ``reply``) and the ``error`` the testbench reported
    running that model: nothing of any design or other model, so the repaired model stays an independent witness."""
    return _follow_up(golden_messages(spec), reply, "golden_model_repair.user.j2", error=strip_paths(error))


# A reply's last TAIL_CHARS compress below this ratio (zlib) only when they repeat themselves: over the 1668 replies
# of Qwen2.5-Coder 1.5B/0.5B cached by the benchmark runs, no reply that ended by itself (268 of at least 1500
# characters) went below 0.096, while 44 of the 75 replies cut at the token limit did: runs of "1, 1, 1, ...",
# "((a)) | ((a)) | ...", "a & b | c | d | a & b | ..." or the same few lines. 13 of them the line count below
# misses (repeats within a line), and each was continued for up to 2048 more tokens of the same.
REPEAT_RATIO = 0.08
TAIL_CHARS = 1500


def runaway_reply(text: str, tail: int = 40) -> bool:
    """A reply stuck in a loop (the small models repeat a few lines, or a few tokens within a line, until the token
    limit): not worth continuing."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()][-tail:]
    if len(lines) >= tail // 2 and len(set(lines)) * 4 <= len(lines):
        return True
    end = text[-TAIL_CHARS:].encode()
    return len(end) == TAIL_CHARS and len(zlib.compress(end, 9)) < REPEAT_RATIO * len(end)


def join_continuation(partial: str, more: str) -> str:
    """``partial`` + ``more``, dropping a fence the continuation reopens (the code runs on in one block)."""
    more = re.sub(r"^\s*```[\w+-]*[ \t]*\n", "", more, count=1) if partial.count("```") % 2 == 1 else more
    return partial + more
