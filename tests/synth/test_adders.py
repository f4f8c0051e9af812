"""The liberty's full-adder cell is found by its pins' functions, whatever the library calls its cell and pins."""
from __future__ import annotations

import gzip
from pathlib import Path

from rtlgen.synth.adders import FullAdderCell, adder_map, full_adder_cell
from rtlgen.synth.liberty import load_liberty


def test_the_full_adder_cells_of_both_libraries(nangate45: str, sky130: str):
    assert full_adder_cell(load_liberty(nangate45)) == FullAdderCell("FA_X1", 4.256, ("A", "B", "CI"), "CO", "S")
    assert full_adder_cell(load_liberty(sky130)) == FullAdderCell(
        "sky130_fd_sc_hd__fa_1", 20.0192, ("A", "B", "CIN"), "COUT", "SUM")


CELL = """  cell ({name}) {{
    area : {area};
    pin (P) {{ direction : input; }}
    pin (Q) {{ direction : input; }}
    pin (R) {{ direction : input; }}
    pin (O1) {{ direction : output; function : "{o1}"; }}
    pin (O2) {{ direction : output; function : "{o2}"; }}
  }}
"""


def _library(tmp_path: Path, cells: str) -> Path:
    path = tmp_path / "toy.lib.gz"
    path.write_bytes(gzip.compress(f"library (toy) {{\n{cells}}}\n".encode()))
    return path


def test_a_cell_is_a_full_adder_only_when_its_outputs_are_parity_and_majority(tmp_path: Path):
    """Outputs in either order, any pin names; an inverted carry (the 'fahcin' kind) or a 3-input AND is not one."""
    cells = "".join([
        CELL.format(name="MAJ_XOR", area=3.0, o1="(P&Q) | (P&R) | (Q&R)", o2="P ^ Q ^ R"),
        CELL.format(name="NOT_ADDER", area=1.0, o1="(P&!R) | (P&Q) | (Q&!R)", o2="P ^ Q ^ R"),
        CELL.format(name="AND3", area=0.5, o1="P&Q&R", o2="P ^ Q ^ R"),
        CELL.format(name="XOR_MAJ", area=2.0, o1="(P^Q)^R", o2="(P&Q)|(R&(P|Q))"),
    ])
    assert full_adder_cell(load_liberty(_library(tmp_path, cells))) == FullAdderCell(
        "XOR_MAJ", 2.0, ("P", "Q", "R"), "O2", "O1")


def test_without_a_full_adder_cell_the_map_keeps_the_adders_as_logic(tmp_path: Path):
    liberty = load_liberty(_library(tmp_path, CELL.format(name="AND3", area=0.5, o1="P&Q&R", o2="P^Q^R")))
    assert full_adder_cell(liberty) is None
    text = adder_map(liberty).read_text()
    assert "assign Y = A ^ B ^ C;" in text and "generate" not in text
