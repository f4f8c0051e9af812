"""LLM endpoint settings, resolved once: CLI flags > environment > config file.

The config file is ``$RTLGEN_CONFIG`` or ``~/.config/rtlgen/config.yaml``; its ``llm:`` section uses
the field names of :class:`LLMConfig`. Environment variables are listed in ``ENV_VARS``.
"""
from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, Callable, Mapping

import yaml

from rtlgen.errors import ConfigError

NO_KEY = "not-needed"  # placeholder for local servers that take no key


@dataclass(frozen=True)
class LLMConfig:
    """How to reach one OpenAI-compatible endpoint and how much a run may spend there."""

    base_url: str
    model: str
    api_key: str = NO_KEY
    temperature: float = 0.2
    top_p: float | None = None
    max_tokens: int = 2048
    concurrency: int = 4
    budget_tokens: int | None = None  # max prompt+completion tokens per run
    budget_usd: float | None = None  # max cost per run (needs prices)
    timeout: float = 120.0  # seconds per HTTP call
    max_retries: int = 4  # on 429 / 5xx / connection errors only
    backoff_base: float = 1.0  # seconds; doubles per retry, with jitter
    backoff_max: float = 30.0
    price_prompt_per_1k: float | None = None  # USD per 1000 prompt tokens
    price_completion_per_1k: float | None = None

    def __post_init__(self) -> None:
        problems = []
        if not self.base_url.startswith(("http://", "https://")):
            problems.append(f"base_url must start with http:// or https://, got {self.base_url!r}")
        if not self.model:
            problems.append("model must not be empty")
        for name in ("max_tokens", "concurrency"):
            if getattr(self, name) < 1:
                problems.append(f"{name} must be >= 1, got {getattr(self, name)}")
        for name in ("timeout", "backoff_base", "backoff_max"):
            if getattr(self, name) <= 0:
                problems.append(f"{name} must be > 0, got {getattr(self, name)}")
        if self.max_retries < 0:
            problems.append(f"max_retries must be >= 0, got {self.max_retries}")
        if self.budget_usd is not None and not self.has_prices:
            problems.append("budget_usd needs price_prompt_per_1k and/or price_completion_per_1k "
                            "(without prices the cost is unknown)")
        if problems:
            raise ConfigError("invalid LLM configuration: " + "; ".join(problems))

    @property
    def has_prices(self) -> bool:
        return self.price_prompt_per_1k is not None or self.price_completion_per_1k is not None

    def cost(self, prompt_tokens: int, completion_tokens: int) -> float:
        """USD for this many tokens; 0.0 when no price is configured (see ``has_prices``)."""
        return (prompt_tokens * (self.price_prompt_per_1k or 0.0)
                + completion_tokens * (self.price_completion_per_1k or 0.0)) / 1000.0

    def to_dict(self) -> dict[str, Any]:
        """For logs and reports: the API key is never written out."""
        data = asdict(self)
        data["api_key"] = "***" if self.api_key and self.api_key != NO_KEY else self.api_key
        return data


ENV_VARS: dict[str, str] = {
    "base_url": "RTLGEN_BASE_URL",
    "model": "RTLGEN_MODEL",
    "api_key": "OPENAI_API_KEY",
    "temperature": "RTLGEN_TEMPERATURE",
    "top_p": "RTLGEN_TOP_P",
    "max_tokens": "RTLGEN_MAX_TOKENS",
    "concurrency": "RTLGEN_CONCURRENCY",
    "budget_tokens": "RTLGEN_BUDGET_TOKENS",
    "budget_usd": "RTLGEN_BUDGET_USD",
    "timeout": "RTLGEN_LLM_TIMEOUT",
    "max_retries": "RTLGEN_MAX_RETRIES",
    "backoff_base": "RTLGEN_BACKOFF_BASE",
    "backoff_max": "RTLGEN_BACKOFF_MAX",
    "price_prompt_per_1k": "RTLGEN_PRICE_PROMPT_PER_1K",
    "price_completion_per_1k": "RTLGEN_PRICE_COMPLETION_PER_1K",
}


def _run_setting(help: str, flag: str | None = None) -> Any:
    """A field of LlmSettings: unset by default, with the help of its flag (``--<name-with-dashes>`` unless
    ``flag``)."""
    return field(default=None, metadata={"help": help, "flag": flag})


@dataclass(frozen=True)
class LlmSettings:
    """The LLM settings one run sets for itself, over the environment and the config file: what ``rtlgen run`` and
    ``rtlgen regress`` build from their flags (rtlgen.cli.options.llm_options builds the flags from these fields)
    and what generate() and regress() take, so the command line and the library cannot drift. A setting left None
    comes from the environment, the config file or the default; retries, backoff and prices come from there only.

    They are resolved into an LLMConfig (``resolve``) once, where a run makes its client: only a run that calls an
    LLM needs an endpoint, and the local model's defaults apply only when none is configured."""

    base_url: str | None = _run_setting("OpenAI-compatible endpoint")
    model: str | None = _run_setting("Model name")
    api_key: str | None = _run_setting("API key")
    temperature: float | None = _run_setting("Sampling temperature")
    max_tokens: int | None = _run_setting("Max tokens per reply")
    concurrency: int | None = _run_setting("LLM calls and candidate lanes in flight; samples and repairs go this "
                                           "many at a time and stop at the first verified design (default 4; the "
                                           "local model 1)")
    budget_tokens: int | None = _run_setting("Per-run LLM budget in tokens")
    budget_usd: float | None = _run_setting("Per-run LLM budget in dollars (needs prices)")
    timeout: float | None = _run_setting("Seconds to wait for one LLM reply", flag="--llm-timeout")
    use_cache: bool = field(default=True, metadata={"help": "Do not read the LLM call cache (replies are still "
                                                            "stored).", "flag": "--no-cache"})

    def overrides(self) -> dict[str, Any]:
        """The endpoint settings given here (None left out): the flags of ``resolve_config``."""
        return {f.name: getattr(self, f.name) for f in fields(self)
                if f.name in ENV_VARS and getattr(self, f.name) is not None}

    def resolve(self, defaults: Mapping[str, Any] | None = None) -> LLMConfig:
        """These settings over the environment, the config file and ``defaults`` (``resolve_config``)."""
        return resolve_config(self.overrides(), defaults=defaults)

    def configures_endpoint(self) -> bool:
        """Whether these settings, the environment or the config file name an endpoint (else: the local model)."""
        return endpoint_configured(self.overrides())


HOW_TO_CONFIGURE = """\
No LLM endpoint is configured. Give one in any of these ways (highest precedence first):
  1. command-line flags:  --base-url http://localhost:8000/v1 --model <model-name> [--api-key KEY]
  2. environment:         export RTLGEN_BASE_URL=http://localhost:8000/v1
                          export RTLGEN_MODEL=<model-name>
                          export OPENAI_API_KEY=<key>      # not needed for most local servers
  3. config file {path} (or set RTLGEN_CONFIG to another file):
       llm:
         base_url: https://api.openai.com/v1
         model: gpt-4o-mini
         api_key: sk-...            # or leave it out and use OPENAI_API_KEY
         temperature: 0.2
         price_prompt_per_1k: 0.00015
         price_completion_per_1k: 0.0006
Any OpenAI-compatible server works (vLLM, llama.cpp server, Ollama at http://localhost:11434/v1, ...)."""


def default_config_path(env: Mapping[str, str] | None = None) -> Path:
    """``$RTLGEN_CONFIG``, else ``$XDG_CONFIG_HOME/rtlgen/config.yaml`` (``~/.config/...``)."""
    env = os.environ if env is None else env
    if env.get("RTLGEN_CONFIG"):
        return Path(env["RTLGEN_CONFIG"])
    return Path(env.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "rtlgen" / "config.yaml"


def setting_type(name: str) -> Callable[[Any], Any]:
    """``float``, ``int`` or ``str``: what a value of setting ``name`` is converted to."""
    kind = {f.name: f.type for f in fields(LLMConfig)}[name]
    if "float" in kind:
        return float
    if "int" in kind:
        return int
    return str


def _convert(name: str, value: Any, where: str) -> Any:
    if value is None:
        return None
    try:
        return setting_type(name)(value)
    except (TypeError, ValueError):
        kind = {"float": "a number", "int": "an integer"}.get(setting_type(name).__name__, "a string")
        raise ConfigError(f"{where}: '{name}' must be {kind}, got {value!r}") from None


def _read_file(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping with an 'llm:' section")
    section = data.get("llm") or {}
    if not isinstance(section, dict):
        raise ConfigError(f"{path}: 'llm:' must be a mapping of settings")
    unknown = set(section) - set(ENV_VARS)
    if unknown:
        raise ConfigError(f"{path}: unknown key(s) under 'llm:': {sorted(unknown)}; allowed: {sorted(ENV_VARS)}")
    return {k: _convert(k, v, str(path)) for k, v in section.items()}


def _merged(flags: Mapping[str, Any] | None, env: Mapping[str, str], path: Path,
            defaults: Mapping[str, Any] | None = None) -> dict[str, Any]:
    merged: dict[str, Any] = {**(defaults or {}), **_read_file(path)}
    for name, var in ENV_VARS.items():
        if env.get(var, "") != "":
            merged[name] = _convert(name, env[var], f"environment variable {var}")
    for name, value in (flags or {}).items():
        if name not in ENV_VARS:
            raise ConfigError(f"unknown LLM setting '{name}'; allowed: {sorted(ENV_VARS)}")
        if value is not None:
            merged[name] = _convert(name, value, "command line")
    return merged


def endpoint_configured(flags: Mapping[str, Any] | None = None, *, env: Mapping[str, str] | None = None,
                        config_path: str | Path | None = None) -> bool:
    """True when flags, environment or config file name a base_url (else the local model is the default)."""
    env = os.environ if env is None else env
    path = Path(config_path) if config_path else default_config_path(env)
    return bool(_merged(flags, env, path).get("base_url"))


def resolve_config(flags: Mapping[str, Any] | None = None, *, env: Mapping[str, str] | None = None,
                   config_path: str | Path | None = None, defaults: Mapping[str, Any] | None = None) -> LLMConfig:
    """Merge CLI ``flags`` (None values ignored) > environment > config file > ``defaults`` (the caller's, for
    its kind of endpoint, e.g. the local model's) into an LLMConfig.

    Raises ConfigError with setup instructions when no base_url or model is configured.
    """
    env = os.environ if env is None else env
    path = Path(config_path) if config_path else default_config_path(env)
    merged = _merged(flags, env, path, defaults)
    missing = [name for name in ("base_url", "model") if not merged.get(name)]
    if "base_url" in missing:
        raise ConfigError(HOW_TO_CONFIGURE.format(path=path))
    if missing:
        raise ConfigError(f"LLM endpoint {merged['base_url']} is configured but no model: pass --model NAME, "
                          f"set RTLGEN_MODEL, or add 'model:' under 'llm:' in {path}")
    if not merged.get("api_key"):
        merged["api_key"] = NO_KEY
    return LLMConfig(**merged)
