"""What a regression SUITE argument names: a benchmark alias or folder, or a folder of spec.md designs.

Every path in the resulting Specs is absolute (resolved once here, at the edge), so the work can be
shipped to workers on other machines that mount the same paths. Each problem also names the RTL
that ``--candidates ref`` judges and the RTL ``--candidates optimize`` starts from.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rtlgen.config import benchmarks_dir
from rtlgen.errors import SpecError
from rtlgen.regress.bench import CANDIDATE_SUFFIXES
from rtlgen.spec.interface import infer_clock, infer_reset, read_ports
from rtlgen.spec.model import Candidate, Spec
from rtlgen.spec.parse import load_spec
from rtlgen.spec.rtl_text import rename_modules
from rtlgen.spec.suites import SUITE_ALIASES, load_suite, reference_candidate

RTL_OPT = "rtl-opt"
ALIASES = ("verilog-eval", "rtllm", RTL_OPT)


@dataclass(frozen=True)
class Problem:
    """One problem of a suite: the spec, its reference candidate (if any) and the optimizer's input."""

    spec: Spec
    reference: Candidate | None
    start: Candidate | None          # what --candidates optimize rewrites (the reference unless the suite says)

    @property
    def label(self) -> str:
        return self.spec.label


@dataclass(frozen=True)
class Suite:
    name: str
    path: str
    problems: tuple[Problem, ...]


def load(name: str) -> Suite:
    """The suite called ``name``: an alias (verilog-eval, rtllm, rtl-opt) or a folder of any known layout."""
    root = Path(name)
    if not root.exists() and name == RTL_OPT:
        root = benchmarks_dir() / RTL_OPT
    if not root.exists() and name in SUITE_ALIASES:
        root = benchmarks_dir() / SUITE_ALIASES[name]
    if not root.is_dir():
        raise SpecError(f"suite is neither an alias ({', '.join(ALIASES)}) nor a folder", path=str(root))
    root = root.resolve()
    if (root / "designs.txt").is_file() and any(root.glob("*/*_ref.*v")):
        return _rtl_opt(root)
    if sorted(root.glob("*/spec.md")):
        return _spec_folder(root)
    specs = [absolute(s) for s in load_suite(root)]
    label = specs[0].suite if specs and specs[0].suite else root.name
    return Suite(label, str(root), tuple(Problem(s, reference_candidate(s), reference_candidate(s)) for s in specs))


def absolute(spec: Spec) -> Spec:
    """The spec with every file path absolute (a worker's working directory is not the client's)."""
    def fix(path: str | None) -> str | None:
        return str(Path(path).resolve()) if path else path

    return spec.with_(model=fix(spec.model), reference_rtl=fix(spec.reference_rtl),
                      official_testbench=fix(spec.official_testbench), source=fix(spec.source),
                      data_files=tuple(str(Path(p).resolve()) for p in spec.data_files))


def _spec_folder(root: Path) -> Suite:
    """A folder of ``<design>/spec.md``: the reference candidate is the design's ``<top>.v`` (or ``.sv``)
    beside its spec, else the spec's reference RTL."""
    problems = []
    for spec_file in sorted(root.glob("*/spec.md")):
        spec = absolute(load_spec(spec_file)).with_(suite=root.name)
        files = [spec_file.parent / f"{spec.top}{suffix}" for suffix in CANDIDATE_SUFFIXES]
        found = next((f for f in files if f.is_file()), None)
        if found is not None:
            ref = Candidate.from_file(str(found), spec.top)
        else:
            ref = reference_candidate(spec) if spec.reference_rtl else None
        problems.append(Problem(spec, ref, ref))
    return Suite(root.name, str(root), tuple(problems))


def _rtl_opt(root: Path) -> Suite:
    """RTL-OPT pairs: ``<d>/<d>.v`` (suboptimal, the optimizer's input) and ``<d>/<d>_ref.v`` (the expert's
    design, the golden reference and the ``ref`` candidate), module ``<d>_ref`` renamed to ``<d>``."""
    listing = root / "designs.txt"
    names = listing.read_text().split() if listing.is_file() else sorted(p.name for p in root.iterdir() if p.is_dir())
    problems = []
    for name in names:
        folder = root / name
        ref_file = next((folder / f"{name}_ref{s}" for s in CANDIDATE_SUFFIXES if (folder / f"{name}_ref{s}").is_file()), None)
        start_file = next((folder / f"{name}{s}" for s in CANDIDATE_SUFFIXES if (folder / f"{name}{s}").is_file()), None)
        if ref_file is None or start_file is None:
            raise SpecError(f"RTL-OPT design '{name}' needs {name}.v and {name}_ref.v", path=str(folder))
        ref_text = ref_file.read_text(errors="replace")
        ports = read_ports(ref_text, f"{name}_ref", str(ref_file))
        spec = Spec(top=name, ports=ports, clock=infer_clock(ports, ref_text), reset=infer_reset(ports, ref_text),
                    name=name, reference_rtl=str(ref_file), reference_top=f"{name}_ref", source=str(start_file),
                    suite=RTL_OPT)
        reference = Candidate(rename_modules(ref_text, {f"{name}_ref": name}), name, str(ref_file), ("reference",))
        problems.append(Problem(spec, reference, Candidate.from_file(str(start_file), name)))
    return Suite(RTL_OPT, str(root), tuple(problems))
