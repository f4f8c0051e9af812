"""`rtlgen pdk fetch`: checksum-checked download; fails fast and cleanly without a network."""
from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from rtlgen.synth.pdk import PdkFetchError, fetch_pdk, pdk_path
from rtlgen.synth.liberty import LibertyError, load_liberty


def test_fetch_fails_fast_when_unreachable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RTLGEN_CACHE", str(tmp_path))
    monkeypatch.setenv("RTLGEN_BENCHMARKS", str(tmp_path / "no-benchmarks"))  # not found anywhere
    start = time.monotonic()
    with pytest.raises(PdkFetchError, match="could not download sky130 .*--liberty PATH"):
        fetch_pdk("sky130", url="http://127.0.0.1:9/sky130hd_tt.lib.gz", timeout=3)
    assert time.monotonic() - start < 5
    assert not pdk_path("sky130").exists()
    with pytest.raises(LibertyError, match="rtlgen pdk fetch sky130"):
        load_liberty("sky130")


def test_cli_fetch_offline_exit_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from rtlgen.cli.pdk import pdk  # noqa: PLC0415

    monkeypatch.setenv("RTLGEN_CACHE", str(tmp_path))
    monkeypatch.setenv("RTLGEN_PDK_URL", "http://127.0.0.1:9/x.lib.gz")
    result = CliRunner().invoke(pdk, ["fetch", "sky130", "--timeout", "2"])
    assert result.exit_code != 0 and isinstance(result.exception, PdkFetchError)


def test_checksum_mismatch_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RTLGEN_CACHE", str(tmp_path / "cache"))
    fake = tmp_path / "fake.lib.gz"
    fake.write_bytes(b"not the real file")
    with pytest.raises(PdkFetchError, match="SHA-256 .* expected"):
        fetch_pdk("sky130", url=fake.as_uri())
    assert not pdk_path("sky130").exists()


@pytest.mark.bench
def test_fetch_from_a_mirror_then_use_by_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sky130: str) -> None:
    monkeypatch.setenv("RTLGEN_CACHE", str(tmp_path))
    monkeypatch.setenv("RTLGEN_BENCHMARKS", str(tmp_path / "no-benchmarks"))  # found in the cache only
    path = fetch_pdk("sky130", url=Path(sky130).as_uri())
    assert path == pdk_path("sky130") and path.is_file()
    assert load_liberty("sky130").name == "sky130_fd_sc_hd__tt_025C_1v80"
