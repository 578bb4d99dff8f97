"""The shipped register: the May 2019 paper's stage counts, and list/show/schema."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from conftest import DATA

from secstatus.analysis.query import stage_counts
from secstatus.domain.timeline import history

APRIL_END = dt.date(2019, 4, 30)


def test_stage_banner_of_may_2019(register):
    counts = stage_counts(register, APRIL_END)
    assert (counts["define"], counts["refine"], counts["opine"], counts["release"]) == (5, 18, 0, 7)
    assert counts["open"] == 23
    assert sum(counts[s] for s in ("define", "refine", "opine", "release", "closed")) == 75


def test_release_stage_members_of_may_2019(register):
    releasing = {
        m.id: history(m).on(APRIL_END).release
        for m in register.modifications.values()
        if history(m).on(APRIL_END).stage == "release"
    }
    assert releasing == {
        "SECMP0058": "2019-06",
        "SECMP0069": "eu-exit",
        "SECMP0018": "2019-11",
        "SECMP0023": "2019-11",
        "SECMP0025": "2019-11",
        "SECMP0039": "2019-11",
        "SECMP0060": "2019-11",
    }


def test_stages_change_with_the_date(register):
    mod = register.modifications["SECMP0058"]
    assert history(mod).on(dt.date(2019, 4, 23)).stage == "refine"
    assert history(mod).on(dt.date(2019, 4, 24)).stage == "release"
    assert history(register.modifications["DP075"]).on(dt.date(2019, 4, 29)) is None  # raised 30 April


def test_list_json(cli):
    result = cli("--data", str(DATA), "list", "--as-at", "2019-04-30", "--format", "json")
    rows = json.loads(result.stdout)
    assert len(rows) == 75
    assert {"id", "title", "stage", "status"} <= set(rows[0])
    assert sum(r["stage"] == "refine" for r in rows) == 18


def test_list_stage_filter_and_csv(cli):
    result = cli("--data", str(DATA), "list", "--as-at", "2019-04-30", "--stage", "define", "--format", "csv")
    lines = result.stdout.splitlines()
    assert lines[0].startswith("id,title,stage,status")
    assert [line.split(",")[0] for line in lines[1:]] == ["DP071", "DP072", "DP073", "DP074", "DP075"]


def test_list_finds_data_from_a_subfolder(cli, monkeypatch):
    monkeypatch.chdir(DATA / "modifications")
    result = cli("list", "--as-at", "2019-04-30", "--stage", "opine")
    assert result.exit_code == 0 and result.stdout.startswith("ID")


def test_show_text_and_json(cli):
    text = cli("--data", str(DATA), "show", "secmp0043", "--as-at", "2019-04-30")
    assert text.exit_code == 0
    assert "closed (Implemented) as at 2019-04-30" in text.stdout
    assert "  Authority decision approved 5 April 2019 (implementation 10 WD after)" in text.stdout
    facts = json.loads(
        cli("--data", str(DATA), "show", "SECMP0043", "--as-at", "2019-04-10", "--format", "json").stdout
    )
    assert (facts["stage"], facts["status"]) == ("release", "Approved – awaiting implementation")


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_show_on_a_day_shows_that_days_knowledge(cli, fmt):
    """SECMP0056 on 30 April 2019: not the Working Group of 1 May, nor the status DCC gave by 2 May;
    its PA delivered on 24 April is delivered, not in progress; nothing is printed as '=[]'."""
    result = cli("--data", str(DATA), "show", "SECMP0056", "--as-at", "2019-04-30", "--format", fmt)
    assert result.exit_code == 0 and result.stderr == ""
    out = result.stdout
    assert "Working Group" not in out and "working-group" not in out and "2019-05-01" not in out
    empty_lists = ("timeline", "impacted_parties", "affected_documents", "plan")  # JSON's lists, empty or not
    shown = re.sub(rf'"({"|".join(empty_lists)})": \[\]', "", out)
    assert "in-progress" not in out and "in progress" not in out and "[]" not in shown
    if fmt == "json":
        facts = json.loads(out)
        assert facts["timeline"] == []
        assert [(a["assessment"], a["status"], a["delivered"]) for a in facts["assessments"]] == [
            ("PA", "delivered", "2019-04-24")
        ]
        assert facts["appendix"][0]["derived_from"] == "PA delivered 24 April 2019"
    else:
        assert (
            "  PA  accepted 24 January 2019, target 19 February 2019 (agreed), delivered 24 April 2019: "
            "62 WD against 15 WD" in out
        )


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_show_reads_events_in_the_registers_words(cli, fmt):
    """Each event as ``events.event_words`` says it, the wording the site and the feed use."""
    from secstatus.domain.events import event_words
    from secstatus.register.checks import validate

    register, _ = validate(DATA)
    out = cli("--data", str(DATA), "show", "SECMP0056", "--as-at", "2019-05-02", "--format", fmt).stdout
    words = [event_words(e) for e in register.modifications["SECMP0056"].events]
    assert words == [
        "Working Group meeting 1 May 2019",
        "DCC status No outstanding assessment request on or before 2 May 2019 (Appendix A table 3)",
    ]
    if fmt == "json":
        assert [e["words"] for e in json.loads(out)["timeline"]] == words
        assert all("acknowledged" not in e for e in json.loads(out)["timeline"])
    else:
        assert "\n".join(f"  {w}" + (" – Awaiting IA request" if "DCC" in w else "") for w in words) in out


def test_show_counts_an_open_assessment_to_the_day_and_no_further_than_the_horizon(cli):
    april = json.loads(
        cli("--data", str(DATA), "show", "SECMP0062", "--as-at", "2019-04-30", "--format", "json").stdout
    )
    ia = april["assessments"][1]
    assert (ia["status"], ia["duration_wd"], ia["duration_to"], ia["target"], ia["target_basis"]) == (
        "in-progress",
        27,
        "2019-04-30",
        "2019-05-20",
        "standard",
    )
    later = cli("--data", str(DATA), "show", "SECMP0062", "--as-at", "2020-06-30", "--format", "json")
    facts = json.loads(later.stdout)
    ia = facts["assessments"][1]
    assert (facts["as_at"], facts["figures_as_at"], ia["duration_wd"], ia["duration_to"], ia["overdue_wd"]) == (
        "2020-06-30",
        "2019-05-02",
        29,
        "2019-05-02",
        None,
    )
    assert later.stderr.count("\n") == 1 and "the register's facts end on 2 May 2019" in later.stderr


def test_show_names_overdue_assessments(cli):
    out = cli("--data", str(DATA), "show", "SECMP0007", "--as-at", "2019-04-01").stdout
    assert "  PA  target 15 March 2019: in progress; overdue by 11 WD" in out


def test_show_unknown_id_exits_1(cli):
    result = cli("--data", str(DATA), "show", "SECMP0999")
    assert result.exit_code == 1 and "no modification 'SECMP0999'" in result.stderr


def test_bad_date_option_is_a_usage_error(cli):
    result = cli("--data", str(DATA), "list", "--as-at", "30/04/2019")
    assert result.exit_code == 2 and "'30/04/2019' is not a date YYYY-MM-DD" in result.stderr


def test_schema_is_json_schema_for_every_record_type(cli):
    whole = json.loads(cli("schema").stdout)
    assert set(whole["$defs"]) == {"modification", "release", "sec-version", "meeting", "report", "calendar"}
    modification = json.loads(cli("schema", "--type", "modification").stdout)
    assert modification == whole["$defs"]["modification"]
    assert modification["additionalProperties"] is False
    assert "events" in modification["properties"]


def _events(register, ident: str, kind: str):
    return [e for e in register.modifications[ident].events if e.kind == kind]


def test_public_facts_before_may_2019_are_recorded_with_their_source_address(register):
    """Facts the paper lacks, from the SEC's public pages (shared/domain-facts.md), each with its address."""
    mod = register.modifications["SECMP0037"]
    page = "https://smartenergycodecompany.co.uk/modifications/pairing-local-ppmids/"
    assert mod.route == "authority" and "Path 2" in mod.source and page in mod.source
    [initial] = _events(register, "SECMP0037", "initial-report")
    assert initial.date == dt.date(2017, 6, 9) and page in initial.source
    assert ("panel", dt.date(2017, 6, 9)) in {(m.body, m.date) for m in register.meetings}

    mod = register.modifications["SECMP0057"]
    page = (
        "https://smartenergycodecompany.co.uk/modifications/users-to-notify-ssc-of-a-second-or-subsequent-user-system/"
    )
    assert (mod.proposer, mod.raised) == ("Gordon Hextall", dt.date(2018, 7, 10)) and page in mod.source
    [implemented] = _events(register, "SECMP0057", "implemented")
    assert implemented.date == dt.date(2019, 2, 28) and page in implemented.source
    assert history(mod).on(dt.date(2019, 2, 28)).status == "Implemented"

    [meeting] = _events(register, "SECMP0063", "working-group")
    assert meeting.date == dt.date(2018, 11, 2) and "ensuring-correct-network-operator-certificates" in meeting.source

    mod = register.modifications["SECMP0049"]
    [vote] = _events(register, "SECMP0049", "change-board-vote")
    assert (vote.on_or_after, vote.on_or_before, vote.outcome) == (
        dt.date(2018, 8, 1),
        dt.date(2018, 8, 31),
        "approved",
    )
    assert "sec-newsletter-august-2018" in vote.source and mod.route == "authority"
    assert history(mod).on(dt.date(2018, 9, 1)).status == "Change Board recommended approval"


def test_the_register_stays_as_the_may_2019_paper_knew_it_after_may_2019(register):
    """The November 2019 release's moves (8 and 30 October 2019) are published, and said where, but
    not recorded: every month's report from the shipped register stays consistent."""
    release = register.releases["2019-11"]
    assert [p.date for p in release.planned] == [dt.date(2019, 11, 7)]
    note = (DATA / "releases" / "2019-11.yaml").read_text(encoding="utf-8")
    assert "https://smartenergycodecompany.co.uk/november-2019-sec-release/" in note
    assert "8 October 2019" in note and "30 October 2019" in note and "not in our sources" not in note
    latest = max(e.when for m in register.modifications.values() for e in m.events)
    assert latest == dt.date(2019, 5, 10)  # the May paper's last fact: its Modification Report to the 10 May Panel
