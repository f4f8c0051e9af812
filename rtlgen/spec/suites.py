"""Suite loaders: turn benchmark folders (VerilogEval v2 spec-to-RTL, RTLLM 2.0) into Specs.

Benchmark files are read in place; a Spec only holds their paths. ``load_suite`` detects the
layout; a short name (``verilog-eval``, ``rtllm``) is looked up under ``rtlgen.config.benchmarks_dir()``.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from rtlgen.config import benchmarks_dir
from rtlgen.errors import SpecError
from rtlgen.spec.interface import infer_clock, infer_reset, module_names, read_ports
from rtlgen.spec.model import Candidate, Spec
from rtlgen.spec.rtl_text import rename_modules

VERILOG_EVAL = "verilog-eval"
RTLLM = "rtllm"
# Short names accepted by load_suite, relative to the benchmarks folder.
SUITE_ALIASES = {VERILOG_EVAL: "verilog-eval/spec-to-rtl", "verilogeval": "verilog-eval/spec-to-rtl", RTLLM: "rtllm"}

VERILOG_EVAL_TOP = "TopModule"
VERILOG_EVAL_REF_TOP = "RefModule"
VERILOG_EVAL_TB_TOP = "tb"
VERILOG_EVAL_PASS = r"^Mismatches: 0 in \d+ samples$"
RTLLM_DEFAULT_PASS = r"Your Design Passed"

_VE_LAYOUT = ("a VerilogEval v2 spec-to-RTL folder: problems.txt and, per problem ProbNNN_name, "
              "ProbNNN_name_prompt.txt, ProbNNN_name_ref.sv (module RefModule) and ProbNNN_name_test.sv")
_RTLLM_LAYOUT = ("an RTLLM 2.0 folder: one sub-folder per design holding design_description.txt, testbench.v "
                 "and verified_*.v (plus an optional designs.json describing each design)")


def load_suite(path: str | Path) -> list[Spec]:
    """The Specs of the suite at ``path``, whichever supported layout it has."""
    root = _resolve(path)
    if root.is_dir() and ((root / "problems.txt").is_file() or any(root.glob("*_prompt.txt"))):
        return verilog_eval(root)
    if root.is_dir() and (root / "spec-to-rtl").is_dir():
        return verilog_eval(root / "spec-to-rtl")
    if root.is_dir() and ((root / "designs.json").is_file() or _design_descriptions(root)):
        return rtllm(root)
    raise SpecError(f"not a benchmark suite folder; expected {_VE_LAYOUT}, or {_RTLLM_LAYOUT}", path=str(root))


def _resolve(path: str | Path) -> Path:
    root = Path(path)
    if not root.exists() and str(path) in SUITE_ALIASES:
        root = benchmarks_dir() / SUITE_ALIASES[str(path)]
    if not root.exists():
        aliases = ", ".join(sorted(SUITE_ALIASES))
        raise SpecError(f"suite folder does not exist; give a suite folder or one of: {aliases}", path=str(root))
    return root.resolve()  # absolute: spec paths must work in workers whatever their working directory


def verilog_eval(path: str | Path) -> list[Spec]:
    """VerilogEval v2 spec-to-RTL problems: prompt, RefModule reference and the ``tb`` testbench."""
    root = Path(path)
    if not root.is_dir():
        raise SpecError(f"not a folder; expected {_VE_LAYOUT}", path=str(root))
    listing = root / "problems.txt"
    if listing.is_file():
        names = listing.read_text().split()
    else:
        names = sorted(p.name[: -len("_prompt.txt")] for p in root.glob("*_prompt.txt"))
    if not names:
        raise SpecError(f"no problems found; expected {_VE_LAYOUT}", path=str(root))
    return [_verilog_eval_problem(root, name) for name in names]


def _verilog_eval_problem(root: Path, name: str) -> Spec:
    files = {kind: root / f"{name}_{kind}" for kind in ("prompt.txt", "ref.sv", "test.sv")}
    for kind, file in files.items():
        if not file.is_file():
            raise SpecError(f"problem '{name}' lacks {file.name}; expected {_VE_LAYOUT}", path=str(root))
    ref = files["ref.sv"].read_text(errors="replace")
    ports = read_ports(ref, VERILOG_EVAL_REF_TOP, str(files["ref.sv"]))
    return Spec(
        top=VERILOG_EVAL_TOP, ports=ports, clock=infer_clock(ports, ref), reset=infer_reset(ports, ref),
        prose=files["prompt.txt"].read_text(errors="replace"), name=name,
        reference_rtl=str(files["ref.sv"]), reference_top=VERILOG_EVAL_REF_TOP,
        official_testbench=str(files["test.sv"]), official_top=VERILOG_EVAL_TB_TOP, official_pass=VERILOG_EVAL_PASS,
        source=str(files["prompt.txt"]), suite=VERILOG_EVAL,
    )


def rtllm(path: str | Path) -> list[Spec]:
    """RTLLM 2.0 designs: from ``designs.json`` when present, else by scanning design folders."""
    root = Path(path)
    if not root.is_dir():
        raise SpecError(f"not a folder; expected {_RTLLM_LAYOUT}", path=str(root))
    index = root / "designs.json"
    if index.is_file():
        try:
            entries = json.loads(index.read_text())
        except json.JSONDecodeError as exc:
            raise SpecError(f"designs.json is not valid JSON: {exc}", path=str(index), line=exc.lineno) from exc
        return [_rtllm_from_entry(root, entry, index) for entry in entries]
    folders = sorted({p.parent for p in _design_descriptions(root)}, key=lambda p: p.name.lower())
    if not folders:
        raise SpecError(f"no designs found; expected {_RTLLM_LAYOUT}", path=str(root))
    return [_rtllm_scanned(folder) for folder in folders]


def _design_descriptions(root: Path) -> list[Path]:
    """design_description.txt files at most three folders down (upstream RTLLM: Category/Subcategory/design)."""
    return [p for depth in range(1, 4) for p in root.glob("/".join(["*"] * depth) + "/design_description.txt")]


def _rtllm_from_entry(root: Path, entry: dict, index: Path) -> Spec:
    try:
        design = entry["design"]
        folder = root / design
        return _rtllm_spec(
            folder, design, top=entry.get("spec_module", design), reference=folder / entry["reference_file"],
            reference_top=entry["reference_top"], data=[folder / f for f in entry.get("testbench_reads", [])],
            pass_lines=entry.get("pass_line") or [],
        )
    except KeyError as exc:
        raise SpecError(f"design entry lacks key {exc}", path=str(index), field=str(exc.args[0])) from exc


def _rtllm_scanned(folder: Path) -> Spec:
    """A design folder without designs.json: the reference is the one verified_*.v file."""
    design = folder.name
    refs = sorted(folder.glob("verified_*.v"))
    if len(refs) != 1:
        raise SpecError(f"expected exactly one verified_*.v reference, found {len(refs)}", path=str(folder))
    modules = module_names(refs[0].read_text(errors="replace"))
    preferred = [m for m in (f"verified_{design}", design) if m in modules]
    reference_top = preferred[0] if preferred else (modules[0] if modules else design)
    known = {"design_description.txt", "testbench.v", refs[0].name, "makefile"}
    data = [p for p in sorted(folder.iterdir()) if p.is_file() and p.name not in known and p.suffix in (".dat", ".txt", ".hex", ".mem")]
    return _rtllm_spec(folder, design, top=design, reference=refs[0], reference_top=reference_top, data=data, pass_lines=[])


def _rtllm_spec(folder: Path, design: str, *, top: str, reference: Path, reference_top: str,
                data: list[Path], pass_lines: list[str]) -> Spec:
    description = folder / "design_description.txt"
    testbench = folder / "testbench.v"
    for file in (description, testbench, reference, *data):
        if not file.is_file():
            raise SpecError(f"design '{design}' lacks {file.name}; expected {_RTLLM_LAYOUT}", path=str(folder))
    ref = reference.read_text(errors="replace")
    ports = read_ports(ref, reference_top, str(reference))
    tb_modules = module_names(testbench.read_text(errors="replace"))
    if not tb_modules:
        raise SpecError("testbench.v declares no module", path=str(testbench))
    pattern = "|".join(re.escape(line.strip()) for line in pass_lines) if pass_lines else RTLLM_DEFAULT_PASS
    return Spec(
        top=top, ports=ports, clock=infer_clock(ports, ref), reset=infer_reset(ports, ref),
        prose=description.read_text(errors="replace"), name=design,
        reference_rtl=str(reference), reference_top=reference_top,
        official_testbench=str(testbench), official_top=tb_modules[-1], official_pass=pattern,
        data_files=tuple(str(p) for p in data), source=str(description), suite=RTLLM,
    )


def reference_candidate(spec: Spec) -> Candidate:
    """The spec's reference RTL as a Candidate whose top module is renamed to ``spec.top``."""
    if not spec.reference_rtl or not spec.reference_top:
        raise SpecError("spec has no reference RTL to use as a candidate", path=spec.source, field="reference")
    rtl = Path(spec.reference_rtl).read_text(errors="replace")
    if spec.reference_top != spec.top:
        rtl = rename_modules(rtl, {spec.reference_top: spec.top})
    return Candidate(rtl=rtl, top=spec.top, origin=spec.reference_rtl, provenance=("reference",))
