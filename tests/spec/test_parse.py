"""spec.md parsing: the example designs load as written, and bad specs name file, line and field."""
from __future__ import annotations

from pathlib import Path

import pytest

from rtlgen.errors import SpecError
from rtlgen.spec.interface import read_ports
from rtlgen.spec.model import Clock, Port, Reset
from rtlgen.spec.parse import load_spec, parse_spec_text

DESIGNS = Path(__file__).resolve().parents[2] / "designs"
EXAMPLES = sorted(p.name for p in DESIGNS.iterdir() if (p / "spec.md").is_file())

# What each example's front matter says, written out independently of the parser.
EXPECTED = {
    "counter": (Clock("clk"), Reset("rst"), ("clk", "rst", "en", "count"), {"count": 8}),
    "fifo": (Clock("clk"), Reset("rst"),
             ("clk", "rst", "wr_en", "wr_data", "rd_en", "rd_data", "full", "empty", "count"),
             {"wr_data": 8, "rd_data": 8, "count": 3}),
    "uart_tx": (Clock("clk"), Reset("rst"), ("clk", "rst", "tx_start", "tx_data", "tx", "busy"), {"tx_data": 8}),
    "seq_detector": (Clock("clk"), Reset("rst_n", active_low=True, kind="async"), ("clk", "rst_n", "din", "detected"), {}),
    "alu": (None, None, ("a", "b", "op", "y", "zero", "carry"), {"a": 8, "b": 8, "op": 3, "y": 8}),
    "traffic_light": (Clock("clk"), Reset("rst"),
                      ("clk", "rst", "ew_car", "ns_red", "ns_yellow", "ns_green", "ew_red", "ew_yellow", "ew_green"), {}),
    "priority_encoder": (None, None, ("req", "idx", "valid"), {"req": 8, "idx": 3}),
    "gray_code": (None, None, ("bin_in", "gray_in", "gray_out", "bin_out"),
                  {"bin_in": 8, "gray_in": 8, "gray_out": 8, "bin_out": 8}),
    "fsm_door": (Clock("clk"), Reset("rst_n", active_low=True, kind="async"),
                 ("clk", "rst_n", "button", "at_top", "at_bottom", "motor_up", "motor_down"), {}),
    "fsm_handshake": (Clock("clk"), Reset("rst"), ("clk", "rst", "start", "ack", "req", "done", "busy"), {}),
    "fsm_mealy101": (Clock("clk"), Reset("rst_n", active_low=True, kind="async"), ("clk", "rst_n", "din", "match"), {}),
    "fsm_parity": (Clock("clk"), Reset("rst"), ("clk", "rst", "valid", "din", "odd", "count"), {"count": 4}),
    "fsm_pulse": (Clock("clk"), Reset("rst_n", active_low=True, kind="async"), ("clk", "rst_n", "go", "pulse", "ready"), {}),
    "fsm_vending": (Clock("clk"), Reset("rst"), ("clk", "rst", "nickel", "dime", "dispense", "credit"), {"credit": 2}),
}


def test_the_six_required_examples_exist() -> None:
    assert {"counter", "fifo", "uart_tx", "seq_detector", "alu", "traffic_light"} <= set(EXAMPLES)
    assert set(EXAMPLES) == set(EXPECTED), "add the new example to EXPECTED"


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_spec_loads(name: str) -> None:
    spec = load_spec(DESIGNS / name / "spec.md")
    clock, reset, port_names, widths = EXPECTED[name]
    assert spec.top == name and spec.name == name
    assert spec.clock == clock and spec.reset == reset
    assert tuple(p.name for p in spec.ports) == port_names
    assert {p.name: p.width for p in spec.ports if p.width > 1} == widths
    assert spec.model == str((DESIGNS / name / "model.py").resolve())
    assert spec.reference_rtl is None  # the examples exercise the Python golden model path
    assert spec.source == str(DESIGNS / name / "spec.md")
    assert len(spec.prose) > 200 and "---" not in spec.prose.splitlines()[0]


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_rtl_declares_the_spec_interface(name: str) -> None:
    spec = load_spec(DESIGNS / name / "spec.md")
    rtl_path = DESIGNS / name / f"{name}.v"
    assert read_ports(rtl_path.read_text(), spec.top, str(rtl_path)) == spec.ports


def write(tmp_path: Path, text: str, name: str = "spec.md") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def spec_error(path: Path) -> SpecError:
    with pytest.raises(SpecError) as info:
        load_spec(path)
    err = info.value
    assert err.path == str(path)
    assert str(err).startswith(str(path))
    return err


GOOD_PORTS = """\
---
top: m
ports:
  - {name: clk, direction: input}
  - {name: q, direction: output, width: 4}
"""


def test_error_message_format(tmp_path: Path) -> None:
    path = write(tmp_path, "---\ntop: m\ncolour: red\n---\n")
    err = spec_error(path)
    assert (err.line, err.field) == (3, "colour")
    assert str(err).startswith(f"{path}:3 (field 'colour'): unknown key 'colour'")


def test_unclosed_front_matter(tmp_path: Path) -> None:
    err = spec_error(write(tmp_path, "---\ntop: m\n\n# prose but no closing line\n"))
    assert err.line == 1 and "never closed" in str(err)


def test_invalid_yaml_gives_its_line(tmp_path: Path) -> None:
    err = spec_error(write(tmp_path, "---\ntop: m\nports:\n  - {name: a: b}\n---\nprose\n"))
    assert err.line == 4 and "not valid YAML" in str(err) and "expected ',' or '}'" in str(err)
    # an unclosed bracket is noticed where the YAML ends: the closing '---' line
    err = spec_error(write(tmp_path, "---\ntop: m\nports:\n  - {name: a, width: [\n---\nprose\n"))
    assert err.line == 5 and "not valid YAML" in str(err)


def test_invalid_yaml_bad_indentation(tmp_path: Path) -> None:
    err = spec_error(write(tmp_path, "---\ntop: m\n clock: clk\n---\n"))
    assert err.line == 3 and "not valid YAML" in str(err)


def test_front_matter_must_be_a_mapping(tmp_path: Path) -> None:
    err = spec_error(write(tmp_path, "---\n- top\n---\n"))
    assert err.line == 2 and "mapping" in str(err)


def test_unknown_nested_keys_are_refused(tmp_path: Path) -> None:
    err = spec_error(write(tmp_path, GOOD_PORTS + "clock: clk\nreset: {name: clk, activ: low}\n---\n"))
    assert (err.line, err.field) == (7, "reset") and "activ" in str(err)
    err = spec_error(write(tmp_path, "---\ntop: m\nreference: {modle: m.py}\n---\n"))
    assert (err.line, err.field) == (3, "reference") and "modle" in str(err)


@pytest.mark.parametrize(
    ("port", "words"),
    [
        ("{name: d, direction: in}", "direction must be input, output or inout"),
        ("{name: d, direction: input, width: 0}", "width must be a positive integer"),
        ("{name: d, direction: input, width: eight}", "width must be a positive integer"),
        ("{name: d, direction: input, width: true}", "width must be a positive integer"),
        ("{name: 3d, direction: input}", "name must be a Verilog identifier"),
        ("{name: d, dir: input}", "unknown key(s) ['dir']"),
        ("{name: d, signed: maybe}", "signed must be true or false"),
    ],
)
def test_bad_port_names_its_own_line(tmp_path: Path, port: str, words: str) -> None:
    err = spec_error(write(tmp_path, GOOD_PORTS + f"  - {port}\n---\n"))
    assert err.field == "ports" and err.line == 6  # the offending item, not the 'ports:' key
    assert words in str(err) and "ports[2]" in str(err)


def test_duplicate_port(tmp_path: Path) -> None:
    err = spec_error(write(tmp_path, GOOD_PORTS + "  - {name: q, direction: input}\n---\n"))
    assert err.field == "ports" and "duplicate" in str(err)


@pytest.mark.parametrize("field", ["clock", "reset"])
def test_clock_or_reset_not_a_port(tmp_path: Path, field: str) -> None:
    err = spec_error(write(tmp_path, GOOD_PORTS + f"{field}: clk2\n---\n"))
    assert (err.line, err.field) == (6, field) and "'clk2' is not one of the ports" in str(err)


@pytest.mark.parametrize(
    ("value", "words"),
    [("{name: clk, edge: rising}", "clock.edge must be posedge or negedge"), ("[clk]", "clock must be a port name")],
)
def test_bad_clock_form(tmp_path: Path, value: str, words: str) -> None:
    err = spec_error(write(tmp_path, GOOD_PORTS + f"clock: {value}\n---\n"))
    assert (err.line, err.field) == (6, "clock") and words in str(err)


@pytest.mark.parametrize(
    ("value", "words"),
    [("{name: clk, active: 0}", "reset.active must be high or low"),
     ("{name: clk, kind: asynchronous}", "reset.kind must be sync or async")],
)
def test_bad_reset_form(tmp_path: Path, value: str, words: str) -> None:
    err = spec_error(write(tmp_path, GOOD_PORTS + f"reset: {value}\n---\n"))
    assert (err.line, err.field) == (6, "reset") and words in str(err)


def test_missing_model_file(tmp_path: Path) -> None:
    err = spec_error(write(tmp_path, "---\ntop: m\nreference:\n  model: golden.py\n---\n"))
    assert (err.line, err.field) == (3, "reference.model")
    assert "'golden.py' does not exist" in str(err) and str(tmp_path / "golden.py") in str(err)


def test_missing_reference_rtl(tmp_path: Path) -> None:
    err = spec_error(write(tmp_path, "---\ntop: m\nreference: {rtl: ref.v}\n---\n"))
    assert (err.line, err.field) == (3, "reference.rtl")


def test_no_top_anywhere(tmp_path: Path) -> None:
    err = spec_error(write(tmp_path, "# A design\n\nIt adds two numbers.\n"))
    assert (err.line, err.field) == (1, "top") and "no 'top' module name" in str(err)


def test_top_must_be_an_identifier(tmp_path: Path) -> None:
    err = spec_error(write(tmp_path, "---\n\ntop: 12\n---\n"))
    assert (err.line, err.field) == (3, "top")


def test_non_utf8_file(tmp_path: Path) -> None:
    path = tmp_path / "spec.md"
    path.write_bytes(b"---\ntop: m\n---\nsome \xff\xfe prose\n")
    err = spec_error(path)
    assert "not UTF-8" in str(err) and "byte 20" in str(err)


def test_missing_file(tmp_path: Path) -> None:
    err = spec_error(tmp_path / "nope.md")
    assert "does not exist" in str(err)


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "spec.md"
    path.write_bytes("\ufeff---\ntop: m\n---\nprose\n".encode())
    assert load_spec(path).top == "m"


def test_spec_without_front_matter_takes_interface_from_reference_rtl(tmp_path: Path) -> None:
    """No front matter: everything is prose; with a reference RTL the interface is read from it."""
    (tmp_path / "ref.v").write_text(
        "module ref_count(input clk, input rst_n, output reg [3:0] q);\n"
        "  always @(posedge clk or negedge rst_n) if (!rst_n) q <= 0; else q <= q + 1;\nendmodule\n")
    spec = load_spec(write(tmp_path, "---\nreference: {rtl: ref.v}\n---\nCount up.\n"))
    assert spec.top == "ref_count" and spec.reference_top == "ref_count"
    assert spec.ports == (Port("clk", "input"), Port("rst_n", "input"), Port("q", "output", 4))
    assert spec.clock == Clock("clk") and spec.reset == Reset("rst_n", active_low=True, kind="async")
    assert spec.prose == "Count up."


def test_reference_v_file_is_verilog_2005_so_a_port_may_be_named_dist(tmp_path: Path) -> None:
    """``dist`` is a SystemVerilog keyword but a plain name in Verilog-2005, the language of a ``.v`` file."""
    (tmp_path / "ref.v").write_text("module m(input dist, input [1:0] a, output y);\n"
                                    "  assign y = dist & a[1];\nendmodule\n")
    spec = load_spec(write(tmp_path, "---\nreference: {rtl: ref.v}\n---\nAnd.\n"))
    assert spec.ports == (Port("dist", "input"), Port("a", "input", 2), Port("y", "output"))


def test_plain_prose_with_top_only(tmp_path: Path) -> None:
    spec = parse_spec_text("---\ntop: widget\n...\nMake a widget.\n", str(tmp_path / "spec.md"))
    assert spec.top == "widget" and spec.ports == () and spec.clock is None and spec.model is None
    assert spec.prose == "Make a widget."


def test_string_forms_and_defaults(tmp_path: Path) -> None:
    text = GOOD_PORTS + "  - {name: rst_n, direction: input}\nclock: {name: clk, edge: negedge}\n" \
        "reset: {name: rst_n, active: low, kind: async}\n---\n"
    spec = parse_spec_text(text, str(tmp_path / "spec.md"))
    assert spec.clock == Clock("clk", "negedge") and spec.reset == Reset("rst_n", True, "async")
    assert spec.ports[0] == Port("clk", "input", 1, False)
    # clock and reset left out: inferred from the port names
    inferred = parse_spec_text(GOOD_PORTS + "  - {name: rst_n, direction: input}\n---\n", str(tmp_path / "s.md"))
    assert inferred.clock == Clock("clk") and inferred.reset == Reset("rst_n", active_low=True, kind="sync")


def test_spec_round_trips_through_dict() -> None:
    spec = load_spec(DESIGNS / "fifo" / "spec.md")
    assert type(spec).from_dict(spec.to_dict()) == spec


def test_bare_reset_name_takes_polarity_and_kind_from_inference(tmp_path: Path) -> None:
    """`reset: rst_n` must not silently mean active high; the mapping form is always taken literally."""
    ports = GOOD_PORTS + "  - {name: rst_n, direction: input}\n"
    assert parse_spec_text(ports + "reset: rst_n\n---\n", "s.md").reset == Reset("rst_n", active_low=True)
    assert parse_spec_text(ports + "reset: {name: rst_n}\n---\n", "s.md").reset == Reset("rst_n", active_low=False)
    (tmp_path / "ref.v").write_text(
        "module m(input clk, input rst_n, output reg [3:0] q);\n"
        "  always @(posedge clk or negedge rst_n) if (!rst_n) q <= 0; else q <= q + 1;\nendmodule\n")
    spec = parse_spec_text("---\nreference: {rtl: ref.v}\nreset: rst_n\n---\n", str(tmp_path / "spec.md"))
    assert spec.reset == Reset("rst_n", active_low=True, kind="async")


# --- docs/spec-format.md stays true to the parser --------------------------------------------------

DOC = Path(__file__).resolve().parents[2] / "docs" / "spec-format.md"


def doc_blocks(lang: str) -> list[str]:
    text = DOC.read_text()
    return [block.split("\n", 1)[1] for block in text.split("```")[1::2] if block.startswith(lang + "\n")]


def test_doc_layout_example_is_the_counter_spec() -> None:
    layout = doc_blocks("markdown")[0]
    spec = parse_spec_text(layout, str(DESIGNS / "counter" / "spec.md"))
    counter = load_spec(DESIGNS / "counter" / "spec.md")
    assert (spec.top, spec.ports, spec.clock, spec.reset, spec.model) == (
        counter.top, counter.ports, counter.clock, counter.reset, counter.model)


def test_doc_minimal_spec_parses() -> None:
    minimal = doc_blocks("markdown")[1]
    spec = parse_spec_text(minimal, "<spec>")
    assert spec.top == "widget" and spec.prose.startswith("Make a widget")


def test_doc_error_example_is_what_the_parser_says(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(DESIGNS.parent)  # the example's path is relative to the project root
    example = next(b for b in doc_blocks("") if "(field 'ports')" in b).strip()
    path = "designs/fifo/spec.md"
    text = (DESIGNS / "fifo" / "spec.md").read_text()
    bad = text.replace("{name: wr_data, direction: input", "{name: wr_data, direction: in", 1)
    with pytest.raises(SpecError) as info:
        parse_spec_text(bad, path)
    assert str(info.value) == example


def test_doc_model_examples_match_the_design_models() -> None:
    python = "\n".join(doc_blocks("python"))
    for name in ("priority_encoder", "counter", "seq_detector"):
        assert f"designs/{name}" in DOC.read_text()
    assert (DESIGNS / "priority_encoder" / "model.py").read_text().split("\n\n\n")[1].strip() in python
