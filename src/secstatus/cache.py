"""A per-user cache folder for values that are slow to make and cheap to keep.

Compiled templates and the bank-holiday table live here. Every entry is keyed by what it was
made from (a template's source and the environment that compiled it, ``render.bytecode_cache``;
the ``holidays`` release and the region, ``workdays.bank_holidays``), so a stale entry is never read.
Set SECSTATUS_NO_CACHE to make everything afresh; an unwritable folder just means no cache.

Compiled templates are code, so the folder is trusted only when it is this user's alone: a real
folder (not a link), owned by the user and writable by no one else. Anything else is not used.
"""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path
from typing import Any


def cache_dir(*parts: str) -> Path | None:
    """``$XDG_CACHE_HOME/secstatus/...`` (default ~/.cache), created private if need be; None if
    unusable or not private to this user."""
    if os.environ.get("SECSTATUS_NO_CACHE"):
        return None
    folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "secstatus"
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        for part in ("", *parts):
            folder = folder / part if part else folder
            folder.mkdir(mode=0o700, exist_ok=True)
            if not _private(folder):
                return None
    except OSError:
        return None
    return folder if os.access(folder, os.W_OK) else None


def _private(folder: Path) -> bool:
    """A real folder, owned by this user, that no other user can write to."""
    info = os.lstat(folder)
    getuid = getattr(os, "getuid", None)  # absent on Windows, where the profile folder is private
    owned = getuid is None or info.st_uid == getuid()
    return stat.S_ISDIR(info.st_mode) and owned and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def read_json(name: str) -> Any | None:
    folder = cache_dir()
    if folder is None:
        return None
    try:
        return json.loads((folder / name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_json(name: str, value: Any) -> None:
    """Write atomically, so that a concurrent reader sees the old entry or the new, never half."""
    folder = cache_dir()
    if folder is None:
        return
    temporary = folder / f".{name}.{os.getpid()}"
    try:
        temporary.write_text(json.dumps(value), encoding="utf-8")
        os.replace(temporary, folder / name)
    except OSError:
        temporary.unlink(missing_ok=True)


def installed_release(package: str) -> str | None:
    """The release of an installed top-level ``package``, read from the name of the one metadata
    folder beside it (``holidays-0.60.dist-info``), without importing it: importing some packages
    costs more than what the cache saves. None when that is not clear-cut."""
    from importlib.util import find_spec

    try:
        spec = find_spec(package)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    site = Path(next(iter(spec.submodule_search_locations))).parent
    pattern = re.compile(rf"{re.escape(package)}-([^-]+)\.dist-info", re.IGNORECASE)
    try:
        found = [m.group(1) for entry in os.listdir(site) if (m := pattern.fullmatch(entry))]
    except OSError:
        return None
    return found[0] if len(found) == 1 else None
