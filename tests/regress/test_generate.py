"""`--candidates generate`: the LLM loop per problem (a scripted OpenAI-compatible server), model and tokens recorded."""
from __future__ import annotations

from pathlib import Path

import pytest

import rtlgen
from rtlgen.generate.api import Sampling
from rtlgen.generate.loop import ENDPOINT_BUDGET, LOCAL_BUDGET
from rtlgen.llm.config import LlmSettings
from rtlgen.regress.api import Recording, Selection, Workers
from rtlgen.regress.store import Store
from tests.generate.conftest import Script, as_local_model, fenced, isolated, llm  # noqa: F401 - fixtures
from tests.regress.tiny import ADDER_LEAN, MUX, write_suite


@pytest.mark.llm
@pytest.mark.slow
@pytest.mark.sim
@pytest.mark.formal
def test_generated_candidates_are_recorded_with_model_and_tokens(llm, isolated: Path) -> None:  # noqa: F811
    server = llm(Script(spec=[fenced(MUX)]))
    suite = write_suite(isolated / "tiny", {"mux": MUX})
    store = isolated / "runs.db"
    result = rtlgen.regress(str(suite), "generate", recording=Recording(store),
                            selection=Selection(checks=("lint", "formal")),
                            llm=LlmSettings(base_url=server.base_url, model=server.models[0]))
    (item,) = result.items
    assert item.ok and item.record.formal == "proven" and item.verify is not None
    assert result.run.llm_model == "scripted-model" and item.llm["model"] == "scripted-model"
    assert item.llm["prompt_tokens"] > 0 and item.llm["completion_tokens"] > 0
    assert item.extra["generation"]["verified"] is True
    table = Store(store).table()
    assert table["prompt_tokens"].iloc[0] == item.llm["prompt_tokens"]


@pytest.mark.llm
@pytest.mark.slow
@pytest.mark.sim
def test_with_no_endpoint_one_local_model_serves_the_whole_run(llm, as_local_model, isolated: Path) -> None:  # noqa: F811
    """No endpoint configured: the run opens the local model once for all its problems (not one server per
    problem and worker) and tells the caller; the scripted server stands in for it."""
    server = llm(Script(spec=lambda body: fenced(ADDER_LEAN if "`adder`" in body["messages"][-1]["content"] else MUX)))
    opened = as_local_model(server)
    suite = write_suite(isolated / "tiny", {"mux": MUX, "adder": ADDER_LEAN})
    said: list[str] = []
    result = rtlgen.regress(str(suite), "generate", recording=Recording(isolated / "runs.db"),
                            selection=Selection(checks=("lint",)), workers=Workers(jobs=2), say=said.append)
    assert opened == ["local model opened"] and said == ["local model ready"]
    assert len(result.items) == 2 and all(item.llm["model"] == "scripted-model" for item in result.items)
    assert len(server.chat_requests) == 2 and result.run.llm_model == "scripted-model"
    # the workers see an endpoint; the budget is still the local model's, as `rtlgen SPEC` would choose
    assert all(item.extra["generation"]["budget"]["samples"] == LOCAL_BUDGET.samples
               and item.extra["generation"]["budget"]["rounds"] == LOCAL_BUDGET.rounds for item in result.items)


@pytest.mark.llm
@pytest.mark.slow
@pytest.mark.sim
def test_an_endpoint_keeps_its_budget_unless_told(llm, isolated: Path) -> None:  # noqa: F811
    server = llm(Script(spec=[fenced(MUX)] * 3))
    suite = write_suite(isolated / "tiny", {"mux": MUX})
    endpoint = LlmSettings(base_url=server.base_url, model=server.models[0])
    recording, lint = Recording(isolated / "runs.db"), Selection(checks=("lint",))
    default = rtlgen.regress(str(suite), "generate", recording=recording, selection=lint, llm=endpoint)
    assert default.items[0].extra["generation"]["budget"]["samples"] == ENDPOINT_BUDGET.samples
    chosen = rtlgen.regress(str(suite), "generate", recording=recording, selection=lint,
                            sampling=Sampling(samples=2, rounds=1), llm=endpoint)
    assert chosen.items[0].extra["generation"]["budget"] == {"samples": 2, "rounds": 1, "concurrency": 4}


@pytest.mark.llm
@pytest.mark.slow
@pytest.mark.sim
def test_the_endpoint_is_resolved_once_for_the_whole_run(llm, isolated: Path, monkeypatch) -> None:  # noqa: F811
    """The run resolves its LLM settings once and its workers get the resolved endpoint: the configuration is read
    as often for two problems as for one."""
    from rtlgen.llm import config

    reads: list[Path] = []
    read_file = config._read_file
    monkeypatch.setattr(config, "_read_file", lambda path: reads.append(path) or read_file(path))
    server = llm(Script(spec=lambda body: fenced(ADDER_LEAN if "`adder`" in body["messages"][-1]["content"] else MUX)))
    endpoint = LlmSettings(base_url=server.base_url, model=server.models[0])
    counts = []
    for problems in ({"mux": MUX}, {"mux": MUX, "adder": ADDER_LEAN}):
        reads.clear()
        suite = write_suite(isolated / f"suite{len(problems)}", problems)
        result = rtlgen.regress(str(suite), "generate", recording=Recording(isolated / f"runs{len(problems)}.db"),
                                selection=Selection(checks=("lint",)), sampling=Sampling(samples=1, rounds=0),
                                llm=endpoint)
        assert len(result.items) == len(problems) and all(item.ok for item in result.items)
        counts.append(len(reads))
    assert counts[0] == counts[1] > 0
