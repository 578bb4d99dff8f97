"""The optional parts of secstatus, each declared once with what it needs (``pyproject.toml``'s
``[project.optional-dependencies]`` install them): a command that needs a part which is not
installed says in one line which extra to install, before it does any work.

The core (``pip install secstatus``) runs every command but the PDF report and the site.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.util import find_spec

from ..domain.diagnostics import Refusal


@dataclass(frozen=True)
class Extra:
    """An extra: what it is for, and the modules it brings (import name, distribution name)."""

    name: str
    purpose: str
    modules: tuple[tuple[str, str], ...]


EXTRAS = {
    extra.name: extra
    for extra in (
        Extra("pdf", "the PDF report", (("weasyprint", "WeasyPrint"),)),
        Extra(
            "site",
            "the published register (secstatus site)",
            (("feedgen", "feedgen"), ("icalendar", "icalendar"), ("weasyprint", "WeasyPrint")),
        ),
    )
}


class MissingExtra(Refusal, ImportError):
    """A command needs an extra that is not installed; nothing was done."""


def require(name: str) -> None:
    """Refuse (MissingExtra) when a module of the extra ``name`` cannot be imported, naming what is
    missing and the extra that brings it. Looks for the modules without importing them."""
    extra = EXTRAS[name]
    missing = [distribution for module, distribution in extra.modules if not importable(module)]
    if missing:
        raise MissingExtra(f"{extra.purpose} needs {' and '.join(missing)}: pip install 'secstatus[{name}]'")


def importable(module: str) -> bool:
    try:
        return find_spec(module) is not None
    except (ImportError, ValueError):  # a finder that refuses it; a module entry left as None
        return False
