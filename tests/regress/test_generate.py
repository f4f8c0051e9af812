"""`--candidates generate`: the LLM loop per problem (a scripted OpenAI-compatible server), model and tokens recorded."""
from __future__ import annotations

from pathlib import Path

import pytest

import rtlgen
from rtlgen.regress.store import Store
from tests.generate.conftest import Script, fenced, isolated, llm  # noqa: F401 - fixtures
from tests.regress.tiny import MUX, write_suite


@pytest.mark.llm
@pytest.mark.slow
@pytest.mark.sim
@pytest.mark.formal
def test_generated_candidates_are_recorded_with_model_and_tokens(llm, isolated: Path) -> None:  # noqa: F811
    server = llm(Script(spec=[fenced(MUX)]))
    suite = write_suite(isolated / "tiny", {"mux": MUX})
    store = isolated / "runs.db"
    result = rtlgen.regress(str(suite), "generate", store=store, checks=("lint", "formal"),
                            base_url=server.base_url, model=server.models[0])
    (item,) = result.items
    assert item.ok and item.record.formal == "proven" and item.verify is not None
    assert result.run.llm_model == "scripted-model" and item.llm["model"] == "scripted-model"
    assert item.llm["prompt_tokens"] > 0 and item.llm["completion_tokens"] > 0
    assert item.extra["generation"]["verified"] is True
    table = Store(store).table()
    assert table["prompt_tokens"].iloc[0] == item.llm["prompt_tokens"]
