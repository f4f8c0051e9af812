"""Fixtures for the optimizer tests: the shared Nangate45 liberty, small designs, move providers on demand."""
from __future__ import annotations

import os
from types import SimpleNamespace
from typing import Any, Callable

import pytest

from rtlgen.config import benchmarks_dir
from rtlgen.optimize import loop
from rtlgen.optimize.moves import Proposal
from rtlgen.spec.model import Candidate

# A mod-10 counter in an 8-bit register whose only output is one compare: 4 bits are enough, which
# Yosys does not find (it needs the reachable range); the narrowed register does not map one to one.
COUNT10 = """module m(input clk, input rst, input en, output y);
reg [7:0] q;
always @(posedge clk)
  if (rst) q <= 8'd0;
  else if (en) q <= (q == 8'd9) ? 8'd0 : q + 8'd1;
assign y = (q == 8'd5);
endmodule
"""
NARROW = COUNT10.replace("[7:0]", "[3:0]").replace("8'd", "4'd")
WRONG = NARROW.replace("(q == 4'd9)", "(q == 4'd8)")     # smaller too, but wraps one state early


@pytest.fixture
def nangate45() -> str:
    root = benchmarks_dir(required=False)
    path = root / "liberty" / "nangate45_typ.lib.gz" if root else None
    if path is None or not path.is_file():
        reason = "liberty nangate45_typ.lib.gz not found under the benchmarks folder (set RTLGEN_BENCHMARKS)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return str(path)


def _no_moves(*args: Any, **kwargs: Any) -> list[Proposal]:
    return []


@pytest.fixture
def providers(monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """``providers(fsm=fn, rules=[...], templates=fn)``: the moves and rules the loop finds (others: none); the
    store holds ``rules`` and ranks them in that order."""

    def install(*, fsm: Callable[..., list[Proposal]] | None = None, rules: list[Any] | None = None,
                templates: Callable[..., list[Proposal]] | None = None) -> None:
        store = SimpleNamespace(search=lambda candidate, k: list(rules or [])[:k],
                                by_kind=lambda kind: [rule for rule in rules or [] if rule.kind == kind])
        monkeypatch.setattr(loop, "load_rules", lambda: store)
        monkeypatch.setattr(loop, "fsm", SimpleNamespace(propose=fsm or _no_moves))
        monkeypatch.setattr(loop, "templates", SimpleNamespace(propose=templates or _no_moves))

    return install


def proposal(rtl: str, rule: str, kind: str = "fsm") -> Proposal:
    return Proposal(rule=rule, kind=kind, candidate=Candidate(rtl, "m"), description=f"{rule} rewrite")
