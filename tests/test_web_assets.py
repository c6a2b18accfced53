"""reveal.js, require.js and MathJax: fetched once with npm, else the CDN with a one-line note."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest

from course import web_assets


@pytest.fixture
def empty_cache(tmp_path, monkeypatch):
    monkeypatch.setattr(web_assets, "CACHE", tmp_path / "web_assets")
    monkeypatch.delenv(web_assets.ASSETS_ENV, raising=False)
    return tmp_path / "web_assets"


def test_without_npm_the_pages_use_the_cdn_and_say_so_in_one_line(empty_cache, monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path / "no_programs_here"))
    assert web_assets.web_assets_dir(fetch=True) is None
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("Note:")]
    assert len(lines) == 1 and "CDN" in lines[0] and "npm is not installed" in lines[0]


def test_a_failing_npm_falls_back_to_the_cdn(empty_cache, tmp_path, capsys, monkeypatch):
    fake = tmp_path / "npm"
    fake.write_text("#!/bin/sh\necho 'npm ERR! network unreachable' >&2\nexit 1\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    with pytest.raises(RuntimeError, match="npm pack. failed .npm ERR! network unreachable"):
        web_assets.fetch_with_npm(empty_cache, npm=str(fake))
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    assert web_assets.web_assets_dir(fetch=True) is None
    assert "Note:" in capsys.readouterr().out


def test_building_never_runs_npm_and_the_override_wins(empty_cache, tmp_path, monkeypatch):
    assert web_assets.web_assets_dir() is None  # fetch=False: what the library calls use
    monkeypatch.setenv(web_assets.ASSETS_ENV, str(tmp_path / "mine"))
    assert web_assets.web_assets_dir(fetch=True) == (tmp_path / "mine").resolve()


def test_slides_use_the_cdn_without_local_assets(empty_cache, tmp_path):
    import nbformat

    from course.slides import build_slides

    executed = tmp_path / "executed"
    executed.mkdir()
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# 01 · Title\n\n$x^2$")])
    nbformat.write(notebook, str(executed / "01_title.ipynb"))
    (page,) = build_slides(executed, tmp_path / "slides")
    html = page.read_text()
    assert "https://unpkg.com/reveal.js@4.0.2" in html and "cdnjs.cloudflare.com/ajax/libs/mathjax/2.7.7" in html
    assert not (tmp_path / "slides" / "reveal.js").exists()


@pytest.mark.network
def test_npm_fetch_unpacks_the_pinned_versions(tmp_path):
    if shutil.which("npm") is None:
        pytest.skip("npm is not installed")
    target = web_assets.fetch_with_npm(tmp_path / "assets")
    assert '"version": "4.0.2"' in (target / "reveal.js" / "package.json").read_text()
    assert (target / "reveal.js" / "dist" / "reveal.js").is_file()
    assert "2.3.6" in (target / "require.js").read_text()[:2000]
    assert (target / "mathjax" / "MathJax.js").is_file() and '"version": "2.7.7"' in (target / "mathjax" / "package.json").read_text()
