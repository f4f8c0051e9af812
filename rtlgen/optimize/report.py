"""What ``rtlgen optimize`` writes: the optimized RTL, ``changes.md`` (rule, diff, PPA, proof per step) and
``opt.json``."""
from __future__ import annotations

from pathlib import Path

from rtlgen.optimize.result import OptResult
from rtlgen.optimize.render import render



def _num(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.4g}"


def changes_markdown(result: OptResult) -> str:
    return render("changes.md.j2", r=result, num=_num)


def write_outputs(result: OptResult, out_dir: str | Path) -> dict[str, Path]:
    """``<top>.v``, ``changes.md`` and ``opt.json`` in ``out_dir`` (proof logs are already in ``proofs/``)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {"rtl": out / f"{result.top}.v", "changes": out / "changes.md", "json": out / "opt.json"}
    paths["rtl"].write_text(result.rtl)
    paths["changes"].write_text(changes_markdown(result))
    paths["json"].write_text(result.to_json() + "\n")
    return paths
