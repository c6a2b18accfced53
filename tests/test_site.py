"""`make html` and `make slides`: built from one smoke run; every page exists and every link resolves."""

import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from course import runner, site, slides
from utils import collection


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)


def _relative_links(page: Path) -> list[str]:
    parser = _Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return [link for link in parser.links
            if not urlparse(link).scheme and not link.startswith(("#", "//", "data:"))]


@pytest.fixture(scope="module")
def build(tmp_path_factory, smoke_run_00):
    """The session's smoke run of notebook 00 (whose map links every notebook); the others unexecuted."""
    build = tmp_path_factory.mktemp("build")
    executed = build / "executed"
    shutil.copytree(smoke_run_00.executed.parent, executed)
    shutil.copytree(smoke_run_00.build / "results", build / "results")
    for path in runner.list_notebooks():
        if not (executed / path.name).exists():
            shutil.copyfile(path, executed / path.name)
    slides.build_slides(executed, build / "slides")
    site.build_site(executed, build / "site", build, build / "slides")
    return build


def test_every_notebook_has_a_page_and_slides(build):
    for path in runner.list_notebooks():
        assert (build / "site" / f"{path.stem}.html").exists(), path.stem
        assert (build / "slides" / f"{path.stem}.slides.html").exists(), path.stem
    assert (build / "site" / "index.html").exists()


def test_every_relative_link_resolves(build):
    pages = sorted((build / "site").glob("*.html")) + sorted((build / "slides").glob("*.html"))
    checked = 0
    for page in pages:
        for link in _relative_links(page):
            target = (page.parent / unquote(urlparse(link).path)).resolve()
            assert target.exists(), f"{page.name}: broken link {link}"
            checked += 1
    index_links = _relative_links(build / "site" / "index.html")
    for path in runner.list_notebooks():
        assert f"{path.stem}.html" in index_links and f"../slides/{path.stem}.slides.html" in index_links
    assert checked > 2 * len(runner.list_notebooks())


def test_index_lists_notebooks_in_order_with_goals_and_numbers(build):
    index = (build / "site" / "index.html").read_text(encoding="utf-8")
    infos = collection.list_collection()
    positions = [index.index(f'id="nb{info["number"]}"') for info in infos]
    assert positions == sorted(positions)
    for info, start, end in zip(infos, positions, positions[1:] + [len(index)]):
        block = index[start:end]
        assert info["goals"] and block.count("<li>") == len(info["goals"]), info["stem"]
    assert "notebooks_in_collection" in index and "profile <b>smoke</b>" in index  # 00's recorded run


def test_map_links_point_at_pages_and_teacher_notes_stay_out_of_the_site(build):
    page = (build / "site" / "00_introduction.html").read_text(encoding="utf-8")
    assert 'href="01_perceptron.html"' in page and ".ipynb\"" not in page
    assert "Teacher notes" not in page
    deck = (build / "slides" / "00_introduction.slides.html").read_text(encoding="utf-8")
    assert '<aside class="notes">' in deck and "Teacher notes" in deck  # speaker view only
    assert 'href="01_perceptron.slides.html"' in deck
