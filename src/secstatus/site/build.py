"""The published register: a self-contained static website, an Atom feed and an iCalendar.

``build_site`` renders every page from the register as it stood on one day (at most its horizon,
the last day its facts reach) into a fresh folder beside the output folder, then swaps it into
place, so the output is never half-written. The layout is in ``templates/site/`` (a register's own
``templates/site/`` is found first); links are relative, so the site works from any path on any
static host or straight from the disk, and it fetches nothing from outside itself (given its base
URL, its feeds and calendar link absolutely, for the feed readers and calendar applications that
read them elsewhere). Given the same register, day and SOURCE_DATE_EPOCH, it is the same bytes.

Pages: ``index.html`` (modifications by stage and status), ``modifications/ID.html``,
``releases/index.html`` and ``releases/ID.html``, ``reports/index.html`` with each archived
month as HTML and PDF, ``statistics.html`` (the charts), ``key-dates.html``, ``consultations.html``, and the feeds
``feed.atom``, ``modifications/ID.atom`` (one per modification) and ``key-dates.ics``; with the archive's PDFs,
``.secstatus-pdfs.json`` says what made each, so that a later build reuses it (``output.pdfcache``).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..domain.diagnostics import Refusal
from ..domain.timeline import states_on
from ..output.pdfcache import PdfStore
from ..output.render import environment, render_template, render_text, template_file
from ..report.build import build, within_horizon
from ..report.build import horizon as last_day
from . import charts, downloads, feeds, pages

MARKER = ".secstatus-site"
"""A file in every built site: only a folder holding it (or an empty one) is ever replaced."""

TITLE = "SEC Modification Register"
ASSETS = ("site.css", "site.js")


class SiteError(Refusal, ValueError):
    """The site cannot be built or written (an output folder that is not a site, a bad template)."""


@dataclass
class Site:
    """What was written: the folder and each file in it, relative to the folder."""

    path: Path
    files: list[str] = field(default_factory=list)

    @property
    def pages(self) -> list[str]:
        return [f for f in self.files if f.endswith(".html")]


def build_site(
    register, data_root: Path, out: Path, as_at: dt.date, cal, dirs: list[Path], base_url: str | None = None
) -> Site:
    """Render the whole site for ``as_at`` and put it at ``out`` in one swap (a PDF the site there
    already holds, made from the same inputs, is reused: ``pdfcache``)."""
    target = _check_target(Path(out))
    files = render_files(
        register, data_root, as_at, cal, dirs, base_url, previous=target if (target / MARKER).is_file() else None
    )
    _write_tree(target, files)
    return Site(target, sorted(files))


def base_url(text: str) -> str:
    """The site's base URL as the feeds and the calendar prefix it: an absolute http(s) address of
    a folder, with no query or fragment, ending in '/' (one is added)."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(text)
        _ = parts.port  # reading it refuses a port that is not a number
    except ValueError as exc:
        raise SiteError(f"{text!r} is not a URL: {exc}") from None
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise SiteError(f"{text!r} is not an absolute http(s) URL, such as https://example.org/register/")
    if parts.query or parts.fragment or "#" in text or "?" in text or not text.isprintable() or " " in text:
        raise SiteError(f"{text!r}: a base URL has no query, fragment, space or control character")
    return text if text.endswith("/") else text + "/"


def render_files(
    register,
    data_root: Path,
    as_at: dt.date,
    cal,
    dirs: list[Path],
    base: str | None = None,
    previous: Path | None = None,
) -> dict[str, bytes]:
    """Every file of the site, by its path inside the site. A day past the register's horizon (the
    last day its facts reach) is built as at the horizon: a site computes nothing it lacks the facts for.
    Given the site's ``base`` URL (``base_url``), every link in its feeds and calendar is absolute.
    Each archived report's PDF is reused when made before from the same inputs (the user cache, or
    the ``previous`` site, by its manifest), else made: the same bytes either way."""
    horizon = last_day(register, cal)
    as_at = within_horizon(register, as_at, cal)
    base = base_url(base) if base is not None else None
    env = environment(dirs, "html")
    rendered = Pages(env, dirs, as_at, horizon)
    dates = pages.key_dates(register, cal, as_at)
    archive = pages.archive(register, cal, as_at)
    rows, mod_pages = _render_pages(rendered, register, data_root, as_at, cal, dates, archive)
    _modification_feeds(rendered.files, register, as_at, base)
    _register_data(rendered.files, rows, mod_pages, as_at, horizon)
    for name in ASSETS:
        rendered.files[f"assets/{name}"] = _binary_template(dirs, f"site/{name}")
    rendered.files["favicon.ico"] = _binary_template(dirs, "site/favicon.ico")  # at the root, where browsers ask
    store = PdfStore(previous)
    _archive(rendered.files, register, archive, cal, dirs, store)
    if store.made:  # what made each PDF: a later build reuses them by it
        rendered.files[store.manifest_name] = store.manifest()
    rendered.files["feed.atom"] = feeds.atom(pages.changes(register, as_at), as_at, TITLE, base=base)
    rendered.files["key-dates.ics"] = feeds.ical(dates, as_at, f"{TITLE}: key dates", base)
    rendered.files[MARKER] = b"A static site built by secstatus; 'secstatus site' replaces this folder.\n"
    rendered.files[".nojekyll"] = b""
    return rendered.files


class Pages:
    """Renders templates into the files of the site, each with the path back to the site's root."""

    def __init__(self, env, dirs: list[Path], as_at: dt.date, horizon: dt.date | None = None):
        self.env, self.dirs, self.as_at, self.horizon = env, dirs, as_at, horizon
        self.files: dict[str, bytes] = {}

    def add(self, path: str, template: str, **context: Any) -> None:
        """Render one page; a broken or refused template is a RenderError naming its file and line."""
        html = render_template(
            f"site/{template}",
            self.dirs,
            env=self.env,
            root="../" * path.count("/"),
            here=path,
            as_at=self.as_at,
            horizon=self.horizon,
            site_title=TITLE,
            **context,
        )
        self.files[path] = html.encode("utf-8")


def _render_pages(
    rendered: Pages, register, data_root: Path, as_at: dt.date, cal, dates: list, archive: list
) -> tuple[list[dict], dict[str, dict]]:
    """Render every page; returns the index's rows and each modification page's data, by file id."""
    rows = pages.index_rows(register, cal, as_at)
    mod_pages = {}
    stages = pages.banner(register, as_at)
    rendered.add("index.html", "index.html", rows=rows, stages=stages, filters=pages.index_filters(rows))
    meetings = pages.meetings_by_body(register)
    histories = pages.record_histories(data_root, register)  # one walk and one git reader, not one per record
    try:
        for row in rows:
            mod = register.modifications[row["file_id"]]
            page = mod_pages[mod.id] = pages.modification(register, mod, cal, as_at, histories, meetings)
            rendered.add(row["page"], "modification.html", m=page)
    finally:
        if histories is not None:
            histories.close()
    releases = pages.releases(register, as_at)
    rendered.add("releases/index.html", "releases.html", releases=releases)
    for release in releases:
        rendered.add(release["page"], "release.html", r=release)
    points = pages.flow_points(register, as_at)
    assessments = pages.assessment_rows(register, cal, as_at)
    rendered.add(
        "statistics.html",
        "statistics.html",
        points=points,
        stages=pages.STAGE_ORDER,
        flow=charts.flow_chart(points) if points else None,
        assessments=assessments,
        durations=charts.duration_chart(assessments) if assessments else None,
    )
    upcoming = [k for k in dates if k["date"] >= as_at]
    rendered.add("key-dates.html", "key-dates.html", dates=upcoming)
    rendered.add("consultations.html", "consultations.html", consultations=pages.consultations(register, cal, as_at))
    rendered.add("reports/index.html", "reports.html", reports=archive)
    return rows, mod_pages


def _register_data(
    files: dict[str, bytes], rows: list[dict], mod_pages: dict[str, dict], as_at: dt.date, horizon: dt.date | None
) -> None:
    """The register as data (``downloads``): ``register.json``, ``register.csv``, each modification's
    ``modifications/ID.json``, and their schemas, in the register's order."""
    ordered = sorted(rows, key=lambda r: r["order"])
    data = [downloads.row(r) for r in ordered]
    files["register.json"] = downloads.text(
        downloads.RegisterData.model_validate({"as_at": as_at, "horizon": horizon, "modifications": data})
    )
    files["register.csv"] = downloads.csv_text(data)
    for index_row, item in zip(ordered, data, strict=True):  # a row's file and page by the index row it is made from
        files[index_row["data"]] = downloads.text(
            downloads.modification(item, mod_pages[index_row["file_id"]], as_at, horizon)
        )
    for name, (model, key, title) in downloads.SCHEMAS.items():
        files[name] = (json.dumps(downloads.schema(model, key, title), indent=2, ensure_ascii=False) + "\n").encode()


def _modification_feeds(files: dict[str, bytes], register, as_at: dt.date, base: str | None) -> None:
    """A feed per modification existing on ``as_at`` (``modifications/ID.atom``): its every dated event."""
    states = states_on(register, as_at)
    for mod in register.modifications.values():
        state = states[mod.id]
        if state is None:
            continue
        files[pages.mod_feed(mod.id)] = feeds.atom(
            pages.news(register, mod, as_at)[::-1],
            as_at,
            f"{state.id} {mod.title} – {TITLE}",
            path=pages.mod_feed(mod.id),
            home=pages.mod_page(mod.id),
            key=f"modification:{mod.id}",
            base=base,
            subtitle=f"Every dated event of {state.id} in the register, the latest first. A fact known only as on or "
            "before a day is on the modification's page, not announced here.",
        )


def _binary_template(dirs: list[Path], name: str) -> bytes:
    """A binary file from the first templates folder that has it (the register's own first), by
    the rule of ``render.template_file``."""
    for folder in dirs:
        path = template_file(folder, name)
        if path is not None:
            return path.read_bytes()
    raise SiteError(f"{name}: not found in the templates folders")


def _archive(files: dict[str, bytes], register, archive: list, cal, dirs: list[Path], store: PdfStore) -> None:
    """Each archived month's report as HTML and PDF (the PDF through ``store``: reused when made
    before from the same inputs)."""
    for item in archive:
        context = build(register, item["month"], cal)
        html, day = render_text(context, "html", dirs), context.cover.date
        files[item["html"]] = html.encode("utf-8")
        files[item["pdf"]] = store.pdf(item["pdf"], html, dirs, day)


def _check_target(out: Path) -> Path:
    """The real output folder; refuses anything but a missing folder, an empty one or an earlier site."""
    target = Path(os.path.abspath(out))
    if target.is_symlink():
        target = target.resolve()
    if target.exists() and not target.is_dir():
        raise SiteError(f"{out}: exists and is not a folder")
    if target.is_dir() and any(target.iterdir()) and not (target / MARKER).is_file():
        raise SiteError(
            f"{out}: not empty and not a site built by secstatus (no {MARKER}); "
            "refusing to replace it: give a new or empty folder"
        )
    if not target.parent.is_dir():
        raise SiteError(f"{out}: its folder {target.parent} does not exist")
    return target


def _write_tree(target: Path, files: dict[str, bytes]) -> None:
    """Write ``files`` into a new folder beside ``target``, then swap it in; the old site goes last.

    The swap is two renames: for an instant between them the folder is absent, but it never holds
    a mix of two builds or a half-written file. A failed build leaves the earlier site as it was.
    """
    try:
        building = Path(tempfile.mkdtemp(prefix=f".{target.name}.building-", dir=target.parent))
    except OSError as exc:
        raise SiteError(f"{target.parent}: cannot write: {exc.strerror}") from None
    old = None
    try:
        for rel, data in sorted(files.items()):
            path = building / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            path.chmod(0o644)
        for folder in [building, *[p for p in building.rglob("*") if p.is_dir()]]:
            folder.chmod(0o755)
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
            os.replace(target, old / "site")
        os.replace(building, target)
    except OSError as exc:
        shutil.rmtree(building, ignore_errors=True)
        if old is not None and (old / "site").exists() and not target.exists():
            os.replace(old / "site", target)  # put the earlier site back
        raise SiteError(f"{target}: cannot write: {exc.strerror}") from None
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
