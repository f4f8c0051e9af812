"""Token and cost accounting per run and per design (tag), printable as a table."""
from __future__ import annotations

import threading
from dataclasses import asdict, dataclass
from typing import Any


@dataclass
class LedgerRow:
    tag: str
    calls: int = 0  # replies fetched from the endpoint
    cached: int = 0  # replies served from the cache (no tokens spent)
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    cost_known: bool = True
    latency_s: float = 0.0

    @property
    def tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens


@dataclass
class LLMUsage(LedgerRow):
    """What one design's run asked of the LLM: the ledger's sums over its calls (``tag``: the design's prefix) and
    which model at which endpoint answered.

    Typed rather than a dict so the summary, regress records and benchmarks read the same fields; ``to_dict``
    and ``from_dict`` round-trip it through summary.json.
    """

    model: str = ""
    base_url: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "LLMUsage":
        return cls(**data)


class Ledger:
    """Thread-safe running totals; the client records every reply here."""

    def __init__(self, cost_known: bool = True) -> None:
        self._rows: dict[str, LedgerRow] = {}
        self._lock = threading.Lock()
        self.cost_known = cost_known

    def record(self, *, tag: str, prompt_tokens: int, completion_tokens: int, cost_usd: float,
               latency_s: float, cached: bool) -> None:
        with self._lock:
            row = self._rows.setdefault(tag, LedgerRow(tag, cost_known=self.cost_known))
            if cached:
                row.cached += 1
                return
            row.calls += 1
            row.prompt_tokens += prompt_tokens
            row.completion_tokens += completion_tokens
            row.cost_usd += cost_usd
            row.latency_s += latency_s

    def rows(self) -> list[LedgerRow]:
        with self._lock:
            return [LedgerRow(**asdict(r)) for r in sorted(self._rows.values(), key=lambda r: r.tag)]

    def total(self, tag_prefix: str = "") -> LedgerRow:
        """Sums over every row, or over the rows whose tag starts with ``tag_prefix`` (one design's calls)."""
        out = LedgerRow("TOTAL", cost_known=self.cost_known)
        for row in (r for r in self.rows() if r.tag.startswith(tag_prefix)):
            out.calls += row.calls
            out.cached += row.cached
            out.prompt_tokens += row.prompt_tokens
            out.completion_tokens += row.completion_tokens
            out.cost_usd += row.cost_usd
            out.latency_s += row.latency_s
        return out

    def usage(self, tag_prefix: str, model: str, base_url: str) -> LLMUsage:
        """The calls tagged ``tag_prefix...`` (a shared client serves many designs) as one design's usage."""
        total = asdict(self.total(tag_prefix))
        total.update(tag=tag_prefix, cost_usd=round(total["cost_usd"], 6), latency_s=round(total["latency_s"], 3))
        return LLMUsage(**total, model=model, base_url=base_url)

    def spent(self) -> tuple[int, float]:
        """(tokens, USD) spent so far in this run."""
        total = self.total()
        return total.tokens, total.cost_usd

    def to_dict(self) -> dict[str, Any]:
        return {"rows": [asdict(r) for r in self.rows()], "total": asdict(self.total())}

    def table(self) -> str:
        """Plain-text table; cost reads 'unknown' when no price is configured."""
        head = ("design", "calls", "cached", "prompt tok", "compl. tok", "cost USD", "latency s")
        lines = []
        for row in [*self.rows(), self.total()]:
            cost = f"{row.cost_usd:.4f}" if row.cost_known else "unknown"
            lines.append((row.tag or "(untagged)", str(row.calls), str(row.cached), str(row.prompt_tokens),
                          str(row.completion_tokens), cost, f"{row.latency_s:.1f}"))
        widths = [max(len(h), *(len(line[i]) for line in lines)) for i, h in enumerate(head)]
        fmt = lambda cells: "  ".join(c.ljust(w) if i == 0 else c.rjust(w)  # noqa: E731
                                      for i, (c, w) in enumerate(zip(cells, widths)))
        rule = "  ".join("-" * w for w in widths)
        return "\n".join([fmt(head), rule, *map(fmt, lines[:-1]), rule, fmt(lines[-1])])
