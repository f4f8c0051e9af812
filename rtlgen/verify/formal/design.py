"""The two designs under comparison: written side by side, and their flip-flops inspected.

The inspection decides which proof methods are sound: Yosys ``sat``/``equiv_*`` ignore clocks
(every flip-flop steps once per time step), which is exact only when every flip-flop of both
designs is clocked by the same input port on the same edge.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from pyslang.syntax import SyntaxKind

from rtlgen.spec.interface import module_names
from rtlgen.spec.model import Candidate, Port, Reset, Spec
from rtlgen.spec.rtl_file import read_rtl
from rtlgen.spec.rtl_text import prefix_modules
from rtlgen.spec.syntax import parse
from rtlgen.spec.yosys_compat import packed_ports
from rtlgen.verify.formal.wording import listed, started_free

GOLD_PREFIX = "rtlgen_gold_"
GATE_PREFIX = "rtlgen_gate_"
GOLD_FILE = "gold.sv"
GATE_FILE = "gate.sv"

# Flip-flops that a reset in the first cycle sets to a known value, and their reset pin/polarity.
_RESETTING = {"$adff": ("ARST", "ARST_POLARITY"), "$adffe": ("ARST", "ARST_POLARITY"),
              "$sdff": ("SRST", "SRST_POLARITY"), "$sdffe": ("SRST", "SRST_POLARITY")}
_CLOCKED = {"$dff", "$dffe", "$adff", "$adffe", "$sdff", "$sdffe", "$sdffce", "$dffsr", "$dffsre",
            "$aldff", "$aldffe"}
_LATCHES = {"$dlatch", "$adlatch", "$dlatchsr", "$sr"}
_STATEFUL_OTHER = {"$ff", "$mem", "$mem_v2"}
# Arithmetic on two data operands: SAT proves two copies of it equal bit by bit, without seeing that the registers
# feeding them are equal (an increment, one operand constant, is cheap for it)
_ARITHMETIC = {"$add", "$sub", "$mul", "$div", "$mod", "$divfloor", "$modfloor", "$pow"}
WIDE_OPERAND_BITS = 8
_READ_MUX = re.compile(r"^\$memory\\?([^$]+)\$rdmux")  # memory_map's read mux; undriven past the last word


@dataclass(frozen=True)
class Pair:
    """Reference (gold) and candidate (gate) written into the run directory with distinct module names."""

    gold_top: str
    gate_top: str
    ports: tuple[Port, ...]
    gold_file: str = GOLD_FILE
    gate_file: str = GATE_FILE
    free_inits: bool = False  # declared initial values dropped: registers no reset sets start free (drop_inits.ys.j2)


def comb_as_star(rtl: str) -> str:
    """``always_comb`` keywords read as ``always @*`` (everything else byte for byte).

    Yosys refuses an ``always_comb`` block that does not assign its outputs on every path ("Latch
    inferred ... from always_comb process"), while simulators run it and hold the old value: a
    latch. Read as ``always @*`` Yosys infers that latch, which the proof then models exactly, so
    a latch that is only reachable from unreachable states (e.g. state codes a ``case`` leaves out)
    costs nothing, and a reachable one behaves as it simulates.
    """
    spots: list[int] = []

    def visit(node: object) -> None:
        if getattr(node, "kind", None) == SyntaxKind.AlwaysCombBlock:
            spots.append(node.keyword.location.offset)

    parse(rtl).root.visit(visit)
    data = rtl.encode()
    keyword, star = b"always_comb", b"always @*"
    for offset in sorted(spots, reverse=True):
        if data[offset:offset + len(keyword)] == keyword:
            data = data[:offset] + star + data[offset + len(keyword):]
    return data.decode()


def write_pair(candidate: Candidate, spec: Spec, workdir: Path, latches: bool = False,
               free_inits: bool = False) -> Pair:
    """Prefix every module of each side so shared names (submodules, ``verified_*`` tops) cannot clash.

    ``latches``: read ``always_comb`` blocks as ``always @*`` (``comb_as_star``); ``free_inits``: see ``Pair``.
    """
    gold_rtl = read_rtl(spec.reference_rtl)
    gate_rtl = candidate.rtl
    if latches:
        gold_rtl, gate_rtl = comb_as_star(gold_rtl), comb_as_star(gate_rtl)
    gold_rtl, gold_map = prefix_modules(gold_rtl, GOLD_PREFIX, module_names(gold_rtl))
    gate_rtl, gate_map = prefix_modules(gate_rtl, GATE_PREFIX, module_names(gate_rtl))
    (workdir / GOLD_FILE).write_text(packed_ports(gold_rtl))
    (workdir / GATE_FILE).write_text(packed_ports(gate_rtl))
    return Pair(gold_map.get(spec.reference_top or spec.top, GOLD_PREFIX + (spec.reference_top or spec.top)),
                gate_map.get(candidate.top, GATE_PREFIX + candidate.top), spec.ports, free_inits=free_inits)


@dataclass(frozen=True)
class MemoryPad:
    """A memory of both designs (same name and shape) whose address reaches past its words.

    Yosys's ``memory_map`` decodes a read with as many address bits as the words need (12 words: 4 bits),
    so a read past the last word gives an x (the simulator's x too) that reaches registers and outputs: no
    proof can say anything about it. Padding the memory to ``padded`` words turns those reads into reads
    of added words ``NAME[size]`` ... ``NAME[padded-1]``, which are registers the reset does not set,
    matched by name like any other: the assumption is that both designs return equal values there. Only
    memories of equal name, width, size and address width in both designs are padded, so a candidate's
    own out-of-range read can never be matched to a reference's real word.
    """

    name: str
    size: int
    padded: int
    abits: int
    commands: tuple[str, str]  # the setparam command for the reference's cell, then the candidate's

    def describe(self) -> str:
        return (f"reads of memory '{self.name}' past its {self.size} words ({self.abits}-bit address) read the "
                f"added words {self.name}[{self.size}]..{self.name}[{self.padded - 1}], matched by name")


def memory_pads(memories_json: Path, pair: Pair, miter_top: str) -> list[MemoryPad]:
    """The memories to pad (``MemoryPad``), from Yosys's JSON netlist after ``memory -nomap``.

    Each command selects the memory cell both where a design is its own module and where the miter
    (``miter_top``, instances ``gold`` and ``gate``) has flattened it.
    """
    shapes = _memories(memories_json, pair)
    pads = []
    for name, gold in shapes[0].items():
        keys = ("SIZE", "WIDTH", "ABITS", "OFFSET", "WR_PORTS")
        size, width, abits, offset, writes = (_int(gold[k]) for k in keys)
        padded = min(1 << abits, 1 << (size - 1).bit_length())
        gate = shapes[1].get(name)
        if (gate is None or any(_int(gate[k]) != _int(gold[k]) for k in keys) or offset or not writes
                or padded <= size or not all(c.isalnum() or c in "_." for c in name)):
            continue
        extra = "x" * ((padded - size) * width)
        pads.append(MemoryPad(name, size, padded, abits, tuple(
            f"setparam -set SIZE {padded} -set INIT {padded * width}'b{extra}{init} {top}/{name} "
            f"{miter_top}/{side}.{name}"
            for top, side, init in ((pair.gold_top, "gold", gold["INIT"]), (pair.gate_top, "gate", gate["INIT"])))))
    return pads


def _memories(memories_json: Path, pair: Pair) -> tuple[dict[str, dict], dict[str, dict]]:
    """Each design's memories before mapping (``memory -nomap``): name -> the ``$mem_v2`` cell's parameters."""
    modules = json.loads(memories_json.read_text())["modules"]
    gold, gate = ({name: cell["parameters"] for name, cell in modules.get(top, {}).get("cells", {}).items()
                   if cell["type"] == "$mem_v2"} for top in (pair.gold_top, pair.gate_top))
    return gold, gate


def describe_memories(memories_json: Path, pair: Pair) -> str:
    """The reference's memories and what mapping them costs, for a verdict the time budget cut short ("" if none)."""
    if not memories_json.is_file():
        return ""
    shapes = [(name, _int(p["SIZE"]), _int(p["WIDTH"])) for name, p in _memories(memories_json, pair)[0].items()]
    if not shapes:
        return ""
    listed_shapes = listed([f"'{name}' {size} words x {width} bits" for name, size, width in shapes])
    bits = sum(size * width for _, size, width in shapes)
    return (f"the reference's memories ({listed_shapes}) become {bits} flip-flops per design, each word a register "
            "the reset does not set, matched by name")


@dataclass
class Structure:
    """What the flip-flops of both designs look like.

    ``clock``/``edge``: the one input port and edge clocking every flip-flop (None if there are none
    or if they disagree; ``problems`` then says why). ``unreset``: flip-flops that the spec reset
    held in the first cycle does not set to a constant.
    """

    sequential: bool = False
    latched: bool = False  # a latch in either design
    clock: str | None = None
    edge: str = "posedge"
    problems: list[str] = field(default_factory=list)
    unreset: list[str] = field(default_factory=list)
    undefined: list[str] = field(default_factory=list)  # x constants and undriven nets, per side
    clock_ports: set[str] = field(default_factory=set)  # input ports that clock flip-flops (any edge)
    unclockable: list[str] = field(default_factory=list)  # what no method here can model
    registers: dict[str, dict[str, int]] = field(default_factory=dict)  # side -> exposed register -> width
    pads: list[MemoryPad] = field(default_factory=list)  # memories padded to their address range
    initialised: list[str] = field(default_factory=list)  # "side:name" of unreset registers whose initial value
    #                                                         was dropped (Pair.free_inits)
    wide_arithmetic: bool = False  # arithmetic on two operands of WIDE_OPERAND_BITS or more signal bits (either design)

    def dropped_inits(self) -> str:
        """The assumption ``Pair.free_inits`` adds, for a verdict's message ("" when no initial value was dropped)."""
        return started_free(sorted({entry.split(":", 1)[1] for entry in self.initialised}))

    def obstacles(self) -> str:
        """What stands in a proof's way, for a verdict the time budget cut short ("" when nothing does)."""
        unset = [entry.split(":", 1)[1] for entry in self.unreset if entry.startswith("reference:")]
        unmatched = self.unmatched_registers()
        return "; ".join(
            ([f"{len(unset)} registers and memory words of the reference that the reset does not set, matched by "
              f"name ({listed(unset)})"] if unset else [])
            + ([f"without a partner of equal name and width: {listed(unmatched)}"] if unmatched else [])
            + ([f"X sources: {'; '.join(self.undefined)}"] if self.undefined else []))

    def assumptions(self) -> str:
        """What a proof assumed beyond registers starting equal, for its message ("" when nothing)."""
        return "".join(f"; {pad.describe()}" for pad in self.pads)

    def matched_registers(self) -> list[tuple[str, int]]:
        """Registers of equal name and width in both designs (the pairs "matched registers start equal" ties)."""
        gold, gate = self.registers.get("reference", {}), self.registers.get("candidate", {})
        return [(name, width) for name, width in gold.items() if gate.get(name) == width]

    def unmatched_registers(self) -> list[str]:
        """Registers and memory words the reset does not set that have no partner of equal name and width."""
        gold, gate = self.registers.get("reference", {}), self.registers.get("candidate", {})
        unset = set(self.unreset)
        return ([f"reference:{n}" for n, w in gold.items() if gate.get(n) != w and f"reference:{n}" in unset]
                + [f"candidate:{n}" for n, w in gate.items() if gold.get(n) != w and f"candidate:{n}" in unset])

    def multiclock_clock(self, spec_clock: str | None) -> str | None:
        """The one clock port to drive when clk2fflogic must model several edges, latches or derived clocks."""
        if self.unclockable or len(self.clock_ports) > 1:
            return None
        if self.clock_ports:
            return next(iter(self.clock_ports))
        return spec_clock

    @property
    def free_clocks(self) -> bool:
        """Several clock inputs, or latches and no clock input at all: clk2fflogic with every input free in every
        time step models any relation between the clocks, and each latch exactly as it simulates."""
        return not self.unclockable and (len(self.clock_ports) > 1 or (self.latched and not self.clock_ports))

    @property
    def x_constants(self) -> bool:
        """Whether a design has x/z constants (register correspondence may resolve them as synthesis does)."""
        return any(entry.endswith(": x/z constant") for entry in self.undefined)

    @property
    def has_x(self) -> bool:
        """Whether an X can appear: x/z constants, undriven nets, or registers the reset leaves unset."""
        return bool(self.undefined or self.unreset)

    @property
    def single_clock(self) -> bool:
        return not self.problems


def _int(value: str | int) -> int:
    return value if isinstance(value, int) else int(value.replace("x", "0").replace("z", "0") or "0", 2)


def _port_bits(module: dict) -> dict[int, str]:
    bits: dict[int, str] = {}
    for name, port in module.get("ports", {}).items():
        for index, bit in enumerate(port["bits"]):
            if isinstance(bit, int):
                bits[bit] = name if len(port["bits"]) == 1 else f"{name}[{index}]"
    return bits


class _NetNames:
    """The name of a net a cell drives: the first named net of the module holding any of its bits.

    Indexed once per module: looking each flip-flop up among every net made the analysis quadratic (axis_fifo's
    4096-word memory, 32k flip-flops: minutes of Python after a 4-minute elaboration).
    """

    def __init__(self, module: dict) -> None:
        self.first: dict = {}  # bit -> (position of the first named net holding it, its name)
        for position, (name, net) in enumerate(module.get("netnames", {}).items()):
            if not net.get("hide_name"):
                for bit in net["bits"]:
                    self.first.setdefault(bit, (position, name))

    def __call__(self, bits: list) -> str:
        return min((self.first[bit] for bit in bits if bit in self.first), default=(0, "<internal>"))[1]


def registers(module: dict) -> dict[str, int]:
    """Output ports driven only by flip-flops or latches (after ``expose -dff``): name -> width."""
    state_bits: set = set()
    for cell in module.get("cells", {}).values():
        if cell["type"] in _CLOCKED | _LATCHES | {"$ff"}:
            state_bits.update(cell["connections"].get("Q", ()))
    return {name: len(port["bits"]) for name, port in module.get("ports", {}).items()
            if port["direction"] == "output" and port["bits"] and state_bits.issuperset(port["bits"])}


def analyse(netlist_json: Path, pair: Pair, reset: Reset | None, registers_json: Path | None = None,
            inits_file: Path | None = None) -> Structure:
    """Inspect both flattened designs in Yosys's JSON netlist (and their registers, exposed as ports).

    ``inits_file``: the wires whose initial value was dropped (``select -write``, one ``module/wire`` a line).
    """
    modules = json.loads(netlist_json.read_text())["modules"]
    result = Structure()
    if registers_json is not None and registers_json.exists():
        exposed = json.loads(registers_json.read_text())["modules"]
        result.registers = {side: registers(exposed[top]) for side, top in
                            (("reference", pair.gold_top), ("candidate", pair.gate_top)) if top in exposed}
    clocks: set[tuple[str, int]] = set()
    initialised = _initialised_bits(modules, pair, inits_file)
    for side, top in (("reference", pair.gold_top), ("candidate", pair.gate_top)):
        module = modules[top]
        ports, net_name = _port_bits(module), _NetNames(module)
        result.undefined += [f"{side}: {what}" for what in _undefined(module)]
        for cell in module.get("cells", {}).values():
            kind, conns, params = cell["type"], cell["connections"], cell.get("parameters", {})
            result.wide_arithmetic |= kind in _ARITHMETIC and _wide_operands(conns)
            if kind in _LATCHES:
                result.sequential = result.latched = True
                result.problems.append(f"the {side} has a latch ({net_name(conns.get('Q', []))})")
                result.unreset.append(f"{side}:{net_name(conns.get('Q', []))}")  # holds a free value at start
            elif kind in _STATEFUL_OTHER:
                result.sequential = True
                result.problems.append(f"the {side} has a {kind} cell the proof cannot clock")
                result.unclockable.append(kind)
            elif kind in _CLOCKED:
                result.sequential = True
                clk = conns["CLK"][0]
                if clk not in ports:
                    result.problems.append(f"the {side} clocks {net_name(conns['Q'])} from internal logic "
                                           f"({net_name([clk])}), not from an input port")
                    continue
                clocks.add((ports[clk], _int(params.get("CLK_POLARITY", "1"))))
                result.clock_ports.add(ports[clk])
                if not _is_reset(kind, conns, params, ports, reset):
                    result.unreset.append(f"{side}:{net_name(conns['Q'])}")
                    if initialised[side].intersection(conns["Q"]):
                        result.initialised.append(f"{side}:{net_name(conns['Q'])}")
    result.unreset = list(dict.fromkeys(result.unreset))
    result.initialised = list(dict.fromkeys(result.initialised))
    if len(clocks) > 1:
        listed = ", ".join(f"{'posedge' if pol else 'negedge'} {name}" for name, pol in sorted(clocks))
        result.problems.append(f"flip-flops use more than one clock or edge ({listed})")
    if len(clocks) == 1 and not result.problems:
        name, polarity = next(iter(clocks))
        result.clock, result.edge = name, "posedge" if polarity else "negedge"
    return result


def _wide_operands(conns: dict[str, list]) -> bool:
    """Both operands carry WIDE_OPERAND_BITS or more signal bits (netlist bits are ints, constants strings)."""
    return all(sum(isinstance(bit, int) for bit in conns.get(pin, [])) >= WIDE_OPERAND_BITS for pin in ("A", "B"))


def _initialised_bits(modules: dict, pair: Pair, inits_file: Path | None) -> dict[str, set]:
    """Per side, the netlist bits of the wires ``inits_file`` lists (their initial value was dropped)."""
    listed = inits_file.read_text().split() if inits_file is not None and inits_file.is_file() else []
    found: dict[str, set] = {}
    for side, top in (("reference", pair.gold_top), ("candidate", pair.gate_top)):
        names = {entry.split("/", 1)[1] for entry in listed if entry.startswith(f"{top}/")}
        nets = modules[top].get("netnames", {})
        found[side] = {bit for name in names if name in nets for bit in nets[name]["bits"]}
    return found


def _is_reset(kind: str, conns: dict, params: dict, ports: dict[int, str], reset: Reset | None) -> bool:
    if reset is None or kind not in _RESETTING:
        return False
    pin, polarity = _RESETTING[kind]
    bit = conns[pin][0]
    return ports.get(bit) == reset.name and _int(params.get(polarity, "1")) == reset.asserted


def _undefined(module: dict) -> list[str]:
    """x/z constant bits feeding cells or outputs, and nets read but driven by nothing.

    Not counted: the x that ``proc`` gives a memory write port's data and address while the write is
    disabled (a mux in front of the port, whose output Yosys names ``$memwr$``): no word takes that value,
    so it is no X source of the design. This only chooses the proof route: the two-valued stages still
    make that x a free value, which can make a proof fail but never pass.
    """
    write_ports = {bit for name, net in module.get("netnames", {}).items() if "$memwr$" in name for bit in net["bits"]}
    driven: set = set()
    read: list = []
    for name, port in module.get("ports", {}).items():
        (driven.update if port["direction"] == "input" else read.extend)(port["bits"])
    x_read = False
    for cell in module.get("cells", {}).values():
        directions = cell.get("port_directions", {})
        outputs = [b for pin, bits in cell["connections"].items() if directions.get(pin) == "output" for b in bits]
        feeds_write_port = bool(outputs) and write_ports.issuperset(outputs)
        for pin, bits in cell["connections"].items():
            if directions.get(pin) == "output":
                driven.update(bits)
            else:
                read.extend(bits)
                x_read |= not feeds_write_port and any(b in ("x", "z") for b in bits)
    found = []
    if x_read or any(b in ("x", "z") for p in module.get("ports", {}).values() if p["direction"] != "input"
                     for b in p["bits"]):
        found.append("x/z constant")
    undriven = {b for b in read if isinstance(b, int) and b not in driven}
    past_words = sorted({match.group(1) for name, net in module.get("netnames", {}).items()
                         if (match := _READ_MUX.match(name)) and undriven.intersection(net["bits"])})
    undriven -= {b for name, net in module.get("netnames", {}).items() if _READ_MUX.match(name) for b in net["bits"]}
    found += [f"reads past the last word of memory '{name}' (no memory of equal name and shape in the other design "
              "to pad it like)" for name in past_words]
    if undriven:
        found.append(f"undriven net {_NetNames(module)(sorted(undriven))}")
    return found
