"""The HDL front end: the user's combined sources elaborated once (pyslang) and refused at the edge when unusable.

``rtlgen.spec.sources`` combines files, file lists, include folders and defines into one text with
```line`` directives; ``elaborate`` reads that text with pyslang, applies the top's parameters and
returns a ``DesignView`` (modules with file:line, the top's ports and parameters, the instance
hierarchy). Everything that would make a later tool fail, or silently build another circuit, is
reported together in one ``DesignInputError`` before any tool runs, each problem at the user's file
and line (slang applies the ```line`` directives):

- every syntax and elaboration error, every missing module (slang reports each instantiation);
- every hierarchical reference into another instance (``ID_EX_Reg.ALUOp``): simulators follow it,
  but Yosys drops it and leaves the logic undriven, so synthesis would report a collapsed design.
  References into the module's own generate blocks (``g[0].w``) stay inside one module and are fine.

Top parameters (``-P NAME=VALUE``) are applied by rewriting the defaults of the top module's
parameters in the text, so the candidate stays one self-contained text that every tool reads alike;
an error inside such a value names the ``-P`` and how a value is written.
"""
from __future__ import annotations

import functools
import os
from dataclasses import asdict, dataclass
from typing import Any, Sequence

import pyslang
from pyslang import Bag
from pyslang.ast import Compilation, CompilationOptions, ExpressionKind, SymbolKind, VisitAction
from pyslang.syntax import SyntaxKind, SyntaxTree

from rtlgen.errors import ConfigError, DesignInputError
from rtlgen.spec.interface import ports_of
from rtlgen.spec.model import Port
from rtlgen.spec.syntax import parse, span, splice, walk

BUFFER_NAME = "design.sv"  # only seen for text without ```line`` directives


@dataclass(frozen=True)
class Module:
    """A module the design declares, where the user wrote it."""

    name: str
    file: str
    line: int


@dataclass(frozen=True)
class Parameter:
    """A parameter of the top module with its elaborated value; ``local`` ones cannot be set with ``-P``."""

    name: str
    value: str
    local: bool
    file: str
    line: int


@dataclass(frozen=True)
class Instance:
    """One module instance under the top (``path`` is hierarchical: ``top.u_core.u_alu``)."""

    path: str
    module: str
    file: str
    line: int


@dataclass(frozen=True)
class DesignView:
    """The parsed view of a design the later stages can use without parsing it again."""

    top: str
    modules: tuple[Module, ...]
    ports: tuple[Port, ...]
    parameters: tuple[Parameter, ...]
    hierarchy: tuple[Instance, ...]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class _SetValue:
    """A ``-P NAME=VALUE`` where it stands in the rewritten text: bytes [start, end)."""

    name: str
    value: str
    start: int
    end: int


def _placed(params: Sequence[tuple[str, str]], edits: Sequence[tuple[int, int, str]]) -> list[_SetValue]:
    """Where each value of ``params`` stands once ``edits`` (one per param, same order) are spliced in."""
    order = sorted(range(len(edits)), key=lambda i: edits[i][0])
    placed, shift = [], 0
    for i in order:
        start, end, value = edits[i]
        placed.append(_SetValue(params[i][0], value, start + shift, start + shift + len(value.encode())))
        shift += len(value.encode()) - (end - start)
    return placed


def _shown_value(param: Any) -> str:
    """A value parameter's elaborated value as the user would write it: slang holds a string as bits
    (``"MINI"`` is 32'd1296649801), so a string-valued parameter is shown as the string."""
    initializer = param.declaredType.initializer
    if initializer is not None and initializer.isImplicitString:
        return str(param.value.convertToStr())  # quoted, as written
    return str(param.value)


class _Elaboration:
    """One pyslang compilation of ``rtl`` with ``top`` (or the only module nothing instantiates) as its top."""

    def __init__(self, rtl: str, top: str | None, origin: str) -> None:
        self.rtl = rtl
        self.sources = pyslang.SourceManager()
        tree = SyntaxTree.fromText(rtl, self.sources, BUFFER_NAME)  # its own sources: ```line`` names for where()
        options = CompilationOptions()
        if top:
            options.topModules = {top}  # elaborate ``top`` even when another module instantiates it
        self.compilation = Compilation(Bag([options]))
        self.compilation.addSyntaxTree(tree)
        self.buffer = tree.root.sourceRange.start.buffer  # the combined text's (a macro expansion has its own)
        self.modules = tuple(Module(n.header.name.valueText, *self.where(n.header.name.location))
                             for n in walk(tree.root) if n.kind == SyntaxKind.ModuleDeclaration)
        self.top = self._pick(top, origin)
        self.instance = next(i for i in self.compilation.getRoot().topInstances if i.name == self.top)

    def where(self, location: Any) -> tuple[str, int]:
        """The user's file (absolute) and line of a location in the combined text."""
        name = self.sources.getFileName(location)  # slang gives ```line`` names relative to the working folder
        return (name if name == BUFFER_NAME else os.path.abspath(name)), self.sources.getLineNumber(location)

    def _pick(self, top: str | None, origin: str) -> str:
        names = [m.name for m in self.modules]
        if top:
            if top not in names:
                raise ConfigError(f"module '{top}' is not declared in {origin} (modules: {', '.join(names) or 'none'})")
            return top
        tops = [i.name for i in self.compilation.getRoot().topInstances]
        if len(tops) == 1:
            return tops[0]
        if not tops:
            raise ConfigError(f"{origin} declares no module; give a Verilog design")
        raise ConfigError(f"{origin} has several top-level modules ({', '.join(tops)}); choose one with --top")

    @functools.cached_property
    def instances(self) -> list[Any]:
        """The top instance and every instance under it, in elaboration order (walked once: problems and view
        both need it)."""
        found = [self.instance]
        self.instance.body.visit(lookup_table={SymbolKind.Instance: found.append})
        return found

    def problems(self, set_values: Sequence[_SetValue] = ()) -> list[str]:
        """Every error slang found and every hierarchical reference into another instance, in file order; an
        error inside a ``-P`` value names that ``-P`` (the user typed the value, not the line it lands on)."""
        engine = pyslang.DiagnosticEngine(self.sources)
        found = {(*self.where(d.location), self._blamed(engine.formatMessage(d), d.location, set_values)): None
                 for d in self.compilation.getAllDiagnostics() if d.isError()}
        found.update(dict.fromkeys(self._hierarchical_references()))
        return [f"{file}:{line}: {message}" for file, line, message in sorted(found)]

    def _blamed(self, message: str, location: Any, set_values: Sequence[_SetValue]) -> str:
        """``message``, naming the ``-P`` whose value holds ``location`` and how values are written."""
        hit = next((v for v in set_values if v.start <= location.offset <= v.end), None)
        if hit is None or location.buffer != self.buffer:
            return message
        return (f"-P {hit.name}={hit.value} is not a valid value: {message}; a -P value is a Verilog constant "
                f"expression (16, 2*8, 4'b1010) and a string needs its quotes: -P {hit.name}='\"text\"'")

    def _hierarchical_references(self) -> list[tuple[str, int, str]]:
        refs: dict[tuple[str, int, str], None] = {}
        for inst in self.instances:
            def check(expr: Any, here: str = inst.body.hierarchicalPath) -> None:
                target = expr.symbol.parentScope.containingInstance.hierarchicalPath
                if target != here:
                    text = str(expr.syntax).strip()
                    refs[(*self.where(expr.sourceRange.start), f"hierarchical reference '{text}' reaches into "
                          f"instance '{target}': synthesis (Yosys) would drop it and leave that logic undriven; "
                          "pass the signal through a port instead")] = None

            inst.body.visit(lookup_table={SymbolKind.Instance: lambda _: VisitAction.Skip,
                                          ExpressionKind.HierarchicalValue: check})
        return list(refs)

    def view(self) -> DesignView:
        body = self.instance.body
        parameters = tuple(Parameter(p.name, _shown_value(p) if p.kind == SymbolKind.Parameter else "type",
                                     p.isLocalParam, *self.where(p.location)) for p in body.parameters)
        hierarchy = tuple(Instance(i.hierarchicalPath, i.definition.name, *self.where(i.location))
                          for i in self.instances[1:])
        return DesignView(self.top, self.modules, ports_of(body, self.top), parameters, hierarchy)

    def with_parameters(self, params: Sequence[tuple[str, str]]) -> tuple[str, list[_SetValue]]:
        """The text with the top's parameter defaults replaced by ``params`` (NAME, VALUE), and where each value
        now stands in it."""
        settable = {p.name: p for p in self.instance.body.parameters if not p.isLocalParam}
        unknown = [name for name, _ in params if name not in settable]
        if unknown:
            listed = ", ".join(f"{p.name}={_shown_value(p)}" if p.kind == SymbolKind.Parameter else p.name
                               for p in settable.values()) or "none"
            raise ConfigError(f"module '{self.top}' has no parameter {', '.join(unknown)} to set (local parameters "
                              f"cannot be set); its parameters: {listed}")
        edits = []
        for name, value in params:
            param = settable[name]
            default = param.syntax.initializer if param.kind == SymbolKind.Parameter else None
            if default is None or self.sources.isMacroLoc(default.expr.sourceRange.start):
                raise ConfigError(f"parameter {name} of '{self.top}' has no default value written in the source "
                                  "to replace (type parameters and macro-made defaults cannot be set with -P)")
            edits.append((*span(default.expr), value))
        return splice(self.rtl.encode(), edits), _placed(params, edits)


def elaborate(rtl: str, top: str | None, origin: str,
              params: Sequence[tuple[str, str]] = ()) -> tuple[str, DesignView]:
    """``rtl`` with the top's ``params`` applied, and its view; raises DesignInputError naming every problem.

    ``top`` None: the only module nothing instantiates (several or none is a ConfigError naming them).
    """
    design = _Elaboration(rtl, top, origin)
    set_values: list[_SetValue] = []
    if params:
        text, set_values = design.with_parameters(params)
        design = _Elaboration(text, design.top, origin)
    problems = design.problems(set_values)
    if problems:
        raise DesignInputError(problems)
    return design.rtl, design.view()


def top_modules(rtl: str) -> list[str]:
    """Modules of ``rtl`` that nothing instantiates (the candidates for ``--top``), in source order."""
    compilation = Compilation()
    compilation.addSyntaxTree(parse(rtl))
    return [inst.name for inst in compilation.getRoot().topInstances]
