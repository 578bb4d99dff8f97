"""Where the website takes its facts from: one small adapter per core API it uses.

The site reads the register only through these functions, so that when a core API moves or
changes shape (a typed report context, event kinds declared elsewhere, a generic ``changes``)
only the adapter here needs repointing. Each returns plain data.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from ..domain.timeline import STAGES, plans_by, release_moves  # noqa: F401  (for the site, as they are)


def register_states(register, day: dt.date) -> dict[str, Any]:
    """Every modification's State on ``day`` (None before it was raised), by file id."""
    from ..domain.timeline import states_on

    return states_on(register, day)


def stage_counts(register, day: dt.date) -> dict[str, int]:
    """How many modifications are in each stage on ``day``."""
    from ..analysis.query import stage_counts as counts

    return counts(register, day)


def list_rows(register, day: dt.date) -> list[dict[str, Any]]:
    """One row per modification existing on ``day``, in the register's order."""
    from ..analysis.query import list_rows as rows

    return rows(register, day)


def describe(register, file_id: str, day: dt.date, cal) -> dict[str, Any]:
    """One modification's facts and state on ``day``."""
    from ..analysis.query import describe as facts

    return facts(register, file_id, day, cal)


def ordered_events(mod) -> list:
    """A modification's events in date order."""
    from ..domain.timeline import ordered_events as ordered

    return [event for _, event in ordered(mod)]


def event_words(event) -> str:
    """An event in the register's words: 'authority decision approved 5 April 2019 (…)'."""
    from ..domain.events import event_words as words

    return words(event)


def release_date(release, day: dt.date) -> dt.date | None:
    """A release's planned date as it stood on ``day``."""
    from ..domain.timeline import planned_date

    return planned_date(release, day)


def assessment_row(mod, display_id: str, assessment, cal, day: dt.date) -> dict[str, Any]:
    """One DCC assessment with its target and its current or actual duration in WD."""
    from ..analysis.assessments import row

    return row(mod, display_id, assessment, cal, day)


def assessment_target(assessment, cal) -> dt.date | None:
    """A DCC assessment's target in force: an agreed one, else the SEC's standard (``assessments.target``)."""
    from ..analysis.assessments import target

    return target(assessment, cal)[0]


def assessment_outstanding(assessment, stage: str, day: dt.date) -> bool:
    """Whether a DCC assessment is outstanding on ``day`` (``assessments.is_outstanding``)."""
    from ..analysis.assessments import is_outstanding

    return is_outstanding(assessment, stage, day)


def assessments(register, day: dt.date) -> list[tuple[Any, str, Any]]:
    """(modification, its id as displayed on ``day``, assessment) for every assessment of every
    modification raised by ``day``, in register order (``assessments.each_assessment``)."""
    from ..analysis.assessments import each_assessment

    return [(mod, state.id, a) for mod, state, a in each_assessment(register, day)]


def implementation_date(register, decision, cal) -> dt.date | None:
    """The day an approving decision is to take effect, as the register says on its day."""
    from ..report.build import implementation

    found = implementation(register, decision, cal)
    return found.date if found else None


def first_data_day(register) -> dt.date | None:
    """The register's earliest dated fact (an event or a date raised); None when it has none."""
    from ..report.build import first_data_day as first

    return first(register)


def horizon(register, cal) -> dt.date | None:
    """The last day the register's facts reach (``report.horizon``); None when it does not say."""
    from ..report.build import horizon as last

    return last(register, cal)


def within_horizon(register, day: dt.date, cal) -> dt.date:
    """``day``, or the register's horizon when ``day`` is past it (``report.within_horizon``)."""
    from ..report.build import within_horizon as within

    return within(register, day, cal)


def report_date(register, month: str, cal) -> dt.date:
    """The day the month's report is dated (its record's date, or its second working day)."""
    from ..report.build import parse_month, report_date as dated

    year, number = parse_month(month)
    return dated(register, year, number, cal)


def report_html(register, month: str, cal, dirs: list[Path]) -> tuple[str, dt.date]:
    """The month's Change Status Report as HTML, and the day it is dated."""
    from ..output.render import render_text
    from ..report.build import build

    context = build(register, month, cal)
    return render_text(context, "html", dirs), context.cover.date


def report_pdf(html: str, dirs: list[Path], day: dt.date, store=None, name: str = "") -> bytes:
    """The report's HTML laid out as a PDF (byte-reproducible for its day); through ``store``
    (``pdf_store``), as the site's file ``name``, a PDF made before from the same inputs is reused."""
    from ..output.render import render_pdf

    return store.pdf(name, html, dirs, day) if store is not None else render_pdf(html, dirs, day=day)


def pdf_store(previous: Path | None):
    """The site's maker of PDFs (``pdfcache.PdfStore``): from the user cache, the ``previous``
    site, or WeasyPrint; its ``manifest()`` is a file of the site (``pdfcache.MANIFEST``)."""
    from ..output.pdfcache import PdfStore

    return PdfStore(previous)


class RecordHistories:
    """Each record's commits, newest first, in the register's words (``gitlog.Histories``: one walk
    of the history for the whole site, its files read through one git process); close it after."""

    def __init__(self, data_root: Path, repo: Path, register=None):
        from ..history.gitlog import Blobs, Histories

        self.blobs = Blobs(repo)
        self.histories = Histories(data_root, self.blobs, register)

    def __call__(self, path: Path) -> list[dict[str, Any]] | None:
        """The record's commits; None when git cannot say."""
        from ..history.gitlog import GitError

        try:
            commits = self.histories(path)
        except GitError:
            return None
        return [{"commit": c.sha, "date": c.date, "author": c.author, "subject": c.subject,
                 "summary": c.change.summary()} for c in commits]

    def close(self) -> None:
        self.blobs.close()


def record_histories(data_root: Path, register=None) -> RecordHistories | None:
    """The site's reader of record histories (the ``register``'s records standing for their files'
    versions as loaded); None when the data folder is not in a git repository."""
    from ..history.gitlog import GitError, repo_root

    try:
        return RecordHistories(data_root, repo_root(data_root), register)
    except GitError:
        return None


def template_environment(dirs: list[Path]):
    """The Jinja2 environment of the site's pages (HTML, autoescaped; register's templates first)."""
    from ..output.render import environment

    return environment(dirs, "html")


def decision_kinds() -> tuple[str, ...]:
    """The event kinds that decide a modification (approve or reject)."""
    from ..domain.events import DECISION_KINDS

    return DECISION_KINDS


def dcc_rows(register, mod, day: dt.date) -> tuple:
    """The modification's Appendix A rows on ``day``, as the report has them (``appendix.dcc_rows``)."""
    from ..analysis.appendix import dcc_rows as rows
    from ..domain.timeline import histories

    return rows(mod, histories(register)[mod.id], day)


def kind_label(kind: str) -> str:
    """An event kind as the register names it (``events.Kind.label``): 'Refinement Consultation'."""
    from ..domain.events import KINDS

    return KINDS[kind].label
