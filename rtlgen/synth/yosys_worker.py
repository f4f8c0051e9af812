"""Run one Yosys script with pyosys in this (child) process: ``python -m rtlgen.synth.yosys_worker SCRIPT``.

Launched only through ``rtlgen.tools.run`` so a Yosys crash or hang cannot take the caller with it.
"""
from __future__ import annotations

import sys


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m rtlgen.synth.yosys_worker SCRIPT.ys", file=sys.stderr)
        return 2
    from pyosys import libyosys as ys  # noqa: PLC0415 - heavy native import only in the worker

    design = ys.Design()
    try:
        ys.run_pass(f"script {argv[0]}", design)
    except Exception as exc:  # noqa: BLE001 - reported to the parent through stderr and the exit code
        print(f"ERROR: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
