"""Register correspondence (the method of industrial LEC tools) for designs the reset does not fully set.

Every flip-flop of both designs is cut (``expose -evert-dff``) into a state input ``<reg>__rtlgen_q``
and next-state outputs ``<reg>__rtlgen_d`` (plus clock ``c`` and, for async resets, condition ``r``
and value ``v``). Register bits are paired by name (``pair_bits``): bit i of ``r`` with bit i of the
other design's ``r``, or with a one-bit register named ``r[i]`` or ``r_reg[i]`` (what synthesis makes of
``r`` when it splits it into single flip-flops or removes some of its bits). Paired bits share one state
input in a combinational miter (``templates/formal/corr_miter.sv.j2``) which 3-valued SAT proves for
every defined state and input: each output equals the reference's wherever the reference is defined (a
reference X is a don't-care, as in the simulation check), and each paired bit's next state (and clock,
async reset condition and value) is defined in the reference and equal in the candidate. By induction
over the cycles that implies equivalence for every initial state in which paired bits start equal -- a
sound statement, stronger than needed, whose assumption the verdict message states. With ``resolve_x`` the x
constants of both designs are first resolved as Yosys synthesis resolves them (``RESOLVED_X``, in the message):
a proof about the hardware, used by the optimizer's gate, never for a candidate against a spec's reference.

A bit without a partner (a register synthesis removed, or one of another name) keeps a state input of its
own: free in every state the proof covers, so it can only make the proof fail, never pass; the message
names such bits. Nothing is proven when a flip-flop could not be cut (no named wire driven by flip-flops
only: SAT has no model for it) or when the miter fails; such a failure is not a counterexample (the state
may be unreachable), so the other stages follow. Limits: bits are paired by name only, and an output port
that is a plain alias of a register bit in one design but not the other can take that bit's name.
"""
from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rtlgen.errors import ToolTimeout
from rtlgen.verify.formal import logs
from rtlgen.verify.formal.scripts import Budget, render, yosys
from rtlgen.verify.formal.wording import listed

CUT_JSON = "corr.json"
FFS_JSON = "corr_ffs.json"
CUT_RTLIL = "corr.il"
CORR_MITER = "corr_miter.sv"
SEP = "__rtlgen_"  # expose's separator: `<reg>__rtlgen_q` etc. (no '.' or '[' a SAT expression could misread)
STATE_SUFFIX = SEP + "q"
RESOLVED_X = ("x constants resolved as Yosys synthesis resolves them, identically in both designs (multiplexers "
              "mapped to gates, then constant folding without -keepdc: an x multiplexer input gives way to the other "
              "input, x folds into and/or/xor): the proof holds for the hardware Yosys makes of each design, not for "
              "the x a simulator shows")
STATE = "rtlgen_state"  # the miter's state vector: one bit per paired bit pair, one per bit without a partner
# A flip-flop's name in a synthesized netlist: `r_reg[3]` is bit 3 of the RTL's `r`, `q_reg` the RTL's `q`.
_NETLIST_SUFFIX = re.compile(r"_reg(?=(\[-?\d+\])?$)")
# A wire named after part of another (`splitnets`: `r[3:0]`, `r[29]`; a netlist's escaped `\r_reg[1]`)
_PIECE = re.compile(r"^(?P<base>.+)\[(?P<hi>\d+)(?::(?P<lo>\d+))?\]$")


@dataclass(frozen=True)
class Register:
    """One cut register of one design: its wire, width and the parts ``expose`` made, and how the RTL numbers its
    bits (``base[offset]`` is bit 0: ``reg [7:4] r`` is ``r`` from 4, ``splitnets``'s pieces ``r[3:0]`` and
    ``r[29]`` are ``r`` from 0 and from 29)."""

    name: str
    width: int
    parts: dict[str, int]  # "d", "c", "r", "v", ... -> width (per bit when equal to ``width``, else per register)
    base: str = ""
    offset: int = 0

    def bit_name(self, bit: int) -> str:
        """How the RTL names bit ``bit`` (0 = least significant): ``r[5]``, or ``s`` for a one-bit register."""
        base = self.base or self.name
        return f"{base}[{self.offset + bit}]" if self.width > 1 or self.offset or base != self.name else base

    def port(self, part: str) -> str:
        return f"{self.name}{SEP}{part}"


Bit = tuple[str, int]  # (register, bit index from 0)


@dataclass
class Pairing:
    """Which bits share their state: reference bit -> candidate bit, and the bits left without a partner."""

    pairs: dict[Bit, Bit]
    by_bit: list[str]  # "<reference bit>=<candidate bit>" where the names differ (split, merged, renamed)
    unpaired: list[str]  # "reference:<bit>" / "candidate:<bit>"


@dataclass
class Correspondence:
    """Outcome of the stage: proven only with the miter proven."""

    proven: bool
    matched: int = 0  # flip-flop cells of the reference (after dffunmap)
    bits: int = 0
    paired: int = 0  # state bits of the reference that share their state with a candidate bit
    by_bit: list[str] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)  # bits left without a partner (free in their design)
    reason: str = ""
    log: str = ""
    seconds: float = 0.0

    def pairing(self) -> str:
        """How bits were paired beyond equal names and widths, for the verdict ("" when they were not)."""
        split = (f"; {len(self.by_bit)} bits paired bit by bit across registers of another name or width "
                 f"({listed(self.by_bit)})") if self.by_bit else ""
        free = (f"; {len(self.unmatched)} bits without a partner start free in their design and stay free in "
                f"every state the proof covers ({listed(self.unmatched)})") if self.unmatched else ""
        return split + free


def state_ports(module: dict, original: set[str]) -> dict[str, int]:
    """The cut registers of one exposed module that the design reads: state-input name -> width.

    ``expose`` everts every named wire driven only by flip-flops, so aliases of one register (e.g. an
    output port wired to it) get their own state input, but each flip-flop bit is read from only one
    of them; the others are left unconnected and are not registers of their own.
    """
    ports = module.get("ports", {})
    read: set = set()
    for cell in module.get("cells", {}).values():
        for bits in cell["connections"].values():
            read.update(bits)
    for name, port in ports.items():
        if not name.endswith(STATE_SUFFIX):
            read.update(port["bits"])
    return {name: len(port["bits"]) for name, port in ports.items()
            if name not in original and port["direction"] == "input" and name.endswith(STATE_SUFFIX)
            and read.intersection(port["bits"])}


def registers(module: dict, original: set[str]) -> list[Register]:
    """The registers the design reads (``state_ports``), each with its parts and the RTL's bit numbering."""
    ports, nets = module.get("ports", {}), module.get("netnames", {})
    found = []
    for state, width in state_ports(module, original).items():
        name = state[:-len(STATE_SUFFIX)]
        parts = {p[len(name) + len(SEP):]: len(port["bits"]) for p, port in ports.items()
                 if p.startswith(name + SEP) and p != state and SEP not in p[len(name) + len(SEP):]}
        found.append(Register(name, width, parts, *_numbering(name, width, nets.get(name, {}).get("offset", 0))))
    return found


def _numbering(name: str, width: int, offset: int) -> tuple[str, int]:
    """(base, offset) of a register's bits: a piece of a wider wire (``r[3:0]``, one-bit ``r[29]``) numbers them as
    that wire does; a memory word (``pht[1]``, two bits wide) is a register of its own, numbered from 0."""
    piece = _PIECE.match(name)
    if piece:
        high, low = int(piece["hi"]), int(piece["lo"] or piece["hi"])
        if abs(high - low) + 1 == width:
            return piece["base"], min(high, low)
    return name, offset


def _keys(regs: list[Register]) -> Iterator[tuple[int, str, Bit]]:
    """(rank, key, bit): every bit under its own name (rank 0), then under its name less a netlist's ``_reg``."""
    for rank in (0, 1):
        for reg in regs:
            for bit in range(reg.width):
                name = reg.bit_name(bit)
                key = name if rank == 0 else _NETLIST_SUFFIX.sub("", name, count=1)
                if rank == 0 or key != name:
                    yield rank, key, (reg.name, bit)


def _index(regs: list[Register]) -> dict[str, Bit | None]:
    """Key -> bit, exact names first; None for a key two bits of the design share."""
    found: dict[int, dict[str, list[Bit]]] = {0: defaultdict(list), 1: defaultdict(list)}
    for rank, key, bit in _keys(regs):
        found[rank][key].append(bit)
    table = {key: bits[0] if len(bits) == 1 else None for key, bits in found[0].items()}
    for key, bits in found[1].items():
        table.setdefault(key, bits[0] if len(bits) == 1 else None)
    return table


def pair_bits(gold: list[Register], gate: list[Register]) -> Pairing:
    """Pair the bits of both designs by name, each bit at most once, exact names before netlist names.

    A key two bits of one design share (``r[1]`` of a wide ``r`` beside a one-bit ``r[1]``) pairs neither:
    any pairing is sound (an unpaired bit is free), so ambiguity only costs a proof.
    """
    gold_keys, gate_keys = _index(gold), _index(gate)
    kinds = {("gold", r.name): set(r.parts) for r in gold} | {("gate", r.name): set(r.parts) for r in gate}
    pairs: dict[Bit, Bit] = {}
    taken: set[Bit] = set()
    for key, bit in gold_keys.items():
        partner = gate_keys.get(key)
        if (bit and partner and bit not in pairs and partner not in taken
                and kinds["gold", bit[0]] == kinds["gate", partner[0]]):
            pairs[bit] = partner
            taken.add(partner)
    names = {("gold", r.name): r for r in gold} | {("gate", r.name): r for r in gate}
    by_bit = [f"{names['gold', g[0]].bit_name(g[1])}={names['gate', t[0]].bit_name(t[1])}" for g, t in pairs.items()
              if names["gold", g[0]].bit_name(g[1]) != names["gate", t[0]].bit_name(t[1])]
    unpaired = ([f"reference:{r.bit_name(b)}" for r in gold for b in range(r.width) if (r.name, b) not in pairs]
                + [f"candidate:{r.bit_name(b)}" for r in gate for b in range(r.width) if (r.name, b) not in taken])
    return Pairing(pairs, by_bit, unpaired)


def _vid(name: str) -> str:
    """A Verilog escaped identifier (its trailing space ends it)."""
    return f"\\{name} "


def _concat(bits: list[tuple[str, int | None]]) -> str:
    """Bits (wire, index; None for a one-bit wire) listed least significant first, as a Verilog concatenation whose
    runs of consecutive bits of one wire are slices (a register paired whole is one slice: a small miter to read)."""
    runs: list[list] = []
    for wire, index in bits:
        if runs and index is not None and runs[-1][0] == wire and runs[-1][2] is not None and runs[-1][2] + 1 == index:
            runs[-1][2] = index
        else:
            runs.append([wire, index, index])
    parts = [wire if low is None else f"{wire}[{high}:{low}]" for wire, low, high in runs]
    return "{" + ", ".join(reversed(parts)) + "}"


def miter_context(gold: list[Register], gate: list[Register], pairing: Pairing, inputs: list[tuple[str, int]],
                  outputs: list[tuple[str, int]]) -> dict:
    """What ``corr_miter.sv.j2`` draws: the wires, each instance's connections (paired bits share one bit of the
    state vector) and the comparisons: outputs, then each reference register's parts over its paired bits."""
    slot: dict[tuple[str, Bit], int] = {}
    for reg in gold:
        for bit in range(reg.width):
            slot["gold", (reg.name, bit)] = len(slot)
    width = len(slot)
    for gold_bit, gate_bit in pairing.pairs.items():
        slot["gate", gate_bit] = slot["gold", gold_bit]
    for reg in gate:
        for bit in range(reg.width):
            if ("gate", (reg.name, bit)) not in slot:
                slot["gate", (reg.name, bit)] = width
                width += 1
    wires, instances = [], []
    for side, regs in (("gold", gold), ("gate", gate)):
        cut = [(_vid(f"{side}__{r.port(p)}"), w) for r in regs for p, w in r.parts.items()]
        wires += [(_vid(f"{side}__{n}"), w) for n, w in outputs] + cut
        states = [(_vid(r.port("q")), _concat([(STATE, slot[side, (r.name, b)]) for b in range(r.width)]))
                  for r in regs]
        instances.append((side, [(_vid(n), _vid(n)) for n, _ in inputs] + states
                          + [(_vid(n), _vid(f"{side}__{n}")) for n, _ in outputs]
                          + [(_vid(r.port(p)), _vid(f"{side}__{r.port(p)}")) for r in regs for p in r.parts]))
    partners = {r.name: r for r in gate}
    states = []
    for reg in gold:
        paired = [(b, pairing.pairs[reg.name, b]) for b in range(reg.width) if (reg.name, b) in pairing.pairs]
        for part in reg.parts if paired else ():
            states.append((reg.port(part), _concat([_part_bit("gold", reg, part, b) for b, _ in paired]),
                           _concat([_part_bit("gate", partners[t], part, b) for _, (t, b) in paired]), len(paired)))
    return dict(inputs=[(_vid(n), w) for n, w in inputs], state_width=max(width, 1),
                wires=wires, instances=instances,
                outputs=[(_vid(f"gold__{n}"), _vid(f"gate__{n}")) for n, _ in outputs],
                states=[(g, t, w) for _, g, t, w in states], compared=[n for n, _ in outputs] + [s[0] for s in states])


def _part_bit(side: str, reg: Register, part: str, bit: int) -> tuple[str, int | None]:
    """Bit ``bit`` of a cut part where the part has one bit per register bit (next state, reset value), else the
    part itself (clock, reset condition: one per register)."""
    wire = _vid(f"{side}__{reg.port(part)}")
    return (wire, bit) if reg.parts[part] == reg.width else (wire, None)


def prove(base: dict, gold_top: str, gate_top: str, ports: dict[str, str], workdir: Path,
          budget: Budget, share: float = 0.3, resolve_x: bool = False) -> Correspondence:
    """Cut, pair and prove; ``ports``: the spec's port name -> direction. See the module docstring.

    ``resolve_x``: x constants resolved in both designs as Yosys synthesis resolves them (``RESOLVED_X``).
    """
    path = workdir / CUT_JSON
    path.unlink(missing_ok=True)
    names = dict(gold_top=gold_top, gate_top=gate_top, json_file=CUT_JSON, ffs_json=FFS_JSON, rtlil_file=CUT_RTLIL)
    script = render("corr.ys.j2", workdir, "corr.ys", sep=SEP, resolve_x=resolve_x, **names, **base)
    try:
        result = yosys(script, workdir, budget, share)
    except ToolTimeout as exc:
        return Correspondence(False, reason="ran out of its share of the time budget", log=exc.output)
    if not path.exists():
        return Correspondence(False, reason=logs.yosys_error(result.output) or "the designs could not be cut",
                              log=result.output, seconds=result.seconds)
    modules = json.loads(path.read_text())["modules"]
    gold, gate = registers(modules[gold_top], set(ports)), registers(modules[gate_top], set(ports))
    pairing = pair_bits(gold, gate)
    ffs = [c for c in json.loads((workdir / FFS_JSON).read_text())["modules"][gold_top]["cells"].values()
           if c["type"] in ("$dff", "$adff")]
    out = Correspondence(False, matched=len(ffs), bits=sum(len(c["connections"]["Q"]) for c in ffs),
                         paired=len(pairing.pairs), by_bit=pairing.by_bit, unmatched=pairing.unpaired,
                         log=result.output, seconds=result.seconds)
    if not pairing.pairs:
        out.reason = "no register bits to pair" + (f" (without a partner: {listed(pairing.unpaired)})"
                                                   if pairing.unpaired else "")
        return out
    widths = {n: len(p["bits"]) for n, p in modules[gold_top]["ports"].items() if n in ports}
    missing = sorted(n for n in widths if len(modules[gate_top]["ports"].get(n, {}).get("bits", ())) != widths[n])
    if missing:
        out.reason = "the cut designs have different ports: " + listed(missing)
        return out
    context = miter_context(gold, gate, pairing, [(n, w) for n, w in widths.items() if ports[n] == "input"],
                            [(n, w) for n, w in widths.items() if ports[n] == "output"])
    render("corr_miter.sv.j2", workdir, CORR_MITER, tops=dict(gold=gold_top, gate=gate_top), state=STATE, **context)
    script = render("corr_sat.ys.j2", workdir, "corr_sat.ys", miter_file=CORR_MITER,
                    sat_timeout=max(1, int(budget.left() * share)), **names)
    try:
        result = yosys(script, workdir, budget, share)
    except ToolTimeout as exc:
        out.reason, out.log = "ran out of its share of the time budget", out.log + exc.output
        return out
    out.log += "\n" + result.output
    out.seconds += result.seconds
    if result.returncode == 0 and "SAT proof finished - no model found: SUCCESS!" in result.output:
        out.proven = True
        return out
    outcome = logs.sat_outcome(result.output)
    free = f"; without a partner, free: {listed(pairing.unpaired)}" if pairing.unpaired else ""
    out.reason = ("some output or next state differs from a state where paired register bits are equal"
                  + _differing(outcome, context["compared"]) + free if outcome.kind == "counterexample" else
                  f"the miter was not decided ({logs.yosys_error(result.output) or outcome.kind})")
    return out


_CUT_PARTS = {"d": "next state", "c": "clock", "r": "async reset", "v": "async reset value"}


def _differing(outcome: logs.SatOutcome, compared: list[str]) -> str:
    """The comparisons the SAT model breaks (``rtlgen_ok`` bit i is ``compared[i]``), e.g. " (2 differ or are x:
    q, next state of r)"; "" when the model does not show them."""
    bits = next((row["rtlgen_ok"] for row in outcome.trace.values() if "rtlgen_ok" in row), "")
    failed = [compared[i] for i, bit in enumerate(reversed(bits)) if bit != "1" and i < len(compared)]
    named = [f"{_CUT_PARTS.get(n.rsplit(SEP, 1)[1], n.rsplit(SEP, 1)[1])} of {n.rsplit(SEP, 1)[0]}" if SEP in n
             else n for n in failed]
    return f" ({len(named)} differ or are x: {listed(named)})" if named else ""
