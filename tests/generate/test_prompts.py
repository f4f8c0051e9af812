"""Prompt templates render the spec, the interface, the compile error and the mismatch window."""
from __future__ import annotations

from pathlib import Path

import pytest

import rtlgen.generate
from rtlgen.generate.prompts import EXAMPLE_DESIGNS, load_examples, render_prompt, select_examples
from rtlgen.spec.model import Clock, Port, Reset, Spec
from rtlgen.verify.result import FAILURE_CLASSES, Mismatch

SPEC = Spec(top="TopModule", name="Prob001_count", prose="Count up when en is high; wrap at 15.",
            ports=(Port("clk", "input"), Port("reset", "input"), Port("en", "input"), Port("q", "output", 4)),
            clock=Clock("clk"), reset=Reset("reset", kind="sync"))
COMB = Spec(top="TopModule", prose="y is a AND b.", ports=(Port("a", "input"), Port("b", "input"), Port("y", "output")))
CODE = "module TopModule(input clk, input reset, input en, output reg [3:0] q);\nendmodule"


def test_spec_to_rtl_has_spec_interface_and_fences():
    system, user = render_prompt("spec_to_rtl", spec=SPEC)
    assert system["role"] == "system" and user["role"] == "user"
    assert "exactly one module" in system["content"] and "```verilog" in system["content"]
    text = user["content"]
    assert "Count up when en is high" in text
    assert "| `q` | output | 4 | no |" in text
    assert "Clock: `clk`" in text and "Reset: `reset`, synchronous, active high" in text
    assert "Start it with exactly this header" in text and "```verilog" in text
    assert "module TopModule (\n    input  logic clk,\n" in text and "    output logic [3:0] q\n);" in text
    assert "The reset is synchronous: write `always_ff @(posedge clk)` and test `reset` inside it" in text
    assert "Example" not in text


def test_combinational_spec_says_so():
    system, user = (m["content"] for m in render_prompt("spec_to_rtl", spec=COMB))
    assert "No clock: the module is combinational." in user and "Reset:" not in user
    # the 0.5B model copied an always_ff @(posedge clk) rule into combinational designs: they get none
    assert "This design is combinational" in system and "always_ff @(" not in system + user


def test_no_ports_no_header():
    text = render_prompt("spec_to_rtl", spec=Spec(top="blinker", prose="Blink."))[1]["content"]
    assert "Write the module `blinker`" in text and "Start it with exactly this header" not in text


def test_examples_from_a_designs_folder(tmp_path):
    folder = tmp_path / "designs" / "andgate"
    folder.mkdir(parents=True)
    (folder / "spec.md").write_text("---\ntop: andgate\nports:\n  - {name: a, direction: input}\n"
                                    "  - {name: b, direction: input}\n  - {name: y, direction: output}\n---\n"
                                    "AND of a and b.\n")
    (folder / "andgate.v").write_text("module andgate(input a, input b, output y);\n  assign y = a & b;\nendmodule\n")
    examples = load_examples(tmp_path / "designs")
    assert [e.name for e in examples] == ["andgate"]
    chosen = select_examples(COMB, examples, k=2)
    text = render_prompt("spec_to_rtl", spec=COMB, examples=chosen)[1]["content"]
    assert text.index("# Example 1: andgate") < text.index("assign y = a & b;") < text.index("# Your task")
    assert text.index("# Your task") < text.index("y is a AND b.")
    assert select_examples(examples[0].spec, examples) == []  # a design is never its own example


def test_repair_compile_quotes_the_tool_and_the_class():
    message = "TopModule.v:3: error: Unable to bind wire/reg/memory `qq' in `TopModule'"
    text = render_prompt("repair_compile", spec=SPEC, code=CODE, failure_class="reg_wire_misuse",
                         failure_text=FAILURE_CLASSES["reg_wire_misuse"], message=message)[1]["content"]
    assert CODE in text and message in text
    assert FAILURE_CLASSES["reg_wire_misuse"] in text


def test_repair_mismatch_has_the_cycle_window():
    window = [{"cycle": 4, "reset": 0, "en": 1, "q": 3, "q_expected": 3},
              {"cycle": 5, "reset": 0, "en": 1, "q": 3, "q_expected": 4}]
    mismatch = Mismatch(cycle=5, signal="q", expected="4", actual="3", window=window)
    text = render_prompt("repair_mismatch", spec=SPEC, code=CODE, mismatch=mismatch,
                         failure_text=FAILURE_CLASSES["runtime_mismatch"])[1]["content"]
    assert "at cycle 5 output `q` was 3 but the golden reference expects 4" in text
    assert "| cycle | reset | en | q | q_expected |" in text
    assert "| 4 | 0 | 1 | 3 | 3 |" in text
    assert "| 5 | 0 | 1 | 3 | 4 |  <- first mismatch" in text
    assert FAILURE_CLASSES["runtime_mismatch"] in text and CODE in text


def test_repair_mismatch_flattens_nested_rows():
    window = [{"cycle": 1, "inputs": {"en": 1}, "outputs": {"q": 0}, "expected": {"q": 1}}]
    mismatch = Mismatch(cycle=1, signal="q", expected="1", actual="0", window=window)
    text = render_prompt("repair_mismatch", spec=SPEC, code=CODE, mismatch=mismatch, failure_class="reset_issue",
                         failure_text=FAILURE_CLASSES["reset_issue"])[1]["content"]
    assert "| cycle | inputs.en | outputs.q | expected.q |" in text and "| 1 | 1 | 0 | 1 |" in text
    assert FAILURE_CLASSES["reset_issue"] in text


def test_golden_model_prompt_carries_the_contract():
    seq = render_prompt("golden_model", spec=SPEC)[1]["content"]
    assert "def evaluate(inputs: dict[str, int]) -> dict[str, int]" in seq
    assert "just before the active clock edge" in seq and "don't-care" in seq
    assert "write `class Model`" in seq and "keys `reset`, `en`." in seq and "`q` (4 bits)" in seq
    comb = render_prompt("golden_model", spec=COMB)[1]["content"]
    assert "write `def evaluate(inputs)`" in comb and "keys `a`, `b`." in comb


def test_unknown_prompt_and_missing_context():
    with pytest.raises(ValueError, match="unknown prompt 'spec2rtl'; choose one of spec_to_rtl"):
        render_prompt("spec2rtl", spec=SPEC)
    with pytest.raises(ValueError, match="prompt 'repair_compile' needs more context"):
        render_prompt("repair_compile", spec=SPEC)


def test_the_in_context_examples_ship_with_the_package():
    """The default examples are the repository's designs/, read as package data (rtlgen/generate/designs), so an
    installed rtlgen prompts with the same examples as a checkout."""
    designs = Path(__file__).resolve().parents[2] / "designs"
    shipped = load_examples()
    assert [e.name for e in shipped] == sorted(p.parent.name for p in designs.glob("*/spec.md"))
    counter = next(e for e in shipped if e.name == "counter")
    assert counter.rtl == (designs / "counter" / "counter.v").read_text()
    assert Path(str(EXAMPLE_DESIGNS)).parent == Path(rtlgen.generate.__file__).parent
