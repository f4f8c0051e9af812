"""A small two-valued interpreter over pyslang's semantic AST: the FSM optimizer's only source of meaning.

It evaluates the statements and expressions that hand-written FSMs use (case, if, ?:, comparisons,
bitwise and arithmetic operators on unsigned vectors) for one concrete state code and one
concrete input valuation. Anything else raises ``Unsupported``, and the extractor then reports no
FSM: the optimizer never guesses what a construct means.
"""
from __future__ import annotations

from typing import Any, Callable

from pyslang import ast

X = "x"  # an assigned x/z value: a value of its own, equal only to itself (never a don't-care)
Value = int | str


class Unsupported(Exception):
    """A construct the FSM optimizer does not understand; the design is left alone."""


_B = ast.BinaryOperator
_U = ast.UnaryOperator
_BINARY: dict[Any, Callable[[int, int, int], int]] = {
    _B.Add: lambda a, b, w: a + b, _B.Subtract: lambda a, b, w: a - b, _B.Multiply: lambda a, b, w: a * b,
    _B.BinaryAnd: lambda a, b, w: a & b, _B.BinaryOr: lambda a, b, w: a | b, _B.BinaryXor: lambda a, b, w: a ^ b,
    _B.BinaryXnor: lambda a, b, w: ~(a ^ b), _B.Equality: lambda a, b, w: int(a == b),
    _B.Inequality: lambda a, b, w: int(a != b), _B.CaseEquality: lambda a, b, w: int(a == b),
    _B.CaseInequality: lambda a, b, w: int(a != b), _B.LessThan: lambda a, b, w: int(a < b),
    _B.LessThanEqual: lambda a, b, w: int(a <= b), _B.GreaterThan: lambda a, b, w: int(a > b),
    _B.GreaterThanEqual: lambda a, b, w: int(a >= b), _B.LogicalAnd: lambda a, b, w: int(bool(a) and bool(b)),
    _B.LogicalOr: lambda a, b, w: int(bool(a) or bool(b)),
    _B.LogicalShiftLeft: lambda a, b, w: a << b if b < 64 else 0, _B.LogicalShiftRight: lambda a, b, w: a >> b,
}
_UNARY: dict[Any, Callable[[int, int], int]] = {
    _U.BitwiseNot: lambda a, w: ~a, _U.LogicalNot: lambda a, w: int(not a), _U.Minus: lambda a, w: -a,
    _U.Plus: lambda a, w: a, _U.BitwiseAnd: lambda a, w: int(a == (1 << w) - 1), _U.BitwiseOr: lambda a, w: int(a != 0),
    _U.BitwiseXor: lambda a, w: bin(a).count("1") & 1, _U.BitwiseNand: lambda a, w: int(a != (1 << w) - 1),
    _U.BitwiseNor: lambda a, w: int(a == 0), _U.BitwiseXnor: lambda a, w: 1 - (bin(a).count("1") & 1),
}
_EK = ast.ExpressionKind
_SK = ast.StatementKind


def width(expr: Any) -> int:
    bits = int(expr.type.bitWidth)
    if bits <= 0:
        raise Unsupported(f"expression without a fixed width: {expr.syntax}")
    return bits


def strip(expr: Any) -> Any:
    """The expression under implicit width/sign conversions."""
    while expr.kind == _EK.Conversion:
        expr = expr.operand
    return expr


def literal(value: Any) -> Value:
    """An SVInt or ConstantValue as an int, or ``X`` when it has x/z bits."""
    for v in (value, getattr(value, "value", value)):
        unknown = getattr(v, "hasUnknown", False)  # a method on ConstantValue, a property on SVInt
        if unknown() if callable(unknown) else unknown:
            return X
    inner = getattr(value, "value", value)
    try:
        return int(inner)
    except (TypeError, ValueError) as exc:
        raise Unsupported(f"non-integer constant {value}") from exc


class Evaluator:
    """Evaluates expressions and statements with ``params`` (module constants) and an environment."""

    def __init__(self, params: dict[str, int]) -> None:
        self.params = params

    def expr(self, e: Any, env: dict[str, Value]) -> Value:
        value = self._expr(e, env)
        if value == X:
            return X
        bits = width(e)
        if e.type.isSigned and not 0 <= value < 1 << (bits - 1):
            # non-negative signed values behave as unsigned ones; anything else is not modelled
            raise Unsupported(f"signed value out of the non-negative range: {e.syntax}")
        return value & ((1 << bits) - 1)

    def _expr(self, e: Any, env: dict[str, Value]) -> Value:
        kind = e.kind
        if kind == _EK.NamedValue:
            name = e.symbol.name
            if name in env:
                return env[name]
            if name in self.params:
                return self.params[name]
            raise Unsupported(f"value of '{name}' is not known here")
        if kind in (_EK.IntegerLiteral, _EK.UnbasedUnsizedIntegerLiteral):
            return literal(e.value)
        if kind == _EK.Conversion:
            return self.expr(e.operand, env)
        if kind == _EK.BinaryOp:
            fn = _BINARY.get(e.op)
            if fn is None:
                raise Unsupported(f"operator {e.op} is not handled")
            a, b = self.expr(e.left, env), self.expr(e.right, env)
            if X in (a, b):
                return X
            return fn(a, b, width(e.left))
        if kind == _EK.UnaryOp:
            fn = _UNARY.get(e.op)
            if fn is None:
                raise Unsupported(f"operator {e.op} is not handled")
            a = self.expr(e.operand, env)
            return X if a == X else fn(a, width(e.operand))
        if kind == _EK.ConditionalOp:
            if len(e.conditions) != 1:
                raise Unsupported("pattern-matching conditions are not handled")
            return self.expr(e.left if self.condition(e.conditions[0].expr, env) else e.right, env)
        if kind == _EK.Concatenation:
            value: Value = 0
            for part in e.operands:
                v = self.expr(part, env)
                if v == X or value == X:
                    value = X
                else:
                    value = (value << width(part)) | v
            return value
        if kind == _EK.Replication:
            count, v = self.expr(e.count, env), self.expr(e.concat, env)
            if X in (count, v):
                return X
            out = 0
            for _ in range(count):
                out = (out << width(e.concat)) | v
            return out
        if kind in (_EK.ElementSelect, _EK.RangeSelect):
            return self._select(e, env)
        raise Unsupported(f"expression kind {kind} is not handled: {e.syntax}")

    def _select(self, e: Any, env: dict[str, Value]) -> Value:
        base = self.expr(e.value, env)
        rng = e.value.type.fixedRange if e.value.type.hasFixedRange else None
        if rng is None or rng.left < rng.right:
            raise Unsupported(f"select on a value without a descending range: {e.syntax}")
        if e.kind == _EK.ElementSelect:
            idx = self.expr(e.selector, env)
            lo, hi = idx, idx
        else:
            if e.selectionKind != ast.RangeSelectionKind.Simple:
                raise Unsupported(f"indexed part-select is not handled: {e.syntax}")
            hi, lo = self.expr(e.left, env), self.expr(e.right, env)
        if X in (base, lo, hi):
            return X
        lo -= rng.right
        hi -= rng.right
        return (base >> lo) & ((1 << (hi - lo + 1)) - 1)

    def condition(self, e: Any, env: dict[str, Value]) -> bool:
        value = self.expr(e, env)
        if value == X:
            raise Unsupported(f"condition with x value: {e.syntax}")
        return bool(value)

    def run(self, stmt: Any, env: dict[str, Value], writes: dict[str, Value], blocking_ok: bool) -> None:
        """Execute ``stmt``: blocking assignments update ``env``; every assignment lands in ``writes``."""
        kind = stmt.kind
        if kind == _SK.Block:
            self.run(stmt.body, env, writes, blocking_ok)
        elif kind == _SK.List:
            for s in stmt.list:
                self.run(s, env, writes, blocking_ok)
        elif kind == _SK.Empty:
            return
        elif kind == _SK.Timed:
            self.run(stmt.stmt, env, writes, blocking_ok)
        elif kind == _SK.ExpressionStatement:
            self._assign(stmt.expr, env, writes, blocking_ok)
        elif kind == _SK.Conditional:
            if len(stmt.conditions) != 1 or stmt.conditions[0].pattern is not None:
                raise Unsupported("pattern-matching if is not handled")
            if self.condition(stmt.conditions[0].expr, env):
                self.run(stmt.ifTrue, env, writes, blocking_ok)
            elif stmt.ifFalse is not None:
                self.run(stmt.ifFalse, env, writes, blocking_ok)
        elif kind == _SK.Case:
            chosen = self.case_choice(stmt, env)
            if chosen is not None:
                self.run(chosen, env, writes, blocking_ok)
        else:
            raise Unsupported(f"statement kind {kind} is not handled")

    def case_choice(self, stmt: Any, env: dict[str, Value]) -> Any | None:
        """The statement a ``case`` selects (the default when no label matches; None when there is none)."""
        if stmt.condition != ast.CaseStatementCondition.Normal:
            raise Unsupported("casez/casex/case inside are not handled")
        subject = self.expr(stmt.expr, env)
        if subject == X:
            raise Unsupported(f"case on an x value: {stmt.expr.syntax}")
        for item in stmt.items:
            for label in item.expressions:
                value = self.expr(label, env)
                if value == X:
                    raise Unsupported("case labels with x/z bits are not handled")
                if value == subject:
                    return item.stmt
        return stmt.defaultCase

    def _assign(self, e: Any, env: dict[str, Value], writes: dict[str, Value], blocking_ok: bool) -> None:
        if e.kind != _EK.Assignment or e.isCompound or e.timingControl is not None:
            raise Unsupported(f"statement is not a plain assignment: {e.syntax}")
        value = self.expr(e.right, env)
        target = strip(e.left)
        if target.kind == _EK.NamedValue:
            name = target.symbol.name
            value = value if value == X else value & ((1 << width(target)) - 1)
            writes[name] = value
            if not e.isNonBlocking:
                if not blocking_ok:
                    raise Unsupported(f"blocking assignment in a clocked block: {e.syntax}")
                env[name] = value
            return
        if not e.isNonBlocking:
            raise Unsupported(f"blocking assignment to part of a variable: {e.syntax}")
        writes[str(e.left.syntax).strip()] = value
