"""Hold every witness against the examples the spec's prose gives (rtlgen.spec.examples): a generated golden
model and a sampled design alike.

The model is LLM-written code: it runs in a child Python through the tool wrapper (timeout, captured output),
never in rtlgen's own process. ``python -m rtlgen.generate.examples_check MODEL ROWS.json`` prints, as JSON, the
model's outputs for each row (or the error it raised). A design is simulated by the auto-testbench on the examples'
own inputs, against a model that replays the outputs the examples give (don't-care where they give none).
"""
from __future__ import annotations

import json
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from rtlgen.errors import ToolError, UnsafeRTL
from rtlgen.spec.examples import Example, examples, truth_table
from rtlgen.spec.model import Candidate, Spec
from rtlgen.tools.run import run
from rtlgen.verify.autotb import run_autotb
from rtlgen.verify.golden import load_model, model_clock, model_inputs, output_value
from rtlgen.verify.sandbox import refuse_untrusted
from rtlgen.verify.stimulus import Stimulus, driven_inputs

TIMEOUT_S = 30.0
SIM_TIMEOUT_S = 120.0
MEMORY_MB = 2048  # a model is a few lines of Python; one that allocates without end is stopped, not rtlgen
_REPLAY = """OUTPUTS = {outputs!r}


class Model:
    def reset(self):
        self.cycle = 0

    def step(self, inputs):
        self.cycle += 1
        return dict(OUTPUTS[self.cycle - 1])
"""


# The golden model a combinational spec's complete truth table is written as (truth_table_model)
TRUTH_TABLE_MODEL = "spec_truth_table.py"
_TABLE = """INPUTS = {inputs!r}
TABLE = {table!r}


def evaluate(inputs):
    return dict(TABLE[tuple(int(inputs[name]) for name in INPUTS)])
"""


@dataclass(frozen=True)
class ExampleCheck:
    """How a witness fares on the examples of the spec's prose."""

    conflict: str = ""  # the first example it contradicts, described; "" when none (or nothing could be concluded)
    checked: bool = False  # it ran on the examples and agreed with every one


def check_examples(spec: Spec, workdir: Path) -> ExampleCheck:
    """Run the model at ``spec.model`` on the examples of the spec's prose (one run from ``reset()``, a clocked
    spec's examples being its cycles in order). Nothing is concluded when the prose has none or the model fails on
    one (the testbench run reports that)."""
    rows = examples(spec)
    if not rows or not spec.model:
        return ExampleCheck()
    table = workdir / "spec_examples.json"
    table.write_text(json.dumps({"widths": {p.name: p.width for p in spec.ports}, "clock": model_clock(spec),
                                 "rows": [asdict(r) for r in rows]}), encoding="utf-8")
    try:
        res = run([sys.executable, "-m", "rtlgen.generate.examples_check", str(spec.model), str(table)],
                  timeout=TIMEOUT_S, cwd=workdir, memory_mb=MEMORY_MB)
        answers = json.loads(res.stdout)
    except (ToolError, ValueError):
        return ExampleCheck()
    if len(answers) != len(rows) or not all(isinstance(got, dict) for got in answers):
        return ExampleCheck()
    widths = {p.name: p.width for p in spec.outputs}
    for row, got in zip(rows, answers):
        for name, want in row.outputs.items():
            value = got.get(name)
            if want is not None and isinstance(value, int) and value & ((1 << widths[name]) - 1) != want:
                return ExampleCheck(conflict=f"{row.describe()}: the model gives {name}={value}")
    return ExampleCheck(checked=True)


def truth_table_model(spec: Spec, workdir: Path) -> Path | None:
    """The complete truth table of ``spec``'s prose (rtlgen.spec.examples.truth_table) written as a golden model,
    ``workdir/spec_truth_table.py``; None when the prose gives none. The table is the spec's own words and covers
    every input, so a design passing it is right by the spec, whatever the LLM's own models would say."""
    rows = truth_table(spec)
    if not rows:
        return None
    names = [p.name for p in spec.inputs]
    path = workdir / TRUTH_TABLE_MODEL
    path.write_text(_TABLE.format(inputs=names, table={tuple(row.inputs[n] for n in names): row.outputs
                                                       for row in rows}), encoding="utf-8")
    return path


def _stimulus(spec: Spec, rows: list[Example]) -> Stimulus:
    """The examples' inputs as the auto-testbench's cycles (the reset cycles are those the examples assert it in)."""
    ports = driven_inputs(spec)
    resets = tuple(k for k, row in enumerate(rows)
                   if spec.reset is not None and row.inputs.get(spec.reset.name) == spec.reset.asserted)
    return Stimulus(tuple(p.name for p in ports), tuple(p.width for p in ports),
                    tuple(tuple(row.inputs[p.name] for p in ports) for row in rows), resets, "examples")


def check_design(candidate: Candidate, spec: Spec, workdir: Path, simulator: str) -> ExampleCheck:
    """Simulate ``candidate`` on the examples of the spec's prose and compare the outputs they give; nothing is
    concluded when there are none, the candidate is refused as unsafe or the run cannot judge it."""
    rows = examples(spec)
    if not rows:
        return ExampleCheck()
    try:
        refuse_untrusted(candidate)
    except UnsafeRTL:
        return ExampleCheck()
    workdir.mkdir(parents=True, exist_ok=True)
    replay = workdir / "examples_model.py"
    names = [p.name for p in spec.outputs]
    replay.write_text(_REPLAY.format(outputs=[{n: row.outputs.get(n) for n in names} for row in rows]),
                      encoding="utf-8")
    result = run_autotb(candidate, spec.with_(model=str(replay)), workdir, simulator=simulator,
                        timeout=SIM_TIMEOUT_S, stimulus=_stimulus(spec, rows))
    mismatch = result.mismatch if result.verdict == "fail" else None
    if mismatch is not None and mismatch.cycle < len(rows):
        return ExampleCheck(conflict=f"{rows[mismatch.cycle].describe()}: the design gives "
                                     f"{mismatch.signal}={mismatch.actual}")
    return ExampleCheck(checked=result.passed)


def main(model: str, table: str) -> None:
    data = json.loads(Path(table).read_text(encoding="utf-8"))
    golden = load_model(model)
    golden.reset()
    answers = []
    for row in data["rows"]:
        try:
            got = golden.step(model_inputs(row["inputs"], data["widths"], data["clock"]))
            answers.append({k: output_value(v, k, data["widths"].get(k, 1)) for k, v in got.items() if v is not None})
        except Exception as exc:  # noqa: BLE001 - the model's own failure is an answer, not a crash
            answers.append(f"{type(exc).__name__}: {exc}")
    print(json.dumps(answers))


if __name__ == "__main__":
    main(*sys.argv[1:3])
