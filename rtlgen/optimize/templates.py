"""Template rewrites: mechanical, sound changes rtlgen applies itself, one rule of kind ``template`` each.

``propose(candidate, rule)`` returns one ``Proposal`` per site where the rule applies. Edits go
through pyslang's syntax rewriter (comments and layout kept); a site is proposed only if the
rewritten design still elaborates without errors and, for expression rewrites, the new expression
delivers the same bits as the old one (``rewrites.design.preserves``). The loop still proves every
proposal equivalent before accepting it.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Callable

from pyslang.syntax import SyntaxKind

from rtlgen.errors import RtlgenError
from rtlgen.optimize.moves import Proposal
from rtlgen.optimize.rewrites import arith, compare, logic, mux, ranges, registers, share, wordlevel
from rtlgen.optimize.rewrites.design import Design, Site, closed_root, preserves
from rtlgen.spec.model import Candidate
from rtlgen.spec.syntax import apply_edits, splice

# rule id -> the function that finds its sites
REWRITES: dict[str, Callable[[Design], list[Site]]] = {
    "const-mult-shift-add": arith.const_mult,
    "share-add-sub": arith.share_add_sub,
    "absolute-difference": arith.absolute_difference,
    "alu-shared-adder": arith.case_shared_adder,
    "share-mux-before-arith": arith.share_mux_before_arith,
    "operand-isolation": arith.operand_isolation,
    "share-operator-across-branches": share.share_branches,
    "word-level-operators": wordlevel.word_operators,
    "mux-constant-condition": mux.constant_condition,
    "mux-identical-branches": mux.identical_branches,
    "mux-andor-to-index": mux.andor_to_select,
    "compare-word-level": compare.word_level,
    "compare-merge-derived": compare.merge_derived,
    "compare-from-borrow": compare.borrow_compare,
    "constant-register-removal": registers.constant_register,
    "register-range-narrowing": ranges.register_ranges,
    "decoder-compare-per-output": logic.decoder,
    "table-for-narrow-function": logic.narrow_table,
}


def implemented() -> set[str]:
    """The rule ids that have a template implementation."""
    return set(REWRITES)


def _sound(design: Design, site: Site, rtl: str) -> bool:
    """The rewritten design elaborates with no new errors and the checked expression keeps its bits."""
    new = Design(rtl, design.top)
    if len(new.errors) > len(design.errors):
        return False
    if site.checked is None:
        return True
    edit = site.edits[0]
    # edits in front of the checked node (inserted declarations) shift it by the rest of the growth
    growth = len(rtl.encode()) - len(design.source)
    own = len(edit.text.encode()) - (edit.end - edit.start)
    shift = growth - own
    old_type = design.type_of(site.checked)
    new_type = new.type_of((edit.start + shift, edit.start + shift + len(edit.text.encode())))
    if old_type is not None and new_type is not None and preserves(old_type, new_type):
        return True
    # the enclosing low-bit-closed expression (c - a * 3) may still deliver the same bits
    root = closed_root(design, edit.start, edit.end, edit.kind)
    if root is None or root == site.checked:
        return False
    old_root = design.type_of(root)
    new_root = new.type_of((root[0] + shift, root[1] + growth))
    return old_root is not None and new_root is not None and preserves(old_root, new_root)


def _rewritten(design: Design, site: Site) -> str:
    """The RTL with the site's edits made. pyslang's rewriter leaves compilation-unit members as they are, so a
    module replaced as a whole (by new modules) is spliced in as text; ``_sound`` then elaborates the result."""
    if all(edit.kind == SyntaxKind.ModuleDeclaration and not edit.before for edit in site.edits):
        return splice(design.source, [(edit.start, edit.end, edit.text) for edit in site.edits])
    return apply_edits(design.rtl, site.edits)


def apply_site(design: Design, site: Site) -> str | None:
    """The design's RTL with ``site`` applied, or None when the result would not be sound."""
    try:
        rtl = _rewritten(design, site)
    except ValueError:
        return None
    return rtl if rtl != design.rtl and _sound(design, site, rtl) else None


def propose(candidate: Candidate, rule: object) -> list[Proposal]:
    """One proposal per site where template ``rule`` (a Rule or its id) applies in ``candidate``."""
    rule_id = getattr(rule, "id", rule)
    if rule_id not in REWRITES:
        raise RtlgenError(f"rule {rule_id!r} has no template implementation; implemented: "
                          f"{', '.join(sorted(REWRITES))}")
    design = Design(candidate.rtl, candidate.top)
    proposals = []
    for site in REWRITES[rule_id](design):
        rtl = apply_site(design, site)
        if rtl is not None:
            # rtlgen's own rewrite of the text: a user's trusted design stays trusted
            changed = replace(candidate, rtl=rtl, provenance=(*candidate.provenance, f"template:{rule_id}"))
            proposals.append(Proposal(rule_id, "template", changed, site.description))
    return proposals


__all__ = ["REWRITES", "apply_site", "implemented", "propose"]
