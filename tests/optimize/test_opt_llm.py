"""LLM moves through the local scripted server: a wrong rewrite is rejected, a right one accepted."""
from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

import rtlgen
from rtlgen.spec.model import Candidate
from rtlgen.optimize.loop import Search
from rtlgen.optimize.result import OptResult
from rtlgen.synth.target import Target
from tests.llm.conftest import clean_env  # noqa: F401 - fixture
from tests.llm.scripted_server import Reply, ScriptedServer
from tests.optimize.conftest import COUNT10, NARROW, WRONG

pytestmark = [pytest.mark.llm, pytest.mark.synth, pytest.mark.formal, pytest.mark.sim]


def _rule(rule_id: str) -> SimpleNamespace:
    return SimpleNamespace(id=rule_id, kind="prompt", title=f"rule {rule_id}", goal=("area",), risks=("reset values",),
                           description="Narrow a register to the range of values it can reach.",
                           example=SimpleNamespace(before="reg [7:0] q;", after="reg [3:0] q;"))


@pytest.fixture
def isolated(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No endpoint from the developer's shell or config file; a private LLM call cache."""
    clean_env.setenv("RTLGEN_CACHE", str(tmp_path / "cache"))
    return tmp_path


def _optimize_count10(server: ScriptedServer, liberty, isolated: Path) -> OptResult:
    """COUNT10 through the optimizer with only the LLM's moves (one round, no flow portfolio) from ``server``."""
    return rtlgen.optimize(Candidate(COUNT10, "m"), Target(liberty=liberty),
                           Search(budget=1, flows=False, power_from_simulation=False,
                                  llm_flags={"base_url": server.base_url, "model": server.models[0]}),
                           workdir=isolated / "run")


def test_wrong_llm_rewrite_rejected_right_one_accepted(isolated: Path, nangate45, providers):
    providers(rules=[_rule("narrow-a"), _rule("narrow-b")])
    script = [Reply(text=f"Here it is:\n```verilog\n{WRONG}```\n"), Reply(text=f"```verilog\n{NARROW}```")]
    with ScriptedServer(script) as server:
        result = _optimize_count10(server, nangate45, isolated)
        prompts = [r.body["messages"][-1]["content"] for r in server.chat_requests]
    assert len(prompts) == 2 and result.llm_calls == 2
    assert "reg [7:0] q;" in prompts[0] and "rule narrow-a" in prompts[0] and "area" in prompts[0]
    assert [(r.rule, r.reason) for r in result.rejected] == [("narrow-a", "counterexample")]
    assert [(s.rule, s.kind) for s in result.steps] == [("narrow-b", "prompt")]
    assert result.equivalence == "proven" and result.rtl.strip() == NARROW.strip()


@pytest.mark.slow
def test_no_endpoint_runs_the_deterministic_moves_only(isolated: Path, nangate45, providers):
    providers(rules=[_rule("narrow-a")])
    result = rtlgen.optimize(Candidate(COUNT10, "m"), Target(liberty=nangate45),
                             Search(budget=1, flows=False, power_from_simulation=False), workdir=isolated / "run")
    assert result.llm_calls == 0 and result.providers["prompt"].startswith("no LLM endpoint configured")
    assert result.exit_code == 0


def test_a_reply_without_a_rewrite_is_a_failed_move_and_the_llm_time_is_kept(isolated: Path, nangate45, providers):
    """The acceptance of LLM moves is measured from the result: a reply with no usable code counts as a rejected
    move (it was only a progress line), and the time spent waiting for replies is recorded."""
    providers(rules=[_rule("narrow-a")])
    with ScriptedServer([Reply(text="I would narrow the register, but I cannot show the code.")]) as server:
        result = _optimize_count10(server, nangate45, isolated)
    assert [(r.rule, r.kind, r.reason) for r in result.rejected] == [("narrow-a", "prompt", "error")]
    assert result.rejected[0].detail.startswith("no proposal: no usable code")
    assert result.llm_calls == 1 and 0 < result.llm_seconds < result.seconds


def test_the_llm_may_answer_that_a_rule_does_not_apply(isolated: Path, nangate45, providers):
    """The prompt offers a one-word answer for a rule that does not fit the design (a CPU model then answers in
    seconds instead of repeating the design for minutes); that answer is a move not made, said as such."""
    providers(rules=[_rule("narrow-a")])
    with ScriptedServer([Reply(text="SKIP")]) as server:
        result = _optimize_count10(server, nangate45, isolated)
        prompt = server.chat_requests[0].body["messages"][-1]["content"]
    assert "reply with the single word SKIP" in prompt
    assert [(r.rule, r.detail) for r in result.rejected] == [
        ("narrow-a", "no proposal: the LLM says the rule does not apply to this design")]
