"""Every benchmark suite rtlgen knows, in one place: its name, where its folder is, how its layout is
recognised and loaded, and how its problems are judged.

``load(name)`` is what bench, regress, verify's ``SUITE:PROBLEM`` and the optimizer's pairs use; the
suite folders are read in place (a Spec or Problem only holds paths into them, all absolute, so the
work can be shipped to workers whatever their working directory). A short name (``verilog-eval``,
``rtllm``, ``rtl-opt``) is looked up under ``rtlgen.config.benchmarks_dir()``; any folder whose
layout is one of the kinds below loads too, as does a folder of ``<design>/spec.md``.

The suites sit in the spec stage, the leftmost one, so every stage that runs a suite can import them
without depending on another stage (the optimizer's pairs no longer reach into regress).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Literal

from rtlgen.config import benchmarks_dir, cache_dir
from rtlgen.errors import SpecError
from rtlgen.spec.interface import infer_clock, infer_reset, module_names, read_ports
from rtlgen.spec.model import Candidate, Spec
from rtlgen.spec.parse import load_spec
from rtlgen.spec.rtl_text import rename_modules
from rtlgen.spec.rtl_file import read_rtl
from rtlgen.spec.sources import Sources, collect, read_design

VERILOG_EVAL = "verilog-eval"
RTLLM = "rtllm"
RTL_OPT = "rtl-opt"
REALWORLD = "realworld"
SPEC_FOLDER = "spec-folder"
CANDIDATE_SUFFIXES = (".v", ".sv")  # a design file of a suite or of a --candidates folder

VERILOG_EVAL_TOP = "TopModule"
VERILOG_EVAL_REF_TOP = "RefModule"
VERILOG_EVAL_TB_TOP = "tb"
VERILOG_EVAL_PASS = r"^Mismatches: 0 in \d+ samples$"
RTLLM_DEFAULT_PASS = r"Your Design Passed"

_VE_LAYOUT = ("a VerilogEval v2 spec-to-RTL folder: problems.txt and, per problem ProbNNN_name, "
              "ProbNNN_name_prompt.txt, ProbNNN_name_ref.sv (module RefModule) and ProbNNN_name_test.sv")
_RTLLM_LAYOUT = ("an RTLLM 2.0 folder: one sub-folder per design holding design_description.txt, testbench.v "
                 "and verified_*.v (plus an optional designs.json describing each design)")
_RTL_OPT_LAYOUT = ("an RTL-OPT folder: designs.txt and, per design d, d/d.v (the suboptimal design) and d/d_ref.v "
                   "(the expert's, module d_ref)")
_REALWORLD_LAYOUT = ("the realworld folder: picorv32/picorv32.v, serv/serv.f and verilog-axis/ (rtl/<top>.v, "
                     "<top>.f for the tops with submodules)")
_SPEC_FOLDER_LAYOUT = "a folder of <design>/spec.md (with the design's <top>.v or .sv beside its spec)"

# How a suite's problems are judged (Problem.judged). reference: against the suite's golden reference (reference RTL
# or model) and its official testbench; expert: the optimizer starts from the suboptimal design, the reference is an
# expert's optimized design, proven equivalent and compared by PPA; self: no spec and no golden model: lint,
# synthesis, the design proven equivalent to itself, optimize.
Judged = Literal["reference", "expert", "self"]
# The realworld tops (benchmarks README, "realworld/"), each with the paths of its sources under the suite
# folder, the first that exists taken: a file list where the project has one for the top, else the one file.
_AXIS_TOPS = ("axis_fifo", "axis_adapter", "axis_srl_fifo", "axis_rate_limit", "axis_broadcast", "axis_register",
              "axis_arb_mux", "axis_switch", "axis_cobs_encode", "axis_pipeline_register")
REALWORLD_TOPS: dict[str, tuple[str, ...]] = {
    "picorv32": ("picorv32/picorv32.v",), "serv_rf_top": ("serv/serv.f",),
    **{top: (f"verilog-axis/{top}.f", f"verilog-axis/rtl/{top}.v") for top in _AXIS_TOPS},
}


@dataclass(frozen=True)
class Problem:
    """One problem of a suite: the spec, its reference candidate (if any) and the optimizer's input."""

    spec: Spec
    reference: Candidate | None
    start: Candidate | None          # what --candidates optimize rewrites (the reference unless the suite says)
    judged: Judged = "reference"

    @property
    def label(self) -> str:
        return self.spec.label


@dataclass(frozen=True)
class Suite:
    name: str
    path: str
    problems: tuple[Problem, ...]
    checks: tuple[str, ...] | None = None  # the checks bench and regress run when none are asked for; None: all

    @property
    def specs(self) -> list[Spec]:
        return [p.spec for p in self.problems]


@dataclass(frozen=True)
class SuiteKind:
    """A suite layout: its short name, its folder under the benchmarks folder (None: no short name), what
    such a folder holds (named when a folder fits no layout), how it is recognised and loaded."""

    name: str
    folder: str | None
    layout: str
    detect: Callable[[Path], bool]
    load: Callable[[Path], tuple[Problem, ...]]
    checks: tuple[str, ...] | None = None


def load(name: str | Path) -> Suite:
    """The suite called ``name``: an alias (see ``SUITE_ALIASES``) or a folder of any known layout."""
    root = _resolve(name)
    kind = next((k for k in SUITES.values() if k.detect(root)), None)
    if kind is None:
        layouts = "; or ".join(k.layout for k in SUITES.values())
        raise SpecError(f"not a benchmark suite folder; expected {layouts}", path=str(root))
    return Suite(kind.name if kind.folder else root.name, str(root), kind.load(root), kind.checks)


def load_suite(path: str | Path) -> list[Spec]:
    """The Specs of the suite at ``path`` (a folder or a short name), whichever supported layout it has."""
    return load(path).specs


def _resolve(name: str | Path) -> Path:
    root = Path(name)
    if not root.exists() and str(name) in SUITE_ALIASES:
        root = benchmarks_dir() / SUITE_ALIASES[str(name)]
    if not root.is_dir():
        aliases = ", ".join(SUITE_ALIASES)
        raise SpecError(f"suite '{name}' does not exist: it is neither an alias ({aliases}) nor a folder",
                        path=str(root))
    return root.resolve()  # absolute: spec paths must work in workers whatever their working directory


def _folder(path: str | Path, layout: str) -> Path:
    root = Path(path)
    if not root.is_dir():
        raise SpecError(f"not a folder; expected {layout}", path=str(root))
    return root


def _with_references(specs: list[Spec]) -> tuple[Problem, ...]:
    """Problems whose reference is the spec's reference RTL, which is also what the optimizer starts from."""
    return tuple(Problem(s, ref, ref) for s, ref in ((s, reference_candidate(s)) for s in specs))


def verilog_eval(path: str | Path) -> list[Spec]:
    """VerilogEval v2 spec-to-RTL problems: prompt, RefModule reference and the ``tb`` testbench."""
    root = _folder(path, _VE_LAYOUT)
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
    ref = read_rtl(files["ref.sv"])
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
    root = _folder(path, _RTLLM_LAYOUT)
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
    modules = module_names(read_rtl(refs[0]))
    preferred = [m for m in (f"verified_{design}", design) if m in modules]
    reference_top = preferred[0] if preferred else (modules[0] if modules else design)
    known = {"design_description.txt", "testbench.v", refs[0].name, "makefile"}
    data = [p for p in sorted(folder.iterdir())
            if p.is_file() and p.name not in known and p.suffix in (".dat", ".txt", ".hex", ".mem")]
    return _rtllm_spec(folder, design, top=design, reference=refs[0], reference_top=reference_top, data=data,
                       pass_lines=[])


def _rtllm_spec(folder: Path, design: str, *, top: str, reference: Path, reference_top: str,
                data: list[Path], pass_lines: list[str]) -> Spec:
    description = folder / "design_description.txt"
    testbench = folder / "testbench.v"
    for file in (description, testbench, reference, *data):
        if not file.is_file():
            raise SpecError(f"design '{design}' lacks {file.name}; expected {_RTLLM_LAYOUT}", path=str(folder))
    ref = read_rtl(reference)
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
    rtl = read_rtl(spec.reference_rtl)
    if spec.reference_top != spec.top:
        rtl = rename_modules(rtl, {spec.reference_top: spec.top})
    return Candidate(rtl=rtl, top=spec.top, origin=spec.reference_rtl, provenance=("reference",))


def absolute(spec: Spec) -> Spec:
    """The spec with every file path absolute (a worker's working directory is not the client's)."""
    def fix(path: str | None) -> str | None:
        return str(Path(path).resolve()) if path else path

    return spec.with_(model=fix(spec.model), reference_rtl=fix(spec.reference_rtl),
                      official_testbench=fix(spec.official_testbench), source=fix(spec.source),
                      data_files=tuple(str(Path(p).resolve()) for p in spec.data_files))


def _spec_folder(root: Path) -> tuple[Problem, ...]:
    """A folder of ``<design>/spec.md``: the reference candidate is the design's ``<top>.v`` (or ``.sv``)
    beside its spec, else the spec's reference RTL."""
    problems = []
    for spec_file in sorted(root.glob("*/spec.md")):
        spec = absolute(load_spec(spec_file)).with_(suite=root.name)
        found = design_file(spec_file.parent, spec.top)
        if found is not None:
            ref = Candidate.from_file(found, spec.top)
        else:
            ref = reference_candidate(spec) if spec.reference_rtl else None
        problems.append(Problem(spec, ref, ref))
    return tuple(problems)


def _rtl_opt(root: Path) -> tuple[Problem, ...]:
    """RTL-OPT pairs: ``<d>/<d>.v`` (suboptimal, the optimizer's input) and ``<d>/<d>_ref.v`` (the expert's
    design, the golden reference and the ``ref`` candidate), module ``<d>_ref`` renamed to ``<d>``."""
    listing = root / "designs.txt"
    names = listing.read_text().split() if listing.is_file() else sorted(p.name for p in root.iterdir() if p.is_dir())
    return tuple(_rtl_opt_pair(root / name, name) for name in names)


def design_file(folder: Path, stem: str) -> Path | None:
    """``folder``'s ``<stem>.v`` or ``<stem>.sv`` (in that order), as a suite folder and a ``--candidates`` folder
    hold a design; None: neither exists."""
    return next((folder / f"{stem}{s}" for s in CANDIDATE_SUFFIXES if (folder / f"{stem}{s}").is_file()), None)


def _rtl_opt_pair(folder: Path, name: str) -> Problem:
    ref_file, start_file = design_file(folder, f"{name}_ref"), design_file(folder, name)
    if ref_file is None or start_file is None:
        raise SpecError(f"RTL-OPT design '{name}' needs {name}.v and {name}_ref.v", path=str(folder))
    ref_text = read_rtl(ref_file)
    ports = read_ports(ref_text, f"{name}_ref", str(ref_file))
    spec = Spec(top=name, ports=ports, clock=infer_clock(ports, ref_text), reset=infer_reset(ports, ref_text),
                name=name, reference_rtl=str(ref_file), reference_top=f"{name}_ref", source=str(start_file),
                suite=RTL_OPT)
    reference = Candidate(rename_modules(ref_text, {f"{name}_ref": name}), name, str(ref_file), ("reference",))
    return Problem(spec, reference, Candidate.from_file(start_file, name), "expert")


def _realworld(root: Path) -> tuple[Problem, ...]:
    """The realworld tops whose project folder is present (a missing file of a present project is an error)."""
    present = [top for top, paths in REALWORLD_TOPS.items() if (root / Path(paths[0]).parts[0]).is_dir()]
    return tuple(_realworld_design(root, top) for top in present)


def _realworld_design(root: Path, top: str) -> Problem:
    """The user's files and top, as ``rtlgen synth``/``lint`` would read them (a trusted Candidate). With no spec
    and no golden model the design is its own reference: the Spec has its interface and points at its text, and
    its proofs hold whatever the power-up state (``free_inits``: an ASIC keeps no declared initial value)."""
    paths = REALWORLD_TOPS[top]
    source = next((root / p for p in paths if (root / p).is_file()), None)
    if source is None:
        raise SpecError(f"realworld design '{top}' lacks {' or '.join(paths)}; expected {_REALWORLD_LAYOUT}",
                        path=str(root))
    read = read_design(design_sources(source), top)  # one elaboration gives the candidate and its ports
    design, ports = read.candidate, read.view.ports
    spec = Spec(top=top, ports=ports, clock=infer_clock(ports, design.rtl), reset=infer_reset(ports, design.rtl),
                name=top, reference_rtl=str(_own_reference(design)), reference_top=top, source=str(source),
                suite=REALWORLD, free_inits=True)
    return Problem(spec, design, design, "self")


def design_sources(path: Path) -> Sources:
    """A realworld design's sources: its file list (``.f``) or its one file."""
    return collect(filelists=[path]) if path.suffix == ".f" else collect([path])


def _own_reference(design: Candidate) -> Path:
    """The design's combined text as one file (a Spec's reference is a path), kept in the cache by content."""
    path = cache_dir() / "suites" / f"{design.top}-{design.content_hash}.sv"
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(design.rtl)
    return path


def _is_verilog_eval(root: Path) -> bool:
    return root.is_dir() and ((root / "problems.txt").is_file() or any(root.glob("*_prompt.txt")))


def _verilog_eval_suite(root: Path) -> tuple[Problem, ...]:
    """``root`` itself or its ``spec-to-rtl`` folder (the VerilogEval checkout's layout)."""
    return _with_references(verilog_eval(root if _is_verilog_eval(root) else root / "spec-to-rtl"))


SUITES: dict[str, SuiteKind] = {kind.name: kind for kind in (
    SuiteKind(VERILOG_EVAL, "verilog-eval/spec-to-rtl", _VE_LAYOUT,
              lambda root: _is_verilog_eval(root) or _is_verilog_eval(root / "spec-to-rtl"), _verilog_eval_suite),
    SuiteKind(RTLLM, "rtllm", _RTLLM_LAYOUT,
              lambda root: (root / "designs.json").is_file() or bool(_design_descriptions(root)),
              lambda root: _with_references(rtllm(root))),
    SuiteKind(RTL_OPT, "rtl-opt", _RTL_OPT_LAYOUT,
              lambda root: (root / "designs.txt").is_file() and any(root.glob("*/*_ref.*v")), _rtl_opt),
    SuiteKind(REALWORLD, REALWORLD, _REALWORLD_LAYOUT,
              lambda root: any((root / p).is_file() for paths in REALWORLD_TOPS.values() for p in paths), _realworld,
              checks=("lint", "formal")),
    SuiteKind(SPEC_FOLDER, None, _SPEC_FOLDER_LAYOUT, lambda root: any(root.glob("*/spec.md")), _spec_folder),
)}
# Short names, relative to the benchmarks folder.
SUITE_ALIASES = {**{k.name: k.folder for k in SUITES.values() if k.folder}, "verilogeval": SUITES[VERILOG_EVAL].folder}
