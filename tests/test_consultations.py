"""Which consultations are open on a day and which closed lately: one rule (``analysis.consultations``)
that the report's consultation sections and the site's consultations page both read."""

from __future__ import annotations

import datetime as dt

import pytest

D = dt.date


def _consultation(**fields):
    from secstatus.domain.events import RefinementConsultation

    return RefinementConsultation(kind="refinement-consultation", **fields)


@pytest.mark.parametrize(
    "fields, day, open_",
    [
        ({"date": D(2019, 4, 10), "closes": D(2019, 5, 15)}, D(2019, 5, 2), True),
        ({"date": D(2019, 4, 10), "closes": D(2019, 5, 15)}, D(2019, 5, 15), True),  # its closing day: still open
        ({"date": D(2019, 4, 10), "closes": D(2019, 5, 15)}, D(2019, 5, 16), False),  # closed
        ({"date": D(2019, 4, 10), "closes": D(2019, 5, 15)}, D(2019, 4, 9), False),  # not yet issued
        ({"date": D(2019, 4, 10)}, D(2019, 4, 20), False),  # closing day not recorded
        ({"on_or_before": D(2019, 4, 30), "closes": D(2019, 5, 15)}, D(2019, 5, 2), True),  # issued by its bound
        ({"on_or_before": D(2019, 4, 30), "closes": D(2019, 5, 15)}, D(2019, 4, 29), False),
    ],
)
def test_a_consultation_is_open_from_its_issue_to_its_closing_day(fields, day, open_):
    from secstatus.analysis.consultations import is_open

    assert is_open(_consultation(**fields), day) is open_


@pytest.mark.parametrize(
    "day, since",
    [
        (D(2019, 5, 2), D(2019, 2, 2)),
        (D(2019, 5, 31), D(2019, 2, 28)),  # February is shorter: its last day
        (D(2020, 5, 31), D(2020, 2, 29)),
        (D(2019, 1, 31), D(2018, 10, 31)),  # across a year
    ],
)
def test_recently_closed_reaches_back_three_calendar_months(day, since):
    from secstatus.analysis.consultations import RECENT_MONTHS, closed_recently, recent_since

    assert RECENT_MONTHS == 3 and recent_since(day) == since
    assert closed_recently(_consultation(date=since - dt.timedelta(days=20), closes=since), day)
    before = since - dt.timedelta(days=1)
    assert not closed_recently(_consultation(date=since - dt.timedelta(days=20), closes=before), day)
    assert not closed_recently(_consultation(date=since, closes=day), day)  # closing today: open, not closed


def test_the_consultation_kinds_are_those_with_a_closing_day():
    from secstatus.analysis.consultations import CONSULTATION_KINDS
    from secstatus.domain.events import KINDS

    assert CONSULTATION_KINDS == ("refinement-consultation", "report-consultation")
    assert all(KINDS[k].report.endswith("consultations") for k in CONSULTATION_KINDS)


def test_working_days_left_count_to_the_closing_day():
    from secstatus.analysis.consultations import working_days_left
    from secstatus.domain.workdays import default_calendar

    consultation = _consultation(date=D(2019, 4, 10), closes=D(2019, 5, 15))
    assert working_days_left(consultation, D(2019, 5, 2), default_calendar()) == 8  # 6 May is a bank holiday
    assert working_days_left(consultation, D(2019, 5, 15), default_calendar()) == 0


def test_the_report_and_the_site_name_the_same_open_consultations(cli, data_copy):
    """On each report's date, the consultations its sections say are open (issued in its period and
    not yet closed, or still out from before) are the site's open ones on that day."""
    from secstatus.analysis.consultations import open_on
    from secstatus.domain.workdays import calendar_for
    from secstatus.register.checks import validate
    from secstatus.report.build import build

    data = ["--data", str(data_copy)]
    for argv in (
        ["SECMP0056", "refinement-consultation", "--date", "2019-05-20", "--closes", "2019-07-05"],
        ["SECMP0055", "report-approved", "--date", "2019-05-10"],
        ["SECMP0055", "report-consultation", "--date", "2019-05-13", "--closes", "2019-06-10"],
        ["SECMP0062", "refinement-consultation", "--date", "2019-06-07", "--closes", "2019-06-28"],
    ):
        assert cli(*data, "record", *argv).exit_code == 0, argv
    register, _ = validate(data_copy)
    cal = calendar_for(register.calendar_days)
    seen = set()
    for month in ("2019-06", "2019-07"):
        report = build(register, month, cal)
        day = report.cover.date
        said = {
            (x.id, x.closes)
            for section in (
                report.section("refine.refinement_consultations"),
                report.section("opine.report_consultations"),
            )
            for x in section
            if x.closes >= day
        }
        site = {(mod.id, e.closes) for mod, e in open_on(register, day)}
        assert said == site
        seen |= said
    assert seen == {("SECMP0056", D(2019, 7, 5)), ("SECMP0055", D(2019, 6, 10))}
