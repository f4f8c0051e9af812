"""Run Yosys scripts with pyosys in this (child) process.

``python -S yosys_worker.py PYOSYS_PARENT_DIR SCRIPT [LOG]`` runs one script;
``python -S yosys_worker.py PYOSYS_PARENT_DIR --serve`` loads libyosys once and then forks one child per script
named on stdin (``rtlgen.tools.yosys_server``), so a script costs a fork (~2 ms) instead of a Python start and a
libyosys load (~45 ms of CPU), while each script still runs in a fresh process of its own: Yosys's global state
(auto-generated names, counters) starts from the same point every time, and a crash or hang ends only that child.

Launched only through ``rtlgen.tools`` so a Yosys crash or hang cannot take the caller with it.
It is started as a plain file with ``-S`` (no ``site``, no ``rtlgen`` import) and told where pyosys
is installed: this start-up costs ~35 ms instead of ~47 ms with ``python -m``. With LOG, the whole
log goes to that file and not to stdout (``tee -q -o``), like ``yosys -q -l LOG``; an ERROR line is
written there before Yosys exits with code 1.
"""
import json
import os
import sys


def run_script(ys, script: str, log: str | None) -> int:
    """Run ``script`` (with ``log``, the whole log goes to that file); Yosys's exit code."""
    command = f"script {script}" if log is None else f"tee -q -o {log} script {script}"
    try:
        ys.run_pass(command, ys.Design())
    except Exception as exc:  # noqa: BLE001 - reported to the parent through stderr and the exit code
        print(f"ERROR: {exc}", file=sys.stderr)
        return 1
    return 0


def serve(ys) -> int:
    """One request a line on stdin, ``[cwd, script, log, stdout_file, stderr_file, environment]`` (JSON); for
    each, a child is forked in a session of its own (its process group can be killed with everything it started)
    and two lines are answered: the child's pid at once; when it ends, its exit code (negative: the signal that
    ended it) and the CPU seconds it and its own children used."""
    replies = os.fdopen(os.dup(1), "w")  # the answers; a child's fd 1 becomes its stdout file
    for line in sys.stdin:
        cwd, script, log, out, err, environment = json.loads(line)
        pid = os.fork()
        if pid == 0:
            os.setsid()
            os.environ.clear()  # the caller's environment now (TMPDIR, PATH), not the one the server started with
            os.environ.update(environment)
            replies.close()  # only the server answers; a child holding the pipe would hide the server's end
            for fd, path, flags in ((0, os.devnull, os.O_RDONLY), (1, out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC),
                                    (2, err, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)):
                opened = os.open(path, flags, 0o644)
                os.dup2(opened, fd)
                os.close(opened)
            os.chdir(cwd)
            sys.exit(run_script(ys, script, log))  # a normal exit, so Yosys's and Python's buffers are flushed
        replies.write(f"{pid}\n")
        replies.flush()
        _, status, usage = os.wait4(pid, 0)
        replies.write(f"{os.waitstatus_to_exitcode(status)} {usage.ru_utime + usage.ru_stime}\n")
        replies.flush()
    return 0


def main(argv: list[str]) -> int:
    if len(argv) not in (2, 3):
        print("usage: python -S yosys_worker.py PYOSYS_PARENT_DIR (SCRIPT.ys [LOG] | --serve)", file=sys.stderr)
        return 2
    sys.path.insert(0, argv[0])
    from pyosys import libyosys as ys  # noqa: PLC0415 - heavy native import only in the worker

    if argv[1] == "--serve":
        return serve(ys)
    return run_script(ys, argv[1], argv[2] if len(argv) == 3 else None)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
