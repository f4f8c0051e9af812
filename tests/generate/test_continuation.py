"""A reply cut at the token limit is continued (one follow-up call, joined); a reply stuck in a loop is not."""
from __future__ import annotations

import rtlgen
from rtlgen.generate.prompts import join_continuation, runaway_reply
from rtlgen.generate.api import Sampling
from tests.generate.conftest import COUNTER_SPEC, GOOD, NO_SYNTH, flags, module_text
from tests.llm.scripted_server import Reply


def test_cut_reply_is_continued_and_joined(llm):
    cut = GOOD.index("always")
    seen: list[list[dict]] = []

    def answer(body):
        seen.append(body["messages"])
        if "cut off" in body["messages"][-1]["content"]:
            return Reply(text="```verilog\n" + GOOD[cut:] + "\n```\n")  # small models reopen the fence
        return Reply(text="```verilog\n" + GOOD[:cut], finish_reason="length")

    server = llm(answer)
    result = rtlgen.generate(COUNTER_SPEC, sampling=Sampling(1, 0), synth=NO_SYNTH, llm=flags(server))
    assert result.verified and module_text(result.rtl) == module_text(GOOD)
    assert len(seen) == 2 and seen[1][-2] == {"role": "assistant", "content": "```verilog\n" + GOOD[:cut]}


def test_a_looping_reply_is_not_continued(llm):
    calls = []

    def answer(body):
        calls.append(body)
        return Reply(text="```verilog\nmodule counter(\n" + "    // Full adder logic\n    wire s;\n" * 40,
                     finish_reason="length")

    result = rtlgen.generate(COUNTER_SPEC, sampling=Sampling(1, 0), synth=NO_SYNTH, llm=flags(llm(answer)))
    assert not result.verified and len(calls) == 1


def test_helpers():
    assert runaway_reply("x = 1;\n" * 30) and not runaway_reply(GOOD)
    # repeats within one line (measured: "assign out = a & b | c | d | a & b | c | d | ..." to the token limit)
    assert runaway_reply("module m(input a, b, c, d, output out);\n  assign out = " + "a & b | c | d | " * 120)
    # a long design whose lines differ only in their numbers is not a loop
    popcount = "".join(f"  assign s{i} = in[{i}] + in[{i + 1}] + carry{i};\n" for i in range(60))
    assert len(popcount) > 1500 and not runaway_reply(popcount)
    assert join_continuation("```verilog\nmodule m;\n", "```verilog\nendmodule\n```") == "```verilog\nmodule m;\nendmodule\n```"
    assert join_continuation("module m;\n", "endmodule\n") == "module m;\nendmodule\n"
