"""Chat messages for each LLM step, from jinja2 templates (rtlgen/llm/templates, and the one
regeneration follow-up in rtlgen/generate/templates); no prompt text lives in code.

Everything that goes into a prompt is deterministic (no run paths, no times), so a re-run hits the
LLM cache call for call.
"""
from __future__ import annotations

import re
import zlib
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

from rtlgen.generate.rank import Feedback, strip_paths
from rtlgen.llm.prompts import load_examples, render_prompt, select_examples
from rtlgen.spec.model import Candidate, Spec
from rtlgen.templating import template_env
from rtlgen.verify.result import FAILURE_CLASSES

Messages = list[dict[str, str]]
TEMPLATES = Path(__file__).parent / "templates"


def reply_text(reply: Any) -> str:
    return reply if isinstance(reply, str) else reply.text


@lru_cache(maxsize=1)
def _examples() -> tuple[Any, ...]:
    return tuple(load_examples())


def _env() -> jinja2.Environment:
    return template_env(TEMPLATES, keep_trailing_newline=False)


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


def golden_messages(spec: Spec, previous: str = "", check: Any = None, example: str = "") -> Messages:
    """The golden-model prompt; for a regeneration, the suspect model, the spec's example it contradicts and the
    candidates' evidence follow."""
    messages = render_prompt("golden_model", spec=spec)
    if previous and check is not None:
        follow_up = _env().get_template("golden_regenerate.user.j2").render(check=check, example=example)
        messages += [{"role": "assistant", "content": f"```python\n{previous.strip()}\n```\n"},
                     {"role": "user", "content": strip_paths(follow_up).strip() + "\n"}]
    return messages


def continue_messages(messages: Messages, partial: str) -> Messages:
    """The conversation so far plus the cut-off reply and a request to go on from where it stopped."""
    follow_up = _env().get_template("continue.user.j2").render()
    return [*messages, {"role": "assistant", "content": partial}, {"role": "user", "content": follow_up.strip() + "\n"}]


# A reply's last TAIL_CHARS compress below this ratio (zlib) only when they repeat themselves: over the 1668 replies
# of Qwen2.5-Coder 1.5B/0.5B cached by the benchmark runs, no reply that ended by itself (268 of at least 1500
# characters) went below 0.096, while 44 of the 75 replies cut at the token limit did: runs of "1, 1, 1, ...",
# "((a)) | ((a)) | ...", "a & b | c | d | a & b | ..." or the same few lines. 13 of them the line count below
# misses (repeats within a line), and each was continued for up to 2048 more tokens of the same.
REPEAT_RATIO = 0.08
TAIL_CHARS = 1500


def degenerate(text: str, tail: int = 40) -> bool:
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
