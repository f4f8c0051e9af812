"""Formal equivalence of designs with memories the reset does not set (RAM, FIFO storage): words matched by
name like registers, memories padded where the address reaches past their words, a planted bug still a
counterexample, and a memory without a partner a bounded verdict that says so."""
from __future__ import annotations

import pandas as pd
import pytest

from tests.verify.test_formal import check

pytestmark = pytest.mark.formal

# 12 words, 8-bit addresses: a read past word 11 is x in simulation (and in Yosys's memory_map)
RAM = """
module ram(input clk, input rst_n, input write_en, input [7:0] write_addr, input [5:0] write_data,
           input read_en, input [7:0] read_addr, output reg [5:0] read_data);
  reg [5:0] RAM [11:0];
  always @(posedge clk) if (write_en) RAM[write_addr] <= write_data;
  always @(posedge clk or negedge rst_n)
    if (!rst_n) read_data <= 0;
    else if (read_en) read_data <= RAM[read_addr];
    else read_data <= 0;
endmodule
"""
CANDIDATE = RAM.replace("module ram(", "module top(")
REINDEXED = CANDIDATE.replace("RAM[write_addr] <=", "RAM[(write_addr ^ 8'h5a) + 8'd3 - 8'd3 ^ 8'h5a] <=").replace(
    "RAM[read_addr];", "RAM[{read_addr[7:4], read_addr[3:0]}];")
WORD5_BUG = CANDIDATE.replace("RAM[write_addr] <= write_data", "RAM[write_addr] <= (write_addr == 8'd5) ? ~write_data "
                                                                ": write_data")


def test_unreset_ram_is_proven_equal_to_itself_and_to_a_reindexed_copy_and_its_bug_caught(tmp_path):
    """One test: the padding that makes the proofs possible must not hide a planted bug (found with its address)."""
    for name, candidate in (("self", CANDIDATE), ("reindexed", REINDEXED)):
        (tmp_path / name).mkdir()
        result = check(tmp_path / name, RAM, "ram", candidate, "top")
        assert result.verdict == "proven", name + ": " + result.message + result.log[-2000:]
        assert "start equal" in result.message
        assert "reads of memory 'RAM' past its 12 words (8-bit address) read the added words RAM[12]..RAM[15]" in \
            result.message
    (tmp_path / "bug").mkdir()
    bug = check(tmp_path / "bug", RAM, "ram", WORD5_BUG, "top")
    assert bug.verdict == "counterexample", bug.message + bug.log[-2000:]
    assert bug.mismatch.signal == "read_data"
    cycles = pd.read_csv(bug.artifacts["cycles"], dtype=str)
    written = cycles[(cycles.write_en == "1") & (cycles.write_addr == "8'h05")]
    read = cycles[(cycles.read_en == "1") & (cycles.read_addr == "8'h05")]
    assert len(written) and len(read) and read.index[-1] > written.index[0], cycles.to_string()


def test_a_memory_without_a_partner_is_bounded_and_says_so(tmp_path):
    result = check(tmp_path, RAM, "ram", CANDIDATE.replace("RAM", "MEM"), "top", timeout=60)
    assert result.verdict == "inconclusive", result.message
    assert "cannot be matched: reference:RAM[0]" in result.message
    assert "reads past the last word of memory 'RAM'" in result.message


ASYNC_FIFO = """
module afifo(input wclk, input rclk, input wrstn, input rrstn, input winc, input rinc, input [7:0] wdata,
             output wfull, output rempty, output reg [7:0] rdata);
  reg [7:0] RAM [0:7];
  reg [3:0] wptr, rptr, wq1, wq2, rq1, rq2;
  always @(posedge wclk or negedge wrstn) if (!wrstn) wptr <= 0; else if (winc && !wfull) wptr <= wptr + 1;
  always @(posedge rclk or negedge rrstn) if (!rrstn) rptr <= 0; else if (rinc && !rempty) rptr <= rptr + 1;
  always @(posedge wclk) if (winc && !wfull) RAM[wptr[2:0]] <= wdata;
  always @(posedge rclk) if (rinc && !rempty) rdata <= RAM[rptr[2:0]];
  always @(posedge wclk or negedge wrstn) if (!wrstn) {wq2, wq1} <= 0; else {wq2, wq1} <= {wq1, rptr};
  always @(posedge rclk or negedge rrstn) if (!rrstn) {rq2, rq1} <= 0; else {rq2, rq1} <= {rq1, wptr};
  assign wfull = (wptr[3] != wq2[3]) && (wptr[2:0] == wq2[2:0]);
  assign rempty = rptr == rq2;
endmodule
"""


def test_two_clock_fifo_storage_is_proven_and_its_bug_caught(tmp_path):
    """The x that proc gives a disabled write's data is no X source: the fast two-valued route proves it."""
    (tmp_path / "same").mkdir(), (tmp_path / "bug").mkdir()
    same = check(tmp_path / "same", ASYNC_FIFO, "afifo", ASYNC_FIFO.replace("module afifo(", "module top("), "top")
    assert same.verdict == "proven", same.message + same.log[-2000:]
    assert "RAM[0]" in same.message and "start equal" in same.message
    bug = ASYNC_FIFO.replace("module afifo(", "module top(").replace("rdata <= RAM[rptr[2:0]]",
                                                                    "rdata <= RAM[rptr[2:0] ^ 3'd1]")
    found = check(tmp_path / "bug", ASYNC_FIFO, "afifo", bug, "top")
    assert found.verdict == "counterexample", found.message + found.log[-2000:]
    assert found.mismatch.signal == "rdata"


# SERV's register file: the read register loads x when the read is off (memory_dff's don't-care reset)
REGISTER_FILE = """
module rf(input clk, input [3:0] waddr, input [1:0] wdata, input wen, input [3:0] raddr, input ren,
          output [1:0] rdata_o);
  reg [1:0] memory [0:15];
  reg [1:0] rdata;
  always @(posedge clk) begin
    if (wen) memory[waddr] <= wdata;
    rdata <= ren ? memory[raddr] : {2{1'bx}};
  end
  assign rdata_o = rdata;
endmodule
"""


def test_a_read_register_loaded_with_x_is_proven_and_its_bug_caught(tmp_path):
    """The x of a read that is off is the don't-care synthesis makes it, not a free value in each design."""
    (tmp_path / "same").mkdir(), (tmp_path / "bug").mkdir()
    candidate = REGISTER_FILE.replace("module rf(", "module top(")
    same = check(tmp_path / "same", REGISTER_FILE, "rf", candidate, "top", timeout=60)
    assert same.verdict == "proven", same.message + same.log[-2000:]
    assert "memory[15]" in same.log and "start equal" in same.message
    found = check(tmp_path / "bug", REGISTER_FILE, "rf", candidate.replace("memory[raddr] :", "memory[raddr ^ 4'd2] :"),
                  "top", timeout=60)
    assert found.verdict == "counterexample", found.message + found.log[-2000:]
    assert found.mismatch.signal == "rdata_o"


def test_a_budget_that_runs_out_names_the_memories_in_the_way(tmp_path):
    """A 4096-word RAM cannot even be mapped in 5 s: the verdict says so instead of only naming the stage."""
    big = (RAM.replace("reg [5:0] RAM [11:0];", "reg [7:0] RAM [4095:0];").replace("[5:0]", "[7:0]")
           .replace("[7:0] write_addr", "[11:0] write_addr").replace("[7:0] read_addr", "[11:0] read_addr"))
    result = check(tmp_path, big, "ram", big.replace("module ram(", "module top("), "top", timeout=5)
    assert result.verdict == "inconclusive", result.message
    assert "ran out of the 5 s budget during elaborate" in result.message
    assert "memories ('RAM' 4096 words x 8 bits) become 32768 flip-flops per design" in result.message
