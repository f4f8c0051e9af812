"""`rtlgen cache info|clean` and the one atomic JSON store."""
from __future__ import annotations

import json
import os
import shutil
import stat

import pytest
from click.testing import CliRunner

from rtlgen.cli import cli
from rtlgen.store import JsonStore, atomic_write


def test_cache_info_and_clean(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("RTLGEN_CACHE", str(tmp_path))
    JsonStore.part("synth").put("ab" * 32, {"area": 1.0})
    atomic_write(tmp_path / "runs" / "r1" / "log.txt", "x" * 1000)
    atomic_write(tmp_path / "pdk" / "sky130hd_tt.lib.gz", b"lib")
    info = CliRunner().invoke(cli, ["cache", "info", "--json", "-"])
    parts = {p["name"]: p for p in json.loads(info.stdout)["parts"]}
    assert parts["synth"]["files"] == 1 and parts["runs"]["bytes"] == 1000 and parts["pdk"]["files"] == 1
    assert not list(tmp_path.rglob(".tmp-*"))  # atomic writes leave no temp files
    cleaned = CliRunner().invoke(cli, ["cache", "clean"])
    assert cleaned.exit_code == 0 and "freed" in cleaned.output
    assert not (tmp_path / "runs").exists() and not (tmp_path / "synth").exists()
    assert (tmp_path / "pdk" / "sky130hd_tt.lib.gz").is_file()  # downloads kept unless --all
    assert CliRunner().invoke(cli, ["cache", "clean", "--all"]).exit_code == 0
    assert not (tmp_path / "pdk").exists()
    bad = CliRunner().invoke(cli, ["cache", "clean", "nope"])
    assert bad.exit_code == 2 and "choose from" in bad.output


@pytest.mark.parametrize("umask", [0o022, 0o077])
def test_atomic_write_gives_the_mode_a_plain_open_would(tmp_path, umask: int) -> None:
    old = os.umask(umask)
    try:
        written = atomic_write(tmp_path / "out" / "design.v", "module m; endmodule\n")
        plain = tmp_path / "plain.v"
        plain.write_text("x")
    finally:
        os.umask(old)
    assert stat.S_IMODE(written.stat().st_mode) == stat.S_IMODE(plain.stat().st_mode) == 0o666 & ~umask
    assert written.read_text() == "module m; endmodule\n" and not list(tmp_path.rglob(".tmp-*"))


class _Listing:
    """What ``os.scandir`` returns, over entries read before the caller iterates them."""

    def __init__(self, entries: list) -> None:
        self._entries = iter(entries)

    def __iter__(self) -> "_Listing":
        return self

    def __next__(self):
        return next(self._entries)

    def __enter__(self) -> "_Listing":
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def close(self) -> None:
        return None


def test_cache_info_counts_what_is_left_when_a_run_folder_vanishes_meanwhile(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("RTLGEN_CACHE", str(tmp_path))
    atomic_write(tmp_path / "runs" / "kept" / "log.txt", "x" * 10)
    atomic_write(tmp_path / "runs" / "gone" / "log.txt", "y" * 10)
    scandir = os.scandir

    def listed_then_cleaned(path: str | int = ".") -> object:
        if isinstance(path, int):  # shutil.rmtree lists folders by descriptor
            return scandir(path)
        with scandir(path) as found:
            entries = list(found)
        if os.path.basename(path) == "runs":
            shutil.rmtree(os.path.join(path, "gone"))  # another process removes its run folder after the listing
        return _Listing(entries)

    monkeypatch.setattr(os, "scandir", listed_then_cleaned)
    info = CliRunner().invoke(cli, ["cache", "info", "--json", "-"])
    assert info.exit_code == 0, info.output
    parts = {p["name"]: p for p in json.loads(info.stdout)["parts"]}
    assert (parts["runs"]["files"], parts["runs"]["bytes"]) == (1, 10)
