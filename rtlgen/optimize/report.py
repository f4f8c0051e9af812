"""What ``rtlgen optimize`` writes: the optimized RTL, ``changes.md`` (rule, diff, PPA, proof per step) and
``opt.json``."""
from __future__ import annotations

import os
from pathlib import Path

from rtlgen.optimize.budget import signals_held
from rtlgen.optimize.render import render
from rtlgen.optimize.result import OptResult


def _num(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.4g}"


def changes_markdown(result: OptResult) -> str:
    return render("changes.md.j2", r=result, num=_num)


def write_outputs(result: OptResult, out_dir: str | Path) -> dict[str, Path]:
    """``<top>.v``, ``changes.md`` and ``opt.json`` in ``out_dir`` (proof logs are already in ``proofs/``).

    Each file is written beside its name and renamed over it, ``opt.json`` last, with SIGINT and SIGTERM held
    meanwhile: a run stopped at any moment leaves either the previous files or the new ones, never half of one."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    texts = {"rtl": (out / f"{result.top}.v", result.rtl), "changes": (out / "changes.md", changes_markdown(result)),
             "json": (out / "opt.json", result.to_json() + "\n")}
    with signals_held():
        for path, text in texts.values():
            partial = path.with_name(f".{path.name}.partial")
            partial.write_text(text)
            os.replace(partial, path)
    return {key: path for key, (path, _) in texts.items()}
