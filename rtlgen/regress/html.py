"""The regression page: the latest diff on top, this run's items, status over runs, per-design trend plots.

One self-contained HTML file (plots inlined as PNG), rendered with jinja2 and matplotlib like
``rtlgen report``; a nightly job publishes it as is.
"""
from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2

from rtlgen.regress.api import RegressResult
from rtlgen.regress.model import ITEM_STATUSES, METRICS
from rtlgen.regress.store import Store
from rtlgen.report.html import figure_png
from rtlgen.report.kinds import power_breakdown, power_columns

if TYPE_CHECKING:
    import pandas as pd

TEMPLATES = Path(__file__).parent / "templates"
ITEM_COLUMNS = ("suite", "problem", "status", "lint", "autotb", "formal", "official", "strength", "failure_class",
                *METRICS, "power_engine", "power_source", "power_breakdown", "seconds", "candidate_hash", "message")
NUMERIC = {*METRICS, "seconds"}
STATUS_COLOURS = {"ok": "#2e8b2e", "failed": "#c62828", "error": "#8e24aa", "skipped": "#9e9e9e", "missing": "#ef6c00"}
MAX_TRENDS = 120  # designs with a trend plot (the ones whose metrics moved most come first)


def _num(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value == "":
        return ""
    if isinstance(value, (int, float)):
        return f"{value:.4g}" if abs(value) < 1e-2 or abs(value) >= 1e5 else f"{value:.4f}".rstrip("0").rstrip(".")
    return str(value)


def _env() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                             undefined=jinja2.StrictUndefined)
    env.filters["num"] = _num
    return env


def _status_plot(history: "pd.DataFrame") -> str | None:
    """Problems x runs, one coloured cell per item status."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.colors import ListedColormap

    if history.empty:
        return None
    grid = history.pivot_table(index="problem", columns="run", values="status", aggfunc="last")
    codes = grid.apply(lambda col: col.map(lambda s: ITEM_STATUSES.index(s) if isinstance(s, str) else float("nan")))
    fig, ax = plt.subplots(figsize=(max(4, 0.5 * grid.shape[1] + 3), max(2, 0.2 * grid.shape[0] + 1)))
    cmap = ListedColormap([STATUS_COLOURS[s] for s in ITEM_STATUSES])
    ax.imshow(codes.to_numpy(dtype=float), aspect="auto", cmap=cmap, vmin=-0.5, vmax=len(ITEM_STATUSES) - 0.5,
              interpolation="nearest")
    ax.set_yticks(range(grid.shape[0]), grid.index, fontsize=7)
    ax.set_xticks(range(grid.shape[1]), [f"run {c}" for c in grid.columns], fontsize=8)
    handles = [plt.Rectangle((0, 0), 1, 1, color=STATUS_COLOURS[s]) for s in ITEM_STATUSES]
    ax.legend(handles, ITEM_STATUSES, loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8)
    png = figure_png(fig)
    plt.close(fig)
    return png


def _trend_plots(history: "pd.DataFrame") -> list[dict[str, str]]:
    """One small figure per design: each metric over the runs; runs where it was not ok are marked x."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    metrics = [m for m in METRICS if m in history and history[m].notna().any()]
    if not metrics:
        return []
    moved = history.groupby(["suite", "problem"])[metrics[0]].agg(lambda s: (s.max() - s.min()) / s.max()
                                                                if s.notna().any() and s.max() else 0.0)
    order = moved.sort_values(ascending=False, kind="stable").index[:MAX_TRENDS]
    plots = []
    for suite, problem in order:
        rows = history[(history["suite"] == suite) & (history["problem"] == problem)]
        fig, axes = plt.subplots(1, len(metrics), figsize=(2.6 * len(metrics), 1.9), squeeze=False)
        for ax, metric in zip(axes[0], metrics):
            ok = rows[rows["status"] == "ok"]
            ax.plot(ok["run"], ok[metric], marker="o", color="#3b6ea5", linewidth=1.2, markersize=3)
            bad = rows[rows["status"] != "ok"]
            if not bad.empty and ok[metric].notna().any():
                ax.plot(bad["run"], [ok[metric].min()] * len(bad), "x", color="#c62828", markersize=6)
            ax.set_title(metric, fontsize=8)
            ax.tick_params(labelsize=7)
            ax.set_xticks(sorted(rows["run"].unique()))
        fig.tight_layout()
        plots.append({"title": f"{suite}/{problem}", "png": figure_png(fig)})
        plt.close(fig)
    return plots


def render(result: RegressResult, store: Store, title: str | None = None) -> str:
    """The page for ``result`` (a recorded run and its diff), with the store's history of the same suites."""
    history = store.table()
    history = history[history["suite"].isin(result.run.suites) & (history["run"] <= result.run.id)]
    items = []
    for item in result.items:
        rec = item.record.to_dict()
        power = power_columns(item.synth.power, item.synth.activity) if item.synth else {}
        rec |= {**power, "power_breakdown": power_breakdown(power)}
        items.append({c: (item.status if c == "status" else item.candidate_hash if c == "candidate_hash"
                          else rec.get(c)) for c in ITEM_COLUMNS})
        items[-1] = {c: "" if v is None else v for c, v in items[-1].items()}
        items[-1]["message"] = items[-1]["message"].splitlines()[0][:200] if items[-1]["message"] else ""
    order = {"newly_failing": 0, "proof_lost": 1, "limit": 2, "metric": 3, "not_comparable": 4, "newly_passing": 5,
             "improved": 6}
    changes = sorted(result.diff.changes, key=lambda c: (order.get(c.kind, 9), c.suite, c.problem))
    run = result.run.to_dict() | {"label": result.run.label(), "suites": ", ".join(result.run.suites)}
    run["liberty_sha256"] = run["liberty_sha256"] or ""
    return _env().get_template("regress.html.j2").render(
        title=title or f"rtlgen regress: {', '.join(result.run.suites)}", run=run, diff=result.diff,
        regressions=result.regressions, changes=changes, counts=result.counts(), items=items,
        item_columns=ITEM_COLUMNS, numeric=NUMERIC, status_plot=_status_plot(history), trends=_trend_plots(history))


def write_html(result: RegressResult, store: Store, path: str | Path, title: str | None = None) -> Path:
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render(result, store, title), encoding="utf-8")
    return out
