"""An unchanged site is built again from what the last build made: archived reports' PDFs are
reused from the user cache or the previous site by content address, never when altered, and the
site is the same bytes as a build from nothing."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from conftest import DATA
from site_support import build

pytestmark = pytest.mark.slow  # every test lays out the archive's PDFs, the subject of the reuse

PDF = "reports/2019-05.pdf"
MANIFEST = ".secstatus-pdfs.json"


@pytest.fixture
def layouts(monkeypatch, tmp_path):
    """How many PDFs WeasyPrint lays out, in a user cache of this test's own."""
    import secstatus.output.render as render

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    count = []
    real = render.render_pdf
    monkeypatch.setattr(render, "render_pdf", lambda *a, **k: count.append(1) or real(*a, **k))
    return count


def files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def cache_entries(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "cache" / "secstatus" / "pdf").glob("*.pdf"))


def test_a_site_built_again_from_the_cache_is_the_same_bytes_as_a_cold_build(tmp_path, layouts):
    """Cold into A, then with the cache into a new folder B: every file the same, no PDF laid out;
    an altered cache entry is laid out again, never served, and stored right again."""
    build(tmp_path / "a")
    assert len(layouts) == 1 and len(cache_entries(tmp_path)) == 1
    cold = files(tmp_path / "a")
    assert PDF in cold and MANIFEST in cold
    build(tmp_path / "b")
    assert len(layouts) == 1 and files(tmp_path / "b") == cold

    entry = cache_entries(tmp_path)[0]
    raw = bytearray(entry.read_bytes())
    raw[-200] ^= 0x01  # a byte of the PDF altered in the cache
    entry.write_bytes(bytes(raw))
    build(tmp_path / "c")
    assert len(layouts) == 2 and files(tmp_path / "c") == cold
    build(tmp_path / "d")
    assert len(layouts) == 2 and files(tmp_path / "d") == cold  # the entry was stored sealed again


def test_a_site_built_again_into_its_folder_takes_its_pdfs_from_it_when_they_check(tmp_path, layouts, monkeypatch):
    """With no cache, the previous site in the output folder gives its PDFs: by its manifest's key
    for what is being built, and when the file has the manifest's hash. An altered PDF, a manifest
    that names another key, or a PDF that is a link, is laid out again."""
    monkeypatch.setenv("SECSTATUS_NO_CACHE", "1")
    site = tmp_path / "site"
    build(site)
    cold = files(site)
    build(site)
    assert len(layouts) == 1 and files(site) == cold

    raw = bytearray((site / PDF).read_bytes())
    raw[-200] ^= 0x01
    (site / PDF).write_bytes(bytes(raw))
    build(site)
    assert len(layouts) == 2 and files(site) == cold

    manifest = json.loads((site / MANIFEST).read_text())
    manifest["pdf"][PDF]["key"] = "0" * 64
    (site / MANIFEST).write_text(json.dumps(manifest))
    build(site)
    assert len(layouts) == 3 and files(site) == cold

    elsewhere = tmp_path / "elsewhere.pdf"
    shutil.copy(site / PDF, elsewhere)
    (site / PDF).unlink()
    (site / PDF).symlink_to(elsewhere)  # the same bytes, through a link: not followed
    build(site)
    assert len(layouts) == 4 and files(site) == cold


def test_a_pdf_taken_from_the_previous_site_is_stored_in_the_cache(tmp_path, layouts, monkeypatch):
    site = tmp_path / "site"
    monkeypatch.setenv("SECSTATUS_NO_CACHE", "1")
    build(site)
    monkeypatch.delenv("SECSTATUS_NO_CACHE")
    build(site)  # from the previous site, then kept in the cache
    build(tmp_path / "elsewhere")
    assert len(layouts) == 1 and files(tmp_path / "elsewhere") == files(site)


def test_a_file_the_report_fetches_is_part_of_what_makes_its_pdf(tmp_path, layouts):
    """A register's own report template showing an image from its templates folder: the PDF is
    laid out again when the image changes, or when a file it was refused appears."""
    root = tmp_path / "register"
    shutil.copytree(DATA, root / "data")
    templates = root / "templates"
    templates.mkdir()
    from secstatus.output.render import PACKAGE_TEMPLATES

    report = (PACKAGE_TEMPLATES / "report.html").read_text(encoding="utf-8")
    (templates / "report.html").write_text(
        report.replace("<body>", '<body><img src="logo.png"><img src="later.png">', 1), encoding="utf-8"
    )
    shutil.copy(PACKAGE_TEMPLATES / "site" / "favicon.ico", templates / "logo.png")
    build(tmp_path / "a", root / "data")
    build(tmp_path / "b", root / "data")
    assert len(layouts) == 1
    manifest = json.loads((tmp_path / "b" / MANIFEST).read_text())
    assert [name for name, _ in manifest["pdf"][PDF]["fetched"]] == ["later.png", "logo.png"]
    (templates / "logo.png").write_bytes((templates / "logo.png").read_bytes() + b"\0")
    build(tmp_path / "c", root / "data")
    assert len(layouts) == 2
    shutil.copy(templates / "logo.png", templates / "later.png")
    build(tmp_path / "d", root / "data")
    assert len(layouts) == 3
    build(tmp_path / "e", root / "data")
    assert len(layouts) == 3


def test_the_manifest_is_the_same_wherever_the_register_is(tmp_path, layouts):
    """The PDF's address holds no path of the machine (the report has no relative link), so the
    site is the same bytes from any checkout."""
    shutil.copytree(DATA, tmp_path / "one" / "data")
    shutil.copytree(DATA, tmp_path / "two" / "deeper" / "data")
    build(tmp_path / "a", tmp_path / "one" / "data")
    build(tmp_path / "b", tmp_path / "two" / "deeper" / "data")
    assert files(tmp_path / "a") == files(tmp_path / "b") and len(layouts) == 1
    assert str(tmp_path) not in (tmp_path / "a" / MANIFEST).read_text()


def test_an_unreadable_renderer_release_means_no_reuse(tmp_path, layouts, monkeypatch):
    """When the renderer's release cannot be told, a PDF cannot be addressed: it is laid out each time."""
    import secstatus.output.pdfcache as pdfcache

    monkeypatch.setattr(pdfcache, "release", lambda name: None)
    build(tmp_path / "a")
    build(tmp_path / "b")
    assert len(layouts) == 2 and files(tmp_path / "a") == files(tmp_path / "b")
    assert os.listdir(tmp_path / "cache" / "secstatus") and not cache_entries(tmp_path)
