"""New records from commented templates: a Draft Proposal, a modification that has its number, a
release, a meeting, a month's report record, a SEC version.

Rules: a new record's file is named after its identity (``meetings/2019-06-05-working-group.yaml``,
``reports/2019-06.yaml``, ``sec-versions/6.13.yaml``), so a second record of the same identity
is refused rather than overwritten; the file is made from a template in the register's or the
package's ``templates/`` folder, and, like every edit, validated with the whole register before
it is written (``edit.check_edit``).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any, get_args

from ..analysis.query import UnknownId, find, modification_id
from ..domain.model import ID_PATTERN, RECORD_FOLDERS, Meeting
from ..output.render import environment, render_template
from ..output.schemas import modeline
from ..register.load import Register
from .edit import Edit, EditError, scalar

MEETING_BODIES = tuple(get_args(Meeting.model_fields["body"].annotation))


def new_record_environment(dirs: list[Path]):
    """The environment new records' templates render in: its ``yaml`` filter writes a value as a
    YAML scalar. Made once for many records (an import), since making it costs more than a render."""
    env = environment(dirs, "text")
    env.filters["yaml"] = scalar
    return env


def render_new(dirs: list[Path], template: str, env=None, **values: Any) -> str:
    """A new record's text from its template; values pass through the ``yaml`` filter where quoted.
    A broken or refused template is a RenderError naming it."""
    return render_template(template, dirs, env=env or new_record_environment(dirs), **values)


def next_draft_id(register: Register) -> str:
    """DPnnn, one more than the highest Draft or Modification Proposal number held."""
    numbers = [int(m.id[2:5]) for m in register.modifications.values() if m.id[:2] in ("DP", "MP")]
    return f"DP{max(numbers, default=70) + 1:03d}"


def new_draft(
    register: Register, dirs: list[Path], title: str, proposer: str, raised: dt.date, summary: str | None
) -> Edit:
    """The edit that creates the next Draft Proposal from the commented template."""
    ident = next_draft_id(register)
    text = render_new(
        dirs, "new-draft-proposal.yaml", id=ident, title=title, proposer=proposer, raised=raised, summary=summary
    )
    return _new_file(register, "modifications", ident, text, f"{ident}: new Draft Proposal raised {raised.isoformat()}")


def new_modification(
    register: Register,
    dirs: list[Path],
    ident: str,
    title: str,
    proposer: str | None,
    raised: dt.date | None,
    route: str | None,
) -> Edit:
    """The edit that adds a modification that already has its number (SECMPnnnn, DPnnn, MPnnn or
    MPnnnA), raised elsewhere. An id the register holds in any form is refused: MP071 is DP071
    converted, so either names the other."""
    ident = ident.strip().upper()
    if not re.fullmatch(ID_PATTERN, ident):
        raise EditError(
            f"'{ident}' is not a modification id (SECMP0071, DP071, MP071 or MP071A); "
            "for the next Draft Proposal's number use 'secstatus new dp'"
        )
    held = modification_id(register.modifications, ident)
    if held is not None:
        also = f" (as {held})" if held != ident else ""
        raise EditError(
            f"{ident} is already in the register{also}: modifications/{held}.yaml; "
            f"change it with 'secstatus set {held} FIELD VALUE'"
        )
    if not title.strip():
        raise EditError("--title is empty")
    text = render_new(
        dirs, "new-modification.yaml", id=ident, title=title, proposer=proposer, raised=raised, route=route
    )
    return _new_file(register, "modifications", ident, text, f"{ident}: new modification")


def release_name(ident: str) -> str | None:
    """The name a release's id gives it: 2020-06 is the 'June 2020 SEC Release'; None for another id."""
    if re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", ident):
        return f"{dt.date(int(ident[:4]), int(ident[5:]), 1):%B %Y} SEC Release"
    return None


def new_release(register: Register, dirs: list[Path], ident: str, planned: dt.date, name: str | None) -> Edit:
    """The edit that adds a release planned for ``planned``; a release named after its month
    (2020-06) is named so by default."""
    name = name if name is not None else release_name(ident)
    if name is None:
        raise EditError(
            "give the release's --name (only a release named after its month, such as 2020-06, is named by default)"
        )
    if not name.strip():
        raise EditError("--name is empty")
    if ident in register.releases:
        raise EditError(
            f"release {ident} is already in the register; move its date with "
            f"'secstatus release move {ident} DATE --decided DATE'"
        )
    text = render_new(dirs, "new-release.yaml", id=ident, release_name=name, planned=planned)
    return _new_file(register, "releases", ident, text, f"new release {ident} planned for {planned.isoformat()}")


def _new_file(register: Register, folder: str, stem: str, text: str, summary: str) -> Edit:
    """The edit that writes a new record file named ``stem`` in ``folder``, which must not exist.
    The name comes from the request: one that is not a plain file name is refused, so nothing is
    written outside the record folder (where validation would not even read it)."""
    text = modeline(register.root, folder) + text  # editors find the record's schema, if the register keeps it
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", stem) or ".." in stem:
        raise EditError(f"{stem!r} cannot name a record file")
    path = register.root / folder / f"{stem}.yaml"
    if path.exists() or path.is_symlink():
        raise EditError(
            f"{folder}/{stem}.yaml already exists; change a field of it with "
            f"'secstatus set {RECORD_FOLDERS[folder].name}:{stem} FIELD VALUE'"
        )
    return Edit(path, None, text, summary)


def new_meeting(register: Register, dirs: list[Path], body: str, date: dt.date, number: int | None) -> Edit:
    """The edit that adds a meeting of ``body`` on ``date`` (Panel meetings carry their number)."""
    if body not in MEETING_BODIES:
        raise EditError(f"unknown body '{body}'; expected one of: {', '.join(MEETING_BODIES)}")
    if number is not None and body != "panel":
        raise EditError("only Panel meetings are numbered")
    text = render_new(dirs, "new-meeting.yaml", body=body, date=date, number=number, source=None)
    return _new_file(
        register, "meetings", f"{date.isoformat()}-{body}", text, f"new {body} meeting on {date.isoformat()}"
    )


def new_report(
    register: Register,
    dirs: list[Path],
    month: str,
    author: str,
    date: dt.date | None,
    panel: dt.date | None,
    paper: int | None,
) -> Edit:
    """The edit that adds the month's report record: who writes it, its date and its Panel paper."""
    if not author.strip():
        raise EditError("--author is empty")
    text = render_new(dirs, "new-report.yaml", month=month, date=date, author=author, panel=panel, paper=paper)
    return _new_file(register, "reports", month, text, f"new report record for {month}")


def new_sec_version(
    register: Register,
    dirs: list[Path],
    version: str,
    effective: dt.date,
    modification: str | None,
    designation: str | None,
) -> Edit:
    """The edit that adds a designated SEC version with its one cause."""
    if (modification is None) == (designation is None):
        raise EditError("give exactly one cause: --modification ID or --designation TEXT")
    if modification is not None:
        try:
            modification = find(register, modification).id
        except UnknownId as exc:
            raise EditError(
                f"{exc}; add it with 'secstatus new modification {modification.strip().upper()} --title TITLE'"
            ) from None
    text = render_new(
        dirs,
        "new-sec-version.yaml",
        version=version,
        effective=effective,
        modification=modification,
        designation=designation,
    )
    return _new_file(register, "sec-versions", version, text, f"new SEC version {version} effective {effective}")
