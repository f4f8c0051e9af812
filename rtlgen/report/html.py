"""Render a suite run (bench JSON records) as one self-contained HTML page: sortable table and plots."""
from __future__ import annotations

import base64
import io
import json
from pathlib import Path
from typing import Any, Iterable

import jinja2
import pandas as pd

from rtlgen.errors import RtlgenError

TEMPLATES = Path(__file__).parent / "templates"
PPA_COLUMNS = {"area_um2": "area (µm²)", "delay_ns": "critical path (ns)", "power_w": "power (W)"}
# Columns shown first, in this order; the rest follow as they come, the long message last.
LEADING = ("problem", "suite", "status", "lint", "official", "autotb", "formal", "strength", "failure_class",
           "seconds", *PPA_COLUMNS, "liberty", "clock_ns")


def load_records(path: str | Path) -> list[dict[str, Any]]:
    """Bench records from a JSON list or JSON Lines file."""
    p = Path(path)
    if not p.is_file():
        raise RtlgenError(f"{p}: results file does not exist (write one with `rtlgen bench ... --json FILE`)")
    text = p.read_text()
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        try:
            data = [json.loads(line) for line in text.splitlines() if line.strip()]
        except json.JSONDecodeError as exc:
            raise RtlgenError(f"{p}: neither JSON nor JSON Lines ({exc})") from None
    if isinstance(data, dict):
        data = data.get("records", [data])
    if not isinstance(data, list) or not all(isinstance(r, dict) and "problem" in r for r in data):
        raise RtlgenError(f"{p}: expected a list of bench records, each with a 'problem' key")
    return data


def _figure_png(fig: Any) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90, bbox_inches="tight")
    return base64.b64encode(buf.getvalue()).decode()


def _plots(table: pd.DataFrame) -> list[dict[str, str]]:
    """One bar chart per PPA metric by design, and its distribution; nothing when the run had no PPA."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plots = []
    for column, label in PPA_COLUMNS.items():
        if column not in table or table[column].dropna().empty:
            continue
        values = table[["problem", column]].dropna().sort_values(column)
        fig, (bars, hist) = plt.subplots(1, 2, figsize=(12, max(3, 0.18 * len(values))),
                                         gridspec_kw={"width_ratios": [3, 1]})
        bars.barh(values["problem"], values[column], color="#3b6ea5")
        bars.set_xlabel(label)
        bars.tick_params(axis="y", labelsize=7)
        hist.hist(values[column], bins=min(20, max(5, len(values) // 3)), color="#a53b3b")
        hist.set_xlabel(label)
        hist.set_ylabel("designs")
        fig.suptitle(f"{label} per design and its distribution")
        plots.append({"title": label, "png": _figure_png(fig)})
        plt.close(fig)
    return plots


def render_html(records: Iterable[dict[str, Any]], title: str = "rtlgen suite report") -> str:
    table = pd.json_normalize(list(records), sep=".")  # nested dicts (check_seconds) become columns
    if table.empty:
        raise RtlgenError("no records to report")
    counts = {col: table[col].value_counts().to_dict() for col in ("official", "autotb", "formal") if col in table}
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True)
    columns = [c for c in LEADING if c in table] + [c for c in table.columns if c not in LEADING and c != "message"]
    columns += ["message"] if "message" in table else []
    rows = table[columns].astype(object).where(table[columns].notna(), "").to_dict("records")
    return env.get_template("suite.html.j2").render(
        title=title, columns=columns, rows=rows, counts=counts, total=len(table), plots=_plots(table),
    )


def write_report(results: str | Path, out: str | Path, title: str | None = None) -> Path:
    records = load_records(results)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_html(records, title or f"rtlgen report: {Path(results).name}"), encoding="utf-8")
    return out
