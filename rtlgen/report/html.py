"""Render a suite run (bench JSON records) as one self-contained HTML page: sortable table and plots."""
from __future__ import annotations

import base64
import io
import json
from pathlib import Path
from typing import Any, Iterable

import pandas as pd

from rtlgen.errors import RtlgenError
from rtlgen.report.units import fixed, si
from rtlgen.templating import template_env

TEMPLATES = Path(__file__).parent / "templates"
PPA_COLUMNS = {"area_um2": "area (µm²)", "delay_ns": "critical path (ns)", "power_w": "power (W)"}
# The columns always visible, in this order (the verdicts a reader scans, then PPA); every other field of a
# record is in the row's collapsible details, the long message last.
KEY_COLUMNS = ("problem", "status", "official", "autotb", "formal", "strength", "failure_class", "seconds",
               *PPA_COLUMNS)
HEADERS = {"failure_class": "failure class", "seconds": "time", "area_um2": "area", "delay_ns": "critical path",
           "power_w": "power"}
SMALL_SUITE = 8  # fewer designs than this: a bar per design says it all; no histogram


def _cell(column: str, value: Any) -> dict[str, Any]:
    """Display text (with units) and the raw sort key of one table cell."""
    if value is None or value == "" or (isinstance(value, float) and value != value):
        return {"text": "", "sort": "", "cls": ""}
    formats = {"area_um2": lambda v: fixed(v, "µm²", 1), "delay_ns": lambda v: fixed(v, "ns", 3),
               "power_w": lambda v: si(v, "W"), "clock_ns": lambda v: fixed(v, "ns", 1),
               "seconds": lambda v: fixed(v, "s", 1)}
    if column.startswith("check_seconds."):
        text = fixed(value, "s", 2)
    elif column in formats and isinstance(value, (int, float)):
        text = formats[column](value)
    else:
        text = str(value)
    return {"text": text, "sort": value, "cls": str(value) if isinstance(value, str) else ""}


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


def figure_png(fig: Any) -> str:
    """A matplotlib figure as base64 PNG, to embed in a self-contained page (also used by regress/html.py)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90, bbox_inches="tight")
    return base64.b64encode(buf.getvalue()).decode()


def _plots(table: pd.DataFrame) -> list[dict[str, str]]:
    """One bar chart per PPA metric by design (plus its distribution for larger suites, with whole-number
    counts); nothing when the run had no PPA."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    units = {"area_um2": (1.0, "area (µm²)"), "delay_ns": (1.0, "critical path (ns)"), "power_w": (1e6, "power (µW)")}
    plots = []
    for column, title in PPA_COLUMNS.items():
        if column not in table or table[column].dropna().empty:
            continue
        scale, label = units[column]
        values = table[["problem", column]].dropna().sort_values(column)
        small = len(values) < SMALL_SUITE
        height = max(1.6, 0.3 * len(values) + 0.9)
        if small:
            fig, bars = plt.subplots(figsize=(7, height))
            hist = None
        else:
            fig, (bars, hist) = plt.subplots(1, 2, figsize=(12, height), gridspec_kw={"width_ratios": [3, 1]})
        bars.barh(values["problem"], values[column] * scale, color="#3b6ea5", height=0.6)
        bars.set_xlabel(label)
        bars.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}" if abs(v) >= 100 else f"{v:.3g}"))
        bars.tick_params(axis="y", labelsize=8)
        if hist is not None:
            hist.hist(values[column] * scale, bins=min(20, max(5, len(values) // 3)), color="#a53b3b")
            hist.set_xlabel(label)
            hist.set_ylabel("designs")
            hist.yaxis.set_major_locator(MaxNLocator(integer=True))
        fig.suptitle(f"{label} per design" + ("" if small else " and its distribution"), fontsize=10)
        fig.tight_layout()
        plots.append({"title": title, "png": figure_png(fig)})
        plt.close(fig)
    return plots


def render_html(records: Iterable[dict[str, Any]], title: str = "rtlgen suite report") -> str:
    table = pd.json_normalize(list(records), sep=".")  # nested dicts (check_seconds) become columns
    if table.empty:
        raise RtlgenError("no records to report")
    counts = {col: table[col].value_counts().to_dict() for col in ("status", "official", "autotb", "formal")
              if col in table}
    env = template_env(TEMPLATES, trim=False, autoescape=True)
    key = [c for c in KEY_COLUMNS if c in table and not table[c].isna().all()]
    rest = [c for c in table.columns if c not in key and c != "message"] + (["message"] if "message" in table else [])
    raw = table.astype(object).where(table.notna(), None).to_dict("records")
    rows = [{"key": [_cell(c, r[c]) for c in key],
             "details": [(c, _cell(c, r[c])["text"]) for c in rest if _cell(c, r[c])["text"]]} for r in raw]
    return env.get_template("suite.html.j2").render(
        title=title, columns=[HEADERS.get(c, c) for c in key], rows=rows, counts=counts, total=len(table),
        plots=_plots(table))


def write_report(results: str | Path, out: str | Path, title: str | None = None) -> Path:
    records = load_records(results)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_html(records, title or f"rtlgen report: {Path(results).name}"), encoding="utf-8")
    return out
