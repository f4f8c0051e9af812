"""The call cache: content-keyed, safe under concurrent writers, corrupt entries are misses."""
from __future__ import annotations

import threading

from rtlgen.llm import CallCache, Ledger, cache_key

MSGS = [{"role": "user", "content": "hi"}]
PARAMS = {"temperature": 0.2, "top_p": None, "max_tokens": 100, "seed": None}


def test_key_depends_on_every_input():
    base = cache_key("http://a/v1", "m", MSGS, PARAMS, 0)
    assert base == cache_key("http://a/v1/", "m", MSGS, dict(reversed(PARAMS.items())), 0)
    others = {cache_key("http://b/v1", "m", MSGS, PARAMS, 0), cache_key("http://a/v1", "m2", MSGS, PARAMS, 0),
              cache_key("http://a/v1", "m", [{"role": "user", "content": "ho"}], PARAMS, 0),
              cache_key("http://a/v1", "m", MSGS, {**PARAMS, "temperature": 0.3}, 0),
              cache_key("http://a/v1", "m", MSGS, {**PARAMS, "seed": 1}, 0),
              cache_key("http://a/v1", "m", MSGS, PARAMS, 1)}
    assert base not in others and len(others) == 6


def test_concurrent_writers_never_leave_partial_entries(tmp_path):
    cache = CallCache(tmp_path)
    key = cache_key("http://a/v1", "m", MSGS, PARAMS, 0)
    errors: list[BaseException] = []
    seen: list[dict] = []

    def writer(worker: int) -> None:
        try:
            for i in range(30):
                cache.put(key, {"text": f"{worker}-{i}" * 200})
                record = cache.get(key)
                assert record is not None and len(record["text"]) >= 600
                seen.append(record)
        except BaseException as exc:  # noqa: BLE001 - collected for the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(seen) == 180
    assert len(cache) == 1 and not list(tmp_path.rglob(".tmp-*"))


def test_corrupt_entry_is_a_miss(tmp_path):
    cache = CallCache(tmp_path)
    key = cache_key("http://a/v1", "m", MSGS, PARAMS, 0)
    cache.put(key, {"text": "x"})
    next(tmp_path.rglob(f"{key}.json")).write_text("{truncated")
    assert cache.get(key) is None


def test_ledger_table_with_prices():
    ledger = Ledger(cost_known=True)
    ledger.record(tag="alu", prompt_tokens=100, completion_tokens=50, cost_usd=0.25, latency_s=1.0, cached=False)
    ledger.record(tag="alu", prompt_tokens=100, completion_tokens=50, cost_usd=0.25, latency_s=1.0, cached=True)
    ledger.record(tag="fifo", prompt_tokens=10, completion_tokens=5, cost_usd=0.5, latency_s=2.0, cached=False)
    assert ledger.spent() == (165, 0.75)
    lines = ledger.table().splitlines()
    assert lines[0].split()[:3] == ["design", "calls", "cached"]
    assert lines[2].split() == ["alu", "1", "1", "100", "50", "0.2500", "1.0"]
    assert lines[-1].split() == ["TOTAL", "2", "1", "110", "55", "0.7500", "3.0"]
    assert ledger.to_dict()["total"]["cost_usd"] == 0.75
