"""`rtlgen cache info|clean` and the one atomic JSON store."""
from __future__ import annotations

import json
import os
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
