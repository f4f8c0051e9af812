"""The single way rtlgen runs an external program.

Every call has a timeout that kills the whole process group, captures stdout/stderr,
checks the exit code and raises an error quoting the tool's own error lines.
"""
from __future__ import annotations

import logging
import math
import os
import re
import shlex
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

from rtlgen.errors import ToolFailed, ToolNotFound, ToolTimeout

log = logging.getLogger("rtlgen.tools")

_ERROR_LINE = re.compile(r"(error|fatal|failed|exception|cannot|unable|%Error|syntax)", re.IGNORECASE)
MAX_QUOTED_LINES = 20
# RLIMIT_CPU's soft limit, then its hard one: the signals a process ended by ``cpu_s`` dies of
CPU_LIMIT_SIGNALS = (signal.SIGXCPU, signal.SIGKILL)


@dataclass(frozen=True)
class ToolResult:
    cmd: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str
    seconds: float

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def error_lines(text: str, limit: int = MAX_QUOTED_LINES) -> list[str]:
    """The lines of a tool log that say what went wrong (falls back to the log's tail)."""
    lines = [ln.rstrip() for ln in text.splitlines() if ln.strip()]
    picked = [ln for ln in lines if _ERROR_LINE.search(ln)]
    return (picked or lines[-limit:])[:limit]


def _limited(cmd: list[str], memory_mb: int | None, cpu_s: float | None, path: str | None) -> list[str]:
    """``cmd`` started by a shell that first sets its limits: with ``memory_mb``, an address-space cap; with
    ``cpu_s``, a CPU-time cap (the kernel sends SIGXCPU, then SIGKILL a second later; no core file). The shell
    ``exec``s the tool, so the tool is the process ``run`` waits for. Setting them in a Python ``preexec_fn`` instead
    makes Python fork the whole calling process rather than vfork it: measured from a verification worker with its
    imports, 8.2 ms of CPU and 89 ms of wall time a tool run at load 7, against 4.0 ms and 21 ms through the shell
    (2.7 ms and 7 ms for a tool without limits)."""
    limits = [f"ulimit -v {memory_mb * 1024}"] if memory_mb else []
    if cpu_s:
        seconds = math.ceil(cpu_s)
        limits += [f"ulimit -S -t {seconds}", f"ulimit -H -t {seconds + 1}", "ulimit -c 0"]
    if not limits:
        return cmd
    if shutil.which(cmd[0], path=path) is None:  # the shell would report it as its own exit code 127
        raise ToolNotFound(cmd[0], "Run ./setup.sh, or `rtlgen doctor` to see what is missing.")
    return ["sh", "-c", " && ".join([*limits, 'exec "$@"']), "sh", *cmd]


def run(
    cmd: Sequence[str],
    *,
    timeout: float,
    cwd: str | Path | None = None,
    env: Mapping[str, str] | None = None,
    check: bool = True,
    memory_mb: int | None = None,
    cpu_s: float | None = None,
    stdin: str | None = None,
    tool: str = "",
) -> ToolResult:
    """Run ``cmd`` and return its result; raise ToolNotFound/ToolTimeout/ToolFailed.

    ``env`` entries are added to the current environment. ``memory_mb`` caps the address space
    of the child (untrusted simulations). ``cpu_s`` caps the CPU time of the child and of each process it starts
    (whole seconds, rounded up): a child ended by it raises ToolTimeout (``cpu=True``). A simulation that hangs
    spends CPU as fast as the machine gives it, so this limit says the same on an idle and on a loaded machine,
    where the wall clock (``timeout``) is reached by a design that merely waited for a core. ``tool`` names the
    tool in a timeout or failure when ``cmd[0]`` does not (an interpreter running the tool's worker).
    """
    cmd = [str(c) for c in cmd]
    full_env = dict(os.environ)
    if env:
        full_env.update(env)
    log.debug("run (cwd=%s): %s", cwd, shlex.join(cmd))
    start = time.monotonic()
    try:
        proc = subprocess.Popen(
            _limited(cmd, memory_mb, cpu_s, full_env.get("PATH")),
            cwd=cwd,
            env=full_env,
            stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            errors="replace",
            start_new_session=True,  # its own process group, killed as a whole on timeout
        )
    except FileNotFoundError as exc:
        raise ToolNotFound(cmd[0], "Run ./setup.sh, or `rtlgen doctor` to see what is missing.") from exc
    try:
        stdout, stderr = proc.communicate(input=stdin, timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        stdout, stderr = proc.communicate()
        raise ToolTimeout(cmd, timeout, (stdout or "") + (stderr or ""), tool) from None
    except BaseException:
        _kill_group(proc)
        proc.communicate()
        raise
    if cpu_s and -proc.returncode in CPU_LIMIT_SIGNALS:
        _kill_group(proc)
        raise ToolTimeout(cmd, cpu_s, stdout + stderr, tool, cpu=True)
    result = ToolResult(tuple(cmd), proc.returncode, stdout, stderr, time.monotonic() - start)
    if check and proc.returncode != 0:
        raise ToolFailed(cmd, proc.returncode, stdout, stderr, error_lines(stdout + "\n" + stderr), tool)
    return result


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _terminated(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def unwind_on_sigterm() -> None:
    """Make SIGTERM (``kill``, a CI timeout) unwind like Ctrl-C: ``run`` then kills the running tool's process
    group and context managers stop what they started (the local model server), instead of leaving both behind.
    For entry points only (the CLI, benchmark scripts): it replaces the process's SIGTERM handler."""
    signal.signal(signal.SIGTERM, _terminated)
