"""Write a generation run's output folder: RTL, testbench, verification, PPA, transcript, summary."""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from rtlgen.generate.result import GenerationResult
from rtlgen.outdir import RUN_SUMMARY, OutputFolder, claim, rtl_file_name


def _copy_artifacts(result: GenerationResult, folder: OutputFolder) -> list[Path]:
    """Copy the files named by the final verification's checks (testbench, stimulus, checker, VCD,
    results) to ``out/testbench/<check>/`` and point the result's artifacts at the copies: the run
    directory they came from is private and removed after the run."""
    written: list[Path] = []
    if result.verify is None:
        return written
    out = folder.path
    for check in result.verify.checks:
        kept: dict[str, str] = {}
        for name, src in (check.artifacts or {}).items():
            path = Path(str(src))
            if not path.is_file():
                continue  # run directories themselves are not outputs
            target = out / "testbench" / check.check.replace(":", "_") / path.name
            folder.record(target)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
            written.append(target)
            kept[name] = str(target.relative_to(out))
        check.artifacts = kept
    return written


def write_outputs(result: GenerationResult, out: str | Path, *, client: Any = None,
                  golden_model: str | None = None) -> list[Path]:
    """Fill ``out`` (claimed: nothing of an earlier run stays) and record the file list in ``result.files``;
    returns the paths written. The RTL is ``<top>.sv`` when it is SystemVerilog (``rtl_file_name``)."""
    folder = claim(out, "run")
    out = folder.path
    written: list[Path] = []

    def put(name: str, text: str) -> None:
        path = out / name
        folder.record(path)
        path.write_text(text, encoding="utf-8")
        written.append(path)

    if result.rtl is not None:
        put(rtl_file_name(result.top, result.rtl), result.rtl)
    if result.verify is not None:
        written += _copy_artifacts(result, folder)
        put("verify.json", result.verify.to_json(indent=2, default=str))
    if golden_model is not None:
        put("golden_model.py", golden_model)
    if result.ppa is not None:
        put("ppa.json", result.ppa.to_json() + "\n")
        put("ppa.md", "# PPA report\n\n" + result.ppa.to_markdown())
    if client is not None:
        folder.record(out / "transcript.jsonl")
        written.append(client.write_transcript(out / "transcript.jsonl"))
        put("llm_usage.txt", client.ledger.table() + "\n")
    result.out_dir = str(out)
    result.files = sorted(str(p.relative_to(out)) for p in written) + [RUN_SUMMARY]
    put(RUN_SUMMARY, result.to_json(indent=2, default=str))
    return written
