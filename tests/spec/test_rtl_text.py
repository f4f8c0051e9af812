"""Module renaming keeps every other byte of the source, and touches only module names."""
from __future__ import annotations

from pathlib import Path

from rtlgen.spec.interface import module_names, read_ports
from rtlgen.spec.rtl_text import prefix_modules, rename_modules

DESIGNS = Path(__file__).resolve().parents[2] / "designs"

SOURCE = """\
// adder: module adder is used below; the word adder in comments and strings stays.
`timescale 1ns/1ps
module adder #(parameter W = 4) (input [W-1:0] a, b, output [W:0] s);
  assign s = a + b;   /* adder */
endmodule

module top(input [7:0] x, output [8:0] y, output adder);
  wire [8:0] adder_out;
  reg  top_q;  // a signal that shares the top module's name prefix
  adder #(.W(8)) u_adder (.a(x), .b(x), .s(adder_out));
  adder #(8) u_adder2 (x, x, );
  adder u_default (.a(x[3:0]), .b(x[7:4]), .s());
  assign adder = adder_out[8];
  assign y = adder_out;
  initial $display("adder %m");
endmodule
"""


def test_rename_changes_only_declarations_and_instantiation_types() -> None:
    out = rename_modules(SOURCE, {"adder": "RefAdder"})
    # exactly the declaration and the three instantiations change
    expected = SOURCE.replace("module adder #", "module RefAdder #")
    expected = expected.replace("  adder #(.W(8))", "  RefAdder #(.W(8))").replace("  adder #(8)", "  RefAdder #(8)")
    expected = expected.replace("  adder u_default", "  RefAdder u_default")
    assert out == expected
    assert module_names(out) == ["RefAdder", "top"]
    # the signal called 'adder', comments and the string are untouched
    assert "output adder);" in out and "assign adder = adder_out[8];" in out
    assert '"adder %m"' in out and "/* adder */" in out and out.startswith("// adder: module adder is used")


def test_renamed_design_still_elaborates() -> None:
    out = rename_modules(SOURCE, {"adder": "RefAdder", "top": "RefTop"})
    assert module_names(out) == ["RefAdder", "RefTop"]
    ports = read_ports(out, "RefTop")
    assert [(p.name, p.width) for p in ports] == [("x", 8), ("y", 9), ("adder", 1)]


def test_names_not_in_the_mapping_are_left_alone() -> None:
    assert rename_modules(SOURCE, {}) == SOURCE
    assert rename_modules(SOURCE, {"add": "sub"}) == SOURCE  # a prefix of a name is not the name
    out = rename_modules(SOURCE, {"top": "TopModule"})
    assert "module TopModule(" in out and "reg  top_q;" in out and "u_adder" in out


def test_length_changes_keep_later_offsets_right() -> None:
    """Several renames on one line, to shorter and longer names, must not shift each other."""
    src = "module a(); endmodule\nmodule bb(); a x(); a y(); endmodule\n"
    assert rename_modules(src, {"a": "alpha", "bb": "b"}) == (
        "module alpha(); endmodule\nmodule b(); alpha x(); alpha y(); endmodule\n")


def test_non_ascii_text_before_a_rename() -> None:
    """Offsets are in bytes: a multi-byte comment before the module must not misplace the edit."""
    src = "// größer — wider\nmodule m(input a, output y); assign y = a; endmodule\n"
    assert rename_modules(src, {"m": "n"}) == src.replace("module m(", "module n(")


def test_prefix_modules_on_an_example_design() -> None:
    rtl = (DESIGNS / "fifo" / "fifo.v").read_text()
    out, mapping = prefix_modules(rtl, "ref_", module_names(rtl))
    assert mapping == {"fifo": "ref_fifo"}
    assert out == rtl.replace("module fifo #(", "module ref_fifo #(", 1)
    assert read_ports(out, "ref_fifo") == read_ports(rtl, "fifo")


def test_prefix_lets_two_designs_share_one_compilation() -> None:
    """The use case: candidate and reference with clashing module names compiled side by side."""
    cand = "module sub(input a, output y); assign y = a; endmodule\nmodule top(input a, output y); sub s(a, y); endmodule\n"
    ref = "module sub(input a, output y); assign y = ~a; endmodule\nmodule top(input a, output y); sub s(.a(a), .y(y)); endmodule\n"
    renamed, mapping = prefix_modules(ref, "gold_", ["sub", "top"])
    assert mapping == {"sub": "gold_sub", "top": "gold_top"}
    both = cand + renamed
    assert module_names(both) == ["sub", "top", "gold_sub", "gold_top"]
    assert "gold_sub s(.a(a), .y(y));" in renamed and "assign y = ~a;" in renamed
    assert len(read_ports(both, "gold_top")) == 2 and len(read_ports(both, "top")) == 2
