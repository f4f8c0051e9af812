"""The tool registry: looking tools up must not change the process (pyosys's import would)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def test_checking_the_tools_leaves_dlopen_flags_alone() -> None:
    """pyosys's ``__init__`` sets RTLD_GLOBAL for the whole process, after which pybind11 extensions loaded later
    collide (``rtlgen regress --candidates generate --html`` died importing matplotlib). The registry finds
    pyosys's ABC without importing it."""
    code = ("import sys\nbefore = sys.getdlopenflags()\nfrom rtlgen.tools.registry import check_tools, find\n"
            "check_tools()\nfind('yosys-abc')\nassert 'pyosys' not in sys.modules, 'pyosys was imported'\n"
            "assert sys.getdlopenflags() == before, 'dlopen flags changed'\nprint('ok')\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr


def test_the_pinned_versions_are_package_data() -> None:
    """tools.lock lives in the rtlgen.tools package (shipped as package data), not beside a checkout: an installed
    rtlgen's `rtlgen doctor` checks the same pins."""
    import rtlgen.tools
    from rtlgen.tools.registry import LOCK_FILE, TOOLS, read_lock

    assert LOCK_FILE.parent == Path(rtlgen.tools.__file__).parent
    pins = read_lock()
    assert pins and set(pins) <= set(TOOLS) and pins["yosys"]
