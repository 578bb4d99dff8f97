"""The shipped register's hostile twin and its benign twin, as a pull request would bring them.

``make_twin(root, hostile=True)`` is a git repository whose first commit is the shipped register
and whose second, by an author with a hostile name and under a hostile subject, puts an attack
into every free-text field of every record type: each field the models declare as one-line text,
free text or a web address (``record.OneLine``, ``record.Text``, ``record.URL_PATTERN``), in every
record, event, assessment, planned date, acknowledgement and calendar day, including fields the
shipped records leave out. It also adds a release move, a document and a re-plan in the May 2019
period (so the report's "Release dates moved", "Documents published" and "Progression against
plan" wording runs) and a file with a hostile name in the register's
``templates/`` folder (record files must be named after their ids; a template's name is free).

``make_twin(root, hostile=False)`` is the same repository with every such value benign: each
character an output format could read as syntax becomes ``x`` (``benign``), so both twins have
the same records, the same lengths and the same lines.
Whatever an output of the hostile twin has that its benign twin lacks (an element, an attribute,
a link, a line) was made by the attack.

Every hostile value is text a record may hold: one line where the field is one line, no control
characters, so ``validate --strict`` passes on it. That is the point: validation cannot be what
keeps outputs safe.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import shutil
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from conftest import DATA, git

ATTACK = (
    '<img src=x onerror=alert(1)><style>*{display:none}</style>" style="display:none" onmouseover="alert(2)" '
    "'><svg onload=alert(3)><script>alert(4)</script></title></textarea><!-- ]]> {{ 7*7 }} {% raw %} "
    "**b** _i_ [l](http://evil.example/l) ![i](http://evil.example/i.png) `c` | x | ~~s~~ $m$ "
    "http://auto.evil.example www.evil.example mail@evil.example <http://angle.evil.example> "
    "&amp; &#60;b&#62; ;,\\ END:VEVENT =cmd|' /C calc'!A0 javascript:alert(5)"
)
"""Markup, attributes, CSS, script, template syntax, Markdown, autolinks, entities, iCalendar
separators, a spreadsheet formula: one line an attacker would put in a title."""

STARTS = (
    "Nov",
    "# ",
    "- ",
    "1. ",
    "> ",
    "=",
    "+",
    "@",
    "::error::",
    "<b>",
    "| ",
    "    ",
    '"',
    "[r]: http://evil.example ",
    "\\",
    "--- ",
    "```",
    "<!--",
)
"""How a value starts: what a line-based format (Markdown, CSV, a CI log) reads at a line's start."""

TEXT_LINES = "\n\n# injected heading\n<script>alert(6)</script>\n- item\n::error file=x::y\n    indented code\n\n"
"""What free text (a summary, a note) adds: it may hold line breaks, so it tries new blocks and lines."""

URL_HOST = "https://url.example/"
URL_ATTACK = "\"'><img/src=x/onerror=alert(7)>)![x](https://evil.example/i.png)<b>"
"""A web address field must start http(s):// and hold no space; the rest may be anything."""

REFERENCES = frozenset({"release"})
"""One-line fields that name another record (an event's release): they must match one, so they stay."""

KEEP_WORDS = frozenset({("DccStatus", "status")})
"""Fields whose words the register reads (a DCC status is matched against known statuses): the
attack follows the recorded words, which stay at the start."""

LEFT_OUT = frozenset({("EventBase", "printed")})
"""Free-text fields whose value validation checks against another (``printed`` must be the date as
DD/MM/YYYY, else a warning): a hostile value would fail ``--strict``, so they stay."""

RELEASE_MOVE = {"date": dt.date(2019, 11, 24), "decided": dt.date(2019, 4, 15)}
"""The November 2019 release moved on 15 April 2019: inside the May 2019 report's period."""

DOCUMENT = {"kind": "document", "date": dt.date(2019, 4, 24), "title": "x", "url": URL_HOST}
"""A document published in the May 2019 period, on a modification in Refine (SECMP0062), so the
page, the feed and the report's "Documents published" list run."""

PLAN = [
    {"milestone": "change-board-vote", "date": dt.date(2019, 7, 24), "decided": dt.date(2019, 3, 20)},
    {"milestone": "change-board-vote", "date": dt.date(2019, 8, 28), "decided": dt.date(2019, 4, 15)},
]
"""A progression plan re-planned in the May 2019 period (SECMP0062's), so the page's plan table and
the report's "Progression against plan" run."""

NESTED_SEEDS = {"DatedText": {"date": dt.date(2019, 4, 1)}}
"""The fields other than text of a nested record (one, not a list) that a record leaves out: a
latest update dated before the May 2019 report, so that every view of that day shows it."""

CALENDAR_DAY = {"date": dt.date(2031, 3, 3), "working": False}
"""A calendar override far past every date of the register: it changes no figure."""

ATTACK_AUTHOR = 'Eve <img src=x onerror=alert(8)> [l](http://evil.example) ::error::x " onload="y'
ATTACK_SUBJECT = "::error::x <script>alert(9)</script> # **b** [l](http://evil.example) {{ 7*7 }} | x |"
ATTACK_FILE = "<img src=x onerror=alert(10)> \x1b[2J [l](http:evil.example) | y\n::error::z.html"
"""A file name may hold anything but a slash: markup, a terminal escape, a line break."""


def benign(value: str) -> str:
    """``value`` with every character a format could read as syntax made an ``x``, and every line
    started by a letter, a digit or a space. Hyphens, slashes, brackets and the like stay where
    nothing follows that would make them syntax: lines still break where the hostile value's do,
    so the benign twin's PDF is laid out like the hostile one's."""
    return re.sub(r"(?m)^[^A-Za-z0-9 \n]", "x", re.sub(r"[^A-Za-z0-9 \n/()!?,;-]", "x", value))


def text_kind(field) -> str | None:
    """'one-line', 'text' or 'url' for a free-text field of a model (by the pattern it is checked
    against), None for any other (an id, a date, a choice)."""
    from secstatus.domain.record import ONE_LINE_PATTERN, TEXT_PATTERN, URL_PATTERN

    kinds = {ONE_LINE_PATTERN: "one-line", TEXT_PATTERN: "text", URL_PATTERN: "url"}
    for item in (*field.metadata, *_annotation_metadata(field.annotation)):
        pattern = getattr(item, "pattern", None)
        if pattern in kinds:
            return kinds[pattern]
    return None


def _annotation_metadata(annotation) -> list[Any]:
    found = []
    for arg in typing.get_args(annotation):
        found.extend(getattr(arg, "__metadata__", ()))
        found.extend(_annotation_metadata(arg))
    return found


def item_model(annotation):
    """The record model of a list field's items (``list[Assessment]`` → Assessment), or None."""
    from secstatus.domain.record import Record

    for arg in typing.get_args(annotation):
        if isinstance(arg, type) and issubclass(arg, Record):
            return arg
    return None


def owner(model, name: str) -> str:
    """The class that declares field ``name`` (EventBase for every event's ``note``)."""
    return next(k.__name__ for k in model.__mro__ if name in getattr(k, "__annotations__", {}))


def free_text_fields() -> set[tuple[str, str]]:
    """Every free-text field of every record type and of the items they hold, by (declaring class,
    field): what the twin must make hostile."""
    from secstatus.domain.events import KINDS
    from secstatus.domain.model import RECORD_FOLDERS

    fields: set[tuple[str, str]] = set()
    models = [t.model for t in RECORD_FOLDERS.values()] + [k.model for k in KINDS.values()]
    seen = set()
    while models:
        model = models.pop()
        if model in seen:
            continue
        seen.add(model)
        for name, field in model.model_fields.items():
            if text_kind(field) and name not in REFERENCES:
                fields.add((owner(model, name), name))
            nested = item_model(field.annotation)
            if nested is not None:
                models.append(nested)
    return fields - LEFT_OUT


class Twin:
    """Writes hostile (or benign) text into records, and notes which fields it reached."""

    def __init__(self, hostile: bool):
        self.hostile = hostile
        self.starts = itertools.cycle(STARTS)
        self.items = itertools.count(1)
        self.reached: set[tuple[str, str]] = set()

    def value(self, kind: str, kept: str = "") -> str:
        """The value of a field of ``kind``; ``kept``, the recorded words it starts with."""
        if kind == "url":
            return URL_HOST + (URL_ATTACK if self.hostile else benign(URL_ATTACK))
        start = "" if kept else next(self.starts)
        text = start + ATTACK + (TEXT_LINES + start + ATTACK if kind == "text" else "")
        return kept + (text if self.hostile else benign(text))

    def fill(self, data: dict[str, Any], model) -> None:
        """Every free-text field of ``data`` (a record or an item of one) given a value, in place:
        those the record has, and those it leaves out."""
        from secstatus.domain.events import KINDS

        for name, field in model.model_fields.items():
            kind = text_kind(field)
            if kind and name not in REFERENCES and (owner(model, name), name) not in LEFT_OUT:
                if name in data or not self._needs_absent(model, name, data):
                    keep = (owner(model, name), name) in KEEP_WORDS
                    value = self.value(kind, f"{data[name]} " if keep else "")
                    if typing.get_origin(field.annotation) is list:  # items the site lists once each (its
                        # index's filters): numbered, so the benign twin's stay as distinct as the hostile's
                        value = [f"{item} {next(self.items)}" for item in (value, self.value(kind))]
                    data[name] = value
                    self.reached.add((owner(model, name), name))
            nested = item_model(field.annotation)
            if nested is not None and typing.get_origin(field.annotation) is not list:  # one nested record
                self.fill(data.setdefault(name, dict(NESTED_SEEDS[nested.__name__])), nested)
                continue
            for item in data.get(name) or [] if nested or name == "events" else []:
                self.fill(item, KINDS[item["kind"]].model if name == "events" else nested)

    @staticmethod
    def _needs_absent(model, name: str, data: dict[str, Any]) -> bool:
        """Fields left absent where the record has them absent: a SEC version names one cause only
        (a modification or a designation)."""
        return model.__name__ == "SecVersion" and name == "designation" and "modification" in data


@dataclass(frozen=True)
class TwinRepo:
    """A twin's repository, its data folder, its base commit (the shipped register) and the
    free-text fields it reached."""

    root: Path
    data: Path
    base: str
    reached: frozenset[tuple[str, str]]


def make_twin(root: Path, hostile: bool) -> TwinRepo:
    """The twin repository at ``root`` (see the module's docstring)."""
    from secstatus.domain.model import RECORD_FOLDERS

    root.mkdir(parents=True)
    git(root, "init", "-q", "-b", "main")
    shutil.copytree(DATA, root / "data")
    git(root, "add", "-A")
    git(root, "commit", "-q", "--no-verify", "-m", "The May 2019 register")
    base = git(root, "rev-parse", "HEAD").stdout.strip()

    twin = Twin(hostile)
    for path in sorted((root / "data").rglob("*.yaml")):
        folder = path.parent.name
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if folder == "releases" and data["id"] == "2019-11":
            data["planned"].append(dict(RELEASE_MOVE))
        if folder == "calendar":
            data["days"].append(dict(CALENDAR_DAY))
        if folder == "modifications" and data["id"] == "SECMP0062":
            data["events"].insert(0, dict(DOCUMENT))
            data["plan"] = [dict(item) for item in PLAN]
        twin.fill(data, RECORD_FOLDERS[folder].model)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1_000_000), encoding="utf-8")
    templates = root / "templates"
    templates.mkdir()
    name = ATTACK_FILE if hostile else benign(ATTACK_FILE)
    (templates / name).write_text("not a template the report uses\n")
    git(root, "add", "-A")
    author = ATTACK_AUTHOR if hostile else benign(ATTACK_AUTHOR)
    subject = ATTACK_SUBJECT if hostile else benign(ATTACK_SUBJECT)
    git(
        root,
        "commit",
        "-q",
        "--no-verify",
        "-m",
        subject,
        env={"GIT_AUTHOR_NAME": author, "GIT_AUTHOR_EMAIL": "eve@evil.example"},
    )
    return TwinRepo(root, root / "data", base, frozenset(twin.reached))
