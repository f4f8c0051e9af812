"""LLMClient with the real openai package against the scripted local server."""
from __future__ import annotations

import json
import time

import pytest

from rtlgen.errors import LLMError
from rtlgen.llm import BudgetExceeded, LLMClient, LLMConfig
from tests.llm.scripted_server import Reply, ScriptedServer, closed_port

pytestmark = pytest.mark.llm

MESSAGES = [{"role": "system", "content": "You write Verilog."}, {"role": "user", "content": "An inverter, please."}]
INVERTER = "```verilog\nmodule TopModule(input a, output y);\n  assign y = ~a;\nendmodule\n```"


def test_correct_reply_keeps_usage_and_sends_parameters(scripted_server, llm_cache):
    scripted_server.push(Reply(INVERTER, prompt_tokens=12, completion_tokens=34))
    with LLMClient(scripted_server.llm_config(temperature=0.7, max_tokens=500), cache=llm_cache) as client:
        [reply] = client.complete(MESSAGES, seed=5, tag="inv")
    assert reply.text == INVERTER
    assert (reply.prompt_tokens, reply.completion_tokens) == (12, 34)
    assert reply.model == "scripted-model" and reply.finish_reason == "stop" and not reply.cached
    assert reply.cost_usd == 0.0 and reply.cost_known is False and reply.latency_s > 0
    [req] = scripted_server.chat_requests
    assert req.body["messages"] == MESSAGES
    assert (req.body["temperature"], req.body["max_tokens"], req.body["seed"]) == (0.7, 500, 5)
    assert "n" not in req.body


def test_cost_from_configured_prices(scripted_server, llm_cache):
    scripted_server.push(Reply("x", prompt_tokens=1000, completion_tokens=2000))
    client = LLMClient(scripted_server.llm_config(price_prompt_per_1k=0.5, price_completion_per_1k=2.0),
                       cache=llm_cache)
    [reply] = client.complete(MESSAGES)
    assert reply.cost_known and reply.cost_usd == pytest.approx(0.5 + 4.0)


def test_n_samples_use_the_api_n(scripted_server, llm_cache):
    scripted_server.push(Reply(["first", "second", "third"], prompt_tokens=10, completion_tokens=31))
    client = LLMClient(scripted_server.llm_config(), cache=llm_cache)
    replies = client.complete(MESSAGES, n=3)
    assert [r.text for r in replies] == ["first", "second", "third"]
    assert [r.sample for r in replies] == [0, 1, 2]
    assert len({r.call_id for r in replies}) == 3
    [req] = scripted_server.chat_requests
    assert req.body["n"] == 3
    assert sum(r.prompt_tokens for r in replies) == 10 and sum(r.completion_tokens for r in replies) == 31


def test_n_samples_fall_back_to_concurrent_calls_when_n_is_ignored(llm_cache):
    script = [Reply("a"), Reply("b", delay=0.5), Reply("c", delay=0.5)]
    with ScriptedServer(script, supports_n=False) as server:
        client = LLMClient(server.llm_config(concurrency=2), cache=llm_cache)
        replies = client.complete(MESSAGES, n=3)
        assert sorted(r.text for r in replies) == ["a", "b", "c"]
        reqs = server.chat_requests
        assert len(reqs) == 3 and reqs[0].body["n"] == 3 and "n" not in reqs[1].body
        # the two single-sample calls ran side by side (each is held 0.5 s by the server)
        assert abs(reqs[2].time - reqs[1].time) < 0.4
        # the server's answer to n is remembered: the next n=2 goes straight to single calls
        server.push(Reply("d"), Reply("e"))
        client.complete(MESSAGES + [{"role": "user", "content": "again"}], n=2)
        assert all("n" not in r.body for r in server.chat_requests[3:]) and len(server.chat_requests) == 5


def test_server_refusing_n_gets_one_request_per_sample_with_distinct_seeds(llm_cache):
    with ScriptedServer([Reply("a"), Reply("b")], supports_n="reject") as server:
        client = LLMClient(server.llm_config(), cache=llm_cache)
        replies = client.complete(MESSAGES, n=2, seed=10)
        assert sorted(r.text for r in replies) == ["a", "b"]
        first, *singles = server.chat_requests
        assert first.body["n"] == 2 and sorted(r.body["seed"] for r in singles) == [10, 11]


@pytest.mark.parametrize("status", [429, 500, 503])
def test_retry_with_backoff_then_success(scripted_server, llm_cache, status):
    scripted_server.push(Reply(status=status), Reply(status=status), Reply("ok"))
    client = LLMClient(scripted_server.llm_config(backoff_base=0.1, backoff_max=1.0), cache=llm_cache)
    [reply] = client.complete(MESSAGES)
    assert reply.text == "ok" and reply.retries == 2 and client.retries == 2
    times = [r.time for r in scripted_server.chat_requests]
    assert len(times) == 3
    # exponential backoff with jitter in [0.5, 1]: >= 0.05 s, then >= 0.1 s
    assert times[1] - times[0] >= 0.05 and times[2] - times[1] >= 0.1


def test_retry_after_header_is_honoured_within_the_cap(scripted_server, llm_cache):
    scripted_server.push(Reply(status=429, headers={"Retry-After": "0.4"}), Reply("ok"))
    client = LLMClient(scripted_server.llm_config(backoff_base=0.01, backoff_max=1.0), cache=llm_cache)
    client.complete(MESSAGES)
    first, second = scripted_server.chat_requests
    assert second.time - first.time >= 0.4


def test_persistent_429_gives_up_after_max_retries(scripted_server, llm_cache):
    scripted_server.push(*[Reply(status=429, error="slow down")] * 5)
    client = LLMClient(scripted_server.llm_config(max_retries=2), cache=llm_cache)
    with pytest.raises(LLMError, match=r"429.*2 retries.*slow down"):
        client.complete(MESSAGES)
    assert len(scripted_server.chat_requests) == 3


def test_other_errors_are_not_retried(scripted_server, llm_cache):
    scripted_server.push(Reply(status=400, error="context length exceeded"), Reply("never sent"))
    client = LLMClient(scripted_server.llm_config(), cache=llm_cache)
    with pytest.raises(LLMError, match="HTTP 400.*context length exceeded"):
        client.complete(MESSAGES)
    assert len(scripted_server.chat_requests) == 1


def test_hang_times_out_naming_the_seconds(scripted_server, llm_cache):
    scripted_server.push(Reply(hang=True))
    client = LLMClient(scripted_server.llm_config(timeout=1.0), cache=llm_cache)
    start = time.monotonic()
    with pytest.raises(LLMError, match=r"within the timeout of 1 seconds"):
        client.complete(MESSAGES)
    assert time.monotonic() - start < 5
    assert len(scripted_server.chat_requests) == 1  # a hang is not retried


def test_dead_endpoint_names_the_url(llm_cache):
    url = f"http://127.0.0.1:{closed_port()}/v1"
    client = LLMClient(LLMConfig(base_url=url, model="m", max_retries=1, backoff_base=0.01), cache=llm_cache)
    with pytest.raises(LLMError, match="cannot connect") as info:
        client.complete(MESSAGES)
    assert url in str(info.value) and "1 retry" in str(info.value)
    assert client.http_calls == 2


def test_wrong_key_is_401_and_not_retried(scripted_server, llm_cache):
    scripted_server.api_key = "right-key"
    client = LLMClient(scripted_server.llm_config(api_key="wrong-key"), cache=llm_cache)
    with pytest.raises(LLMError, match=r"rejected the API key \(HTTP 401.*OPENAI_API_KEY"):
        client.complete(MESSAGES)
    assert len(scripted_server.chat_requests) == 1
    scripted_server.push(Reply("fine"))
    good = LLMClient(scripted_server.llm_config(api_key="right-key"), cache=llm_cache)
    assert good.complete(MESSAGES)[0].text == "fine"


def test_unknown_model_lists_the_available_ones(llm_cache):
    with ScriptedServer(models=("qwen-coder", "llama-3")) as server:
        client = LLMClient(server.llm_config(model="gpt-99"), cache=llm_cache)
        with pytest.raises(LLMError, match=r"model 'gpt-99' not found .*HTTP 404.*available there: llama-3, qwen-coder"):
            client.complete(MESSAGES)
        assert len(server.chat_requests) == 1


def test_unknown_model_without_model_list_points_at_the_base_url(llm_cache):
    with ScriptedServer(list_models=False) as server:
        client = LLMClient(server.llm_config(model="gpt-99"), cache=llm_cache)
        with pytest.raises(LLMError, match=r"model 'gpt-99' not found.*check the base URL"):
            client.complete(MESSAGES)


def test_token_budget_stops_further_calls(scripted_server, llm_cache):
    scripted_server.push(*[Reply(f"r{i}", prompt_tokens=40, completion_tokens=20) for i in range(3)])
    client = LLMClient(scripted_server.llm_config(budget_tokens=100), cache=llm_cache)
    client.complete(MESSAGES, tag="a")
    client.complete(MESSAGES, seed=2, tag="a")
    with pytest.raises(BudgetExceeded, match="120 tokens spent of budget_tokens=100"):
        client.complete(MESSAGES, seed=3, tag="a")
    assert len(scripted_server.chat_requests) == 2


def test_usd_budget(scripted_server, llm_cache):
    scripted_server.push(Reply("x", prompt_tokens=1000, completion_tokens=0), Reply("y"))
    client = LLMClient(scripted_server.llm_config(price_prompt_per_1k=0.01, budget_usd=0.01), cache=llm_cache)
    client.complete(MESSAGES)
    with pytest.raises(BudgetExceeded, match=r"\$0\.0100 spent of budget_usd"):
        client.complete(MESSAGES, seed=1)
    assert len(scripted_server.chat_requests) == 1


def test_cache_second_run_makes_no_calls(scripted_server, llm_cache):
    scripted_server.push(Reply(["one", "two"]))
    first = LLMClient(scripted_server.llm_config(), cache=llm_cache).complete(MESSAGES, n=2, tag="d")
    assert len(scripted_server.chat_requests) == 1
    second_client = LLMClient(scripted_server.llm_config(), cache=llm_cache)
    second = second_client.complete(MESSAGES, n=2, tag="d")
    assert len(scripted_server.chat_requests) == 1  # zero new calls
    assert [r.text for r in second] == [r.text for r in first] == ["one", "two"]
    assert [r.call_id for r in second] == [r.call_id for r in first]
    assert all(r.cached for r in second) and second_client.http_calls == 0
    assert second_client.ledger.total().cached == 2 and second_client.ledger.total().tokens == 0
    # a different sample count reuses the cached samples and fetches only the new one
    scripted_server.push(Reply("three"))
    third = second_client.complete(MESSAGES, n=3, tag="d")
    assert [r.text for r in third] == ["one", "two", "three"] and [r.cached for r in third] == [True, True, False]
    assert len(scripted_server.chat_requests) == 2
    # different parameters are a different key
    scripted_server.push(Reply("hot"))
    assert second_client.complete(MESSAGES, temperature=1.0)[0].text == "hot"


def test_use_cache_false_calls_again_and_still_writes(scripted_server, llm_cache):
    scripted_server.push(Reply("old"), Reply("new"))
    LLMClient(scripted_server.llm_config(), cache=llm_cache).complete(MESSAGES)
    fresh = LLMClient(scripted_server.llm_config(), cache=llm_cache, use_cache=False).complete(MESSAGES)
    assert fresh[0].text == "new" and not fresh[0].cached
    assert len(scripted_server.chat_requests) == 2
    again = LLMClient(scripted_server.llm_config(), cache=llm_cache).complete(MESSAGES)
    assert again[0].text == "new" and again[0].cached


def test_transcript_and_ledger(scripted_server, llm_cache, tmp_path):
    scripted_server.push(Reply("a", prompt_tokens=10, completion_tokens=5), Reply("b", prompt_tokens=20, completion_tokens=7))
    client = LLMClient(scripted_server.llm_config(), cache=llm_cache, transcript_path=tmp_path / "live.jsonl")
    client.complete(MESSAGES, tag="alu")
    fifo = [{"role": "user", "content": "A FIFO, please."}]
    client.complete(fifo, tag="fifo")
    client.complete(fifo, tag="fifo")  # cached: the tag is not part of the cache key
    lines = [json.loads(x) for x in client.write_transcript(tmp_path / "t.jsonl").read_text().splitlines()]
    assert [(x["tag"], x["text"], x["cached"]) for x in lines] == [("alu", "a", False), ("fifo", "b", False),
                                                                   ("fifo", "b", True)]
    assert lines[0]["messages"] == MESSAGES and lines[1]["messages"] == fifo and lines[0]["prompt_tokens"] == 10 and "latency_s" in lines[0]
    assert (tmp_path / "live.jsonl").read_text().count("\n") == 3
    rows = {r.tag: r for r in client.ledger.rows()}
    assert (rows["alu"].calls, rows["alu"].tokens) == (1, 15)
    assert (rows["fifo"].calls, rows["fifo"].cached, rows["fifo"].tokens) == (1, 1, 27)
    table = client.ledger.table()
    assert "alu" in table and "fifo" in table and "TOTAL" in table and "unknown" in table
    assert client.ledger.total().tokens == 42


def test_a_request_too_long_for_the_context_is_a_prompt_too_long_error(scripted_server, llm_cache):
    from rtlgen.llm import PromptTooLong

    scripted_server.push(Reply(status=400, error="request (6196 tokens) exceeds the available context size (6144 "
                                                 "tokens), try increasing it"))
    client = LLMClient(scripted_server.llm_config(), cache=llm_cache)
    with pytest.raises(PromptTooLong, match="does not fit the context window.*6144"):
        client.complete(MESSAGES)
    scripted_server.push(Reply(status=400, error="temperature must be between 0 and 2"))
    with pytest.raises(LLMError) as other:
        client.complete(MESSAGES, temperature=1.5)
    assert not isinstance(other.value, PromptTooLong)
