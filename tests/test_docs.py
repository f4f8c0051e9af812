"""The documents stay true to the code: the architecture picture is the code's import graph, and no document or
comment narrates development history ("stop N") that a reader cannot know."""
from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "docs" / "import_graph.py"
STOP_NUMBER = re.compile(r"\bstop [0-9]+", re.IGNORECASE)
PROSE_AND_CODE = (".md", ".py", ".yaml", ".j2", ".txt")


def _import_graph_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("import_graph", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_architecture_picture_is_the_code_s_import_graph() -> None:
    script = _import_graph_script()
    text = script.DOCUMENT.read_text()
    assert script.render(text, script.import_graph()) == text, (
        "docs/architecture.md's import graph is out of date (a module moved or an import changed): "
        "run `python docs/import_graph.py` and commit docs/architecture.md")


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_the_graph_sees_relative_deferred_and_cyclic_imports(tmp_path: Path) -> None:
    """A fake rtlgen: verify imports spec at load (relatively), spec imports verify only inside a function."""
    package = tmp_path / "rtlgen"
    _write(package / "__init__.py", "import rtlgen.verify\n")  # the facade: not a part
    _write(package / "errors.py", "")
    _write(package / "spec" / "__init__.py", "def f():\n    from rtlgen.verify import check\n")
    _write(package / "verify" / "__init__.py", "from ..spec import model\nfrom rtlgen import errors\n")
    script = _import_graph_script()
    graph = script.import_graph(package)
    assert sorted(graph.edges(data="deferred")) == [("spec", "verify", True), ("verify", "errors", False),
                                                    ("verify", "spec", False)]
    assert script.cycles(graph) == [["spec", "verify"]]
    picture = script.mermaid(graph)
    assert "spec -.-> verify" in picture and "verify --> spec" in picture
    assert "Import cycles between parts: spec <-> verify." in picture


def test_the_picture_draws_the_layers_not_every_edge(tmp_path: Path) -> None:
    """cli -> verify -> tools -> errors and cli -> errors: the direct edge is implied, so not drawn."""
    package = tmp_path / "rtlgen"
    _write(package / "errors.py", "")
    _write(package / "tools" / "__init__.py", "import rtlgen.errors\n")
    _write(package / "verify" / "__init__.py", "import rtlgen.tools\n")
    _write(package / "cli" / "__init__.py", "import rtlgen.verify\nimport rtlgen.errors\n")
    picture = _import_graph_script().mermaid(_import_graph_script().import_graph(package))
    assert "cli --> verify" in picture and "tools --> errors" in picture and "cli --> errors" not in picture
    assert "4 parts, 4 imported pairs, 3 drawn. Import cycles between parts: none." in picture


def test_no_document_or_comment_names_a_development_stop() -> None:
    """Documents state what is true now; the history of how it got so belongs in git log."""
    files = [ROOT / "README.md", *(path for folder in ("docs", "rtlgen", "benchmarks", "tests")
                                   for path in sorted((ROOT / folder).rglob("*")) if path.suffix in PROSE_AND_CODE)]
    found = [f"{path.relative_to(ROOT)}:{number}: {line.strip()}" for path in files
             for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1)
             if STOP_NUMBER.search(line)]
    assert not found, "say what is true now (a measurement's date, tree and command):\n" + "\n".join(found)
