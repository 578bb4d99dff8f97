"""The fold as a table: for every event kind, event sequences → (stage, status) or the contradiction.

Each row starts from a record (a Draft Proposal DP080, or a legacy SECMP0080 under a route),
applies its events in order (one a day from 1 May 2019) and names what the fold ends in. A
test checks that every declared kind has a row that it applies in and, where some stage
refuses it, a row that it is refused in; and, where the process puts another event before it
(``Kind.after``), a row where it comes without one ("out of order"): a new kind without rows fails.
"""

from __future__ import annotations

import datetime as dt

import pytest

from secstatus.domain.events import ANY, KINDS
from secstatus.domain.model import Modification
from secstatus.domain.timeline import history

DAY0 = dt.date(2019, 5, 1)

CONVERT = ("converted",)
APPROVE = ("report-approved", ("authority-decision", {"outcome": "approved", "release": "2019-11"}))

MR = ("report-to-panel",)
DOCUMENT = ("document", {"title": "Modification Report", "url": "https://example.org/mr.pdf"})

# (start, route, events, expected): expected is (stage, status), ("refused", start of the problem)
# or ("out of order", start of what the process missed).
TABLE: list[tuple[str, str | None, tuple, tuple[str, str]]] = [
    # Define
    ("DP", None, (), ("define", "Draft Proposal")),
    ("DP", None, CONVERT, ("refine", "Refinement")),
    ("SECMP", None, CONVERT, ("refused", "only a Draft Proposal in Define can be converted")),
    ("DP", None, CONVERT + CONVERT, ("refused", "only a Draft Proposal in Define can be converted")),
    ("DP", None, (("csc-decision", {"outcome": "further-development"}),), ("define", "Further development")),
    ("DP", None, (("csc-decision", {"outcome": "ready-for-conversion"}),), ("define", "Ready for conversion")),
    (
        "SECMP",
        None,
        (("csc-decision", {"outcome": "ready-for-conversion"}),),
        ("refused", "a Change Sub-Committee decision is for Draft Proposals in Define"),
    ),
    # Refine
    ("SECMP", None, (), ("refine", "Refinement")),
    ("SECMP", None, ("working-group",), ("refine", "Refinement")),
    ("DP", None, ("working-group",), ("refused", "'working-group' before the Draft Proposal was converted")),
    (
        "SECMP",
        None,
        (("refinement-consultation", {"closes": dt.date(2019, 6, 1)}),),
        ("refine", "Refinement Consultation"),
    ),
    (
        "DP",
        None,
        ("refinement-consultation",),
        ("refused", "a Refinement Consultation is for a modification in Refine"),
    ),
    (
        "SECMP",
        None,
        ("report-approved", "refinement-consultation"),
        ("refused", "a Refinement Consultation is for a modification in Refine"),
    ),
    ("SECMP", "authority", ("initial-report",), ("refine", "Refinement")),
    ("DP", None, ("initial-report",), ("refused", "the Initial Modification Report opens Refine")),
    ("SECMP", None, ("report-approved", "initial-report"), ("refused", "the Initial Modification Report opens Refine")),
    ("SECMP", None, ("report-to-panel",), ("refine", "Refinement")),
    ("DP", None, ("report-to-panel",), ("refused", "'report-to-panel' before the Draft Proposal was converted")),
    ("DP", None, CONVERT + ("report-approved",), ("opine", "Report Phase")),
    (
        "SECMP",
        None,
        ("report-approved", "report-approved"),
        ("refused", "the Modification Report can only be approved in Refine"),
    ),
    # Opine
    ("SECMP", None, ("report-approved", "report-consultation"), ("opine", "Modification Report Consultation")),
    (
        "SECMP",
        None,
        ("report-consultation",),
        ("refused", "a Modification Report Consultation needs an approved Modification Report"),
    ),
    (
        "SECMP",
        "self-governance",
        ("report-approved", ("change-board-vote", {"outcome": "approved"})),
        ("release", "Approved – awaiting implementation"),
    ),
    (
        "SECMP",
        "authority",
        ("report-approved", ("change-board-vote", {"outcome": "approved"})),
        ("opine", "Change Board recommended approval"),
    ),
    (
        "SECMP",
        "authority",
        ("report-approved", ("change-board-vote", {"outcome": "rejected"})),
        ("opine", "Change Board recommended rejection"),
    ),
    (
        "SECMP",
        "authority-led",
        MR + (("change-board-vote", {"outcome": "approved"}),),
        ("opine", "Change Board recommended approval"),
    ),
    (
        "SECMP",
        None,
        MR + (("change-board-vote", {"outcome": "approved", "release": "2019-06"}),),
        ("release", "Approved – awaiting implementation"),
    ),
    (
        "SECMP",
        "self-governance",
        (("change-board-vote", {"outcome": "approved"}),),
        ("out of order", "'change-board-vote' on 2019-05-01 has no 'report-to-panel' or 'report-approved' before it"),
    ),
    (
        "SECMP",
        "authority",
        (("authority-decision", {"outcome": "approved"}),),
        ("out of order", "'authority-decision' on 2019-05-01 has no 'report-to-panel' or 'report-approved' before it"),
    ),
    (
        "SECMP",
        "authority",
        MR + (("authority-decision", {"outcome": "approved"}),),
        ("release", "Approved – awaiting implementation"),
    ),
    (
        "DP",
        None,
        (("change-board-vote", {"outcome": "approved"}),),
        ("refused", "a Draft Proposal must be converted before it is decided"),
    ),
    ("SECMP", "authority", APPROVE, ("release", "Approved – awaiting implementation")),
    (
        "SECMP",
        "authority",
        ("report-approved", ("authority-decision", {"outcome": "rejected"})),
        ("closed", "Rejected"),
    ),
    (
        "SECMP",
        "authority",
        APPROVE + (("authority-decision", {"outcome": "approved"}),),
        ("refused", "a second decision: already approved"),
    ),
    (
        "DP",
        None,
        (("authority-decision", {"outcome": "approved"}),),
        ("refused", "a Draft Proposal must be converted before it is decided"),
    ),
    (
        "SECMP",
        "fast-track",
        (("panel-decision", {"outcome": "approved", "working_days_after_decision": 10}),),
        ("release", "Approved – awaiting implementation"),
    ),
    (
        "DP",
        None,
        (("panel-decision", {"outcome": "rejected"}),),
        ("refused", "a Draft Proposal must be converted before it is decided"),
    ),
    ("SECMP", None, (("decision", {"outcome": "rejected"}),), ("closed", "Rejected")),
    (
        "DP",
        None,
        (("decision", {"outcome": "approved"}),),
        ("refused", "a Draft Proposal must be converted before it is decided"),
    ),
    # Release
    (
        "SECMP",
        "authority",
        APPROVE + (("release-assigned", {"release": "2019-06"}),),
        ("release", "Approved – awaiting implementation"),
    ),
    (
        "SECMP",
        None,
        (("release-assigned", {"release": "2019-06"}),),
        ("refused", "a release can only be assigned to an approved modification"),
    ),
    ("SECMP", "authority", APPROVE + ("implemented",), ("closed", "Implemented")),
    ("SECMP", None, ("implemented",), ("refused", "implemented before it was approved")),
    # Closed, on hold, and DCC statuses
    ("SECMP", None, ("withdrawn",), ("closed", "Withdrawn")),
    ("SECMP", None, ("withdrawn", "withdrawn"), ("refused", "'withdrawn' after the modification was closed")),
    (
        "SECMP",
        None,
        ("withdrawn", "working-group"),
        ("refused", "'working-group' after the modification was closed (withdrawn)"),
    ),
    ("SECMP", None, ("on-hold",), ("refine", "On hold")),
    ("SECMP", None, ("on-hold", "on-hold"), ("refused", "put on hold while already on hold")),
    ("SECMP", None, ("on-hold", "resumed"), ("refine", "Refinement")),
    ("SECMP", None, ("resumed",), ("refused", "resumed while not on hold")),
    ("SECMP", None, ("on-hold", "withdrawn"), ("closed", "Withdrawn")),
    ("SECMP", None, (("dcc-status", {"group": "assessment", "status": "PA in progress"}),), ("refine", "Refinement")),
    (
        "SECMP",
        None,
        ("withdrawn", ("dcc-status", {"group": "no-further-assessment", "status": "Withdrawn"})),
        ("closed", "Withdrawn"),
    ),
    # Documents: published in any stage, moving nothing
    ("DP", None, (DOCUMENT,), ("define", "Draft Proposal")),
    ("SECMP", None, ("on-hold", DOCUMENT), ("refine", "On hold")),
    ("SECMP", "authority", APPROVE + ("implemented", DOCUMENT), ("closed", "Implemented")),
]


def make(start: str, route: str | None, events: tuple) -> Modification:
    """A record with one event a day from DAY0, in the order given."""
    listed = []
    for i, item in enumerate(events):
        kind, fields = (item, {}) if isinstance(item, str) else item
        listed.append({"kind": kind, "date": DAY0 + dt.timedelta(days=i), **fields})
    ident = "DP080" if start == "DP" else "SECMP0080"
    return Modification.model_validate({"id": ident, "title": "t", "route": route, "events": listed})


def outcome(start: str, route: str | None, events: tuple) -> tuple[str, str]:
    folded = history(make(start, route, events))
    if folded.problems:
        return ("refused", folded.problems[0][1])
    if folded.out_of_order:
        return ("out of order", folded.out_of_order[0][1])
    return (folded.final.stage, folded.final.status)


@pytest.mark.parametrize(
    "start, route, events, expected",
    TABLE,
    ids=[f"{s}-{'-'.join(e if isinstance(e, str) else e[0] for e in ev) or 'none'}-{x[0]}" for s, _, ev, x in TABLE],
)
def test_the_fold(start, route, events, expected):
    """A status is named in full; a refusal by how its message starts (the rest names the event)."""
    got = outcome(start, route, events)
    if expected[0] in ("refused", "out of order"):
        assert got[0] == expected[0] and got[1].startswith(expected[1]), got
    else:
        assert got == expected


def _last_kind(events: tuple) -> str:
    last = events[-1]
    return last if isinstance(last, str) else last[0]


def test_every_kind_has_rows_where_it_applies_and_where_it_is_refused():
    applied = {_last_kind(ev) for _, _, ev, x in TABLE if ev and x[0] not in ("refused", "out of order")}
    refused = {_last_kind(ev) for _, _, ev, x in TABLE if ev and x[0] == "refused"}
    unordered = {_last_kind(ev) for _, _, ev, x in TABLE if ev and x[0] == "out of order"}
    assert set(KINDS) - applied == set()
    can_be_refused = {name for name, kind in KINDS.items() if kind.allowed != ANY}
    assert can_be_refused - refused == set()
    assert {name for name, kind in KINDS.items() if kind.after} == unordered


def test_an_event_out_of_order_is_still_applied():
    """The order is noted apart (a legacy record may acknowledge it); the fold goes on as told."""
    folded = history(make("SECMP", "authority", (("authority-decision", {"outcome": "approved"}),)))
    assert folded.problems == [] and [i for i, _ in folded.out_of_order] == [0]
    assert folded.final.stage == "release"


@pytest.mark.parametrize("route", [None, "authority-led", "authority", "self-governance", "fast-track", "urgent"])
def test_a_change_board_recommendation_never_moves_to_release(route):
    """The fold and the report read one rule (``is_recommendation``): an approval that is only a
    recommendation leaves the modification in Opine; one that is a decision moves it to Release."""
    from secstatus.domain.events import KINDS as kinds
    from secstatus.domain.events import is_recommendation

    events = ("report-approved", ("change-board-vote", {"outcome": "approved"}))
    folded = history(make("SECMP", route, events))
    vote = kinds["change-board-vote"].model.model_validate(
        {"kind": "change-board-vote", "date": DAY0, "outcome": "approved"}
    )
    recommended = is_recommendation(vote, route)
    assert recommended == (route not in (None, "self-governance"))
    assert folded.final.stage == ("opine" if recommended else "release")


def test_a_refused_event_changes_nothing():
    assert outcome("SECMP", None, ("implemented", "report-approved")) == (
        "refused",
        "implemented before it was approved",
    )
    folded = history(make("SECMP", None, ("implemented", "report-approved")))
    assert folded.final.stage == "opine"


def test_an_event_before_the_record_was_raised_is_refused():
    mod = Modification.model_validate(
        {
            "id": "SECMP0080",
            "title": "t",
            "raised": dt.date(2019, 6, 1),
            "events": [{"kind": "withdrawn", "date": DAY0}],
        }
    )
    assert history(mod).problems == [
        (0, "'withdrawn' on 2019-05-01 is before the modification was raised (2019-06-01)")
    ]


def test_a_converted_draft_is_shown_with_its_mp_number():
    folded = history(make("DP", None, CONVERT))
    assert folded.final.id == "MP080"
    assert folded.on(DAY0 - dt.timedelta(days=1)).id == "DP080"
