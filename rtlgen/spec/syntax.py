"""Shared pyslang syntax-tree helpers: parsing once per text, node spans, a flat walk, and node replacement by
rewriting.

Mutation testing (``rtlgen.verify.mutate``) and the optimizer's template rewrites both locate
spots in RTL through the syntax tree; edits here go through ``pyslang.syntax.rewrite`` and
``SyntaxPrinter``, so every byte outside the replaced nodes (comments, layout) is kept.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, Iterable, Literal

from pyslang.syntax import SyntaxKind, SyntaxNode, SyntaxPrinter, SyntaxTree, rewrite

Fragment = Literal["expression", "statement", "member"]
SOURCE_NAME = "source"  # pyslang's own name for a text parsed without one


@functools.lru_cache(maxsize=16)
def parse(text: str, name: str = SOURCE_NAME) -> SyntaxTree:
    """The syntax tree of ``text`` read as file ``name`` (locations name it), parsed once: one check run asks
    for a candidate's modules, instances and procedural blocks several times. A tree is never changed (rewrites
    build new ones), so every caller, and every compilation it is added to, can share it."""
    return SyntaxTree.fromText(text, name)


def span(node: Any) -> tuple[int, int]:
    """Byte offsets [start, end) of a syntax node in its source, leading trivia excluded."""
    rng = node.sourceRange
    return rng.start.offset, rng.end.offset


def token_span(token: Any) -> tuple[int, int]:
    start = token.location.offset
    return start, start + len(token.rawText.encode())


def walk(root: Any) -> list[Any]:
    """Every syntax node under ``root`` (tokens excluded), in source order."""
    nodes: list[Any] = []

    def visit(node: Any) -> None:
        if isinstance(node, SyntaxNode):
            nodes.append(node)

    root.visit(visit)
    return nodes


def text_of(source: bytes, node: Any) -> str:
    start, end = span(node)
    return source[start:end].decode(errors="replace")


def ancestors(node: Any, stop: Any = None) -> Iterable[Any]:
    """The nodes above ``node``, nearest first, up to (not including) ``stop`` or the root."""
    parent = node.parent
    while parent is not None and parent is not stop:
        yield parent
        parent = parent.parent


def strip_parens(node: Any) -> Any:
    """The expression inside any number of parentheses."""
    while node.kind == SyntaxKind.ParenthesizedExpression:
        node = node.expression
    return node


def splice(source: bytes, edits: Iterable[tuple[int, int, str]]) -> str:
    """``source`` with each byte range [start, end) replaced by its text; an edit inside a range another edit
    replaces is dropped (the enclosing edit already rewrote those bytes)."""
    out, pos = [], 0
    for start, end, text in sorted(edits, key=lambda e: (e[0], -e[1])):
        if start < pos:
            continue
        out += [source[pos:start], text.encode()]
        pos = end
    out.append(source[pos:])
    return b"".join(out).decode(errors="replace")


# constant computations: declarations, ranges, indices, delays, loop headers and initial blocks
_NOT_LOGIC = {SyntaxKind.VariableDimension, SyntaxKind.ElementSelect, SyntaxKind.ParameterDeclaration,
              SyntaxKind.ParameterPortList, SyntaxKind.PortDeclaration, SyntaxKind.ImplicitAnsiPort,
              SyntaxKind.InitialBlock, SyntaxKind.DelayControl}


def is_logic(node: Any) -> bool:
    """False for index, range, declaration and delay arithmetic and loop headers: constant computations, not logic."""
    child = node
    for parent in ancestors(node):
        if parent.kind in _NOT_LOGIC:
            return False
        if parent.kind in (SyntaxKind.ForLoopStatement, SyntaxKind.LoopGenerate) \
                and child is not getattr(parent, "statement", None) and child is not getattr(parent, "block", None):
            return False
        child = parent
    return True


_WRAPPERS: dict[str, tuple[str, str]] = {
    "expression": ("module __rtlgen_fragment; assign __rtlgen_x = ", "; endmodule"),
    "statement": ("module __rtlgen_fragment; always begin ", " end endmodule"),
    "member": ("module __rtlgen_fragment; ", " endmodule"),
}


def parse_fragment(text: str, what: Fragment) -> tuple[SyntaxTree, Any]:
    """Parse one expression or statement (the node), or module items (a list of nodes); returns (owning tree, it).

    Raises ValueError when the text does not parse cleanly as that kind of fragment.
    """
    head, tail = _WRAPPERS[what]
    tree = SyntaxTree.fromText(head + " " + text + tail)
    if any(d.isError() for d in tree.diagnostics):
        raise ValueError(f"not a valid {what}: {text!r}")
    module = tree.root if tree.root.kind == SyntaxKind.ModuleDeclaration else tree.root.members[0]
    member = module.members[0]
    if what == "member":
        return tree, list(module.members)
    if what == "expression":
        return tree, member.assignments[0].right
    return tree, member.statement.items[0]


@dataclass(frozen=True)
class Edit:
    """Replace the node of ``kind`` spanning [start, end) with ``text`` (an expression, statement or members).

    With ``before=True`` the node is kept and ``text`` (module items) is inserted in front of it.
    """

    start: int
    end: int
    kind: SyntaxKind
    text: str
    what: Fragment = "expression"
    before: bool = False


def apply_edits(rtl: str, edits: Iterable[Edit]) -> str:
    """``rtl`` with each edit's node replaced (pyslang rewrite, original trivia kept).

    Raises ValueError when an edit's node is not found or its text does not parse.
    """
    edits = list(edits)
    targets = {(e.start, e.end, e.kind): e for e in edits}
    fragments = {key: parse_fragment(e.text, e.what) for key, e in targets.items()}  # trees stay alive
    done: set[tuple[int, int, SyntaxKind]] = set()

    def handler(node: Any, rewriter: Any) -> None:
        key = (*span(node), node.kind)
        if key in fragments and key not in done:
            done.add(key)
            edit, new = targets[key], fragments[key][1]
            if edit.before:
                for member in new:
                    rewriter.insertBefore(node, rewriter.deepClone(member))
            elif isinstance(new, list):
                rewriter.replace(node, rewriter.deepClone(new[0]), True)
                for member in reversed(new[1:]):
                    rewriter.insertAfter(node, rewriter.deepClone(member))
            else:
                rewriter.replace(node, rewriter.deepClone(new), True)

    tree = rewrite(parse(rtl), handler)
    missing = set(targets) - done
    if missing:
        raise ValueError(f"{len(missing)} edit target(s) not found in the syntax tree")
    return SyntaxPrinter.printFile(tree)


__all__ = ["Edit", "ancestors", "apply_edits", "is_logic", "parse", "parse_fragment", "span", "text_of", "token_span",
           "walk"]
