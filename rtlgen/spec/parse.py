"""Parse ``spec.md``: Markdown prose with optional YAML front matter.

Front matter keys (all optional): ``top``, ``name``, ``ports``, ``clock``, ``reset``, ``reference``
(``model``: Python golden model file, ``rtl``: reference RTL file, ``top``: its module).
Without ``ports`` the interface comes from the reference RTL, else from the port list the prose states
(``rtlgen.spec.interface.stated_ports``), else (later) from the LLM; a spec must name
its top module somehow (``top`` or a reference RTL). Unknown keys are errors at every level.
The format is documented in docs/spec-format.md.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from rtlgen.errors import SpecError
from rtlgen.spec.interface import infer_clock, infer_reset, module_names, read_ports, stated_ports
from rtlgen.spec.model import Clock, Port, Reset, Spec
from rtlgen.spec.rtl_file import read_rtl

TOP_KEYS = {"top", "name", "ports", "clock", "reset", "reference"}
PORT_KEYS = {"name", "direction", "width", "signed"}
CLOCK_KEYS = {"name", "edge"}
RESET_KEYS = {"name", "active", "kind"}
REFERENCE_KEYS = {"model", "rtl", "top"}


def _split_front_matter(text: str, path: str) -> tuple[str | None, str, int]:
    """(yaml text or None, prose, line number where the YAML starts)."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return None, text, 0
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            return "".join(lines[1:i]), "".join(lines[i + 1:]), 2
    raise SpecError("front matter starts with '---' but is never closed by a '---' line", path=path, line=1)



def _key_lines(yaml_text: str, first_line: int) -> tuple[dict[str, int], list[int]]:
    """Line number of each top-level key, and of each item of ``ports`` (for error messages)."""
    out: dict[str, int] = {}
    port_lines: list[int] = []
    try:
        node = yaml.compose(yaml_text)
    except yaml.YAMLError:
        return out, port_lines
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            out[str(key.value)] = key.start_mark.line + first_line
            if key.value == "ports" and isinstance(value, yaml.SequenceNode):
                port_lines = [item.start_mark.line + first_line for item in value.value]
    return out, port_lines


def _check_keys(raw: dict, allowed: set[str], where: str, path: str, line: int | None) -> None:
    """Refuse unknown keys: a misspelt ``activ: low`` must not silently mean active high."""
    unknown = set(raw) - allowed
    if unknown:
        raise SpecError(f"{where} has unknown key(s) {sorted(map(str, unknown))}; allowed: {sorted(allowed)}",
                        path, line, where)


def _parse_port(raw: Any, path: str, line: int, index: int) -> Port:
    where = f"ports[{index}]"
    if not isinstance(raw, dict):
        raise SpecError(f"{where} must be a mapping with name/direction/width/signed, got {raw!r}", path, line, "ports")
    unknown = set(raw) - PORT_KEYS
    if unknown:
        raise SpecError(f"{where} has unknown key(s) {sorted(map(str, unknown))}; allowed: {sorted(PORT_KEYS)}",
                        path, line, "ports")
    name = raw.get("name")
    if not isinstance(name, str) or not name.isidentifier():
        raise SpecError(f"{where}.name must be a Verilog identifier, got {name!r}", path, line, "ports")
    direction = raw.get("direction", "input")
    if direction not in ("input", "output", "inout"):
        raise SpecError(f"{where}.direction must be input, output or inout, got {direction!r}", path, line, "ports")
    width = raw.get("width", 1)
    if not isinstance(width, int) or isinstance(width, bool) or width < 1:
        raise SpecError(f"{where}.width must be a positive integer, got {width!r}", path, line, "ports")
    signed = raw.get("signed", False)
    if not isinstance(signed, bool):
        raise SpecError(f"{where}.signed must be true or false, got {signed!r}", path, line, "ports")
    return Port(name, direction, width, signed)


def _parse_clock(raw: Any, path: str, line: int) -> Clock | None:
    if raw is None:
        return None
    if isinstance(raw, str):
        return Clock(raw)
    if isinstance(raw, dict) and isinstance(raw.get("name"), str):
        _check_keys(raw, CLOCK_KEYS, "clock", path, line)
        edge = raw.get("edge", "posedge")
        if edge not in ("posedge", "negedge"):
            raise SpecError(f"clock.edge must be posedge or negedge, got {edge!r}", path, line, "clock")
        return Clock(raw["name"], edge)
    raise SpecError(f"clock must be a port name or {{name, edge}}, got {raw!r}", path, line, "clock")


def _parse_reset(raw: Any, path: str, line: int) -> Reset | None:
    if raw is None:
        return None
    if isinstance(raw, str):
        return Reset(raw)
    if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
        raise SpecError(f"reset must be a port name or {{name, active, kind}}, got {raw!r}", path, line, "reset")
    _check_keys(raw, RESET_KEYS, "reset", path, line)
    active = raw.get("active", "high")
    kind = raw.get("kind", "sync")
    if active not in ("high", "low"):
        raise SpecError(f"reset.active must be high or low, got {active!r}", path, line, "reset")
    if kind not in ("sync", "async"):
        raise SpecError(f"reset.kind must be sync or async, got {kind!r}", path, line, "reset")
    return Reset(raw["name"], active_low=active == "low", kind=kind)


def _resolve(base: Path, value: Any, path: str, line: int, field: str) -> str:
    if not isinstance(value, str):
        raise SpecError(f"{field} must be a file path, got {value!r}", path, line, field)
    target = (base / value).resolve()
    if not target.is_file():
        raise SpecError(f"{field} file '{value}' does not exist (looked for {target})", path, line, field)
    return str(target)


def parse_spec_text(text: str, path: str = "<spec>") -> Spec:
    yaml_text, prose, first = _split_front_matter(text, path)
    base = Path(path).resolve().parent if path != "<spec>" else Path.cwd()
    data: dict[str, Any] = {}
    lines: dict[str, int] = {}
    port_lines: list[int] = []
    if yaml_text is not None:
        try:
            loaded = yaml.safe_load(yaml_text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + first if mark else first
            raise SpecError(f"front matter is not valid YAML: {getattr(exc, 'problem', exc)}", path, line) from None
        if loaded is not None and not isinstance(loaded, dict):
            raise SpecError("front matter must be a YAML mapping", path, first)
        data = loaded or {}
        lines, port_lines = _key_lines(yaml_text, first)
    unknown = {str(k) for k in data} - TOP_KEYS
    if unknown:
        key = sorted(unknown)[0]
        raise SpecError(f"unknown key '{key}'; allowed keys: {sorted(TOP_KEYS)}", path, lines.get(key), key)

    ref = data.get("reference") or {}
    if not isinstance(ref, dict):
        raise SpecError("reference must be a mapping with model/rtl/top", path, lines.get("reference"), "reference")
    ref_line = lines.get("reference")
    _check_keys(ref, REFERENCE_KEYS, "reference", path, ref_line)
    model = _resolve(base, ref["model"], path, ref_line, "reference.model") if "model" in ref else None
    reference_rtl = _resolve(base, ref["rtl"], path, ref_line, "reference.rtl") if "rtl" in ref else None

    top = data.get("top")
    if top is not None and not (isinstance(top, str) and top.isidentifier()):
        raise SpecError(f"top must be a Verilog module name, got {top!r}", path, lines.get("top"), "top")
    ports_raw = data.get("ports")
    if ports_raw is not None and not isinstance(ports_raw, list):
        raise SpecError("ports must be a list", path, lines.get("ports"), "ports")
    ports = tuple(_parse_port(p, path, port_lines[i] if i < len(port_lines) else lines.get("ports"), i)
                  for i, p in enumerate(ports_raw or []))
    reference_top = ref.get("top")
    ref_text = read_rtl(reference_rtl) if reference_rtl else ""
    if reference_rtl:
        reference_top = reference_top or top or (module_names(ref_text) or [None])[0]
        if not ports:
            ports = read_ports(ref_text, reference_top, reference_rtl)
    elif not ports:  # the interface the prose states, held against every candidate and golden model
        ports = stated_ports(prose)
    if not top:
        if reference_top:
            top = reference_top
        else:
            raise SpecError("no 'top' module name: give it in the front matter (top: NAME) or give a reference RTL",
                            path, 1, "top")
    names = {p.name for p in ports}
    if len(names) != len(ports):
        raise SpecError("duplicate port names", path, lines.get("ports"), "ports")

    clock = _parse_clock(data.get("clock"), path, lines.get("clock")) if "clock" in data else infer_clock(ports, ref_text)
    reset = _parse_reset(data.get("reset"), path, lines.get("reset")) if "reset" in data else infer_reset(ports, ref_text)
    if isinstance(data.get("reset"), str):
        # a bare name: polarity and kind as inference gives them (rst_n is active low), not silently active high
        guess = infer_reset((Port(data["reset"], "input"),), ref_text)
        if guess is not None and guess.name == data["reset"]:
            reset = guess
    for field, sig in (("clock", clock), ("reset", reset)):
        if sig is not None and ports and sig.name not in names:
            raise SpecError(f"{field} '{sig.name}' is not one of the ports {sorted(names)}", path, lines.get(field), field)

    return Spec(
        top=top, ports=ports, clock=clock, reset=reset, prose=prose.strip(), name=data.get("name") or top,
        model=model, reference_rtl=reference_rtl, reference_top=reference_top, source=path,
    )


def load_spec(path: str | Path) -> Spec:
    """Read and validate a spec.md file."""
    p = Path(path)
    if not p.is_file():
        raise SpecError("spec file does not exist", str(p))
    try:
        text = p.read_text(encoding="utf-8-sig")  # a leading byte-order mark must not hide the front matter
    except UnicodeDecodeError as exc:
        raise SpecError(f"spec is not UTF-8 text ({exc.reason} at byte {exc.start})", str(p)) from None
    return parse_spec_text(text, str(p))
