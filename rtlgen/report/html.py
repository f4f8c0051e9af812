"""Render any JSON rtlgen writes (``kinds.KINDS``) as one self-contained HTML page: sortable table and plots."""
from __future__ import annotations

import base64
import io
import json
from pathlib import Path
from typing import Any, Iterable

import pandas as pd

from rtlgen.errors import RtlgenError
from rtlgen.report.kinds import KINDS, Kind, recognise
from rtlgen.report.units import fixed, si
from rtlgen.templating import template_env

TEMPLATES = Path(__file__).parent / "templates"
# The PPA columns plotted, each with its axis scale and label (also the plot's title)
PPA_PLOTS = {"area_um2": (1.0, "area (µm²)"), "delay_ns": (1.0, "critical path (ns)"),
             "power_w": (1e6, "power (µW)")}
HEADERS = {"failure_class": "failure class", "seconds": "time", "area_um2": "area", "delay_ns": "critical path",
           "power_w": "power", "power_source": "power activity", "fmax_mhz": "max frequency",
           "critical_path": "path from -> to", "llm_calls": "LLM calls", "autotb": "autotb",
           "power_engine": "power engine", "power_clock_w": "clock network power", "power_top_cells": "costliest cells",
           **{f"power_{part}_w": f"{part} power" for part in ("register", "combinational", "internal", "switching",
                                                              "leakage")}}
# Units from the column name's suffix: (suffix, format)
_UNITS = (("_um2", lambda v: fixed(v, "µm²", 1)), ("_ns", lambda v: fixed(v, "ns", 3)),
          ("_w", lambda v: si(v, "W")), ("_mhz", lambda v: fixed(v, "MHz", 1)), ("_ratio", lambda v: f"{v:.3f}"),
          ("seconds", lambda v: fixed(v, "s", 1)))
_UNIT_SUFFIXES = ("_um2", "_ns", "_w", "_mhz")
WRAPPED = ("power_source", "steps", "critical_path")  # free text that may be long: wraps instead of widening the table
SMALL_SUITE = 8  # fewer designs than this: a bar per design says it all; no histogram


def _header(column: str) -> str:
    """``input_area_um2`` reads "input area": the unit is in the cell."""
    if column in HEADERS:
        return HEADERS[column]
    stem = next((column[:-len(unit)] for unit in _UNIT_SUFFIXES if column.endswith(unit)), column)
    return stem.replace("_", " ").replace(".", " ")


def _cell(column: str, value: Any) -> dict[str, Any]:
    """Display text (with units) and the raw sort key of one table cell."""
    if value is None or value == "" or (isinstance(value, float) and value != value):
        return {"text": "", "sort": "", "cls": ""}
    if column.startswith("check_seconds."):
        text = fixed(value, "s", 2)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        text = next((fmt(value) for suffix, fmt in _UNITS if column.endswith(suffix)), str(value))
    else:
        text = str(value)
    return {"text": text, "sort": value, "cls": str(value) if isinstance(value, str) else ""}


def load_json(path: str | Path) -> Any:
    """A JSON or JSON Lines file's content."""
    p = Path(path)
    if not p.is_file():
        raise RtlgenError(f"{p}: results file does not exist (write one with `rtlgen bench ... --json FILE`)")
    text = p.read_text()
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        try:
            return [json.loads(line) for line in text.splitlines() if line.strip()]
        except json.JSONDecodeError as exc:
            raise RtlgenError(f"{p}: neither JSON nor JSON Lines ({exc})") from None


def load_rows(path: str | Path) -> tuple[Kind, list[dict[str, Any]]]:
    """The kind of rtlgen JSON in ``path`` and its table rows."""
    data = load_json(path)
    kind = recognise(data, str(path))
    return kind, kind.rows(data)


def figure_png(fig: Any) -> str:
    """A matplotlib figure as base64 PNG, to embed in a self-contained page (also used by regress/html.py)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90, bbox_inches="tight")
    return base64.b64encode(buf.getvalue()).decode()


def _plots(table: pd.DataFrame) -> list[dict[str, str]]:
    """One bar chart per PPA metric by design (plus its distribution for larger suites, with whole-number
    counts); nothing when the run had no PPA, or for one design (its row says it all)."""
    if len(table) < 2:
        return []
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    plots = []
    for column, (scale, label) in PPA_PLOTS.items():
        if column not in table or table[column].dropna().empty:
            continue
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
        plots.append({"title": label, "png": figure_png(fig)})
        plt.close(fig)
    return plots


def render_html(records: Iterable[dict[str, Any]], title: str = "rtlgen suite report",
                kind: Kind = KINDS[0]) -> str:
    """The page for ``records`` (rows of ``kind``): key columns first, every other field in a row's details."""
    table = pd.json_normalize(list(records), sep=".")  # nested dicts (check_seconds) become columns
    if table.empty:
        raise RtlgenError("no records to report")
    counts = {col: table[col].value_counts().to_dict() for col in kind.counted if col in table}
    env = template_env(TEMPLATES, trim=False, autoescape=True)
    key = [c for c in kind.columns if c in table and not table[c].isna().all()]
    rest = [c for c in table.columns if c not in key and c != "message"] + (["message"] if "message" in table else [])
    raw = table.astype(object).where(table.notna(), None).to_dict("records")
    rows = [{"key": [{**_cell(c, r[c]), "wrap": c in WRAPPED} for c in key],
             "details": [(_header(c), _cell(c, r[c])["text"]) for c in rest if _cell(c, r[c])["text"]]} for r in raw]
    numeric = [pd.api.types.is_numeric_dtype(table[c]) and not pd.api.types.is_bool_dtype(table[c]) for c in key]
    return env.get_template("suite.html.j2").render(
        title=title, kind=kind.label, noun=kind.noun, rows=rows,
        columns=[{"name": _header(c), "num": n} for c, n in zip(key, numeric)], counts=counts, total=len(table),
        plots=_plots(table))


def write_report(results: str | Path, out: str | Path, title: str | None = None) -> tuple[Path, Kind]:
    """``results`` (any JSON rtlgen writes) as an HTML page at ``out``; the page and the kind it was read as."""
    kind, rows = load_rows(results)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_html(rows, title or f"rtlgen report: {Path(results).name}", kind), encoding="utf-8")
    return out, kind
