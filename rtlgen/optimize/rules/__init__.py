"""The optimizer's rule store: YAML rules beside this file, their loader, and retrieval for a design.

``load_rules()`` reads and validates every rule; ``RuleStore.search(candidate, k)`` ranks them
from the design's structural features (``features``) and BM25 text similarity (``retrieve``).
"""
from rtlgen.optimize.rules.features import FEATURES, Features, design_features
from rtlgen.optimize.rules.store import CATEGORIES, GOALS, Example, Rule, RuleStore, load_rule, load_rules

__all__ = ["CATEGORIES", "FEATURES", "GOALS", "Example", "Features", "Rule", "RuleStore", "design_features",
           "load_rule", "load_rules"]
