"""Liberty resolution and validation: clear errors for missing, corrupt or truncated files."""
from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from rtlgen.synth.liberty import LibertyError, liberty_source, load_liberty, resolve_liberty

TINY = """library (tiny) {
  cell (INV) { area : 1.5; pin (A) { direction : input; } pin (Y) { direction : output; function : "!A"; } }
  cell (TIE) { area : 2.0; pin (HI) { direction : output; function : "1"; } pin (LO) { direction : output; function : "0"; } }
  cell (DFF) { area : 6.0; ff (IQ, IQN) { next_state : "D"; clocked_on : "CK"; }
    pin (CK) { direction : input; clock : true; } pin (D) { direction : input; } pin (Q) { direction : output; function : "IQ"; } }
}
"""


def test_missing_liberty_names_file_and_fix(tmp_path: Path) -> None:
    with pytest.raises(LibertyError, match=r"not found: .*nope\.lib.*--liberty"):
        load_liberty(tmp_path / "nope.lib")


def test_corrupt_gzip(tmp_path: Path) -> None:
    bad = tmp_path / "bad.lib.gz"
    bad.write_bytes(b"\x1f\x8b\x08\x00" + b"garbage" * 50)
    with pytest.raises(LibertyError, match="corrupt gzip"):
        load_liberty(bad)


def test_not_a_liberty(tmp_path: Path) -> None:
    bad = tmp_path / "x.lib"
    bad.write_text("module m; endmodule\n")
    with pytest.raises(LibertyError, match="not a liberty file"):
        load_liberty(bad)


def test_truncated_liberty(tmp_path: Path) -> None:
    bad = tmp_path / "trunc.lib.gz"
    bad.write_bytes(gzip.compress(TINY[: len(TINY) // 2].encode()))
    with pytest.raises(LibertyError, match="truncated or corrupt"):
        load_liberty(bad)


def test_small_liberty_cells_ties_and_clock_pins(tmp_path: Path) -> None:
    path = tmp_path / "tiny.lib.gz"
    path.write_bytes(gzip.compress(TINY.encode()))
    lib = load_liberty(path)
    assert lib.name == "tiny" and lib.path == str(path)
    assert Path(lib.plain_path).read_text() == TINY  # decompressed into the cache, keyed by hash
    assert lib.plain_path.endswith(f"{lib.sha256}.lib")
    assert lib.cells["DFF"].sequential and lib.cells["DFF"].clock_pins == ("CK",)
    assert not lib.cells["INV"].sequential and lib.cells["INV"].area == 1.5
    assert lib.tie_hi == ("TIE", "HI") and lib.tie_lo == ("TIE", "LO")


def test_resolution_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RTLGEN_LIBERTY", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert liberty_source(None) == (None, "none") and resolve_liberty(None) is None
    (tmp_path / "rtlgen").mkdir()
    (tmp_path / "rtlgen" / "config.yaml").write_text("liberty: /from/config.lib\n")
    assert liberty_source(None)[0] == "/from/config.lib"
    monkeypatch.setenv("RTLGEN_LIBERTY", "/from/env.lib")
    assert liberty_source(None) == ("/from/env.lib", "env RTLGEN_LIBERTY")
    assert liberty_source("/explicit.lib") == ("/explicit.lib", "argument")
    (tmp_path / "rtlgen" / "config.yaml").write_text("liberty: [1, 2]\n")
    monkeypatch.delenv("RTLGEN_LIBERTY")
    with pytest.raises(Exception, match="key 'liberty' must be a path"):
        liberty_source(None)


@pytest.mark.bench
def test_shared_liberties(sky130: str, nangate45: str) -> None:
    sky = load_liberty(sky130)
    assert sky.name == "sky130_fd_sc_hd__tt_025C_1v80" and sky.tie_hi == ("sky130_fd_sc_hd__conb_1", "HI")
    assert "CLK" in sky.cells["sky130_fd_sc_hd__dfxtp_1"].clock_pins
    ng = load_liberty(nangate45)
    assert ng.name == "NangateOpenCellLibrary" and ng.tie_lo == ("LOGIC0_X1", "Z")
    assert ng.cells["DFF_X1"].clock_pins == ("CK",)


def test_names_resolve_in_the_liberty_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A bare file name or PDK name is looked up in RTLGEN_LIBERTY_PATH, <benchmarks>/liberty, the cache."""
    from rtlgen.synth.liberty import find_liberty, search_dirs  # noqa: PLC0415

    bench = tmp_path / "bench"
    (bench / "liberty").mkdir(parents=True)
    (bench / "liberty" / "sky130hd_tt.lib.gz").write_bytes(gzip.compress(TINY.encode()))
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "mine.lib").write_text(TINY)
    monkeypatch.setenv("RTLGEN_BENCHMARKS", str(bench))
    monkeypatch.setenv("RTLGEN_LIBERTY_PATH", str(extra))
    monkeypatch.setenv("RTLGEN_CACHE", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    assert search_dirs()[:2] == [extra, bench / "liberty"]
    assert find_liberty("sky130") == bench / "liberty" / "sky130hd_tt.lib.gz"
    assert find_liberty("sky130hd_tt.lib.gz") == bench / "liberty" / "sky130hd_tt.lib.gz"
    assert find_liberty("mine.lib") == extra / "mine.lib"
    assert find_liberty("extra/mine.lib") == extra / "mine.lib"  # a relative path from the working directory
    lib = resolve_liberty("sky130")
    assert lib is not None and lib.name == "tiny" and resolve_liberty(lib) is lib  # a resolved value passes through
    assert type(lib).from_dict(lib.to_dict()) == lib
    with pytest.raises(LibertyError, match=r"nangate45.*is in none of .*rtlgen pdk fetch nangate45"):
        find_liberty("nangate45")
    with pytest.raises(LibertyError, match=r"not found: .*other\.lib \(looked in") as info:
        find_liberty("other.lib")
    assert "did you mean" not in str(info.value)  # nothing like it
    with pytest.raises(LibertyError, match=r"sky130hd .*\(did you mean sky130 or sky130hd_tt\.lib\.gz\?\)"):
        find_liberty("sky130hd")
    with pytest.raises(LibertyError, match=r"did you mean mine\.lib\?"):
        find_liberty("mine.lb")


def test_a_rejected_liberty_does_not_stay_decompressed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RTLGEN_CACHE", str(tmp_path / "cache"))
    bad = tmp_path / "x.lib.gz"
    bad.write_bytes(gzip.compress(b"module m; endmodule\n" * 10))
    with pytest.raises(LibertyError, match="not a liberty file"):
        load_liberty(bad)
    assert not list((tmp_path / "cache" / "liberty").glob("*.lib"))


ALU = """module alu(input [7:0] a, input [7:0] b, input [2:0] op, input en, output reg [7:0] y, output z);
always @* begin
  case (op)
    3'd0: y = a + b; 3'd1: y = a - b; 3'd2: y = a & b; 3'd3: y = a | b;
    3'd4: y = a ^ b; 3'd5: y = ~a; 3'd6: y = a << b[2:0]; default: y = en ? a : b;
  endcase
end
assign z = ~|y | (en & ~a[0]);
endmodule
"""


@pytest.mark.synth
def test_sky130hd_netlist_has_no_dont_use_cell(sky130: str) -> None:
    """This ALU maps onto an lpflow isolation buffer when the whole liberty is offered; OpenROAD's sky130hd
    platform keeps lpflow_* and probe cells out of synthesis, and so does every rtlgen flow."""
    from dataclasses import replace  # noqa: PLC0415

    from rtlgen.spec.model import Candidate  # noqa: PLC0415
    from rtlgen.synth import synthesize  # noqa: PLC0415
    from rtlgen.synth.target import Target  # noqa: PLC0415
    from rtlgen.synth.liberty import DontUse, load_liberty  # noqa: PLC0415

    lib = load_liberty(sky130)
    assert lib.dont_use.lists == ("sky130hd",) and "sky130_fd_sc_hd__lpflow_isobufsrc_1" in lib.excluded_cells
    whole = synthesize(Candidate(ALU, "alu"), Target(liberty=replace(lib, dont_use=DontUse())), use_cache=False)
    assert any("lpflow" in cell for cell in whole.cells)  # the design exercises the list
    report = synthesize(Candidate(ALU, "alu"), Target(liberty=lib, dont_use=("sky130_fd_sc_hd__xor2_*",)),
                        use_cache=False)
    assert not [c for c in report.cells if lib.dont_use.excluded([c]) or c.startswith("sky130_fd_sc_hd__xor2_")]
    assert report.liberty["dont_use"]["lists"] == ["sky130hd", "--dont-use"]
    assert report.liberty["dont_use"]["cells_excluded"] == len(lib.excluded_cells) + 3  # xor2_1, _2, _4
    assert "dont use | 39 cells excluded (sky130hd + --dont-use" in report.to_markdown()


def test_dont_use_cells_are_cut_from_the_liberty_flows_map_onto(tmp_path: Path) -> None:
    from rtlgen.spec.model import Candidate  # noqa: PLC0415
    from rtlgen.synth import synthesize  # noqa: PLC0415
    from rtlgen.synth.target import Target  # noqa: PLC0415

    path = tmp_path / "tiny.lib"
    path.write_text(TINY)
    lib = load_liberty(path)
    assert lib.dont_use.patterns == () and lib.mapping_path == lib.plain_path  # no list for this library
    kept = lib.with_dont_use(["TI?", "INV"])
    assert kept.excluded_cells == ["INV", "TIE"] and kept.dont_use.lists == ("--dont-use",)
    text = Path(kept.mapping_path).read_text()
    assert "cell (INV)" not in text and "cell (TIE)" not in text and "cell (DFF)" in text
    assert text.count("{") == text.count("}") and text.rstrip().endswith("}")
    with pytest.raises(LibertyError, match=r"dont-use pattern 'NAND\*' matches no cell of the liberty tiny"):
        synthesize(Candidate("module m(input a, output y); assign y = ~a; endmodule\n", "m"),
                   Target(liberty=str(path), dont_use=("NAND*",)), use_cache=False)
