"""rtlgen llm stage: talk to any OpenAI-compatible endpoint and pull code out of replies (the transport: client,
cache, ledger, local server; the prompts are generate's, rtlgen.generate.prompts).

Public API:
- ``resolve_config(flags=None, *, env=None, config_path=None, defaults=None) -> LLMConfig``: CLI flags > environment
  (RTLGEN_BASE_URL, RTLGEN_MODEL, OPENAI_API_KEY, RTLGEN_TEMPERATURE, ... see ``ENV_VARS``) > config
  file (``$RTLGEN_CONFIG`` or ``~/.config/rtlgen/config.yaml``, section ``llm:``) > ``defaults``. ConfigError says
  how to configure.
- ``LLMConfig`` (frozen): base_url, model, api_key, temperature, top_p, max_tokens, concurrency, budget_tokens,
  budget_usd, timeout, max_retries, backoff_base, backoff_max, price_prompt_per_1k, price_completion_per_1k.
- ``LLMClient(config, *, cache=None, use_cache=True, ledger=None, transcript_path=None)``
  ``.complete(messages, *, n=1, temperature=None, seed=None, tag="", use_cache=None) -> list[LLMReply]``,
  ``.close()`` (also a context manager);
  ``.ledger`` (Ledger), ``.transcript`` (list of dicts), ``.write_transcript(path)``, ``.http_calls``, ``.retries``.
- ``LLMReply`` (frozen): text, call_id, model, prompt_tokens, completion_tokens, latency_s, cost_usd, cached,
  finish_reason, cost_known, sample, retries, tag.
- ``extract_verilog(reply, top) -> str``, ``extract_verilog_detailed(reply, top) -> Extraction(code, modules, notes)``,
  ``extract_python(reply) -> str``; both raise ``ExtractionError(LLMError)`` with ``.failure_class``
  ("no_code", "no_module", "syntax_error").
- ``CallCache(directory=None)`` (default ``rtlgen.config.cache_dir()/"llm"``), ``cache_key(...)``.
- ``Ledger``: ``.rows()``, ``.total()``, ``.spent()``, ``.table()``, ``.to_dict()``.
- Errors: ``LLMError`` (rtlgen.errors), ``BudgetExceeded(LLMError)``, ``ExtractionError(LLMError)``,
  ``PromptTooLong(LLMError)`` (the request does not fit the model's context), ``ConfigError``,
  ``ModelInstallError`` / ``ModelNotInstalled`` (rtlgen.llm.errors, local model).
- ``endpoint_configured(flags=None, ...)`` (rtlgen.llm.config): False means the local model is the default.
- ``rtlgen.llm.local``: ``models.MODELS`` (pinned weights), ``install.install_model``, ``launcher.LocalServer`` /
  ``launcher.local_endpoint()`` (the embedded default; a running ``rtlgen llm serve``, found through
  ``server_record``, is used instead); ``llama_process`` is the server process itself (the runtime is the optional
  ``local-llm`` extra).
"""
from rtlgen.errors import ConfigError, LLMError
from rtlgen.llm.cache import CallCache, cache_key
from rtlgen.llm.config import ENV_VARS, LLMConfig, resolve_config
from rtlgen.llm.errors import BudgetExceeded, ExtractionError, PromptTooLong
from rtlgen.llm.extract import Extraction, extract_python, extract_verilog, extract_verilog_detailed
from rtlgen.llm.ledger import Ledger, LedgerRow

__all__ = [
    "BudgetExceeded", "CallCache", "ConfigError", "ENV_VARS", "Extraction", "ExtractionError", "LLMClient",
    "LLMConfig", "LLMError", "LLMReply", "Ledger", "LedgerRow", "PromptTooLong", "cache_key", "extract_python",
    "extract_verilog", "extract_verilog_detailed", "resolve_config",
]


def __getattr__(name: str) -> object:
    """``LLMClient`` and ``LLMReply`` on first use: the client imports openai (~1 s), which every
    ``rtlgen`` command would otherwise pay at start-up through ``rtlgen.llm.local``."""
    if name in ("LLMClient", "LLMReply"):
        from rtlgen.llm import client  # noqa: PLC0415 - lazy on purpose

        return getattr(client, name)
    raise AttributeError(f"module 'rtlgen.llm' has no attribute '{name}'")
