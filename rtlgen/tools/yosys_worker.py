"""Run one Yosys script with pyosys in this (child) process:
``python -S yosys_worker.py PYOSYS_PARENT_DIR SCRIPT [LOG]``.

Launched only through ``rtlgen.tools.run`` so a Yosys crash or hang cannot take the caller with it.
It is started as a plain file with ``-S`` (no ``site``, no ``rtlgen`` import) and told where pyosys
is installed: this start-up costs ~35 ms instead of ~47 ms with ``python -m``. With LOG, the whole
log goes to that file and not to stdout (``tee -q -o``), like ``yosys -q -l LOG``; an ERROR line is
written there before Yosys exits with code 1.
"""
import sys


def main(argv: list[str]) -> int:
    if len(argv) not in (2, 3):
        print("usage: python -S yosys_worker.py PYOSYS_PARENT_DIR SCRIPT.ys [LOG]", file=sys.stderr)
        return 2
    sys.path.insert(0, argv[0])
    from pyosys import libyosys as ys  # noqa: PLC0415 - heavy native import only in the worker

    command = f"script {argv[1]}" if len(argv) == 2 else f"tee -q -o {argv[2]} script {argv[1]}"
    try:
        ys.run_pass(command, ys.Design())
    except Exception as exc:  # noqa: BLE001 - reported to the parent through stderr and the exit code
        print(f"ERROR: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
