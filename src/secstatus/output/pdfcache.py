"""Reports' PDFs reused by content address: a PDF is laid out again only when what makes it changed.

Laying out a report's PDF is most of a site's build, though an archived month's report does not
change. A PDF's address (``pdf_key``) is a hash of everything that decides its bytes: the report's
HTML (its stylesheet is inline), the day its fonts are stamped with (SOURCE_DATE_EPOCH), the
renderer (the releases of WeasyPrint, pydyf and fontTools, secstatus's, and the source of
``render``, which calls them), and, when the HTML has a relative link (which a PDF holds resolved),
the folder it resolves in. The files the HTML fetched (an image in a register's own templates),
and those it was refused, are kept beside it, relative to that folder, with their hashes, and
hashed again before the PDF is reused. So the address and the manifest are the same wherever the
register is checked out.

A PDF is taken from
1. the user cache (``system.cache.open_folder("pdf")``), whose entries are sealed: one altered, truncated
   or planted is never read, and the PDF is made again;
2. else the previous site in the output folder, whose manifest (``MANIFEST``, written with every
   site) gives each PDF's key and hash: the PDF is taken when its key is the one wanted and the
   file (a regular file, opened without following a link) has that hash; else it is made again.
Either way the bytes are the ones a build without them makes; a PDF made or taken from the
previous site is stored in the cache. What is not covered: the system's fonts and Pango, which
WeasyPrint uses through the system; after upgrading those, build once with SECSTATUS_NO_CACHE
into a new folder.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import stat
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from .. import __version__
from ..system.cache import open_folder
from . import render

MANIFEST = ".secstatus-pdfs.json"
"""The site's manifest of its PDFs: for each, its key, the hash of its bytes and the files it fetched."""

RENDERER = ("weasyprint", "pydyf", "fonttools")
"""The distributions whose release decides a PDF's bytes, besides secstatus."""

MAX_PDF_BYTES = 256 * 1024 * 1024
"""A previous site's file larger than this is not read (a report's PDF is a few hundred KiB)."""

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)

RELATIVE_LINK = re.compile(r"""\bhref\s*=\s*["']?\s*(?![a-zA-Z][a-zA-Z0-9+.-]*:|#|["'>\s])""", re.IGNORECASE)
"""An ``href`` that is not an address with a scheme nor a fragment: the PDF holds it resolved
against the templates folder, so that folder is part of the PDF's address."""


def release(name: str) -> str | None:
    """The installed distribution's version (``importlib.metadata.version``, read without importing
    it); None when its metadata cannot be found."""
    try:
        return version(name)
    except PackageNotFoundError:
        return None


def renderer() -> str | None:
    """The renderer's releases and the source of ``render``; None when a release cannot be told
    (then no PDF is reused)."""
    releases = [release(name) for name in RENDERER]
    if None in releases:
        return None
    source = hashlib.sha256((Path(__file__).parent / "render.py").read_bytes()).hexdigest()
    return repr((__version__, source, *releases))


def pdf_key(html: str, dirs: list[Path], day: dt.date | None, made_by: str) -> str:
    """The address of the PDF ``render.render_pdf(html, dirs, day=day)`` makes."""
    with render.source_date_epoch(day):
        epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    base = dirs[0].resolve().as_uri() if RELATIVE_LINK.search(html) else None
    return hashlib.sha256(json.dumps([made_by, epoch, base, html]).encode("utf-8", "surrogateescape")).hexdigest()


@dataclass
class PdfStore:
    """Makes each PDF once: from the cache, the ``previous`` site folder, or WeasyPrint; ``made``
    is the manifest of the PDFs it gave, by their path in the site."""

    previous: Path | None = None
    made: dict[str, dict[str, Any]] = field(default_factory=dict)
    manifest_name = MANIFEST
    laid_out: int = 0
    """How many PDFs WeasyPrint laid out (the others were reused)."""

    def __post_init__(self) -> None:
        self._renderer = renderer()
        self._manifest: dict[str, Any] | None = None

    def pdf(self, name: str, html: str, dirs: list[Path], day: dt.date | None) -> bytes:
        """The PDF of ``html`` (``render.render_pdf``), to be ``name`` in the site."""
        key = pdf_key(html, dirs, day, self._renderer) if self._renderer else None
        found = self._cached(key, dirs) if key else None
        if found is None and key:
            found = self._from_previous(name, key, dirs)
            if found is not None:
                _store(key, *found)
        if found is None:
            found = self._lay_out(html, dirs, day)
            if key:
                _store(key, *found)
        pdf, fetched = found
        self.made[name] = {"key": key, "sha256": hashlib.sha256(pdf).hexdigest(), "fetched": fetched}
        return pdf

    def manifest(self) -> bytes:
        """The manifest of the PDFs given so far, as the site stores it."""
        return json.dumps({"format": 1, "pdf": self.made}, indent=1, sort_keys=True).encode() + b"\n"

    def _lay_out(self, html: str, dirs: list[Path], day: dt.date | None) -> tuple[bytes, list]:
        fetcher = render.local_only_fetcher(dirs)
        pdf = render.render_pdf(html, dirs, fetcher, day=day)
        self.laid_out += 1
        files = {name for url in [*fetcher.fetched, *fetcher.refused] if (name := _relative(url, dirs)) is not None}
        return pdf, [[name, _digest(name, dirs)] for name in sorted(files)]

    def _cached(self, key: str, dirs: list[Path]) -> tuple[bytes, list] | None:
        with open_folder("pdf") as folder:
            entry = folder.read(f"{key}.pdf") if folder is not None else None
        if entry is None:
            return None
        header, _, pdf = entry.partition(b"\n")
        try:
            fetched = json.loads(header)
        except ValueError:
            return None
        return (pdf, fetched) if _unchanged(fetched, dirs) else None

    def _from_previous(self, name: str, key: str, dirs: list[Path]) -> tuple[bytes, list] | None:
        """The previous site's PDF ``name`` when its manifest says it has this key, and it has the hash
        the manifest gives."""
        if self.previous is None:
            return None
        if self._manifest is None:
            raw = _read_regular(self.previous, MANIFEST, 64 * 1024 * 1024)
            try:
                self._manifest = json.loads(raw)["pdf"] if raw else {}
            except (ValueError, TypeError, KeyError):
                self._manifest = {}
        entry = self._manifest.get(name) if isinstance(self._manifest, dict) else None
        if not isinstance(entry, dict) or entry.get("key") != key or not isinstance(entry.get("fetched"), list):
            return None
        pdf = _read_regular(self.previous, name, MAX_PDF_BYTES)
        if pdf is None or hashlib.sha256(pdf).hexdigest() != entry.get("sha256"):
            return None
        return (pdf, entry["fetched"]) if _unchanged(entry["fetched"], dirs) else None


def _store(key: str, pdf: bytes, fetched: list) -> None:
    with open_folder("pdf") as folder:
        if folder is not None:
            folder.write(f"{key}.pdf", json.dumps(fetched).encode() + b"\n" + pdf)


def _relative(url: str, dirs: list[Path]) -> str | None:
    """A ``file:`` URL as a path relative to the first templates folder, where relative addresses
    resolve (None for any other URL, which the fetcher refuses whatever the files)."""
    parsed = urlparse(url)
    if parsed.scheme != "file":
        return None
    return Path(os.path.relpath(unquote(parsed.path), dirs[0].resolve())).as_posix()


def _digest(name: str, dirs: list[Path]) -> str | None:
    """The hash of what the report's fetcher gives for the file ``name`` (relative to the first
    templates folder; ``render.local_file``); None when it refuses it."""
    path = render.local_file((dirs[0].resolve() / name).as_uri(), dirs)
    if path is None:
        return None
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _unchanged(fetched: Any, dirs: list[Path]) -> bool:
    """Whether every file a PDF fetched is as it was (and every file it was refused still is)."""
    try:
        return all(_digest(url, dirs) == digest for url, digest in fetched)
    except (TypeError, ValueError):
        return False


def _read_regular(folder: Path, name: str, limit: int) -> bytes | None:
    """The regular file ``name`` (a relative path) of ``folder``, if at most ``limit`` bytes; else
    None. Each folder on the way and the file are opened without following a link, so a link
    planted in an earlier site cannot lead the read out of it."""
    parts = Path(name).parts
    if not parts or any(part in ("..", ".") for part in parts) or Path(name).is_absolute():
        return None
    fds: list[int] = []
    try:
        fds.append(os.open(folder, os.O_RDONLY | os.O_DIRECTORY | getattr(os, "O_CLOEXEC", 0)))
        for part in parts[:-1]:
            fds.append(os.open(part, os.O_RDONLY | os.O_DIRECTORY | _NOFOLLOW, dir_fd=fds[-1]))
        fds.append(os.open(parts[-1], os.O_RDONLY | os.O_NONBLOCK | _NOFOLLOW, dir_fd=fds[-1]))
        info = os.fstat(fds[-1])
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        with os.fdopen(os.dup(fds[-1]), "rb") as handle:
            data = handle.read(limit + 1)
        return data if len(data) <= limit else None
    except (OSError, NotImplementedError):
        return None
    finally:
        for fd in reversed(fds):
            os.close(fd)
