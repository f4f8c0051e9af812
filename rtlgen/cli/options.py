"""The one CLI vocabulary: every command builds its common options here, so names and meanings agree.

``CANONICAL`` is the reference the consistency test (tests/cli/test_vocabulary.py) walks every
registered command against; ``FORBIDDEN`` lists the synonyms that must not come back.
"""
from __future__ import annotations

import functools
import importlib
import re
import sys
from dataclasses import Field, dataclass, fields
from pathlib import Path
from typing import Any, Callable

import click

from rtlgen.errors import ConfigError
from rtlgen.generate.loop import ENDPOINT_BUDGET, LOCAL_BUDGET
from rtlgen.llm.config import ENV_VARS, LlmSettings, setting_type
from rtlgen.outdir import claim
from rtlgen.spec.sources import LANGUAGES, collect, read_design
from rtlgen.synth.liberty import LibertyError, resolve_liberty
from rtlgen.synth.memories import DEFAULT_MACRO_BITS
from rtlgen.synth.target import POWER_ENGINES
from rtlgen.verify.lint import require_clean
from rtlgen.verify.sandbox import check_untrusted
from rtlgen.verify.simulators import DEFAULT_SIMULATOR, SIMULATORS

F = Callable[..., Any]


@dataclass(frozen=True)
class Canonical:
    """How an option is spelled wherever it appears: its declarations and whether it is a flag."""

    decls: tuple[str, ...]
    flag: bool = False
    metavar: str | None = None


CANONICAL: dict[str, Canonical] = {c.decls[-1]: c for c in (
    Canonical(("--json",), metavar="FILE"),
    Canonical(("--clock-period",), metavar="NS"),
    Canonical(("--liberty",), metavar="LIB"),
    Canonical(("--top",), metavar="NAME"),
    Canonical(("-j", "--jobs"), metavar="N"),
    Canonical(("--timeout",), metavar="SECONDS"),
    Canonical(("--seed",), metavar="N"),
    Canonical(("--simulator",)),
    Canonical(("-o", "--out"), metavar="PATH"),
    Canonical(("--checks",), metavar="CHECK[,CHECK]"),
    Canonical(("--no-cache",), flag=True),
    Canonical(("-I", "--include-dir"), metavar="DIR"),
    Canonical(("-D", "--define"), metavar="NAME[=VALUE]"),
    Canonical(("-f", "--filelist"), metavar="FILE"),
    Canonical(("-P", "--param"), metavar="NAME=VALUE"),
    Canonical(("--language",)),
    Canonical(("--dont-use",), metavar="PATTERN"),
    Canonical(("--power-engine",)),
    Canonical(("--memory-macro-bits",), metavar="BITS|off"),
    Canonical(("--force",), flag=True),
)}

# Synonyms of canonical options that no command may show (a hidden deprecated alias is allowed).
FORBIDDEN: dict[str, str] = {
    "--clock-ns": "--clock-period", "--period": "--clock-period", "--clock": "--clock-period",
    "--lib": "--liberty", "--json-out": "--json", "--output-json": "--json", "--as-json": "--json",
    "--workers": "--jobs", "--parallel": "--jobs", "--module": "--top",
    "--incdir": "--include-dir", "--file-list": "--filelist", "--output": "--out", "--sim": "--simulator",
}


def _option(key: str, **kwargs: Any) -> Callable[[F], F]:
    c = CANONICAL[key]
    if c.flag:
        kwargs.setdefault("is_flag", True)
    elif c.metavar:
        kwargs.setdefault("metavar", c.metavar)
    dest = kwargs.pop("dest", None)
    return click.option(*c.decls, *((dest,) if dest else ()), **kwargs)


def json_option(what: str = "the result") -> Callable[[F], F]:
    """``--json FILE``: write ``what`` as JSON to FILE; ``-`` is stdout (then the human table goes to stderr)."""
    return _option("--json", dest="json_out", default=None, type=click.Path(dir_okay=False, allow_dash=True),
                   help=f"Write {what} as JSON to FILE ('-': stdout).")


def emit_json(dest: str | None, text: str) -> None:
    """Write ``text`` where ``--json`` said (nothing when it was not given)."""
    if dest is None:
        return
    if dest == "-":
        click.echo(text)
    else:
        Path(dest).write_text(text.rstrip("\n") + "\n")


def human_stream_is_stderr(json_out: str | None) -> bool:
    """With ``--json -`` stdout carries the JSON, so tables and progress go to stderr."""
    return json_out == "-"


def clock_period_option(default: float = 10.0) -> Callable[[F], F]:
    return _option("--clock-period", dest="clock_ns", type=click.FloatRange(min=0, min_open=True), default=default,
                   show_default=True, help="Clock period in ns (a virtual clock for combinational designs).")


def _resolve_liberty(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    if ctx.resilient_parsing:
        return value
    try:
        return resolve_liberty(value)
    except LibertyError as exc:
        raise click.BadParameter(str(exc), ctx=ctx, param=param) from None


def liberty_option(extra: str = "") -> Callable[[F], F]:
    """``--liberty LIB``: a file or PDK name, resolved (found, hashed, validated) before any work starts."""
    return _option("--liberty", dest="liberty", default=None, callback=_resolve_liberty,
                   help="Liberty file (.lib/.lib.gz), bare file name or PDK name (sky130, nangate45), looked up in "
                        "$RTLGEN_LIBERTY_PATH, <benchmarks>/liberty and the cache; default $RTLGEN_LIBERTY or "
                        f"`liberty:` in ~/.config/rtlgen/config.yaml.{(' ' + extra) if extra else ''}")


def power_engine_option() -> Callable[[F], F]:
    """``--power-engine``: who prices power (``Target.power_engine``), for every command that builds a Target."""
    return _option("--power-engine", dest="power_engine", type=click.Choice(POWER_ENGINES), default="auto",
                   show_default=True,
                   help="Who prices power: gate = rtlgen from the gate-level simulation of the stimulus (counts clock "
                        "gating), sta = OpenSTA (given the same simulated activity with a stimulus, else "
                        "vectorless); auto = gate where a stimulus exists, else sta.")


def _macro_bits(ctx: click.Context, param: click.Parameter, value: str) -> int | None:
    if value == "off":
        return None
    if not value.isdigit() or int(value) < 1:
        raise click.BadParameter(f"{value!r} is neither a positive number of bits nor 'off'", ctx=ctx, param=param)
    return int(value)


def memory_macro_option() -> Callable[[F], F]:
    """``--memory-macro-bits``: the size from which an inferred memory is a macro (``Target.memory_macro_bits``)."""
    return _option("--memory-macro-bits", dest="memory_macro_bits", default=str(DEFAULT_MACRO_BITS), show_default=True,
                   callback=_macro_bits,
                   help="Keep each inferred memory of at least BITS bits as a memory macro: an estimated area listed "
                        "apart, timing through it cut; 'off' builds every memory from flip-flops.")


def top_option(help: str = "Top module [default: the only module nothing instantiates].") -> Callable[[F], F]:
    return _option("--top", dest="top", default=None, help=help)


def jobs_option(help: str = "Items run at once.") -> Callable[[F], F]:
    return _option("--jobs", dest="jobs", type=click.IntRange(min=1), default=1, show_default=True, help=help)


def timeout_option(default: float | None, help: str) -> Callable[[F], F]:
    return _option("--timeout", dest="timeout", type=click.FloatRange(min=0, min_open=True), default=default,
                   show_default=default is not None, help=help)


def seed_option(default: int = 1, help: str = "Seed of the auto-testbench stimulus.") -> Callable[[F], F]:
    return _option("--seed", dest="seed", type=int, default=default, show_default=True, help=help)


def _budget_default(field: str) -> str:
    return (f"default {getattr(ENDPOINT_BUDGET, field)}; the local model {getattr(LOCAL_BUDGET, field)} when the "
            "spec has a golden model or reference RTL")


def samples_option(prefix: str = "") -> Callable[[F], F]:
    """``-n/--samples``: left unset, the budget that suits the model and spec (``generate.loop.loop_budget``)."""
    return click.option("-n", "--samples", type=click.IntRange(1, 64), default=None, metavar="N",
                        help=f"{prefix}Candidates sampled in the first round ({_budget_default('samples')}).")


def rounds_option(prefix: str = "") -> Callable[[F], F]:
    """``--rounds``: left unset, as ``samples_option``."""
    return click.option("--rounds", type=click.IntRange(0, 50), default=None, metavar="N",
                        help=f"{prefix}Repair rounds at most ({_budget_default('rounds')}).")


def simulator_option() -> Callable[[F], F]:
    return _option("--simulator", dest="simulator", type=click.Choice(sorted(SIMULATORS)), default=DEFAULT_SIMULATOR,
                   show_default=True, help="Simulator for the auto-generated testbench.")


def checks_option(default: str | None, help: str, **kwargs: Any) -> Callable[[F], F]:
    return _option("--checks", dest="checks", default=default, show_default=default is not None, help=help, **kwargs)


def out_option(help: str, *, file: bool = False, **kwargs: Any) -> Callable[[F], F]:
    """``-o/--out PATH``: the output folder (or file, for commands that write one file)."""
    kwargs.setdefault("type", click.Path(dir_okay=not file, file_okay=file))
    kwargs.setdefault("dest", "out")
    return _option("--out", help=help, **kwargs)


def force_option(help: str = "Write into an --out folder that holds files rtlgen did not write (they are kept; "
                              "what an earlier rtlgen run wrote there is replaced).") -> Callable[[F], F]:
    """``--force``: accept an output folder holding the user's files (``rtlgen.outdir.claim``)."""
    return _option("--force", dest="force", help=help)


def claim_out(path: str | Path, command: str, force: bool) -> Any:
    """The claimed output folder (``rtlgen.outdir.claim``): a folder of another kind is a usage error (exit 2)
    before any work starts."""
    try:
        return claim(path, command, force=force)
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from None


def no_cache_option(help: str = "Do not read the result cache.") -> Callable[[F], F]:
    return _option("--no-cache", dest="no_cache", help=help)


@dataclass(frozen=True)
class GivenDesign:
    """The user's design as the command line names it: the validated Sources and the ``--top`` asked for (None:
    the only module nothing instantiates, or the spec's top for a command without ``--top``)."""

    sources: Any  # rtlgen.spec.sources.Sources
    top: str | None = None


def _given_design(files: tuple[str, ...], include_dirs: tuple[str, ...], defines: tuple[str, ...],
                  filelists: tuple[str, ...], language: str | None, params: tuple[str, ...],
                  top: str | None = None) -> GivenDesign:
    """The GivenDesign of ``sources_options`` (bad input: exit 2 before any work)."""
    try:
        sources = collect(files, include_dirs=include_dirs, defines=defines, filelists=filelists, language=language,
                          params=params)
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from None
    return GivenDesign(sources, top)


def sources_options(top: bool = True) -> Callable[[F], F]:
    """``FILES...`` plus ``-I``, ``-D``, ``-f``, ``--language``, ``-P`` and (with ``top``) ``--top``: a real
    project's sources (rtlgen.spec.sources), handed to the command as one keyword ``design``, a GivenDesign."""
    return grouped("design", _given_design, *[
        click.argument("files", nargs=-1, type=click.Path(dir_okay=False)),
        _option("--include-dir", dest="include_dirs", multiple=True, type=click.Path(file_okay=False),
                help="Folder searched for `include files (repeatable; the including file's folder comes first)."),
        _option("--define", dest="defines", multiple=True, help="Define a macro, as `define would (repeatable)."),
        _option("--filelist", dest="filelists", multiple=True, type=click.Path(dir_okay=False),
                help="Simulator file list: files, +incdir+, +define+, -I, -D, -f (paths relative to the list)."),
        _option("--language", dest="language", type=click.Choice(LANGUAGES), default=None,
                help="Read every file in this language [default: by extension: .v Verilog-2005, .sv SystemVerilog]."),
        _option("--param", dest="params", multiple=True,
                help="Set a parameter of the top module (repeatable): its default in the source is replaced."),
        *([top_option()] if top else []),
    ])


def read_user_design(given: GivenDesign, say: Callable[[str, str], None], *, lint: bool = False,
                     top: str | None = None) -> Any:
    """The front end at a command's edge (``rtlgen.spec.sources.read_design``): the user's design read once, its
    top ``given.top`` or else ``top``.

    Says what the sandbox scan found in the user's trusted files (nothing is refused) and, with ``lint``,
    refuses a design Icarus or Verilator rejects before any other tool runs. Bad input raises a ConfigError
    (DesignInputError names every problem at the user's file:line), which the CLI turns into exit 2.
    """
    design = read_design(given.sources, given.top or top)
    for note in check_untrusted(design.candidate.rtl, trusted=True):
        say("note", note)
    if lint:
        require_clean(design.candidate)
    return design


def is_terminal(stream: Any = None) -> bool:
    return bool(getattr(stream or sys.stderr, "isatty", lambda: False)())


class _Budget(click.ParamType):
    """``--budget``: a token count (``20000``) or dollars (``$0.50`` / ``0.5usd``), as the setting it sets."""

    name = "budget"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> dict[str, Any]:
        if isinstance(value, dict):
            return value
        dollars = re.fullmatch(r"\s*\$\s*([\d.]+)\s*|\s*([\d.]+)\s*(?:usd|\$)\s*", value, re.I)
        if dollars:
            return {"budget_usd": float(dollars.group(1) or dollars.group(2))}
        if value.strip().isdigit():
            return {"budget_tokens": int(value)}
        self.fail(f"expected a token count (20000) or dollars ($0.50), got {value!r}", param, ctx)


def _llm_option(setting: Field[Any], prefix: str) -> Callable[[F], F]:
    """The flag of one LlmSettings field, with the help its field carries."""
    name, help = setting.name, prefix + setting.metadata["help"]
    if name == "use_cache":
        return no_cache_option(help)
    kind = setting_type(name)
    flag = setting.metadata["flag"] or "--" + name.replace("_", "-")
    return click.option(flag, f"llm_{name}", type=click.IntRange(min=1) if kind is int else kind,
                        help=f"{help} (env {ENV_VARS[name]}).")


def _budget_option(prefix: str) -> Callable[[F], F]:
    return click.option("--budget", "llm_budget", type=_Budget(),
                        help=f"{prefix}Per-run LLM budget: tokens (20000) or dollars ($0.50).")


def _llm_value(name: str, kwargs: dict[str, Any]) -> dict[str, Any]:
    """What flag ``name`` sets among LlmSettings' fields (nothing when not given)."""
    if name == "use_cache":
        return {"use_cache": not kwargs.pop("no_cache")}
    value = kwargs.pop(f"llm_{name}")
    if value is None:
        return {}
    return value if name == "budget" else {name: value}


def llm_options(*names: str, prefix: str = "") -> Callable[[F], F]:
    """Flags for the LLM settings ``names`` (fields of ``rtlgen.llm.config.LlmSettings``, each with the help its
    field carries; ``use_cache`` is ``--no-cache``; ``budget`` is ``--budget``, tokens or dollars), handed to the
    command as one keyword ``llm``: the LlmSettings that generate() and regress() take."""
    settings = {f.name: f for f in fields(LlmSettings)}

    def decorate(command: F) -> F:
        @functools.wraps(command)
        def with_llm(*args: Any, **kwargs: Any) -> Any:
            given: dict[str, Any] = {}
            for name in names:
                given.update(_llm_value(name, kwargs))
            return command(*args, llm=LlmSettings(**given), **kwargs)

        for name in reversed(names):
            option = _budget_option(prefix) if name == "budget" else _llm_option(settings[name], prefix)
            with_llm = option(with_llm)
        return with_llm
    return decorate


@dataclass(frozen=True)
class Outputs:
    """The files a command writes besides its table (``json_out`` ``-``: stdout); each command offers the ones it
    writes (bench: JSON and CSV; regress: JSON, JUnit, HTML)."""

    json_out: str | None = None
    csv_path: Path | None = None
    junit_path: Path | None = None
    html_path: Path | None = None


def grouped(keyword: str, build: Callable[..., Any], *options: Callable[[F], F]) -> Callable[[F], F]:
    """``options`` handed to the command as one keyword ``keyword``: ``build`` called with their values by
    parameter name, so a command takes the dataclass the library takes rather than its fields one by one."""
    def decorate(command: F) -> F:
        @functools.wraps(command)
        def with_group(*args: Any, **kwargs: Any) -> Any:
            return command(*args, **{keyword: build(**{name: kwargs.pop(name) for name in names})}, **kwargs)

        before = {id(param) for param in getattr(with_group, "__click_params__", [])}
        for option in reversed(options):
            with_group = option(with_group)
        names = [param.name for param in with_group.__click_params__ if id(param) not in before]
        return with_group
    return decorate


def deferred(module: str, name: str) -> Callable[..., Any]:
    """``module.name`` imported when first called: a ``grouped`` builder whose dataclass lives in a module that
    would cost every `rtlgen` start-up its import (the stages' api modules)."""
    def build(*args: Any, **kwargs: Any) -> Any:
        return getattr(importlib.import_module(module), name)(*args, **kwargs)
    return build
