"""LLM settings resolution: flags > environment > config file; clear errors when unset or wrong."""
from __future__ import annotations

from dataclasses import fields

import click
import pytest
from click.testing import CliRunner

from rtlgen.cli.options import llm_options
from rtlgen.errors import ConfigError
from rtlgen.llm import ENV_VARS, LLMConfig, resolve_config
from rtlgen.llm.config import LlmSettings


def write_config(tmp_path, text):
    path = tmp_path / "config.yaml"
    path.write_text(text)
    return path


def test_no_endpoint_says_how_to_configure(clean_env):
    with pytest.raises(ConfigError) as info:
        resolve_config()
    text = str(info.value)
    for needle in ("No LLM endpoint is configured", "--base-url", "--model", "RTLGEN_BASE_URL", "RTLGEN_MODEL",
                   "OPENAI_API_KEY", "llm:", "base_url:", "absent-config.yaml", "RTLGEN_CONFIG"):
        assert needle in text


def test_endpoint_without_model_asks_for_the_model(clean_env):
    clean_env.setenv("RTLGEN_BASE_URL", "http://localhost:8000/v1")
    with pytest.raises(ConfigError, match="no model: pass --model NAME, set RTLGEN_MODEL"):
        resolve_config()


def test_precedence_flags_over_env_over_file(clean_env, tmp_path):
    path = write_config(tmp_path, "llm:\n  base_url: http://file:1/v1\n  model: file-model\n"
                                  "  temperature: 0.1\n  max_tokens: 111\n  api_key: file-key\n")
    clean_env.setenv("RTLGEN_CONFIG", str(path))
    cfg = resolve_config()
    assert (cfg.base_url, cfg.model, cfg.temperature, cfg.max_tokens, cfg.api_key) == (
        "http://file:1/v1", "file-model", 0.1, 111, "file-key")
    clean_env.setenv("RTLGEN_MODEL", "env-model")
    clean_env.setenv("RTLGEN_TEMPERATURE", "0.3")
    clean_env.setenv("OPENAI_API_KEY", "env-key")
    cfg = resolve_config({"temperature": 0.5, "model": None})
    assert (cfg.base_url, cfg.model, cfg.temperature, cfg.max_tokens, cfg.api_key) == (
        "http://file:1/v1", "env-model", 0.5, 111, "env-key")
    cfg = resolve_config({"model": "flag-model", "base_url": "http://flag:2/v1"})
    assert (cfg.base_url, cfg.model, cfg.temperature) == ("http://flag:2/v1", "flag-model", 0.3)


def test_caller_defaults_rank_below_the_config_file(clean_env, tmp_path):
    """The local model's settings (concurrency 1, a long timeout) apply only where nobody said otherwise."""
    defaults = {"concurrency": 1, "timeout": 1800.0}
    cfg = resolve_config({"base_url": "http://x:1/v1", "model": "m"}, defaults=defaults)
    assert (cfg.concurrency, cfg.timeout) == (1, 1800.0)
    clean_env.setenv("RTLGEN_CONFIG", str(write_config(tmp_path, "llm:\n  concurrency: 3\n")))
    clean_env.setenv("RTLGEN_LLM_TIMEOUT", "60")
    cfg = resolve_config({"base_url": "http://x:1/v1", "model": "m"}, defaults=defaults)
    assert (cfg.concurrency, cfg.timeout) == (3, 60.0)
    cfg = resolve_config({"base_url": "http://x:1/v1", "model": "m", "concurrency": 2}, defaults=defaults)
    assert cfg.concurrency == 2


def test_explicit_env_mapping_and_config_path(tmp_path):
    path = write_config(tmp_path, "llm:\n  model: m\n")
    cfg = resolve_config(env={"RTLGEN_BASE_URL": "http://x:1/v1"}, config_path=path)
    assert cfg.model == "m" and cfg.api_key == "not-needed"  # local endpoints need no key


def test_key_is_never_written_out():
    cfg = LLMConfig(base_url="http://x/v1", model="m", api_key="sk-secret")
    assert "sk-secret" not in str(cfg.to_dict())


@pytest.mark.parametrize("text, needle", [
    ("llm:\n  base_url: http://x/v1\n  modle: m\n", "unknown key(s) under 'llm:': ['modle']"),
    ("llm:\n  base_url: http://x/v1\n  model: m\n  temperature: warm\n", "'temperature' must be a number"),
    ("llm: [1, 2]\n", "'llm:' must be a mapping"),
    ("llm:\n  base_url: x\n  model: m\n", "base_url must start with http"),
    ("llm:\n  base_url: http://x/v1\n  model: m\n  budget_usd: 1\n", "budget_usd needs price"),
    ("llm:\n  base_url: http://x/v1\n  model: m\n  concurrency: 0\n", "concurrency must be >= 1"),
])
def test_bad_config_file_is_named(clean_env, tmp_path, text, needle):
    clean_env.setenv("RTLGEN_CONFIG", str(write_config(tmp_path, text)))
    with pytest.raises(ConfigError) as info:
        resolve_config()
    assert needle in str(info.value)


def test_bad_env_value_names_the_variable(clean_env):
    clean_env.setenv("RTLGEN_BASE_URL", "http://x/v1")
    clean_env.setenv("RTLGEN_MODEL", "m")
    clean_env.setenv("RTLGEN_MAX_TOKENS", "lots")
    with pytest.raises(ConfigError, match="environment variable RTLGEN_MAX_TOKENS: 'max_tokens' must be an integer"):
        resolve_config()


def test_unknown_flag_is_refused(clean_env):
    with pytest.raises(ConfigError, match="unknown LLM setting 'temprature'"):
        resolve_config({"temprature": 1})


def test_endpoint_configured_by_flag_environment_or_file(clean_env, tmp_path):
    from rtlgen.llm.config import endpoint_configured

    assert not endpoint_configured()  # then the local model is the default
    assert not endpoint_configured({"base_url": None, "model": "m"})
    assert endpoint_configured({"base_url": "http://localhost:1/v1"})
    clean_env.setenv("RTLGEN_BASE_URL", "http://localhost:2/v1")
    assert endpoint_configured()
    clean_env.delenv("RTLGEN_BASE_URL")
    path = write_config(tmp_path, "llm:\n  base_url: http://localhost:3/v1\n")
    assert endpoint_configured(config_path=path)


def test_llm_flags_come_from_the_one_declaration_and_reach_the_command_as_one_dict():
    seen: list[LlmSettings] = []

    @click.command()
    @llm_options("base_url", "model", "max_tokens", "budget", "timeout", "use_cache")
    def command(llm: LlmSettings) -> None:
        seen.append(llm)

    runner = CliRunner()
    args = ["--base-url", "http://h/v1", "--model", "m", "--max-tokens", "64", "--budget", "$0.50",
            "--llm-timeout", "9"]
    assert runner.invoke(command, args).exit_code == 0
    assert seen[-1] == LlmSettings(base_url="http://h/v1", model="m", max_tokens=64, budget_usd=0.5, timeout=9.0)
    assert runner.invoke(command, ["--budget", "20000", "--no-cache"]).exit_code == 0
    assert seen[-1] == LlmSettings(budget_tokens=20000, use_cache=False)
    assert seen[-1].overrides() == {"budget_tokens": 20000}  # what resolve_config takes as flags
    bad = runner.invoke(command, ["--budget", "lots"])
    assert bad.exit_code == 2 and "token count (20000) or dollars" in bad.output
    help_text = runner.invoke(command, ["--help"]).output
    assert "RTLGEN_BASE_URL" in help_text and "--llm-timeout" in help_text
    assert {f.name for f in fields(LlmSettings)} - {"use_cache"} <= set(ENV_VARS)  # each a setting of the config
