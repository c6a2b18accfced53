"""reveal.js, require.js and MathJax for offline slides and site pages, fetched once with npm.

Where :func:`web_assets_dir` finds them, in order:

1. ``$COURSE_WEB_ASSETS``: a folder you prepared, with ``reveal.js/``, ``require.js`` and ``mathjax/``;
2. ``build/web_assets/``, filled on first use by ``npm pack`` from the npm registry (the
   versions in :data:`PACKAGES`), when ``npm`` is installed;
3. none: the pages load them from public CDNs (viewing then needs internet); one line says so.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
CACHE = REPO_ROOT / "build" / "web_assets"
ASSETS_ENV = "COURSE_WEB_ASSETS"
# npm package → (file or folder inside the package, where it goes in the assets folder)
PACKAGES = {
    "reveal.js@4.0.2": ("", "reveal.js"),
    "requirejs@2.3.6": ("require.js", "require.js"),
    "mathjax@2.7.7": ("", "mathjax"),
}
NPM_TIMEOUT_S = 300


def _complete(folder: Path) -> bool:
    return all((folder / target).exists() for _, target in PACKAGES.values())


def _extract(archive: Path, inside: str, destination: Path) -> None:
    """Unpack ``package/<inside>`` of an npm tarball to ``destination`` (a folder when ``inside`` is "")."""
    prefix = f"package/{inside}" if inside else "package/"
    with tarfile.open(archive) as tar:
        members = [m for m in tar.getmembers() if m.name.startswith(prefix) and (m.isfile() or m.isdir())]
        if not members:
            raise RuntimeError(f"{archive.name} has no {prefix}")
        staging = destination.parent / f".{destination.name}.partial"
        shutil.rmtree(staging, ignore_errors=True)
        safe = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
        tar.extractall(staging, members=members, **safe)
        source = staging / prefix.rstrip("/")
        if destination.exists():
            shutil.rmtree(destination) if destination.is_dir() else destination.unlink()
        source.replace(destination)
        shutil.rmtree(staging, ignore_errors=True)


def fetch_with_npm(target: Path = CACHE, npm: str | None = None) -> Path:
    """``npm pack`` the pinned packages into ``target`` (raises ``RuntimeError`` when npm fails)."""
    npm = npm or shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is not installed")
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="npm_pack_") as tmp:
        result = subprocess.run([npm, "pack", "--silent", *PACKAGES], cwd=tmp, capture_output=True, text=True,
                                timeout=NPM_TIMEOUT_S)
        archives = {a.name: a for a in Path(tmp).glob("*.tgz")}
        if result.returncode != 0 or len(archives) != len(PACKAGES):
            last = (result.stderr.strip().splitlines() or ["no error output"])[-1]
            raise RuntimeError(f"`npm pack` failed ({last})")
        for package, (inside, name) in PACKAGES.items():
            base, version = package.rsplit("@", 1)
            _extract(archives[f"{base}-{version}.tgz"], inside, target / name)
    return target


def web_assets_dir(fetch: bool = False) -> Path | None:
    """The folder with local copies of the web assets, or ``None`` for the CDN (see the module doc).

    Only ``fetch=True`` (``make slides``/``make html``) runs npm; building from Python uses what is there.
    """
    value = os.environ.get(ASSETS_ENV)
    if value:
        return Path(value).expanduser().resolve()
    if _complete(CACHE):
        return CACHE
    if not fetch:
        return None
    try:
        print(f"Fetching reveal.js, require.js and MathJax once with npm into {CACHE} ...", flush=True)
        return fetch_with_npm(CACHE)
    except (RuntimeError, OSError, subprocess.TimeoutExpired, tarfile.TarError) as err:
        print(f"Note: slides and pages load reveal.js and MathJax from the CDN (viewing needs internet): {err}. "
              f"For offline use install npm, or set {ASSETS_ENV}.")
        return None
