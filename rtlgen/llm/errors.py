"""LLM-stage errors: each names what went wrong and how to fix it."""
from __future__ import annotations

from rtlgen.errors import LLMError


class BudgetExceeded(LLMError):
    """The run's token or USD budget is spent; no further calls are made."""

    def __init__(self, message: str, spent_tokens: int, spent_usd: float) -> None:
        self.spent_tokens, self.spent_usd = spent_tokens, spent_usd
        super().__init__(message)


class PromptTooLong(LLMError):
    """The endpoint refused a request whose prompt and reply limit exceed the model's context window (HTTP 400).

    Not retried as such: a caller that can shorten the prompt (a repair showing a long, broken candidate) asks
    something shorter instead.
    """


class ExtractionError(LLMError):
    """A reply holds no usable code; ``failure_class`` says why, ``quote`` shows the reply's start."""

    def __init__(self, message: str, failure_class: str, quote: str = "") -> None:
        self.failure_class, self.quote = failure_class, quote
        text = f"{message} [{failure_class}]"
        if quote:
            text += f"\nreply began: {quote!r}"
        super().__init__(text)


class ModelInstallError(LLMError):
    """A local model could not be downloaded, joined or verified; says how to retry."""


class ModelNotInstalled(LLMError):
    """No endpoint is configured and no local model is installed: names both ways out."""
