"""Equivalence of two designs without a Spec: the gate of the optimizer (original vs. rewritten RTL).

A thin edge over ``check_equivalence``: the gold design is written into the run directory as the
reference, its ports are read once, and the same stages run (reset-aware miter with temporal
induction, register correspondence, equiv_*, ABC pdr), so re-encoded FSMs and removed or merged
registers are handled exactly as for a candidate against a spec's reference.
"""
from __future__ import annotations

from pathlib import Path

from rtlgen.errors import SpecError
from rtlgen.spec.interface import read_ports
from rtlgen.spec.model import Candidate, Clock, Reset, Spec
from rtlgen.verify.formal.equiv import CHECK, check_equivalence
from rtlgen.verify.result import CheckResult

GOLD_SOURCE = "gold_source.sv"


def prove_equivalent(gold: Candidate, gate: Candidate, *, clock: Clock | None, reset: Reset | None,
                     workdir: Path, timeout: float = 120) -> CheckResult:
    """Prove ``gate`` equivalent to ``gold`` (same ports); verdicts and strength as ``check_equivalence``.

    ``reset``, when given, is forced in the first cycle and outputs are compared from the second on.
    Declared initial values are dropped (``check_equivalence``'s ``free_inits``): ASIC synthesis keeps none, so
    a register no reset sets starts free, and a proof holds for the hardware whatever its power-up state. For the
    same reason x constants may be resolved as Yosys synthesis resolves them (``x_as_synthesis``), in both designs,
    where register correspondence needs it; the message then says so.
    ``clock`` names the clock when the designs need a driven clock (dual edges, latches).
    """
    workdir = Path(workdir).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    source = workdir / GOLD_SOURCE
    source.write_text(gold.rtl)
    try:
        ports = read_ports(gold.rtl, gold.top, gold.origin or str(source))
    except SpecError as exc:
        return CheckResult(CHECK, "error", message=f"the gold design's ports could not be read: {exc}",
                           failure_class="port_binding")
    spec = Spec(top=gate.top, ports=ports, clock=clock, reset=reset, reference_rtl=str(source),
                reference_top=gold.top, name=gate.top)
    return check_equivalence(gate, spec, workdir / "run", timeout=timeout, free_inits=True, x_as_synthesis=True)
