"""A per-user cache folder for values that are slow to make and cheap to keep.

Compiled templates, the bank-holiday table and archived reports' PDFs live here. Every entry is
keyed by what it was made from (a template's source and the code that built the environment
compiling it, ``render.bytecode_cache``; the ``holidays`` release and the region,
``workdays.bank_holidays``; a report's HTML and the renderer, ``output.pdfcache``), so a stale
entry is never read. This module knows nothing of what it holds: the layers above it
(``domain.workdays``, ``output.render``, ``output.pdfcache``) name their entries and check their shape.
Set SECSTATUS_NO_CACHE to make everything afresh; an unwritable folder just means no cache.

A compiled template is code (Jinja reads it back with ``pickle`` and ``marshal``), and the
holiday table decides every working-day figure, so nothing in the folder is trusted as it is:
- the folder is used only when it is this user's alone: each of its folders is opened without
  following a link (``O_NOFOLLOW``) and the opened descriptor is checked (a folder, owned by the
  user, writable by no one else); entries are then read and written relative to that descriptor,
  so nothing can swap a folder for a link between the check and the use;
- every entry is sealed: stored with a keyed checksum (HMAC-SHA256) of its name and content, under
  a random key kept in the folder, readable by the user only. An entry whose seal does not hold
  (altered, truncated, planted, copied from another machine) is never handed on: the caller makes
  the value afresh and stores it again;
- an entry whose seal holds is still checked for the shape its value must have (``read_json``'s
  ``shape``; a compiled template's header, ``render.bytecode_cache``) before it is used.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import stat
import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

SEAL = b"secstatus-cache 1\n"
"""The first line of every entry (its format); the MAC (64 hex digits) and a newline follow it."""

KEY_NAME = "key"
KEY_BYTES = 32
MAX_ENTRY_BYTES = 16 * 1024 * 1024
"""A larger entry is neither read nor written (the largest real one is a few dozen KiB)."""

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
_keys: dict[tuple[int, int], bytes] = {}
"""The key of each cache folder this process has read, by the folder's (device, inode)."""


def usable() -> bool:
    """Whether this system can open the folder without following links and work relative to it."""
    return (
        hasattr(os, "O_NOFOLLOW")
        and hasattr(os, "O_DIRECTORY")
        and hasattr(os, "getuid")
        and {os.open, os.mkdir, os.link, os.rename, os.unlink} <= os.supports_dir_fd
    )


def base_dir() -> Path:
    """This user's ``secstatus`` cache folder, where the platform keeps caches (``user_cache_root``)."""
    return user_cache_root(sys.platform, os.environ, Path.home()) / "secstatus"


def user_cache_root(platform: str, environ: Mapping[str, str], home: Path) -> Path:
    """Where ``platform`` keeps a user's caches: ``$XDG_CACHE_HOME`` when it is set to an absolute
    path (on any platform: the user asked), else ``~/Library/Caches`` on macOS, ``%LOCALAPPDATA%``
    on Windows, ``~/.cache`` elsewhere (the XDG default)."""
    xdg = environ.get("XDG_CACHE_HOME", "")
    if xdg and Path(xdg).is_absolute():
        return Path(xdg)
    if platform == "darwin":
        return home / "Library" / "Caches"
    if platform == "win32":
        local = environ.get("LOCALAPPDATA", "")
        return Path(local) if local else home / "AppData" / "Local"
    return home / ".cache"


class Folder:
    """One private cache folder, open: its entries are read and written relative to ``fd``."""

    def __init__(self, fd: int, path: Path, key: bytes):
        self.fd, self.path, self._key = fd, path, key

    def read(self, name: str) -> bytes | None:
        """Entry ``name``'s content if its seal holds; None if it is missing or not to be trusted."""
        raw = _read_file(self.fd, name, len(SEAL) + 65 + MAX_ENTRY_BYTES)
        head = len(SEAL) + 65
        if raw is None or not raw.startswith(SEAL) or raw[head - 1 : head] != b"\n":
            return None
        content = raw[head:]
        return content if hmac.compare_digest(raw[len(SEAL) : head - 1], self._mac(name, content)) else None

    def write(self, name: str, content: bytes) -> None:
        """Store ``content`` as entry ``name``, sealed and atomically (a concurrent reader sees the
        old entry or the new, never half); a failure only means no entry."""
        if len(content) <= MAX_ENTRY_BYTES:
            _write_file(self.fd, name, SEAL + self._mac(name, content) + b"\n" + content)

    def _mac(self, name: str, content: bytes) -> bytes:
        return hmac.new(self._key, name.encode("utf-8") + b"\0" + content, hashlib.sha256).hexdigest().encode()


@contextlib.contextmanager
def open_folder(*parts: str) -> Iterator[Folder | None]:
    """The cache folder ``secstatus/PARTS...``, opened and checked by the rules above (created
    private if need be), for the block; None when there is no usable private cache."""
    fds: list[int] = []
    try:
        usable_here = usable() and not os.environ.get("SECSTATUS_NO_CACHE")
        yield _open_private(parts, fds) if usable_here else None
    finally:
        for fd in reversed(fds):
            os.close(fd)


def cache_dir(*parts: str) -> Path | None:
    """Where ``open_folder(*parts)`` is, if it is usable (for messages and tests; read and write
    through ``open_folder``)."""
    with open_folder(*parts) as folder:
        return None if folder is None else folder.path


def _open_private(parts: tuple[str, ...], fds: list[int]) -> Folder | None:
    """Open each folder from ``secstatus/`` down, appending its descriptor to ``fds``; the last
    as a Folder, or None if any is not private (or cannot be opened or made)."""
    if any(not part or "/" in part or part in (".", "..") for part in parts):
        return None
    try:
        base_dir().parent.mkdir(parents=True, exist_ok=True)
        fds.append(os.open(base_dir().parent, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC))  # the user's: links allowed
        key = None
        for part in ("secstatus", *parts):
            with contextlib.suppress(FileExistsError):
                os.mkdir(part, 0o700, dir_fd=fds[-1])
            fds.append(os.open(part, os.O_RDONLY | os.O_DIRECTORY | _NOFOLLOW, dir_fd=fds[-1]))
            if not _private(os.fstat(fds[-1])):
                return None
            key = key or _key(fds[-1])
            if key is None:
                return None
        return Folder(fds[-1], base_dir().joinpath(*parts), key) if key is not None else None
    except OSError:
        return None


def _private(info: os.stat_result) -> bool:
    """A folder, owned by this user, that no other user can write to."""
    return (
        stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
    )


def _key(fd: int) -> bytes | None:
    """The folder's key: a file of KEY_BYTES random bytes that only this user can read, made the
    first time (a key that is not such a file is replaced); None if none can be had."""
    info = os.fstat(fd)
    ident = (info.st_dev, info.st_ino)
    if ident not in _keys:
        key = _read_file(fd, KEY_NAME, KEY_BYTES, secret=True)
        if key is None or len(key) != KEY_BYTES:
            with contextlib.suppress(OSError):
                os.unlink(KEY_NAME, dir_fd=fd)
            _write_file(fd, KEY_NAME, os.urandom(KEY_BYTES), replace=False)
            key = _read_file(fd, KEY_NAME, KEY_BYTES, secret=True)  # ours, or another process's made first
            if key is None or len(key) != KEY_BYTES:
                return None
        _keys[ident] = key
    return _keys[ident]


def _read_file(folder: int, name: str, limit: int, secret: bool = False) -> bytes | None:
    """A regular file of ``folder`` (a link is not followed), if it is at most ``limit`` bytes
    (and, for a ``secret``, owned by this user and readable by no one else); else None."""
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NONBLOCK | _NOFOLLOW, dir_fd=folder)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        if secret and (info.st_uid != os.getuid() or info.st_mode & 0o077):
            return None
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, limit + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks) if size <= limit else None
    except OSError:
        return None
    finally:
        os.close(fd)


def _write_file(folder: int, name: str, data: bytes, replace: bool = True) -> None:
    """Write ``name`` in ``folder`` through a new private temporary file, then rename it into place
    (or, unless ``replace``, link it there only if nothing is there yet); failures are ignored."""
    temporary = f".{name}.{os.getpid()}.{os.urandom(4).hex()}"
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600, dir_fd=folder)
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        if replace:
            os.rename(temporary, name, src_dir_fd=folder, dst_dir_fd=folder)  # POSIX: replaces it
        else:
            os.link(temporary, name, src_dir_fd=folder, dst_dir_fd=folder, follow_symlinks=False)
    except OSError:
        pass
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary, dir_fd=folder)


def read_json(name: str, shape: Callable[[Any], bool]) -> Any | None:
    """The value stored as ``name`` if its seal holds and ``shape(value)`` is true; None otherwise
    (missing, altered, malformed: the caller makes it afresh)."""
    with open_folder() as folder:
        raw = None if folder is None else folder.read(name)
    if raw is None:
        return None
    try:
        value = json.loads(raw.decode("utf-8"))
    except ValueError:
        return None
    try:
        return value if shape(value) else None
    except (TypeError, ValueError, AttributeError, KeyError):
        return None


def write_json(name: str, value: Any) -> None:
    """Store ``value`` as ``name``, sealed (see ``Folder.write``)."""
    with open_folder() as folder:
        if folder is not None:
            folder.write(name, json.dumps(value).encode("utf-8"))
