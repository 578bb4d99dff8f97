"""Turn a report context into HTML, Markdown or PDF (files are written by ``files.write_output``).

Templates are looked up first in the data repository's own ``templates/`` (beside ``data/``),
then in the copy shipped with the package, so a register can restyle its report without code.
Each output has its environment, which escapes every value for it: HTML autoescaped, Markdown
made Markdown text (``environment``). Nothing is read from outside those template folders: not a template or a
site asset that is a symlink leading out of its folder (``template_file``), not a register
``templates/`` that is a symlink leading out of the repository, not a file the PDF fetches.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2

if TYPE_CHECKING:  # pragma: no cover
    from ..report.context import Report

from ..analysis.assessments import TARGET_WD
from ..domain import events
from ..domain.diagnostics import Refusal
from ..system.cache import cache_dir, open_folder
from .extras import require
from .sandbox import Sandbox, TemplateLimit, limits, memory_bound
from .text import BREAKS_AND_CONTROLS

PACKAGE_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
TEMPLATE_FOR = {"html": "report.html", "md": "report.md"}


class RenderError(Refusal, ValueError):
    """The report could not be rendered (a broken user template, say)."""


def template_dirs(data_root: Path | None) -> list[Path]:
    """The folders searched for templates, the register's own first. The register's folder comes
    from its pull requests: one that is a symlink out of the repository is refused (RenderError)."""
    dirs = []
    if data_root is not None and (data_root.parent / "templates").is_dir():
        own = (data_root.parent / "templates").resolve()
        if not own.is_relative_to(data_root.parent.resolve()):
            raise RenderError(
                f"{data_root.parent / 'templates'}: a symlink to {own}, outside the repository: "
                "not read (copy the templates in instead)"
            )
        dirs.append(own)
    dirs.append(PACKAGE_TEMPLATES)
    return dirs


def template_file(folder: Path, name: str) -> Path | None:
    """The file ``name`` (``site/site.css``) in the templates folder ``folder``, None if it has none.

    A template is code and data from a pull request: a symlink among them that leads out of the
    folder (to a key or a token of the machine that renders) would copy that file into a report or
    the site, so it is refused with a RenderError, as the loader refuses such a data file."""
    path = folder / name
    if not path.is_file():
        return None
    real = path.resolve()
    if not real.is_relative_to(folder.resolve()):
        raise RenderError(f"{path}: a symlink to {real}, outside the templates folder: not read")
    return path


def _as_date(day: dt.date | str | None) -> dt.date | None:
    return dt.date.fromisoformat(day) if isinstance(day, str) else day


def long_date(day: dt.date | str | None) -> str:
    """24 April 2019 (``events.long_date``), or nothing for no day."""
    day = _as_date(day)
    return events.long_date(day) if day else ""


def short_date(day: dt.date | str | None) -> str:
    """24/04/2019, as in the paper's Appendix A tables."""
    day = _as_date(day)
    # strftime is slow, and called per cell; the year unpadded, as glibc's %Y prints it (999)
    return f"{day.day:02d}/{day.month:02d}/{day.year}" if day else ""


def month_year(day: dt.date | str | None) -> str:
    """May 2019."""
    day = _as_date(day)
    return f"{day:%B %Y}" if day else ""


def csp_hash(text: Any) -> str:
    """The base64 SHA-256 of ``text``, by which a Content-Security-Policy (``'sha256-…'``) allows
    an inline ``<style>`` whose content is exactly ``text``."""
    import base64
    import hashlib

    return base64.b64encode(hashlib.sha256(str(text).encode("utf-8")).digest()).decode("ascii")


def two_digits(n: int) -> str:
    """The banner's counts: 05, 18, 00, 07."""
    return f"{n:02d}"


NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")


def words(n: int) -> str:
    """Small counts as words, as the paper writes them: 'two Modification Proposals'."""
    return NUMBER_WORDS[n] if 0 <= n < len(NUMBER_WORDS) else str(n)


MD_ALWAYS = frozenset("\\`*_[]|~$@")
"""ASCII punctuation that means something anywhere in a CommonMark or GitHub-flavoured line
(emphasis, code, links and images, table cells, strikethrough, math, e-mail autolinks): always
backslash-escaped. The ``:`` of ``://`` and the ``.`` of ``www.`` are escaped too, so GitHub does
not turn a bare URL into a link."""

MD_AT_LINE_START = frozenset("#>+-=")
"""Punctuation that means something at the start of a line (headings, quotes, lists, setext
underlines, thematic breaks): escaped when a value starts with it, as is the ``.`` or ``)`` of
an ordered list's ``1.``."""


def md_text(value: Any) -> str:
    """Text safe anywhere in a Markdown line: it can start, end or change no element.

    A value is made one line (line breaks and control characters become spaces), ``&``, ``<``
    and ``>`` become entities (no raw HTML, no entity tricks, no autolinks), the punctuation in
    MD_ALWAYS (and the ``:`` of ``://``, the ``.`` of ``www.``) is backslash-escaped, and a first
    character that would open a block (``# ``, ``- ``, ``> ``, ``1. ``) is escaped too. CommonMark
    reads every escape back as the character.
    """
    text = "" if value is None else str(value)
    text = BREAKS_AND_CONTROLS.sub(" ", text).strip()
    out = []
    for i, char in enumerate(text):
        if (char == ":" and text.startswith("//", i + 1)) or (char == "." and text[max(0, i - 3) : i].lower() == "www"):
            out.append("\\" + char)
        elif char == "&":
            out.append("&amp;")
        elif char == "<":
            out.append("&lt;")
        elif char == ">":
            out.append("&gt;")
        elif char in MD_ALWAYS:
            out.append("\\" + char)
        else:
            out.append(char)
    escaped = "".join(out)
    if escaped[:1] in MD_AT_LINE_START:
        return "\\" + escaped
    ordered = _ORDERED_LIST_MARKER.match(escaped)
    if ordered:
        return f"{escaped[: ordered.end() - 1]}\\{escaped[ordered.end() - 1 :]}"
    return escaped


_ORDERED_LIST_MARKER = re.compile(r"^\d{1,9}[.)](?= |$)")

URL_SAFE = "/:?#@!$&'*+,;=%~-._"
"""Characters left as they are in a link destination; everything else (spaces, parentheses,
angle brackets, backslashes, brackets, quotes, non-ASCII) is percent-encoded."""


def md_url(value: Any) -> str:
    """An http(s) URL as a Markdown link destination that cannot end its link early or open
    another element: percent-encoded outside URL_SAFE; anything else gives '#'."""
    from urllib.parse import quote

    text = "" if value is None else str(value)
    if not re.match(r"^https?://", text, re.IGNORECASE):
        return "#"
    return quote(text, safe=URL_SAFE)


OUTPUT_OF_EXTENSION = {".html": "html", ".svg": "html", ".md": "md"}
"""The output a template writes, by its file's extension; any other file's (a new record's YAML,
the project's own docs) is plain text. The template named in a render decides the output of
everything it imports and includes, macro files (``wording.jinja``) too."""

SYNTAX = {"trim_blocks": True, "lstrip_blocks": True, "keep_trailing_newline": True}
"""How the templates' whitespace is read."""

UNSAFE_FILTERS = {
    "html": ("safe", "urlize"),
    "md": ("safe", "urlize", "e", "escape", "forceescape", "xmlattr", "tojson"),
    "text": (),
}
"""Jinja's filters an output's environment leaves out: ``safe`` would mark a value as already
written for the output, ``urlize`` would make links of a value's words; and in Markdown, the
filters that escape for HTML (whose result the Markdown environment would take as Markdown)."""


OUTPUT_FILTERS = {"html": ("csp_hash",), "md": ("md", "mdurl"), "text": ()}
"""The filters of one output's environment alone (``environment``)."""


def other_output_filter(name: str, output: str):
    """A filter of another output in this one's environment: a template both reports import (a
    report section's, with a macro per output) is compiled in each environment, where Jinja wants
    every filter it names to exist; called here, it is a template error (with its file and line)."""

    def refuse(value: Any) -> Any:
        raise jinja2.TemplateRuntimeError(f"the {name} filter writes another output than {output}")

    return refuse


def output_of(name: str) -> str:
    """'html', 'md' or 'text': the output the template ``name`` writes (OUTPUT_OF_EXTENSION)."""
    return OUTPUT_OF_EXTENSION.get(Path(name).suffix, "text")


def markdown_value(value: Any) -> Any:
    """The Markdown environment's ``finalize``: every value a template prints becomes Markdown text
    (``md_text``), unless it is Markdown already (``Markup``: a macro's output, ``md``, ``mdurl``)."""
    from markupsafe import Markup

    return value if hasattr(value, "__html__") else Markup(md_text(value))


def markdown_filter(escape):
    """A filter whose result is Markdown already: ``md`` and ``mdurl`` of the Markdown environment."""
    from markupsafe import Markup

    return lambda value: Markup(escape(value))


def environment_sources() -> tuple[Path, ...]:
    """The files whose code builds the templates' environment, as installed: this module's and the
    sandbox's (``Sandbox``)."""
    return tuple(Path(sys.modules[name].__file__ or "") for name in sorted({__name__, Sandbox.__module__}))


def environment_key(output: str) -> str:
    """What decides the code Jinja compiles from a template, besides the template's own source:
    the content of the files that build the environment (``environment_sources``), Jinja's
    release and the output. Derived, never listed: any change to the sandbox, the escaping, the
    whitespace settings or the filters is a change to one of those files."""
    digest = hashlib.sha256(f"jinja2 {jinja2.__version__}, output {output}\n".encode())
    for source in environment_sources():
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


def bytecode_cache(output: str):
    """Compiled templates kept in the user cache: compiling the report's templates costs more than
    rendering them.

    Jinja's bucket keys each entry by its template's name and, when it loads one, checks its
    Python's magic and the template's source checksum; the code it compiles also depends on the
    environment (the sandbox, the output's escaping: one template, ``wording.jinja``, compiles
    differently for HTML and for Markdown, the whitespace settings) and on Jinja's release. So the
    folder is named after those (``environment_key``), and entries made by other code or other
    settings are never read.

    An entry is code that Jinja loads with ``pickle`` and ``marshal``, so it reaches Jinja only
    through ``cache.Folder``, when sealed with the folder's key (Jinja's bucket then checks its own
    header and the template's source checksum). An altered or planted entry is never loaded: the
    template is compiled again and the entry rewritten. None when there is no private cache.
    """
    parts = ("jinja-sandboxed", environment_key(output))
    if cache_dir(*parts) is None:
        return None

    class SealedBytecodeCache(jinja2.BytecodeCache):
        folder = parts  # as ``cache.open_folder`` takes it

        def __init__(self) -> None:
            self._held: list = []

        @contextlib.contextmanager
        def held_open(self):
            """The folder kept open for the block (a render, which loads a template per report
            section), rather than opened for each template."""
            if self._held:
                yield
                return
            with open_folder(*parts) as folder:
                self._held.append(folder)
                try:
                    yield
                finally:
                    self._held.clear()

        def load_bytecode(self, bucket) -> None:
            with self.held_open():
                folder = self._held[0]
                data = folder.read(f"{bucket.key}.cache") if folder is not None else None
            if data is not None:
                bucket.bytecode_from_string(data)

        def dump_bytecode(self, bucket) -> None:
            with self.held_open():
                folder = self._held[0]
                if folder is not None:
                    folder.write(f"{bucket.key}.cache", bucket.bytecode_to_string())

    return SealedBytecodeCache()


def environment(dirs: list[Path], output: str):
    """The Jinja environment for the templates in ``dirs`` that write ``output`` ('html', 'md'
    or 'text').

    Escaping is the environment's, not each template's: in the HTML environment every template
    autoescapes, the macro files it imports included; in the Markdown environment every printed
    value becomes Markdown text (``markdown_value``). So a template, or a macro shared by both
    reports, prints a record's value in the one way its output needs, and no filter marks a
    value as already escaped (UNSAFE_FILTERS). Plain text (a new record's YAML, the project's
    docs) is not escaped.

    It is sandboxed: a register's own templates are code from its pull requests, so a template
    that reaches for Python internals (``cycler.__init__.__globals__``) or changes a value it was
    given fails with a SecurityError instead of running anything.
    """
    escapes: dict[str, dict[str, Any]] = {
        "html": {"autoescape": True},
        "md": {"autoescape": True, "finalize": markdown_value},
        "text": {"autoescape": False},
    }
    env = Sandbox(
        loader=_confined_loader(dirs),
        bytecode_cache=bytecode_cache(output),
        undefined=jinja2.StrictUndefined,
        **escapes[output],
        **SYNTAX,
    )
    for name in UNSAFE_FILTERS[output]:
        del env.filters[name]
    env.filters.update(long_date=long_date, short_date=short_date, month_year=month_year, two=two_digits, words=words)
    if output == "md":
        env.filters.update(md=markdown_filter(md_text), mdurl=markdown_filter(md_url))
    if output == "html":
        env.filters["csp_hash"] = csp_hash
    for other, names in OUTPUT_FILTERS.items():
        if other != output:
            env.filters.update({name: other_output_filter(name, output) for name in names})
    env.globals["target_wd"] = dict(TARGET_WD)  # the assessments' targets, which charts and keys state
    return env


def _confined_loader(dirs: list[Path]):
    """Jinja's FileSystemLoader, refusing a template as ``template_file`` does: one whose real
    path leaves the folder it was found in (a symlink out of it) is a RenderError. The folders'
    real paths are read once, when the loader is made: a render loads a few dozen templates."""
    folders = [(os.path.normpath(d), os.path.realpath(d)) for d in dirs]

    class ConfinedLoader(jinja2.FileSystemLoader):
        def get_source(self, environment, template):
            found = super().get_source(environment, template)
            filename = found[1]
            # the folder it came from: the first that has it, as Jinja searched
            folder, real_folder = next((f, r) for f, r in folders if filename.startswith(os.path.join(f, "")))
            way = real_folder
            for part in os.path.relpath(filename, folder).split(os.sep):  # a link on the way: where it leads
                way = os.path.join(way, part)
                if os.path.islink(way):
                    real = os.path.realpath(filename)
                    if not real.startswith(os.path.join(real_folder, "")):
                        raise RenderError(f"{filename}: a symlink to {real}, outside the templates folder: not read")
                    break
            return found

    return ConfinedLoader([folder for folder, _ in folders])


def render_template(name: str, dirs: list[Path], env=None, **context: Any) -> str:
    """Render template ``name`` within the sandbox's limits (``sandbox.limits``: a time budget and
    a memory bound); any failure is a RenderError naming the template and line."""
    env = env or environment(dirs, output_of(name))
    try:
        with env.bytecode_cache.held_open() if env.bytecode_cache else contextlib.nullcontext():
            template = env.get_template(name)
            with limits():
                return template.render(**context)
    except jinja2.TemplateSyntaxError as exc:
        raise RenderError(f"{exc.filename}:{exc.lineno}: template error: {exc.message}") from None
    except Refusal:  # a limit's setting that is not a number
        raise
    except Exception as exc:  # a register's own template can fail in any way; say where, not a traceback
        where = _template_line(exc, dirs) or name
        if isinstance(exc, TemplateLimit):
            raise RenderError(f"{where}: template {exc}") from None
        if isinstance(exc, MemoryError):
            raise RenderError(
                f"{where}: template stopped past its memory bound of {memory_bound() >> 20} MiB "
                "(SECSTATUS_TEMPLATE_MEMORY)"
            ) from None
        kind = (
            "template refused by the sandbox"
            if isinstance(exc, jinja2.exceptions.SecurityError)
            else (f"template error: {type(exc).__name__}")
        )
        raise RenderError(f"{where}: {kind}: {exc}") from None


def _template_line(exc: BaseException, dirs: list[Path]) -> str | None:
    """``path:line`` of the innermost template frame in the exception's traceback."""
    roots = [str(d) for d in dirs]
    found = None
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if any(filename.startswith(root) for root in roots):
            found = f"{filename}:{tb.tb_lineno}"
        tb = tb.tb_next
    return found


def render_text(context: Report, fmt: str, dirs: list[Path]) -> str:
    """The report as HTML or Markdown text."""
    return render_template(TEMPLATE_FOR[fmt], dirs, report=context)


def render_pdf(html: str, dirs: list[Path], fetcher=None, day: dt.date | None = None) -> bytes:
    """The HTML laid out on A4 by WeasyPrint, fetching nothing outside the template folders.

    The embedded font subsets carry a timestamp that fontTools takes from SOURCE_DATE_EPOCH;
    when that is unset, the report's ``day`` stands in, so the same report gives the same bytes.
    """
    require("pdf")  # WeasyPrint not installed: which extra brings it
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: WeasyPrint is there but the Pango library is not
        raise RenderError(
            f"cannot make a PDF here: WeasyPrint or the Pango library it needs is missing ({exc}); "
            "HTML and Markdown still work"
        ) from None

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
    os.environ["SOURCE_DATE_EPOCH"] = str(int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp()))
    try:
        yield
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]


def local_file(url: str, dirs: list[Path]) -> Path | None:
    """The file a ``file:`` URL names when it is inside ``dirs`` (what ``local_only_fetcher`` serves
    besides data: URLs); None for any other URL."""
    from urllib.parse import unquote, urlparse

    parsed = urlparse(url)
    if parsed.scheme != "file":
        return None
    path = Path(unquote(parsed.path)).resolve()
    return path if any(path.is_relative_to(root.resolve()) for root in dirs) and path.is_file() else None


def local_only_fetcher(dirs: list[Path]):
    """A WeasyPrint URL fetcher that serves only files inside ``dirs`` (and inline data: URLs).

    Every other URL (http, https, file:// elsewhere, any other scheme) is refused; the refused
    URLs are kept in ``.refused`` for tests and messages, the files served in ``.fetched``.
    """
    from urllib.parse import urlparse

    from weasyprint.urls import URLFetcher

    class LocalOnlyFetcher(URLFetcher):
        def __init__(self):
            super().__init__()
            self.refused: list[str] = []
            self.fetched: list[str] = []

        def fetch(self, url, headers=None):
            if urlparse(url).scheme == "data":
                return super().fetch(url, headers)
            if local_file(url, dirs) is not None:
                self.fetched.append(url)
                return super().fetch(url, headers)
            self.refused.append(url)
            raise ValueError(f"refused to fetch {url}: the report fetches only files in its templates folder")

    return LocalOnlyFetcher()
