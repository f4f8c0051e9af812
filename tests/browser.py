"""Look at an HTML page in a real browser (headless Chromium): the rendered DOM and a screenshot.

Tests that use it skip with the reason when Chromium is absent, and fail instead under CI=true
(`./setup.sh` installs Debian's ``chromium``).
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from rtlgen.tools.run import run

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--allow-file-access-from-files",
          "--disable-background-networking", "--disable-component-update", "--disable-sync",
          "--virtual-time-budget=5000")


def chromium() -> str:
    """The browser's path; skips (fails under CI=true) when there is none."""
    found = next((shutil.which(b) for b in BROWSERS if shutil.which(b)), None)
    if found is None:
        reason = "headless Chromium not found (./setup.sh installs Debian's chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return found


def _profile(tmp: Path) -> list[str]:
    # a private profile: parallel test workers must not share one
    return [f"--user-data-dir={tmp / 'chromium-profile'}", "--no-first-run", "--no-default-browser-check"]


def dump_dom(page: Path, tmp: Path, width: int = 1280, height: int = 900) -> str:
    """The page's DOM after its scripts ran, laid out in a ``width`` x ``height`` window."""
    result = run([chromium(), *_FLAGS, *_profile(tmp), f"--window-size={width},{height}", "--dump-dom",
                  page.resolve().as_uri()], timeout=120)
    return result.stdout


def screenshot(page: Path, out: Path, tmp: Path, width: int = 1400, height: int = 2400) -> Path:
    """A PNG of the page's first ``width`` x ``height`` pixels."""
    run([chromium(), *_FLAGS, *_profile(tmp), f"--window-size={width},{height}", f"--screenshot={out.resolve()}",
         page.resolve().as_uri()], timeout=120)
    assert out.is_file() and out.stat().st_size > 0, f"chromium wrote no screenshot at {out}"
    return out
