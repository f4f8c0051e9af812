"""Zero-delay Verilog models of liberty cells, generated from the cells' own groups in the ``PowerLibrary``.

Combinational outputs come from their ``function``; flip-flops and latches from their ``ff``/``latch`` group
(``clocked_on``/``enable``, ``next_state``/``data_in``, ``clear``, ``preset`` and what both together give,
``clear_preset_var1/2``); integrated clock-gating cells from their ``clock_gating_integrated_cell`` kind and
pin roles. Yosys's ``read_liberty`` models the first two kinds but not clock gates (their ``statetable``), so the
models are written here, for every kind, from one template (``templates/gatesim_cells.v.j2``).
"""
from __future__ import annotations

from collections.abc import Iterable

from rtlgen.errors import ConfigError
from rtlgen.synth.power.expr import Expr, parse_expr
from rtlgen.synth.power.library import PowerCell, PowerLibrary, Sequential
from rtlgen.synth.render import render

#: clock-gating kinds modelled: the enable (OR the test pins, before the latch) latched while the clock is low
LATCH_POSEDGE = ("latch_posedge", "latch_posedge_precontrol")
_LEVEL = {"L": "1'b0", "H": "1'b1", "X": "1'bx"}
_OPERATOR = {"and": "&", "or": "|", "xor": "^"}


class CellModelError(ConfigError):
    """A liberty cell the gate-level simulation cannot model; names the cell and what it lacks."""


def verilog(expr: Expr) -> str:
    """A parsed liberty expression as a fully parenthesised Verilog expression."""
    kind = expr[0]
    if kind == "var":
        return expr[1]
    if kind == "const":
        return "1'b1" if expr[1] else "1'b0"
    if kind == "not":
        return f"!{verilog(expr[1])}"
    return f"({verilog(expr[1])} {_OPERATOR[kind]} {verilog(expr[2])})"


def _text(expression: str | None, default: str = "1'b0") -> str:
    return verilog(parse_expr(expression)) if expression else default


def _both(seq: Sequential) -> tuple[str, str]:
    """What clear and preset together leave in the state and its inverse (``N``: unchanged, ``T``: toggled)."""
    values = []
    for var, state in ((seq.clear_preset_var1, seq.state), (seq.clear_preset_var2, seq.state_inverted)):
        level = (var or "X").upper()
        values.append({"N": state, "T": f"!{state}"}.get(level, _LEVEL.get(level, "1'bx")))
    return values[0], values[1]


def _sequential(cell: PowerCell) -> dict | None:
    if not cell.sequentials:
        return None
    if len(cell.sequentials) > 1:
        raise CellModelError(f"liberty cell {cell.name} has {len(cell.sequentials)} ff/latch groups; the gate-level "
                             "simulation models one; keep the cell out of synthesis with --dont-use")
    seq = cell.sequentials[0]
    ff = seq.kind == "ff"
    clock, data = (seq.clocked_on, seq.next_state) if ff else (seq.enable, seq.data_in)
    if not clock or not data:
        raise CellModelError(f"liberty cell {cell.name}: its {seq.kind} group has no "
                             f"{'clocked_on/next_state' if ff else 'enable/data_in'}")
    return {"kind": seq.kind, "state": seq.state, "inverted": seq.state_inverted, "clock": _text(clock),
            "data": _text(data), "clear_when": _text(seq.clear), "preset_when": _text(seq.preset),
            "both": _both(seq),
            "assign": "<=" if ff else "="}


def _gate(cell: PowerCell) -> tuple[dict, list[tuple[str, str]]] | None:
    """The clock gate's latch and its gated-clock output (the clock AND the latched enable)."""
    if not cell.clock_gating:
        return None
    if cell.clock_gating not in LATCH_POSEDGE:
        raise CellModelError(f"liberty cell {cell.name}: clock gating kind {cell.clock_gating!r} is not modelled "
                             f"(modelled: {', '.join(LATCH_POSEDGE)}); keep it out of synthesis with --dont-use")
    roles: dict[str, list[str]] = {}
    for pin in cell.pins.values():
        if pin.clock_gate_role:
            roles.setdefault(pin.clock_gate_role, []).append(pin.name)
    if not all(roles.get(r) for r in ("clock", "enable", "out")):
        raise CellModelError(f"liberty cell {cell.name}: a clock gate needs clock_gate_clock_pin, _enable_pin and "
                             "_out_pin attributes")
    clock, latched = roles["clock"][0], "rtlgen_enabled"
    enable = " | ".join(roles["enable"] + roles.get("test", []))
    return ({"kind": cell.clock_gating, "clock": clock, "latched": latched, "enable": enable},
            [(out, f"{clock} & {latched}") for out in roles["out"]])


def _model(cell: PowerCell) -> dict:
    inputs = [p.name for p in cell.pins.values() if p.direction == "input"]
    outputs = [p.name for p in cell.pins.values() if p.direction == "output"]
    flop, gate = _sequential(cell), _gate(cell)
    if cell.statetable and gate is None:
        raise CellModelError(f"liberty cell {cell.name}: a statetable outside a clock gate is not modelled; keep it "
                             "out of synthesis with --dont-use")
    functions = gate[1] if gate else [(p.name, _text(p.function, "1'bx")) for p in cell.pins.values()
                                      if p.direction == "output"]
    state = [s for s in (flop["state"], flop["inverted"]) if s] if flop else [gate[0]["latched"]] if gate else []
    return {"name": cell.name, "ports": inputs + outputs, "inputs": inputs, "outputs": outputs, "state": state,
            "flop": flop, "gate": gate[0] if gate else None, "functions": functions}


def cell_models(library: PowerLibrary, names: Iterable[str]) -> str:
    """Verilog modules for the cells ``names`` (the types a netlist instantiates); raises CellModelError for a
    cell the liberty does not define or that cannot be modelled."""
    names = sorted(set(names))
    missing = [n for n in names if n not in library.cells]
    if missing:
        raise CellModelError(f"the netlist uses cells the liberty {library.name} does not define: "
                             f"{', '.join(missing)}; synthesize onto the same liberty")
    return render("gatesim_cells.v.j2", library=library.name, cells=[_model(library.cells[n]) for n in names])
