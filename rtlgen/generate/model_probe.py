"""Whether a generated sequential model answers a cycle from that cycle's inputs, probed in a child Python.

A model that keeps the contract and has Moore outputs returns, in each cycle, a function of its state alone; one that
returns the state after the clock edge (one cycle early) returns a function of this cycle's inputs too. Only such a
model may be read one cycle later (``golden.late_reading``): read so, a right Moore model would match a design one
cycle late (an extra register) instead of the right one. ``python -m rtlgen.generate.model_probe MODEL PORTS.json``
prints ``true`` or ``false``: from one state, stepped with two different draws of the inputs, do the outputs differ?
The model reads its inputs as the testbench hands them (``golden.model_inputs``): a model the testbench runs is probed.
"""
from __future__ import annotations

import copy
import json
import random
import sys
from pathlib import Path

from rtlgen.errors import ToolError
from rtlgen.spec.model import Spec
from rtlgen.tools.run import run
from rtlgen.verify.golden import ClockedInputs, load_model, model_clock, model_inputs
from rtlgen.verify.stimulus import driven_inputs

TIMEOUT_S = 30.0
MEMORY_MB = 2048
CYCLES = 64


def answers_from_inputs(model: str, spec: Spec, workdir: Path) -> bool:
    """Whether the sequential model at ``model`` ever answers a cycle of ``spec`` differently for other inputs of that
    cycle, a synchronous reset among them (it acts at the edge: a model keeping the contract shows the state before
    it); False when the probe cannot run the model."""
    ports = workdir / "probe_ports.json"
    reset = [spec.reset.name, spec.reset.asserted, spec.reset.kind == "sync"] if spec.reset else None
    ports.write_text(json.dumps({"widths": {p.name: p.width for p in driven_inputs(spec)}, "reset": reset,
                                 "clock": model_clock(spec)}), encoding="utf-8")
    try:
        res = run([sys.executable, "-m", "rtlgen.generate.model_probe", model, str(ports)], timeout=TIMEOUT_S,
                  cwd=workdir, memory_mb=MEMORY_MB)
        return json.loads(res.stdout) is True
    except (ToolError, ValueError):
        return False


def main(model: str, ports: str) -> None:
    data = json.loads(Path(ports).read_text(encoding="utf-8"))
    widths, reset = data["widths"], data["reset"]
    rng = random.Random(1)

    def draw(asserted: bool) -> ClockedInputs:
        values = {name: rng.getrandbits(width) for name, width in widths.items()}
        if reset:
            values[reset[0]] = reset[1] if asserted else 1 - reset[1]
        return model_inputs(values, widths, data["clock"])

    golden = load_model(model)
    golden.reset()
    try:
        golden.step(draw(True))
        for _ in range(CYCLES):
            other = copy.deepcopy(golden)
            if other.step(draw(bool(reset and reset[2]) and rng.random() < 0.5)) != golden.step(draw(False)):
                print("true")
                return
    except Exception:  # noqa: BLE001 - a model that raises answers nothing: the probe says no
        pass
    print("false")


if __name__ == "__main__":
    main(*sys.argv[1:3])
