"""`rtlgen lint FILES...`: the HDL front end and the linters on a design without a spec.

Exit codes: 0 clean, 1 a linter (Icarus, Verilator) fails the design, 2 bad input: options, or what
the front end refuses (syntax and elaboration errors, missing modules, hierarchical references), each
at the user's file:line.
"""
from __future__ import annotations

import json
import sys

import click
from rich.console import Console

from rtlgen.cli.options import (GivenDesign, emit_json, human_stream_is_stderr, json_option, read_user_design,
                                sources_options, timeout_option)
from rtlgen.cli.progress import stage_printer
from rtlgen.errors import DesignInputError
from rtlgen.verify.lint import lint_design
from rtlgen.tools.rundir import run_directory

_EXIT = {"pass": 0, "fail": 1, "refused": 2}


@click.command("lint")
@sources_options()
@json_option("the front end's view and every check")
@timeout_option(60, "Seconds allowed per linter.")
def lint(design: GivenDesign, json_out: str | None, timeout: float) -> None:
    """Read FILES (or -f files.f) with the front end, then lint them with Icarus and Verilator; exit 0 clean,
    1 lint errors, 2 bad input."""
    console = Console(stderr=human_stream_is_stderr(json_out), highlight=False)
    say = stage_printer(console, {"front end": "cyan", "pass": "green", "fail": "red", "note": "yellow"})
    try:
        front = read_user_design(design, say)
    except DesignInputError as exc:
        say("fail", f"front end: {len(exc.problems)} problem(s)")
        console.print(str(exc), markup=False, soft_wrap=True)  # file:line locations: never hard-wrapped
        emit_json(json_out, json.dumps({"verdict": "refused", "problems": exc.problems, "hint": exc.hint}, indent=2))
        sys.exit(_EXIT["refused"])
    view = front.view
    say("pass", f"front end: top {view.top}, {len(view.modules)} module(s), {len(view.hierarchy)} instance(s) under "
                f"the top, {len(view.ports)} port(s), {len(view.parameters)} parameter(s)")
    with run_directory(f"lint-{view.top}") as workdir:
        checks = lint_design(front.candidate, workdir, timeout=timeout)
    for check in checks:
        say("pass" if check.passed else "fail", f"{check.check}: {check.verdict} in {check.seconds:.2f} s")
        console.print(check.message, markup=False, soft_wrap=True)
    verdict = "fail" if any(c.verdict == "fail" for c in checks) else "pass"
    emit_json(json_out, json.dumps({"verdict": verdict, "view": view.to_dict(),
                                    "checks": [c.to_dict() for c in checks]}, indent=2, default=str))
    sys.exit(_EXIT[verdict])
