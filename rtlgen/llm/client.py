"""Chat completions against any OpenAI-compatible endpoint, with retries, cache, budget and transcript.

Retries (exponential backoff with jitter, bounded by ``backoff_max``) happen only on 429, 5xx and
connection errors; every other failure becomes an :class:`LLMError` at once that names the URL,
the model, the key problem or the timeout. ``usage`` of every reply is kept in its record.
"""
from __future__ import annotations

import json
import random
import re
import threading
import time
import uuid
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

import openai

from rtlgen.errors import LLMError
from rtlgen.llm.cache import CallCache, cache_key
from rtlgen.llm.config import LLMConfig
from rtlgen.llm.errors import BudgetExceeded, PromptTooLong
from rtlgen.llm.ledger import Ledger
from rtlgen.llm.local.models import local_identity
from rtlgen.executor import get_executor

Messages = list[dict[str, str]]
# How servers word a request too long for the model (llama.cpp: "exceeds the available context size"; OpenAI and
# vLLM: "maximum context length", code context_length_exceeded).
_CONTEXT_EXCEEDED = re.compile(r"context (?:size|length|window)|context_length_exceeded", re.IGNORECASE)


@dataclass(frozen=True)
class LLMReply:
    """One sampled reply and what it cost. ``cost_known`` is False when no price is configured.

    A cached reply keeps the tokens and cost of the call that first produced it; nothing was spent
    for it in this run (the ledger counts it under ``cached``).
    """

    text: str
    call_id: str
    model: str
    prompt_tokens: int
    completion_tokens: int
    latency_s: float
    cost_usd: float
    cached: bool
    finish_reason: str | None
    cost_known: bool = True
    sample: int = 0
    retries: int = 0
    tag: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


_REPLY_FIELDS = {f.name for f in fields(LLMReply)}


@dataclass(frozen=True)
class _Fresh:
    """A reply just fetched, before it gets its call id and cost."""

    text: str
    model: str
    finish_reason: str | None
    prompt_tokens: int
    completion_tokens: int
    latency_s: float
    retries: int


class LLMClient:
    """The one way rtlgen talks to an LLM. Thread-safe; share one instance per run."""

    def __init__(self, config: LLMConfig, *, cache: CallCache | str | Path | None = None, use_cache: bool = True,
                 ledger: Ledger | None = None, transcript_path: str | Path | None = None) -> None:
        self.config = config
        self.cache = cache if isinstance(cache, CallCache) else CallCache(cache)
        self.use_cache = use_cache
        self.ledger = ledger or Ledger(cost_known=config.has_prices)
        self.transcript: list[dict[str, Any]] = []
        self.transcript_path = Path(transcript_path) if transcript_path else None
        self.http_calls = 0  # requests sent, retries included
        self.retries = 0
        self._n_supported: bool | None = None  # learnt from the first n>1 request
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(config.concurrency)
        # a local model's server gets a new port per run: its replies are keyed by the weights' hash instead
        self._endpoint_id = local_identity(config.base_url, config.model) or config.base_url
        self._api = openai.OpenAI(base_url=config.base_url, api_key=config.api_key,
                                  timeout=config.timeout, max_retries=0)

    # ---------------------------------------------------------------- public
    def complete(self, messages: Messages, *, n: int = 1, temperature: float | None = None, seed: int | None = None,
                 tag: str = "", use_cache: bool | None = None) -> list[LLMReply]:
        """``n`` replies to ``messages``; cached ones cost nothing, the rest are fetched (API ``n`` or threads)."""
        if n < 1:
            raise ValueError(f"n must be >= 1, got {n}")
        cfg = self.config
        params = {"temperature": cfg.temperature if temperature is None else temperature, "top_p": cfg.top_p,
                  "max_tokens": cfg.max_tokens, "seed": seed}
        keys = [cache_key(self._endpoint_id, cfg.model, messages, params, i) for i in range(n)]
        read_cache = self.use_cache if use_cache is None else use_cache
        replies: dict[int, LLMReply] = {}
        if read_cache:
            for i, key in enumerate(keys):
                reply = self._from_cache(key, sample=i, tag=tag)
                if reply is not None:
                    replies[i] = reply
        missing = [i for i in range(n) if i not in replies]
        error: BaseException | None = None
        if missing:
            fresh, error = self._fetch(messages, params, missing)
            for i, item in zip(missing, fresh):
                reply = self._make_reply(item, sample=i, tag=tag)
                self.cache.put(keys[i], {k: v for k, v in reply.to_dict().items()
                                         if k not in ("cached", "sample", "tag", "retries")})
                replies[i] = reply
        ordered = [replies[i] for i in sorted(replies)]
        for reply in ordered:
            self._log(messages, reply, params)
        if error is not None:
            raise error
        return ordered

    def write_transcript(self, path: str | Path) -> Path:
        """Every call of this client so far as JSONL (prompt, reply, tokens, latency, cost, cached)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock:
            lines = [json.dumps(entry, ensure_ascii=False) for entry in self.transcript]
        path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
        return path

    def close(self) -> None:
        """Release the HTTP connection pool."""
        self._api.close()

    def __enter__(self) -> "LLMClient":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # ---------------------------------------------------------------- internals
    def _from_cache(self, key: str, *, sample: int, tag: str) -> LLMReply | None:
        record = self.cache.get(key)
        if record is None:
            return None
        try:
            return LLMReply(**{**{k: v for k, v in record.items() if k in _REPLY_FIELDS},
                               "cached": True, "sample": sample, "tag": tag, "retries": 0})
        except TypeError:  # an entry written by another version: treat as a miss
            return None

    def _make_reply(self, item: _Fresh, *, sample: int, tag: str) -> LLMReply:
        return LLMReply(text=item.text, call_id="llm-" + uuid.uuid4().hex[:12], model=item.model,
                        prompt_tokens=item.prompt_tokens, completion_tokens=item.completion_tokens,
                        latency_s=round(item.latency_s, 4),
                        cost_usd=self.config.cost(item.prompt_tokens, item.completion_tokens), cached=False,
                        finish_reason=item.finish_reason, cost_known=self.config.has_prices, sample=sample,
                        retries=item.retries, tag=tag)

    def _log(self, messages: Messages, reply: LLMReply, params: dict[str, Any]) -> None:
        self.ledger.record(tag=reply.tag, prompt_tokens=reply.prompt_tokens,
                           completion_tokens=reply.completion_tokens, cost_usd=reply.cost_usd,
                           latency_s=reply.latency_s, cached=reply.cached)
        entry = {"time": time.time(), "base_url": self.config.base_url, "params": params,
                 "messages": messages, **reply.to_dict()}
        with self._lock:
            self.transcript.append(entry)
            if self.transcript_path:
                self.transcript_path.parent.mkdir(parents=True, exist_ok=True)
                with self.transcript_path.open("a", encoding="utf-8") as fh:
                    fh.write(json.dumps(entry, ensure_ascii=False) + "\n")

    def _fetch(self, messages: Messages, params: dict[str, Any],
               samples: list[int]) -> tuple[list[_Fresh], BaseException | None]:
        """Fresh replies for ``samples`` (as many as could be had) and the first error that stopped the rest.

        One request with the API's ``n`` when the server honours it; else one request per sample, in
        threads bounded by ``concurrency``, each with seed + sample index so seeded samples differ.
        """
        count = len(samples)
        got: list[_Fresh] = []
        if count > 1 and self._n_supported is not False:
            try:
                got = self._call(messages, params, count)
            except openai.BadRequestError as exc:
                if self._n_supported:  # n worked before: this 400 is about something else
                    raise self._translate(exc, 0) from exc
                got = []  # the server refuses n > 1
            self._n_supported = len(got) >= count
            if self._n_supported:
                return got[:count], None
        rest = samples[len(got):]

        def one(sample: int) -> list[_Fresh]:
            seeded = dict(params, seed=None if params["seed"] is None else params["seed"] + sample)
            return self._call(messages, seeded, 1)

        if len(rest) == 1:
            try:
                return got + one(rest[0]), None
            except LLMError as exc:
                return got, exc
        results: dict[int, list[_Fresh]] = {}
        error: BaseException | None = None
        executor = get_executor("thread", jobs=min(self.config.concurrency, len(rest)))
        for outcome in executor.map(one, rest):
            if outcome.ok:
                results[outcome.item] = outcome.result
            elif error is None:
                error = outcome.error
        return got + [item for s in rest if s in results for item in results[s]], error

    def _check_budget(self) -> None:
        cfg = self.config
        tokens, usd = self.ledger.spent()
        if cfg.budget_tokens is not None and tokens >= cfg.budget_tokens:
            raise BudgetExceeded(f"LLM token budget exceeded: {tokens} tokens spent of budget_tokens="
                                 f"{cfg.budget_tokens}; raise it (--budget, RTLGEN_BUDGET_TOKENS or llm.budget_tokens); "
                                 "replies already cached are reused for free", tokens, usd)
        if cfg.budget_usd is not None and usd >= cfg.budget_usd:
            raise BudgetExceeded(f"LLM cost budget exceeded: ${usd:.4f} spent of budget_usd=${cfg.budget_usd:g}; "
                                 "raise it (--budget '$N', RTLGEN_BUDGET_USD or llm.budget_usd)", tokens, usd)

    def _call(self, messages: Messages, params: dict[str, Any], n: int) -> list[_Fresh]:
        """One chat completion (with retries); its usage is split evenly over its ``n`` choices."""
        self._check_budget()
        kwargs = {k: v for k, v in params.items() if v is not None}
        if n > 1:
            kwargs["n"] = n
        attempt = 0
        while True:
            start = time.monotonic()
            try:
                with self._slots:
                    with self._lock:
                        self.http_calls += 1
                    resp = self._api.chat.completions.create(model=self.config.model, messages=messages, **kwargs)
                break
            except (openai.RateLimitError, openai.InternalServerError, openai.APIConnectionError) as exc:
                retriable = not isinstance(exc, openai.APITimeoutError)
                if isinstance(exc, openai.APIStatusError) and exc.status_code < 500 and exc.status_code != 429:
                    retriable = False
                if not retriable or attempt >= self.config.max_retries:
                    raise self._translate(exc, attempt) from exc
                time.sleep(self._backoff(attempt, exc))
                attempt += 1
                with self._lock:
                    self.retries += 1
            except openai.BadRequestError as exc:
                if n > 1:
                    raise  # _fetch falls back to one sample per request
                raise self._translate(exc, attempt) from exc
            except openai.APIError as exc:
                raise self._translate(exc, attempt) from exc
        latency = time.monotonic() - start
        usage = resp.usage
        prompt = getattr(usage, "prompt_tokens", 0) or 0
        completion = getattr(usage, "completion_tokens", 0) or 0
        choices = list(resp.choices or [])
        if not choices:
            raise LLMError(f"{self.config.base_url} returned a reply with no choices for model '{self.config.model}'")
        k = len(choices)
        return [_Fresh(text=c.message.content or "", model=resp.model or self.config.model,
                       finish_reason=c.finish_reason, prompt_tokens=prompt // k + (prompt % k if j == 0 else 0),
                       completion_tokens=completion // k + (completion % k if j == 0 else 0),
                       latency_s=latency, retries=attempt) for j, c in enumerate(choices)]

    def _backoff(self, attempt: int, exc: Exception) -> float:
        """Exponential with jitter, capped; a server's Retry-After is honoured up to the cap."""
        cfg = self.config
        delay = min(cfg.backoff_max, cfg.backoff_base * 2 ** attempt) * random.uniform(0.5, 1.0)
        response = getattr(exc, "response", None)
        retry_after = response.headers.get("retry-after") if response is not None else None
        try:
            if retry_after is not None:
                delay = max(delay, min(cfg.backoff_max, float(retry_after)))
        except ValueError:
            pass
        return delay

    def _translate(self, exc: Exception, attempt: int) -> LLMError:
        """An LLMError that names the endpoint problem and how to fix it."""
        url, model, cfg = self.config.base_url, self.config.model, self.config
        tries = f" after {attempt} retr{'y' if attempt == 1 else 'ies'}" if attempt else ""
        detail = _server_message(exc)
        if isinstance(exc, openai.APITimeoutError):
            return LLMError(f"LLM endpoint {url} gave no reply within the timeout of {cfg.timeout:g} seconds "
                            f"(model '{model}'); the server hangs or is too slow: raise the timeout with "
                            "--llm-timeout, RTLGEN_LLM_TIMEOUT or llm.timeout in the config file")
        if isinstance(exc, openai.APIConnectionError):
            cause = exc.__cause__ or exc
            return LLMError(f"cannot connect to the LLM endpoint {url}{tries}: {cause}. "
                            "Is the server running and the base URL right?")
        if isinstance(exc, openai.AuthenticationError):
            return LLMError(f"LLM endpoint {url} rejected the API key (HTTP 401: {detail}); set the right key with "
                            "--api-key, OPENAI_API_KEY or llm.api_key in the config file")
        if isinstance(exc, openai.NotFoundError):
            available = self._available_models()
            if available is None:
                hint = (f"{url}/models does not answer either: check the base URL "
                        "(OpenAI-compatible servers usually end in /v1)")
            else:
                hint = f"models available there: {', '.join(available) or '(none listed)'}"
            return LLMError(f"model '{model}' not found at {url} (HTTP 404: {detail}); {hint}")
        if isinstance(exc, openai.RateLimitError):
            return LLMError(f"LLM endpoint {url} kept rate-limiting (HTTP 429){tries}: {detail}; "
                            "lower --concurrency or retry later")
        if isinstance(exc, openai.BadRequestError) and _CONTEXT_EXCEEDED.search(detail):
            return PromptTooLong(f"LLM endpoint {url} refused the request: it does not fit the context window of "
                                 f"model '{model}' (HTTP 400: {detail}); shorten the spec, lower max_tokens, or give "
                                 "the server a larger context")
        if isinstance(exc, openai.APIStatusError):
            return LLMError(f"LLM endpoint {url} answered HTTP {exc.status_code}{tries} for model '{model}': {detail}")
        return LLMError(f"LLM call to {url} failed: {exc}")

    def _available_models(self) -> list[str] | None:
        try:
            return sorted(m.id for m in self._api.models.list())
        except Exception:  # noqa: BLE001 - any failure just means "no list to show"
            return None


def _server_message(exc: Exception) -> str:
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and inner.get("message"):
            return str(inner["message"])
        if isinstance(inner, str):
            return inner
    return str(getattr(exc, "message", exc))
