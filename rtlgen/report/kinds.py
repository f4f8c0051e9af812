"""Every JSON file rtlgen writes, recognised by its shape, and the table rows the report shows for it.

Each kind names the command that writes it, its key columns (always visible, in order; the rest of a
row goes into its details) and the verdict columns counted at the top of the page. Column names carry
their unit (``_um2``, ``_ns``, ``_w``, ``_mhz``): the page formats them from that.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from rtlgen.errors import RtlgenError
from rtlgen.report.units import si

Row = dict[str, Any]
BENCH_COLUMNS = ("problem", "status", "official", "autotb", "formal", "strength", "failure_class", "seconds",
                 "area_um2", "delay_ns", "power_w", "power_engine", "power_source")


@dataclass(frozen=True)
class Kind:
    """One kind of rtlgen JSON: how to recognise it and how it becomes rows."""

    name: str
    writer: str
    noun: str                                  # what one row is: "problems", "pairs", "checks", "designs"
    columns: tuple[str, ...]
    counted: tuple[str, ...]
    matches: Callable[[Any], bool]
    rows: Callable[[Any], list[Row]]

    @property
    def label(self) -> str:
        return f"{self.name} (written by {self.writer})"


def power_columns(power: dict[str, Any] | None, activity: dict[str, Any] | None) -> Row:
    """What a power figure is made of, as columns: who priced it (``power_engine``), on which activity
    (``power_source``), its split into internal / switching / leakage, and report_power's groups (clock network,
    register, combinational; the gate engine's, OpenSTA's vectorless run has none) as one watt column each."""
    if not power and not activity:
        return {}
    power = power or {}
    row: Row = {"power_engine": power.get("engine"),
                "power_source": (activity or {}).get("source") or power.get("source") or None}
    row |= {f"power_{part}_w": power.get(f"{part}_w") for part in ("internal", "switching", "leakage")}
    row |= {f"power_{group}_w": split.get("total_w") for group, split in (power.get("groups") or {}).items()}
    cells = power.get("top_cells") or ()
    if cells:
        row["power_top_cells"] = ", ".join(f"{c['instance']} ({c['cell']})" for c in cells[:3])
    return row


_BREAKDOWN = ((("clock", "clock network"), ("register", "register"), ("combinational", "combinational")),
              (("internal", "internal"), ("switching", "switching"), ("leakage", "leakage")))


def power_breakdown(columns: Row) -> str | None:
    """``power_columns``' split on one line, for a table with no room for a column each: "clock network 1.50 µW,
    register ...; internal ..., switching ..., leakage ..." (None: nothing to split)."""
    sides = [", ".join(f"{name} {si(columns[f'power_{key}_w'], 'W')}" for key, name in side
                       if columns.get(f"power_{key}_w") is not None) for side in _BREAKDOWN]
    return "; ".join(side for side in sides if side) or None


def _schema(name: str) -> Callable[[Any], bool]:
    return lambda data: isinstance(data, dict) and data.get("schema") == name


def _records_of(key: str) -> Callable[[Any], bool]:
    """A JSON list of objects that all carry ``key``."""
    return lambda data: isinstance(data, list) and bool(data) and all(isinstance(r, dict) and key in r for r in data)


def _synth_row(report: dict[str, Any]) -> Row:
    path = report.get("critical_path") or {}
    return {"problem": report.get("top"), "flow": report.get("flow"),
            "liberty": (report.get("liberty") or {}).get("name"), "area_um2": report.get("area_um2"),
            "transistors": report.get("transistors"), "delay_ns": report.get("delay_ns"),
            "fmax_mhz": report.get("fmax_mhz"), "power_w": report.get("power_w"),
            **power_columns(report.get("power"), report.get("activity")),
            "critical_path": f"{path.get('startpoint')} -> {path.get('endpoint')}" if path else None,
            **{k: v for k, v in report.items() if k not in ("schema", "top", "liberty", "critical_path", "power")}}


def _pair_row(pair: dict[str, Any]) -> Row:
    """A ``bench --optimize`` pair with unit-named columns; ``area_um2`` etc. are the optimized design's."""
    def ratio(after: str, before: str = "input_area") -> float | None:
        return pair[after] / pair[before] if pair.get(after) is not None and pair.get(before) else None

    return {"problem": pair["design"], "equivalence": pair.get("equivalence"), "autotb": pair.get("autotb"),
            "input_area_um2": pair.get("input_area"), "area_um2": pair.get("final_area"),
            "expert_area_um2": pair.get("expert_area"), "area_ratio": ratio("final_area"),
            "expert_ratio": ratio("expert_area"), "input_power_w": pair.get("power_before"),
            "power_w": pair.get("power_after"), "input_delay_ns": pair.get("input_delay"),
            "delay_ns": pair.get("final_delay"), "rtl_area_um2": pair.get("rtl_area"),
            "expert_delay_ns": pair.get("expert_delay"), "expert_power_w": pair.get("expert_power"),
            "steps": ", ".join(pair.get("rules") or ()) or None, "message": pair.get("error") or None,
            **{k: v for k, v in pair.items() if k in ("suite", "flow", "tried", "accepted", "cex", "inconclusive",
                                                     "refused", "seconds", "providers")}}


def _opt_row(opt: dict[str, Any]) -> Row:
    return {"problem": opt.get("top"), "equivalence": opt.get("equivalence"), "autotb": opt.get("autotb"),
            "input_area_um2": opt.get("area_before_um2"), "area_um2": opt.get("area_after_um2"),
            "rtl_area_um2": opt.get("area_rtl_um2"), "input_delay_ns": opt.get("delay_before_ns"),
            "delay_ns": opt.get("delay_after_ns"), "input_power_w": opt.get("power_before_w"),
            "power_w": opt.get("power_after_w"), "power_source": opt.get("power_source") or None,
            "steps": ", ".join(s.get("rule", "") for s in opt.get("steps", ())) or None,
            "rejected": len(opt.get("rejected", ())), "seconds": opt.get("seconds"),
            "message": opt.get("equivalence_message") or None,
            **{k: opt.get(k) for k in ("liberty", "clock_ns", "goal", "flow_before", "flow_after", "tried",
                                       "llm_calls", "providers", "input_hash", "output_hash")}}


def _check_rows(result: dict[str, Any]) -> list[Row]:
    return [{"problem": result.get("spec"), "check": c.get("check"), "verdict": c.get("verdict"),
             "strength": c.get("strength"), "failure_class": c.get("failure_class"), "seconds": c.get("seconds"),
             "message": c.get("message") or None,
             **{k: c.get(k) for k in ("mismatches", "compared", "care", "mismatch")}}
            for c in result.get("checks", ())]


def _run_row(run: dict[str, Any]) -> Row:
    ppa = run.get("ppa") or {}
    return {"problem": run.get("top"), "status": "pass" if run.get("verified") else "fail",
            "strength": run.get("strength"), "golden": run.get("golden"), "attempts": len(run.get("attempts", ())),
            "llm_calls": (run.get("llm") or {}).get("calls"), "seconds": run.get("seconds"),
            "area_um2": ppa.get("area_um2"), "delay_ns": ppa.get("delay_ns"), "power_w": ppa.get("power_w"),
            **power_columns(ppa.get("power"), ppa.get("activity")),
            **{k: run.get(k) for k in ("spec", "rank", "interface_from", "out_dir", "files", "notes")}}


def _regress_rows(result: dict[str, Any]) -> list[Row]:
    return [{**item["record"], "status": item["status"], "suite": item["suite"],
             **power_columns((item.get("synth") or {}).get("power"), (item.get("synth") or {}).get("activity"))}
            for item in result["items"]]


def _bench_rows(data: Any) -> list[Row]:
    """Bench records; ``--ppa`` ones carry their power's columns (``power_detail``: ``power_columns``)."""
    records = data["records"] if isinstance(data, dict) else data
    return [{**{k: v for k, v in r.items() if k != "power_detail"}, **(r.get("power_detail") or {})}
            for r in records]


KINDS: tuple[Kind, ...] = (
    Kind("bench records", "rtlgen bench --json", "problems", BENCH_COLUMNS,
         ("status", "official", "autotb", "formal"),
         lambda d: _records_of("problem")(d) or (isinstance(d, dict) and _records_of("problem")(d.get("records"))),
         _bench_rows),
    Kind("optimization pairs", "rtlgen bench --optimize --json", "pairs",
         ("problem", "equivalence", "autotb", "input_area_um2", "area_um2", "expert_area_um2", "area_ratio",
          "expert_ratio", "input_power_w", "power_w", "seconds"),
         ("equivalence", "autotb"), _records_of("design"), lambda d: [_pair_row(p) for p in d]),
    Kind("regression run", "rtlgen regress --json", "problems", BENCH_COLUMNS,
         ("status", "official", "autotb", "formal"),
         lambda d: isinstance(d, dict) and {"run", "items", "diff"} <= set(d), _regress_rows),
    Kind("synthesis report", "rtlgen synth --json, ppa.json", "designs",
         ("problem", "flow", "liberty", "area_um2", "transistors", "delay_ns", "fmax_mhz", "critical_path",
          "power_w", "power_engine", "power_source"),
         (), _schema("rtlgen.synth.report/1"), lambda d: [_synth_row(d)]),
    Kind("optimization result", "rtlgen optimize --json, opt.json", "designs",
         ("problem", "equivalence", "autotb", "input_area_um2", "area_um2", "rtl_area_um2", "input_delay_ns",
          "delay_ns", "input_power_w", "power_w", "power_source", "steps", "rejected"),
         ("equivalence", "autotb"), _schema("rtlgen.optimize.result/1"), lambda d: [_opt_row(d)]),
    Kind("generation run", "rtlgen SPEC --json, summary.json", "designs",
         ("problem", "status", "strength", "golden", "attempts", "llm_calls", "seconds", "area_um2", "delay_ns",
          "power_w", "power_engine", "power_source"),
         ("status",), lambda d: isinstance(d, dict) and {"verified", "attempts", "rank"} <= set(d),
         lambda d: [_run_row(d)]),
    Kind("verification result", "rtlgen verify --json, verify.json", "checks",
         ("problem", "check", "verdict", "strength", "failure_class", "seconds"), ("verdict",),
         lambda d: isinstance(d, dict) and {"checks", "candidate_hash", "overall"} <= set(d), _check_rows),
)


def _shape(data: Any) -> str:
    """What a JSON value looks like, for a refusal: its type and top-level keys."""
    if isinstance(data, dict):
        return f"an object with keys {', '.join(sorted(map(str, data))[:8]) or '(none)'}"
    if isinstance(data, list):
        first = data[0] if data else None
        keys = f" with keys {', '.join(sorted(map(str, first))[:8])}" if isinstance(first, dict) else ""
        return f"a list of {len(data)} item(s), the first {type(first).__name__}{keys}" if data else "an empty list"
    return f"a JSON {type(data).__name__}"


def recognise(data: Any, source: str) -> Kind:
    """The kind of ``data`` (read from ``source``); an error naming what it is and what can be rendered."""
    kind = next((k for k in KINDS if k.matches(data)), None)
    if kind is None:
        readable = "; ".join(k.label for k in KINDS)
        raise RtlgenError(f"{source}: not a JSON file rtlgen report can render (it is {_shape(data)}); it renders: "
                          f"{readable}")
    return kind
