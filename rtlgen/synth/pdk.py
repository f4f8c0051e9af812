"""Fetch a public standard-cell liberty into the user cache (the one network call rtlgen makes itself).

No Python or Debian package ships a liberty file, so `rtlgen pdk fetch sky130` downloads the
sky130_fd_sc_hd typical-corner library from its public source and checks its SHA-256.
"""
from __future__ import annotations

import hashlib
import os
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from rtlgen.config import cache_dir
from rtlgen.errors import RtlgenError
from rtlgen.store import atomic_write

URL_ENV = "RTLGEN_PDK_URL"
_OPENSTA = "https://raw.githubusercontent.com/The-OpenROAD-Project/OpenSTA/d1b2b3962cd47539c748bb163da5de2bd5d2f85f/examples/"


class PdkFetchError(RtlgenError):
    """A PDK liberty could not be downloaded or failed its checksum; says what to do instead."""


@dataclass(frozen=True)
class PdkLiberty:
    name: str
    url: str
    sha256: str
    filename: str
    description: str


PDKS: dict[str, PdkLiberty] = {
    p.name: p for p in (
        PdkLiberty("sky130", _OPENSTA + "sky130hd_tt.lib.gz",
                   "210e56be3a3a0907b5241a34d277f664cf4b4d91dcb49a27ff813df4406a5889", "sky130hd_tt.lib.gz",
                   "sky130_fd_sc_hd__tt_025C_1v80 (SkyWater SKY130 HD, typical, Apache-2.0)"),
        PdkLiberty("nangate45", _OPENSTA + "nangate45_typ.lib.gz",
                   "7ee6c11d0c8964f9971ba28b879a6cad28e178f86911adda71ac0672ce00f7ef", "nangate45_typ.lib.gz",
                   "NangateOpenCellLibrary typical (FreePDK45)"),
    )
}


def pdk_path(name: str) -> Path:
    return cache_dir() / "pdk" / PDKS[name].filename


def fetch_pdk(name: str, *, timeout: float = 10.0, url: str | None = None) -> Path:
    """Download PDK liberty ``name`` into the cache after checking its SHA-256; returns its path."""
    if name not in PDKS:
        raise PdkFetchError(f"unknown PDK '{name}'; choose one of {sorted(PDKS)}")
    spec = PDKS[name]
    target = pdk_path(name)
    if target.is_file() and hashlib.sha256(target.read_bytes()).hexdigest() == spec.sha256:
        return target
    source = url or os.environ.get(URL_ENV) or spec.url
    try:
        with urllib.request.urlopen(source, timeout=timeout) as resp:  # noqa: S310 - fixed public URL
            data = resp.read()
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise PdkFetchError(f"could not download {name} liberty from {source}: {reason}. Without internet, "
                            f"copy {spec.filename} from a machine that has it and pass --liberty PATH "
                            f"(or set RTLGEN_LIBERTY)") from exc
    digest = hashlib.sha256(data).hexdigest()
    if digest != spec.sha256:
        raise PdkFetchError(f"downloaded {name} liberty from {source} has SHA-256 {digest}, expected "
                            f"{spec.sha256}; refusing to use it (file not saved)")
    return atomic_write(target, data)
