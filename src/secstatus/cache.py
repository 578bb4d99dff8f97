"""A per-user cache folder for values that are slow to make and cheap to keep.

Compiled templates and the bank-holiday table live here. Every entry is keyed by what it was
made from (a template's source, the ``holidays`` release), so a stale entry is never read.
Set SECSTATUS_NO_CACHE to make everything afresh; an unwritable folder just means no cache.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any


def cache_dir(*parts: str) -> Path | None:
    """``$XDG_CACHE_HOME/secstatus/...`` (default ~/.cache), created if need be; None if unusable."""
    if os.environ.get("SECSTATUS_NO_CACHE"):
        return None
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "secstatus"
    folder = base.joinpath(*parts)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder if os.access(folder, os.W_OK) else None


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
