"""`rtlgen rules list|show|search`: browse the optimizer's rule store and see which rules fit a design."""
from __future__ import annotations

import json
from pathlib import Path

import click
from rich.console import Console
from rich.syntax import Syntax
from rich.table import Table

from rtlgen.cli.options import emit_json, human_stream_is_stderr, json_option, top_option
from rtlgen.optimize.rules import design_features, load_rules
from rtlgen.spec.interface import module_names
from rtlgen.spec.model import Candidate
from rtlgen.spec.rtl_file import read_rtl


_RULES_DIR = click.option("--rules-dir", type=click.Path(file_okay=False, exists=True, path_type=Path), default=None,
                          help="Folder of rule YAML files [default: the rules shipped with rtlgen].")


@click.group("rules")
def rules() -> None:
    """Browse the optimizer's rule store and rank its rules for a design."""


@rules.command("list")
@click.option("--kind", type=click.Choice(["flow", "template", "fsm", "prompt"]), default=None, help="Only this kind.")
@click.option("--category", default=None, help="Only this category (fsm, datapath, mux, compare, ...).")
@_RULES_DIR
@json_option("the rules")
def list_rules(kind: str | None, category: str | None, rules_dir: Path | None, json_out: str | None) -> None:
    """Every rule: id, kind, category, goal and title."""
    chosen = [r for r in load_rules(rules_dir) if (kind is None or r.kind == kind) and (category in (None, r.category))]
    emit_json(json_out, json.dumps([r.to_dict() for r in chosen], indent=2))
    if json_out == "-":
        return
    table = Table(title=f"{len(chosen)} rules")
    for col in ("id", "kind", "category", "goal", "title"):
        table.add_column(col, no_wrap=col == "id")
    for r in chosen:
        table.add_row(r.id, r.kind, r.category, ",".join(r.goal), r.title)
    Console(highlight=False).print(table)


@rules.command("show")
@click.argument("rule_id")
@_RULES_DIR
@json_option("the rule")
def show(rule_id: str, rules_dir: Path | None, json_out: str | None) -> None:
    """One rule in full: description, where it applies, example and risks."""
    rule = load_rules(rules_dir).get(rule_id)
    emit_json(json_out, json.dumps(rule.to_dict(), indent=2))
    if json_out == "-":
        return
    console = Console(highlight=False)
    console.print(f"[bold]{rule.id}[/bold]: {rule.title}")
    console.print(f"kind {rule.kind}, category {rule.category}, goal {', '.join(rule.goal)}  ({rule.source})")
    console.print(f"\n{rule.description}\n")
    console.print("applies when: " + ", ".join(rule.detect))
    for label, text in (("before", rule.example.before), ("after", rule.example.after)):
        console.print(f"\n[bold]{label}[/bold]")
        console.print(Syntax(text.rstrip(), "verilog", theme="ansi_dark"))
    console.print("\nrisks:")
    for risk in rule.risks:
        console.print(f"  - {risk}")


@rules.command("search")
@click.argument("design", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@top_option()
@click.option("-k", "count", type=click.IntRange(min=1), default=10, show_default=True, help="How many rules to show.")
@_RULES_DIR
@json_option("the ranking")
def search(design: Path, top: str | None, count: int, rules_dir: Path | None, json_out: str | None) -> None:
    """Rank the rules for DESIGN by its structural features and BM25 text match, with why."""
    rtl = read_rtl(design)
    names = module_names(rtl)
    if top is not None and top not in names:
        raise click.BadParameter(f"module {top!r} is not in {design} (modules: {', '.join(names) or 'none'})",
                                 param_hint="--top")
    candidate = Candidate(rtl, top or (names[-1] if names else design.stem), origin=str(design))
    ranked = load_rules(rules_dir).search(candidate, count)
    features = design_features(rtl)
    emit_json(json_out, json.dumps({"design": str(design), "top": candidate.top, "features": features.evidence,
                                    "ranking": [r.to_dict() for r in ranked]}, indent=2))
    console = Console(highlight=False, stderr=human_stream_is_stderr(json_out))
    table = Table(title=f"rules for {design} ({len(features.names)} features: {', '.join(features.names)})")
    for col, justify in (("#", "right"), ("rule", "left"), ("kind", "left"), ("score", "right"), ("why", "left")):
        table.add_column(col, justify=justify, no_wrap=col == "rule")  # type: ignore[arg-type]
    for i, r in enumerate(ranked, 1):
        table.add_row(str(i), r.rule.id, r.rule.kind, f"{r.score:.2f}", r.why)
    console.print(table)
