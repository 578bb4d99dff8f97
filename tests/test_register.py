"""The shipped register: the May 2019 paper's stage counts, and list/show/schema."""

from __future__ import annotations

import datetime as dt
import json

from conftest import DATA
from secstatus.query import stage_counts
from secstatus.timeline import history

APRIL_END = dt.date(2019, 4, 30)


def test_stage_banner_of_may_2019(register):
    counts = stage_counts(register, APRIL_END)
    assert (counts["define"], counts["refine"], counts["opine"], counts["release"]) == (5, 18, 0, 7)
    assert counts["open"] == 23
    assert sum(counts[s] for s in ("define", "refine", "opine", "release", "closed")) == 75


def test_release_stage_members_of_may_2019(register):
    releasing = {m.id: history(m).on(APRIL_END).release for m in register.modifications.values()
                 if history(m).on(APRIL_END).stage == "release"}
    assert releasing == {"SECMP0058": "2019-06", "SECMP0069": "eu-exit", "SECMP0018": "2019-11",
                         "SECMP0023": "2019-11", "SECMP0025": "2019-11", "SECMP0039": "2019-11",
                         "SECMP0060": "2019-11"}


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
    assert "authority-decision" in text.stdout
    facts = json.loads(cli("--data", str(DATA), "show", "SECMP0043", "--as-at", "2019-04-10",
                           "--format", "json").stdout)
    assert (facts["stage"], facts["status"]) == ("release", "Approved – awaiting implementation")


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
