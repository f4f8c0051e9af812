"""What the loop's mechanical fixes (rtlgen/generate/fixes.py) do to real model replies: compile before vs after.

    .venv/bin/python benchmarks/fixes_effect.py [CACHE_DIR ...]   (default: <rtlgen cache>/llm)

Reads every reply in the LLM caches (real model outputs from earlier runs), extracts its module
(``TopModule`` or ``counter``), applies the fixes with an active-high synchronous reset named ``rst`` when
the code mentions ``rst``, and compiles the reply before and after with Icarus (-g2012). Prints how
many distinct replies a fix touched and, of those, how many it made compile, broke, or left compiling /
failing. A fix that breaks a compiling reply is a defect.
"""
from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

import pandas as pd

from rtlgen.config import cache_dir
from rtlgen.errors import LLMError
from rtlgen.generate.fixes import fix_candidate
from rtlgen.llm import extract_verilog
from rtlgen.spec.model import Reset
from rtlgen.tools.registry import find
from rtlgen.tools.run import run
from rtlgen.tools.run import unwind_on_sigterm


def compiles(rtl: str, workdir: Path) -> bool:
    source = workdir / "candidate.sv"
    source.write_text(rtl)
    return run([find("iverilog"), "-g2012", "-o", str(workdir / "a.out"), str(source)], timeout=60,
               check=False).returncode == 0


def replies(caches: list[Path]) -> list[str]:
    """Distinct modules extracted from the cached replies."""
    seen: dict[str, None] = {}
    for cache in caches:
        for path in sorted(cache.glob("*/*.json")):
            text = json.loads(path.read_text()).get("text", "")
            for top in ("TopModule", "counter"):
                try:
                    seen[extract_verilog(text, top)] = None
                    break
                except LLMError:
                    continue
    return list(seen)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("caches", nargs="*", type=Path, default=[cache_dir() / "llm"])
    args = ap.parse_args()
    outcome = {(False, True): "now compiles", (True, False): "broken by the fix",
               (True, True): "compiled before and after", (False, False): "fails before and after"}
    rows: dict[str, int] = {v: 0 for v in outcome.values()}
    found = replies(args.caches)
    touched = 0
    with tempfile.TemporaryDirectory(prefix="fixes-", dir=Path.home()) as tmp:  # not /tmp: see TOOLCHAIN
        for rtl in found:
            fixed = fix_candidate(rtl, Reset("rst") if "rst" in rtl else None)
            if fixed.changes:
                touched += 1
                rows[outcome[compiles(rtl, Path(tmp)), compiles(fixed.rtl, Path(tmp))]] += 1
    print(f"{len(found)} distinct replies in {', '.join(map(str, args.caches))}; a fix changed {touched}")
    print(pd.Series(rows, name="replies").to_string())


if __name__ == "__main__":
    unwind_on_sigterm()
    main()
