"""Check a generated golden model against the examples the spec's prose gives (rtlgen.spec.examples).

The model is LLM-written code: it runs in a child Python through the tool wrapper (timeout, captured output),
never in rtlgen's own process. ``python -m rtlgen.generate.examples_check MODEL ROWS.json`` prints, as JSON, the
model's outputs for each row (or the error it raised).
"""
from __future__ import annotations

import json
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from rtlgen.errors import ToolError
from rtlgen.spec.examples import complete, examples
from rtlgen.spec.model import Spec
from rtlgen.tools.run import run
from rtlgen.verify.golden import Bits, load_model, output_value

TIMEOUT_S = 30.0
MEMORY_MB = 2048  # a model is a few lines of Python; one that allocates without end is stopped, not rtlgen


@dataclass(frozen=True)
class ExampleCheck:
    """How a generated model fares on the examples of the spec's prose."""

    conflict: str = ""  # the first row it contradicts, described
    confirmed: bool = False  # it agrees with rows that give the whole truth table: right, whatever candidates say


def check_examples(spec: Spec, workdir: Path) -> ExampleCheck:
    """Run the model at ``spec.model`` on the examples of the spec's prose (rtlgen.spec.examples). Nothing is
    concluded when the prose has none or the model fails on one (the testbench run reports that)."""
    rows = examples(spec)
    if not rows or not spec.model:
        return ExampleCheck()
    table = workdir / "spec_examples.json"
    table.write_text(json.dumps({"widths": {p.name: p.width for p in spec.ports},
                                 "rows": [asdict(r) for r in rows]}), encoding="utf-8")
    try:
        res = run([sys.executable, "-m", "rtlgen.generate.examples_check", str(spec.model), str(table)],
                  timeout=TIMEOUT_S, cwd=workdir, memory_mb=MEMORY_MB)
        answers = json.loads(res.stdout)
    except (ToolError, ValueError):
        return ExampleCheck()
    if len(answers) != len(rows) or not all(isinstance(got, dict) for got in answers):
        return ExampleCheck()
    for row, got in zip(rows, answers):
        for name, want in row.outputs.items():
            value = got.get(name)
            if want is not None and isinstance(value, int) and (value & 1) != want:
                return ExampleCheck(conflict=f"{row.describe()}: the model gives {name}={value & 1}")
    return ExampleCheck(confirmed=complete(spec, rows))


def main(model: str, table: str) -> None:
    data = json.loads(Path(table).read_text(encoding="utf-8"))
    golden = load_model(model)
    golden.reset()
    answers = []
    for row in data["rows"]:
        try:
            got = golden.step({n: Bits(v, data["widths"][n]) for n, v in row["inputs"].items()})
            answers.append({k: output_value(v, k, data["widths"].get(k, 1)) for k, v in got.items() if v is not None})
        except Exception as exc:  # noqa: BLE001 - the model's own failure is an answer, not a crash
            answers.append(f"{type(exc).__name__}: {exc}")
    print(json.dumps(answers))


if __name__ == "__main__":
    main(*sys.argv[1:3])
