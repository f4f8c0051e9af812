"""Yosys scripts run by a libyosys process that forks one child per script (``yosys_worker.py --serve``).

Why: formal verification runs Yosys two to six times per candidate, and each new worker process paid ~45 ms of CPU
to start Python and load libyosys, most of a small design's Yosys time (a third of the CPU of verifying VerilogEval).
The server loads libyosys once per calling process and thread; each script then runs in a fork of it, a fresh
process as before (same Yosys state at its start, own process group, killed with its group on timeout, a crash ends
only the child), at ~2 ms of CPU. The server ends when its caller does (its stdin closes).
"""
from __future__ import annotations

import json
import logging
import os
import select
import shlex
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from rtlgen.errors import ToolFailed, ToolTimeout
from rtlgen.tools.run import ToolResult

log = logging.getLogger("rtlgen.tools")


class YosysServer:
    """One ``yosys_worker.py --serve`` process and the requests it answers (one at a time)."""

    def __init__(self, command: list[str]) -> None:
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, start_new_session=True)
        self._pending = b""

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def run(self, cmd: list[str], script: str, log_file: str | None, cwd: Path, timeout: float) -> ToolResult:
        """Run ``script`` in ``cwd`` in a forked child; ``cmd`` is the command it stands for (logs, errors).

        A non-zero exit is returned; running out of ``timeout`` kills the child's process group and raises
        ToolTimeout, as ``rtlgen.tools.run`` does. The script sees this process's environment as it is now, and
        its output goes to a folder of this run's own: a process forked from the caller (a process pool's worker)
        may drop the caller's server objects, and nothing of one run may depend on another's files."""
        with tempfile.TemporaryDirectory(prefix="rtlgen-yosys-") as scratch:
            return self._run(cmd, script, log_file, cwd, timeout, Path(scratch))

    def _run(self, cmd: list[str], script: str, log_file: str | None, cwd: Path, timeout: float,
             scratch: Path) -> ToolResult:
        out, err = scratch / "stdout", scratch / "stderr"
        log.debug("run (cwd=%s, yosys server): %s", cwd, shlex.join(cmd))
        start = time.monotonic()
        request = [str(Path(cwd).resolve()), script, log_file, str(out), str(err), dict(os.environ)]
        self.process.stdin.write((json.dumps(request) + "\n").encode())
        self.process.stdin.flush()
        pid = self._line(start + timeout)
        ended = self._line(start + timeout) if pid else pid
        if ended is None:  # out of time, before the fork or while the script ran
            if pid:
                _kill_group(int(pid))
                self._line(None)  # the server reaps the child and answers
            raise ToolTimeout(cmd, timeout, _read(out) + _read(err), tool="Yosys")
        if not ended:
            raise ToolFailed(cmd, -1, _read(out), _read(err), ["the Yosys server process ended"], tool="Yosys")
        returncode, cpu = ended.split()
        _count_cpu(float(cpu))
        return ToolResult(tuple(cmd), int(returncode), _read(out), _read(err), time.monotonic() - start)

    def _line(self, deadline: float | None) -> str | None:
        """The server's next answer; None when ``deadline`` passes first; "" when the server is gone."""
        fd = self.process.stdout.fileno()
        while b"\n" not in self._pending:
            wait = None if deadline is None else max(0.0, deadline - time.monotonic())
            if not select.select([fd], [], [], wait)[0]:
                return None
            chunk = os.read(fd, 4096)
            if not chunk:
                return ""
            self._pending += chunk
        line, self._pending = self._pending.split(b"\n", 1)
        return line.decode()

    def stop(self) -> None:
        self.process.stdin.close()
        self.process.wait()


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _read(path: Path) -> str:
    return path.read_text(errors="replace") if path.is_file() else ""


def served_cpu_seconds() -> float:
    """CPU seconds of the scripts this process's servers ran to their end: they are children of a server, so
    ``resource.getrusage(RUSAGE_CHILDREN)`` of the caller does not count them."""
    return _served_cpu


def _count_cpu(seconds: float) -> None:
    global _served_cpu  # noqa: PLW0603 - one total per process, as getrusage keeps one
    with _SERVERS_LOCK:
        _served_cpu += seconds


_served_cpu = 0.0
# One server per calling process and thread (a forked child or another thread of the thread executor starts its own);
# threads start and retire servers at once, so the registry is read and changed under one lock
_SERVERS: dict[tuple[int, int], YosysServer] = {}
_SERVERS_LOCK = threading.Lock()


def _leave_parent_servers() -> None:
    """In a forked child (a process pool's worker): a fresh lock, since a child forked while another thread held the
    lock would wait on it forever; and the parent's servers let go. The child holds copies of their pipe ends, and
    a server ends only when every copy of its stdin's write end is closed: without this, a caller's server outlives
    the caller for as long as any worker forked from it runs. The copies are pointed at /dev/null rather than closed,
    so that the dropped objects' own close (or a flush of what another thread of the parent had half written) touches
    no descriptor the child opens later, and nothing reaches the server."""
    globals().update(_SERVERS_LOCK=threading.Lock())
    if not _SERVERS:
        return
    null = os.open(os.devnull, os.O_RDWR)
    for served in _SERVERS.values():
        for end in (served.process.stdin, served.process.stdout):
            os.dup2(null, end.fileno())
    os.close(null)
    _SERVERS.clear()


os.register_at_fork(after_in_child=_leave_parent_servers)


def server(command: list[str]) -> YosysServer:
    """This thread's server running ``command``, started on first use and again if it died; the servers of
    threads that have ended are stopped."""
    key = (os.getpid(), threading.get_ident())
    with _SERVERS_LOCK:
        found = _SERVERS.get(key)
        if found is not None and found.alive:
            return found
        live = {thread.ident for thread in threading.enumerate()}
        stale = [(gone, _SERVERS.pop(gone)) for gone in [k for k in _SERVERS if k[0] != key[0] or k[1] not in live]]
        found = _SERVERS[key] = YosysServer(command)
    for gone, retired in stale:
        if gone[0] == key[0]:
            retired.stop()
    return found
