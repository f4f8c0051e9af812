"""Rank the rules for a design: structural features first, BM25 over the rule text second.

A rule whose ``detect`` features are all present in the design is a structural match; text
similarity (BM25 between the rule's words and the design's identifiers and feature words, via
``bm25s``, no hosted embeddings) orders rules within the same structural score and surfaces
rules whose features are only partly present.
"""
from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from typing import Any

import bm25s

from rtlgen.optimize.rules.features import Features, design_features, identifiers, weight
from rtlgen.optimize.rules.store import Rule, RuleStore

logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs each index build at DEBUG
# score = STRUCTURE * share of detect features present + SPECIFICITY * how specific the present ones are
#         + TEXT * BM25 similarity (relative to the best rule)
STRUCTURE_WEIGHT, SPECIFICITY_WEIGHT, TEXT_WEIGHT = 0.7, 0.2, 0.1


@dataclass(frozen=True)
class Ranked:
    """A rule's fit for a design: ``score`` in [0, 1]; ``why`` says which features and words matched."""

    rule: Rule
    score: float
    why: str
    matched: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule.id, "kind": self.rule.kind, "category": self.rule.category,
                "score": round(self.score, 4), "why": self.why, "matched": list(self.matched)}


def _tokens(text: str) -> list[str]:
    return bm25s.tokenize(text, stopwords="english", return_ids=False, show_progress=False)[0]


class _TextIndex:
    """BM25 over the rules' text, built once per store."""

    def __init__(self, rules: list[Rule]) -> None:
        self.rules = rules
        corpus = [_tokens(r.text) for r in rules]
        self.vocab = {w for doc in corpus for w in doc}
        self.bm25 = bm25s.BM25()
        self.bm25.index(corpus, show_progress=False)

    def scores(self, words: list[str]) -> tuple[list[float], list[str]]:
        query = [w for w in _tokens(" ".join(words)) if w in self.vocab]
        if not query:
            return [0.0] * len(self.rules), []
        return [float(x) for x in self.bm25.get_scores(query)], query


def _rtl(candidate: Any) -> str:
    return candidate if isinstance(candidate, str) else candidate.rtl


def rank_features(store: RuleStore, features: Features, words: list[str], k: int | None = None) -> list[Ranked]:
    """Rank ``store`` for a design described by its ``features`` and identifier ``words``."""
    if store._index is None:
        store._index = _TextIndex(list(store))
    index: _TextIndex = store._index
    text_scores, query = index.scores(words + features.words())
    top = max(text_scores, default=0.0) or 1.0
    ranked: list[tuple[Ranked, float]] = []
    for rule, text_score in zip(index.rules, text_scores):
        matched = tuple(d for d in rule.detect if _holds(d, features))
        structure = len(matched) / len(rule.detect)
        specificity = sum(weight(d) for d in matched) / len(matched) if matched else 0.0
        score = STRUCTURE_WEIGHT * structure + SPECIFICITY_WEIGHT * specificity + TEXT_WEIGHT * text_score / top
        # more evidence (sites) for the matched features breaks ties between equally scored rules
        strength = sum(math.log1p(features.count(d)) for d in matched if not d.startswith("not "))
        ranked.append((Ranked(rule, score, _why(rule, features, matched, query, text_score), matched), strength))
    ranked.sort(key=lambda pair: (-round(pair[0].score, 6), -pair[1], pair[0].rule.id))
    best = [r for r, _ in ranked]
    return best[:k] if k else best


def _holds(condition: str, features: Features) -> bool:
    return condition[4:] not in features if condition.startswith("not ") else condition in features


def _why(rule: Rule, features: Features, matched: tuple[str, ...], query: list[str], text_score: float) -> str:
    parts = []
    for name in matched:
        if name.startswith("not "):
            parts.append(name)
            continue
        evidence = features.evidence[name]
        parts.append(f"{name} x{len(evidence)} ({evidence[0]})")
    missing = [d for d in rule.detect if d not in matched]
    if missing:
        parts.append("missing " + ", ".join(missing))
    words = sorted({w for w in query if w in set(_tokens(rule.text))})
    if words and text_score > 0:
        parts.append(f"text {text_score:.2f}: {', '.join(words[:6])}")
    return "; ".join(parts) or "no structural or text match"


def rank(store: RuleStore, candidate: Any, k: int | None = 10) -> list[Ranked]:
    """The ``k`` best rules for ``candidate`` (a ``Candidate`` or RTL text), best first."""
    rtl = _rtl(candidate)
    return rank_features(store, design_features(rtl), identifiers(rtl), k)


__all__ = ["Ranked", "rank", "rank_features"]
