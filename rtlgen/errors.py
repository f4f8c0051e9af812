"""Typed errors shared by every stage; the CLI maps them to exit codes, library code never exits."""
from __future__ import annotations


class RtlgenError(Exception):
    """Root of every error rtlgen raises on purpose."""


class ToolError(RtlgenError):
    """An external tool could not be run or did not succeed."""


class ToolNotFound(ToolError):
    def __init__(self, tool: str, hint: str = "") -> None:
        self.tool = tool
        self.hint = hint
        msg = f"required tool '{tool}' was not found on PATH"
        super().__init__(f"{msg}. {hint}" if hint else msg)


class ToolVersionError(ToolError):
    def __init__(self, tool: str, found: str, wanted: str, hint: str = "") -> None:
        self.tool, self.found, self.wanted = tool, found, wanted
        super().__init__(f"{tool} {found} does not satisfy {wanted}. {hint}".strip())


class ToolTimeout(ToolError):
    """``tool`` names what ran out of time when the program does not (Yosys's pyosys worker runs as ``python``);
    ``cpu``: the limit was the program's CPU time, not the wall clock."""

    def __init__(self, cmd: list[str], timeout: float, output: str = "", tool: str = "", cpu: bool = False) -> None:
        self.cmd, self.timeout, self.output, self.tool, self.cpu = cmd, timeout, output, tool, cpu
        spent = f"used up its {timeout:g} s of CPU time" if cpu else f"timed out after {timeout:g} s"
        super().__init__(f"{tool or repr(cmd[0])} {spent} (process group killed)")

    def __reduce__(self):  # picklable across process pools (the default would call __init__(message))
        return (type(self), (self.cmd, self.timeout, self.output, self.tool, self.cpu))


class ToolFailed(ToolError):
    """Non-zero exit; the message quotes the tool's own error lines and names the tool as ``ToolTimeout`` does."""

    def __init__(self, cmd: list[str], returncode: int, stdout: str, stderr: str, error_lines: list[str],
                 tool: str = "") -> None:
        self.cmd, self.returncode, self.stdout, self.stderr = cmd, returncode, stdout, stderr
        self.error_lines, self.tool = error_lines, tool
        quoted = "\n".join(f"  | {line}" for line in error_lines) or "  | (the tool printed no error line)"
        super().__init__(f"{tool or repr(cmd[0])} failed with exit code {returncode}:\n{quoted}")

    @property
    def log(self) -> str:
        return self.stdout + self.stderr

    def __reduce__(self):  # picklable across process pools (the default would call __init__(message))
        return (type(self), (self.cmd, self.returncode, self.stdout, self.stderr, self.error_lines, self.tool))


class SpecError(RtlgenError):
    """A spec file is malformed; names the file, line and field."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None,
                 field: str | None = None) -> None:
        self.path, self.line, self.field = path, line, field
        where = path or "<spec>"
        if line is not None:
            where += f":{line}"
        if field:
            where += f" (field '{field}')"
        super().__init__(f"{where}: {message}")


class UnsafeRTL(RtlgenError):
    """Candidate RTL uses a system task or include that could escape its run directory."""


class LLMError(RtlgenError):
    """The LLM endpoint could not be used (dead, wrong key, unknown model, no code in reply)."""


class ConfigError(RtlgenError):
    """Configuration is missing or contradictory; says how to fix it."""


class SynthError(ToolFailed):
    """A design did not synthesize (or its netlist could not be timed); quotes Yosys's/OpenSTA's own lines."""

    def __init__(self, cmd: list[str], returncode: int, stdout: str, stderr: str, error_lines: list[str],
                 stage: str = "yosys") -> None:
        self.stage = stage
        super().__init__(cmd, returncode, stdout, stderr, error_lines)
        quoted = "\n".join(f"  | {line}" for line in error_lines) or "  | (the tool printed no error line)"
        tool = {"sta": "OpenSTA", "gatesim": "Icarus (gate-level power simulation)"}.get(stage, "Yosys")
        self.args = (f"{tool} could not process the design (exit code {returncode}):\n{quoted}",)

    def __reduce__(self):
        return (type(self), (self.cmd, self.returncode, self.stdout, self.stderr, self.error_lines, self.stage))


class RuleError(SpecError):
    """A rule file of the optimizer's rule store is malformed; names the file and field."""


class DesignInputError(ConfigError):
    """The user's HDL cannot be read as a design: every problem found, each ``file:line: message`` in the
    user's own files, in one error (so one run shows them all, before any tool runs)."""

    def __init__(self, problems: list[str], hint: str = "") -> None:
        self.problems, self.hint = list(problems), hint
        listed = "\n".join("  " + p.replace("\n", "\n  ") for p in self.problems)
        super().__init__(f"the design input has {len(self.problems)} problem(s):\n{listed}"
                         + (f"\n{hint}" if hint else ""))

    def __reduce__(self):  # picklable across process pools (the default would call __init__(message))
        return (type(self), (self.problems, self.hint))


class SynthLostLogic(RtlgenError):
    """The mapped netlist lost logic the RTL has (``SynthReport.lost_logic``): its figures describe another circuit,
    so a caller that would rank or report them (the optimizer's measure) raises this instead."""


class ItemTimeout(RtlgenError):
    """An item run in a worker process of its own (``executor.call_isolated``) outlived its time limit; the worker
    was killed."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        super().__init__(f"the item did not finish within {timeout:g} s (its worker process was killed)")

    def __reduce__(self):  # picklable across process pools (the default would call __init__(message))
        return (type(self), (self.timeout,))


class ItemFailed(RtlgenError):
    """An item run in a worker process of its own gave no answer: the worker died, or the item raised (the message
    carries its traceback)."""
