"""The single way to run external programs, tool discovery and `tools.lock` checks."""
from rtlgen.tools.registry import TOOLS, ToolStatus, check_tools, find, read_lock, tool_version
from rtlgen.tools.run import ToolResult, error_lines, run

__all__ = ["TOOLS", "ToolResult", "ToolStatus", "check_tools", "error_lines", "find", "read_lock", "run", "tool_version"]
