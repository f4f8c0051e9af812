"""Liberty Boolean expressions (``function``, ``when``, ``next_state``, ``clocked_on``, ...): parse, evaluate, and
the probability of being 1 when the inputs are independent.

Liberty's grammar (as OpenSTA reads it): ``!A`` and ``A'`` negate, ``^`` (XOR) binds tighter than ``&``/``*``/a
space (AND), which bind tighter than ``|``/``+`` (OR); ``0`` and ``1`` are constants. A parsed expression is a
tuple tree (``("var", name)``, ``("const", bit)``, ``("not", e)``, ``("and"|"or"|"xor", a, b)``): plain data, so
a parsed library pickles, and both the gate simulation and the pricing read the same form.
"""
from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from functools import lru_cache

from rtlgen.errors import ConfigError

Expr = tuple
_TOKEN = re.compile(r"\s*(?:([A-Za-z_][\w\[\]\.]*)|([01])\b|(.))")
_BINARY = {"+": "or", "|": "or", "*": "and", "&": "and", "^": "xor"}


class ExprError(ConfigError):
    """A liberty Boolean expression that does not parse; names the text."""


def _tokens(text: str) -> list[str]:
    found = []
    for name, const, other in _TOKEN.findall(text.strip().strip('"')):
        found.append(name or const or other)
    return [t for t in found if t.strip()]


class _Parser:
    """Recursive descent over the tokens of one expression (precedence: OR < AND < XOR < NOT)."""

    def __init__(self, text: str) -> None:
        self.text, self.tokens, self.at = text, _tokens(text), 0

    def peek(self) -> str | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> str:
        token = self.peek()
        if token is None:
            raise ExprError(f"liberty expression {self.text!r} ends early")
        self.at += 1
        return token

    def parse(self) -> Expr:
        expr = self.binary(0)
        if self.peek() is not None:
            raise ExprError(f"liberty expression {self.text!r}: unexpected {self.peek()!r}")
        return expr

    def binary(self, level: int) -> Expr:
        ops = (("or",), ("and",), ("xor",))
        if level == len(ops):
            return self.unary()
        left = self.binary(level + 1)
        while True:
            token = self.peek()
            implicit = ops[level] == ("and",) and token is not None and (token in "!(01" or _is_name(token))
            if _BINARY.get(token or "") in ops[level]:
                self.take()
            elif not implicit:
                return left
            left = (ops[level][0], left, self.binary(level + 1))

    def unary(self) -> Expr:
        if self.peek() == "!":
            self.take()
            return ("not", self.unary())
        expr = self.primary()
        while self.peek() == "'":
            self.take()
            expr = ("not", expr)
        return expr

    def primary(self) -> Expr:
        token = self.take()
        if token == "(":
            expr = self.binary(0)
            if self.take() != ")":
                raise ExprError(f"liberty expression {self.text!r}: missing ')'")
            return expr
        if token in ("0", "1"):
            return ("const", token == "1")
        if _is_name(token):
            return ("var", token)
        raise ExprError(f"liberty expression {self.text!r}: unexpected {token!r}")


def _is_name(token: str) -> bool:
    return bool(token) and (token[0].isalpha() or token[0] == "_")


@lru_cache(maxsize=4096)
def parse_expr(text: str) -> Expr:
    """The tuple tree of a liberty expression (quotes around it are ignored)."""
    return _Parser(text).parse()


@lru_cache(maxsize=8192)
def expr_inputs(expr: Expr) -> tuple[str, ...]:
    """The names an expression reads, in first-use order."""
    if expr[0] == "var":
        return (expr[1],)
    if expr[0] == "const":
        return ()
    return tuple(dict.fromkeys(name for child in expr[1:] for name in expr_inputs(child)))


def evaluate(expr: Expr, values: Mapping[str, bool]) -> bool:
    """The expression's value with each name bound in ``values``."""
    kind = expr[0]
    if kind == "var":
        return bool(values[expr[1]])
    if kind == "const":
        return expr[1]
    if kind == "not":
        return not evaluate(expr[1], values)
    left, right = evaluate(expr[1], values), evaluate(expr[2], values)
    return {"and": left and right, "or": left or right, "xor": left != right}[kind]


@lru_cache(maxsize=8192)
def truth_table(expr: Expr) -> tuple[tuple[str, ...], tuple[tuple[bool, ...], ...]]:
    """The expression's inputs and every assignment of them (in that order) that makes it 1."""
    names = expr_inputs(expr)
    rows = tuple(bits for bits in itertools.product((False, True), repeat=len(names))
                 if evaluate(expr, dict(zip(names, bits))))
    return names, rows


def probability(expr: Expr, high: Mapping[str, float], unknown: float = 0.5) -> float:
    """P(expr = 1) when each input ``n`` is 1 with probability ``high[n]`` (``unknown`` for a name not in it),
    independently of the others.

    Exact under that assumption (the truth table is summed, so a name used twice is not counted as two
    independent events); cells' expressions read a handful of pins."""
    names, rows = truth_table(expr)
    p = [high.get(name, unknown) for name in names]
    total = 0.0
    for bits in rows:
        weight = 1.0
        for p_high, bit in zip(p, bits):
            weight *= p_high if bit else 1.0 - p_high
        total += weight
    return total
