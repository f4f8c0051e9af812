"""What ``rtlgen optimize`` writes: the optimized RTL, ``changes.md`` (rule, diff, PPA, proof per step) and
``opt.json``."""
from __future__ import annotations

from pathlib import Path

from rtlgen.optimize.budget import signals_held
from rtlgen.optimize.render import render
from rtlgen.optimize.result import OptResult
from rtlgen.outdir import rtl_file_name
from rtlgen.spec.sources import without_line_directives
from rtlgen.store import atomic_write


def _num(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.4g}"


def changes_markdown(result: OptResult) -> str:
    return render("changes.md.j2", r=result, num=_num)


def output_paths(result: OptResult, out_dir: str | Path) -> dict[str, Path]:
    """Where ``write_outputs`` writes: the optimized RTL (``<top>.sv`` when it is SystemVerilog, so it reads
    back as such; else ``<top>.v``), ``changes.md`` and ``opt.json``, in that order."""
    out = Path(out_dir)
    return {"rtl": out / rtl_file_name(result.top, result.rtl), "changes": out / "changes.md",
            "json": out / "opt.json"}


def write_outputs(result: OptResult, out_dir: str | Path) -> dict[str, Path]:
    """The files of ``output_paths`` in ``out_dir`` (proof logs are already in ``proofs/``).

    Each file is written atomically (``rtlgen.store.atomic_write``), ``opt.json`` last, with SIGINT and SIGTERM
    held meanwhile: a run stopped at any moment leaves either the previous files or the new ones, never half of one."""
    paths = output_paths(result, out_dir)
    texts = {"rtl": without_line_directives(result.rtl), "changes": changes_markdown(result),
             "json": result.to_json() + "\n"}
    with signals_held():
        for key, path in paths.items():
            atomic_write(path, texts[key])
    return paths
