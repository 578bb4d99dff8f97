"""Turn a report context into HTML, Markdown or PDF, and write files atomically.

Templates are looked up first in the data repository's own ``templates/`` (beside ``data/``),
then in the copy shipped with the package, so a register can restyle its report without code.
HTML is autoescaped. The PDF renderer fetches nothing but files inside those template folders.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from .report_context import Report

PACKAGE_TEMPLATES = Path(__file__).resolve().parent / "templates"
TEMPLATE_FOR = {"html": "report.html", "pdf": "report.html", "md": "report.md"}


class RenderError(ValueError):
    """The report could not be rendered (a broken user template, say)."""


def template_dirs(data_root: Path | None) -> list[Path]:
    """The folders searched for templates, the register's own first."""
    dirs = []
    if data_root is not None and (data_root.parent / "templates").is_dir():
        dirs.append((data_root.parent / "templates").resolve())
    dirs.append(PACKAGE_TEMPLATES)
    return dirs


def _as_date(day: dt.date | str | None) -> dt.date | None:
    return dt.date.fromisoformat(day) if isinstance(day, str) else day


def long_date(day: dt.date | str | None) -> str:
    """24 April 2019."""
    day = _as_date(day)
    return f"{day.day} {day:%B %Y}" if day else ""


def short_date(day: dt.date | str | None) -> str:
    """24/04/2019, as in the paper's Appendix A tables."""
    day = _as_date(day)
    return f"{day:%d/%m/%Y}" if day else ""


def month_year(day: dt.date | str | None) -> str:
    """May 2019."""
    day = _as_date(day)
    return f"{day:%B %Y}" if day else ""


def two_digits(n: int) -> str:
    """The banner's counts: 05, 18, 00, 07."""
    return f"{n:02d}"


NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
                "twelve")


def words(n: int) -> str:
    """Small counts as words, as the paper writes them: 'two Modification Proposals'."""
    return NUMBER_WORDS[n] if 0 <= n < len(NUMBER_WORDS) else str(n)


def md_text(value: Any) -> str:
    """Text safe to drop into Markdown: HTML-significant and emphasis characters escaped."""
    text = "" if value is None else str(value)
    for char, escaped in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
        text = text.replace(char, escaped)
    for char in "\\`*_[]|":
        text = text.replace(char, "\\" + char)
    return text


def bytecode_cache():
    """Compiled templates kept in the user cache (keyed by each template's source): compiling the
    report's templates costs more than rendering them."""
    import jinja2

    from .cache import cache_dir

    folder = cache_dir("jinja")
    return jinja2.FileSystemBytecodeCache(str(folder)) if folder else None


def environment(dirs: list[Path]):
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in dirs]),
        bytecode_cache=bytecode_cache(),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "svg"), default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(long_date=long_date, short_date=short_date, month_year=month_year, two=two_digits,
                       md=md_text, words=words)
    return env


def render_text(context: Report, fmt: str, dirs: list[Path]) -> str:
    """The report as HTML or Markdown text."""
    import jinja2

    try:
        return environment(dirs).get_template(TEMPLATE_FOR[fmt]).render(report=context, fmt=fmt)
    except jinja2.TemplateSyntaxError as exc:
        raise RenderError(f"{exc.filename}:{exc.lineno}: template error: {exc.message}") from None
    except Exception as exc:  # a register's own template can fail in any way; say which, not a traceback
        raise RenderError(f"{TEMPLATE_FOR[fmt]}: template error: {type(exc).__name__}: {exc}") from None


def render_pdf(html: str, dirs: list[Path], fetcher=None, day: dt.date | None = None) -> bytes:
    """The HTML laid out on A4 by WeasyPrint, fetching nothing outside the template folders.

    The embedded font subsets carry a timestamp that fontTools takes from SOURCE_DATE_EPOCH;
    when that is unset, the report's ``day`` stands in, so the same report gives the same bytes.
    """
    import weasyprint

    fetcher = fetcher or local_only_fetcher(dirs)
    document = weasyprint.HTML(string=html, base_url=dirs[0].as_uri() + "/", url_fetcher=fetcher)
    with source_date_epoch(day):
        return document.write_pdf()


@contextlib.contextmanager
def source_date_epoch(day: dt.date | None):
    """Set SOURCE_DATE_EPOCH to midnight UTC of ``day`` for the block, unless it is already set."""
    if day is None or os.environ.get("SOURCE_DATE_EPOCH"):
        yield
        return
    os.environ["SOURCE_DATE_EPOCH"] = str(int(dt.datetime(day.year, day.month, day.day,
                                                          tzinfo=dt.timezone.utc).timestamp()))
    try:
        yield
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]


def local_only_fetcher(dirs: list[Path]):
    """A WeasyPrint URL fetcher that serves only files inside ``dirs`` (and inline data: URLs).

    Every other URL (http, https, file:// elsewhere, any other scheme) is refused; the refused
    URLs are kept in ``.refused`` for tests and messages.
    """
    from urllib.parse import unquote, urlparse

    from weasyprint.urls import URLFetcher

    roots = [d.resolve() for d in dirs]

    class LocalOnlyFetcher(URLFetcher):
        def __init__(self):
            super().__init__()
            self.refused: list[str] = []

        def fetch(self, url, headers=None):
            parsed = urlparse(url)
            if parsed.scheme == "data":
                return super().fetch(url, headers)
            if parsed.scheme == "file":
                path = Path(unquote(parsed.path)).resolve()
                if any(path.is_relative_to(root) for root in roots) and path.is_file():
                    return super().fetch(url, headers)
            self.refused.append(url)
            raise ValueError(f"refused to fetch {url}: the report fetches only files in its templates folder")

    return LocalOnlyFetcher()


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it into place."""
    path = Path(path)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent or Path("."))
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
