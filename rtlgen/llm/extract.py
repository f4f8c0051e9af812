"""Pull the code out of an LLM reply: Verilog for a design, Python for a golden model.

Replies come fenced (```verilog, ```systemverilog, ```sv, ```v, plain ```), between VerilogEval's
[BEGIN]/[DONE] markers, or as bare code with prose around it; they may hold several modules, a
testbench, or a module with the wrong name. What cannot be repaired raises ExtractionError.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from rtlgen.llm.errors import ExtractionError
from rtlgen.spec.rtl_text import rename_modules

VERILOG_LANGS = {"", "verilog", "systemverilog", "sv", "v", "vlog", "veri"}
PYTHON_LANGS = {"", "python", "py", "python3"}
_FENCE = re.compile(r"^[ \t]*```[ \t]*([\w+-]*)[^\n]*\n(.*?)(?:^[ \t]*```|\Z)", re.S | re.M)
_MODULE_HEAD = r"^[ \t]*(?:macromodule|module)\s+(\w+)(?=\s*(?:#|\(|;|import\b|//|/\*))"
_MODULE = re.compile(_MODULE_HEAD + r"(.*?)(?:\bendmodule\b|\Z)", re.S | re.M)
_MODULE_START = re.compile(_MODULE_HEAD, re.M)
_ENDMODULE = re.compile(r"\bendmodule\b")
_DIRECTIVE = re.compile(r"^[ \t]*`(?:timescale|default_nettype|define|include|ifdef|ifndef|else|endif|undef)\b.*$",
                        re.M)
_TB_NAME = re.compile(r"(^|_)(tb|testbench|test|bench)($|_)|^tb|tb$", re.I)


@dataclass
class Extraction:
    """The code kept, the modules in it, and what was changed on the way (renames, drops)."""

    code: str
    modules: list[str]
    notes: list[str] = field(default_factory=list)


def _quote(reply: str, limit: int = 160) -> str:
    text = " ".join(reply.split())
    return text[:limit] + ("..." if len(text) > limit else "")


def _segments(reply: str, langs: set[str]) -> list[str]:
    """Code regions in reply order: [BEGIN]/[DONE] first, then fences of an accepted language, else all."""
    text = reply
    if "[BEGIN]" in text or "[DONE]" in text:
        start = text.find("[BEGIN]")
        text = text[start + len("[BEGIN]"):] if start >= 0 else text
        end = text.find("[DONE]")
        text = text[:end] if end >= 0 else text
    fenced = [(lang.lower(), body) for lang, body in _FENCE.findall(text)]
    wanted = [body for lang, body in fenced if lang in langs]
    if wanted:
        return wanted
    if fenced and "```" in text:
        # only fences of other languages: code may still sit outside them
        text = _FENCE.sub("\n", text)
    return [text]


def _module_spans(text: str) -> tuple[list[tuple[str, str]], list[str]]:
    """The modules in ``text`` in the order they start, and a note per module found inside another.

    A module declared inside another one is taken out as a module of its own: SystemVerilog's nested modules,
    which Icarus rejects, and above all a top whose given header the model wrote first and left open to write
    the submodules, then wrote again in full (RTLLM barrel_shifter and adder_32bit with Qwen2.5-Coder 1.5B). The
    header left open becomes a module of its own with no ``endmodule``, which the later full definition replaces.
    """
    events = sorted([(m.start(), m) for m in _MODULE_START.finditer(text)]
                    + [(m.start(), m) for m in _ENDMODULE.finditer(text)], key=lambda e: e[0])
    found: list[tuple[int, str, str]] = []
    notes: list[str] = []
    open_: list[tuple[str, int, list[str]]] = []  # name, start, text pieces so far
    resume = 0  # where the innermost open module's text goes on
    for pos, m in events:
        if m.re is _MODULE_START:
            if open_:
                open_[-1][2].append(text[resume:pos])
                notes.append(f"module '{m.group(1)}' was declared inside '{open_[-1][0]}': taken out")
            open_.append((m.group(1), pos, []))
            resume = pos
        elif open_:  # an endmodule outside any module is left out, as before
            name, start, pieces = open_.pop()
            found.append((start, name, "".join(pieces) + text[resume:m.end()]))
            resume = m.end()
    while open_:  # cut off (token limit) or a header left open: the text runs to the end
        name, start, pieces = open_.pop()
        found.append((start, name, "".join(pieces) + text[resume:]))
        resume = len(text)
    return [(name, body.strip("\n")) for _, name, body in sorted(found)], notes


def _instantiates(body: str, name: str) -> bool:
    return re.search(rf"(?<![\w.$`])\b{re.escape(name)}\b\s*(?:#\s*\(|\w+\s*(?:\[[^\]]*\]\s*)?\()", body) is not None


def _is_testbench(name: str, body: str) -> bool:
    """Named like a testbench, or a port-less module (``module tb;``): nothing to synthesize."""
    after_name = body.split(";", 1)[0].split(name, 1)[1]
    after_name = re.sub(r"#\s*\((?:[^()]|\([^()]*\))*\)", "", after_name)  # parameter list
    has_ports = re.search(r"\(\s*[^)\s]", after_name) is not None
    return bool(_TB_NAME.search(name)) or not has_ports


def _closure(root: str, modules: dict[str, str]) -> list[str]:
    keep, todo = [root], [root]
    while todo:
        body = modules[todo.pop()]
        for other in modules:
            if other not in keep and _instantiates(body.split(";", 1)[-1], other):
                keep.append(other)
                todo.append(other)
    return keep


def extract_verilog_detailed(reply: str, top: str) -> Extraction:
    """The modules needed for ``top`` (it plus what it instantiates), with notes on repairs made."""
    modules: dict[str, str] = {}  # a later definition of a module replaces an earlier one
    directives: list[str] = []
    notes: list[str] = []
    for segment in _segments(reply, VERILOG_LANGS):
        spans, nested = _module_spans(segment)
        notes += nested
        for name, body in spans:
            modules.pop(name, None)
            modules[name] = body
        for line in _DIRECTIVE.findall(_MODULE.sub("", segment)):
            if line.strip() not in directives:
                directives.append(line.strip())
    if not modules:
        raise ExtractionError("the reply contains no Verilog module", "no_code", _quote(reply))
    root = top
    if top not in modules:
        designs = {n: b for n, b in modules.items() if not _is_testbench(n, b)}
        roots = [n for n in designs if not any(_instantiates(b.split(";", 1)[-1], n)
                                                for m, b in designs.items() if m != n)]
        if len(roots) != 1:
            raise ExtractionError(f"the reply has no module named '{top}' and no single top module to rename "
                                  f"(modules found: {', '.join(modules)})", "no_module", _quote(reply))
        root = roots[0]
    kept = _closure(root, modules)
    dropped = [n for n in modules if n not in kept]
    if dropped:
        notes.append(f"dropped module(s) not used by '{root}': {', '.join(dropped)}")
    code = "\n\n".join(modules[n] for n in sorted(kept, key=list(modules).index))
    if directives:
        code = "\n".join(directives) + "\n\n" + code
    if root != top:
        if top in kept:
            raise ExtractionError(f"cannot rename module '{root}' to '{top}': a submodule already has that name",
                                  "no_module", _quote(reply))
        code = rename_modules(code, {root: top})
        notes.append(f"renamed module '{root}' to '{top}'")
        kept = [top if n == root else n for n in kept]
    return Extraction(code=code.strip() + "\n", modules=kept, notes=notes)


def extract_verilog(reply: str, top: str) -> str:
    """The Verilog for module ``top`` in ``reply`` (see :func:`extract_verilog_detailed`)."""
    return extract_verilog_detailed(reply, top).code


def _defines_model(code: str) -> bool:
    return re.search(r"^def\s+evaluate\s*\(|^class\s+Model\b", code, re.M) is not None


def extract_python(reply: str) -> str:
    """A golden model: Python that compiles and defines ``evaluate`` or ``class Model``."""
    candidates = _segments(reply, PYTHON_LANGS)
    if len(candidates) == 1 and "```" not in reply:
        text = candidates[0]
        start = re.search(r"^(?:import |from \w|def |class |@)", text, re.M)
        candidates = [text[start.start():]] if start else []
    models = [c for c in candidates if _defines_model(c)]
    if not models:
        raise ExtractionError("the reply has no Python defining 'def evaluate(inputs)' or 'class Model'", "no_code",
                              _quote(reply))
    code = models[-1].strip() + "\n"
    try:
        compile(code, "<golden model>", "exec")
    except SyntaxError as exc:
        if "```" in reply:
            raise ExtractionError(f"the golden model does not compile: line {exc.lineno}: {exc.msg}",
                                  "syntax_error", _quote(code)) from None
        code = _trim_trailing_prose(code, exc)
    return code


def _trim_trailing_prose(code: str, exc: SyntaxError) -> str:
    """Bare code followed by prose: keep the lines before the first one that does not parse."""
    lines = code.splitlines()
    for end in range((exc.lineno or len(lines)) - 1, 0, -1):
        head = "\n".join(lines[:end]).strip() + "\n"
        try:
            compile(head, "<golden model>", "exec")
        except SyntaxError:
            continue
        if _defines_model(head):
            return head
    raise ExtractionError(f"the golden model does not compile: line {exc.lineno}: {exc.msg}", "syntax_error",
                          _quote(code))
