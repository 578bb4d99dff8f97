"""The site's feeds: Atom feeds of register changes (feedgen) and an iCalendar of key dates (icalendar).

Both are byte-reproducible: every timestamp comes from the register's dates or the as-at day
(midnight UTC), never the clock, and every id is derived from what the entry is about (a
``urn:uuid``, an absolute IRI as Atom requires, that stays the same wherever the site is
published). Links are relative to the feed's own address, so the site can be published under any
path; given the site's base URL (``secstatus site --base-url``) every link in a feed and the
calendar is absolute, and each calendar event carries its page's ``URL``, which iCalendar allows
only absolute. An entry for a document published links to the document, at the address the
register holds for it (one link an entry: feedgen writes no ``rel`` or ``type`` on an entry's
links, so two would both be alternates).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

NAMESPACE = uuid.UUID("5b0c6f0e-8d1f-4a8e-9a59-5ec57a7d5e12")
"""Ids are UUIDv5 of a record's own key within this namespace: stable from build to build."""

MAX_ENTRIES = 100


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def _urn(key: str) -> str:
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, key)}"


@dataclass(frozen=True)
class Links:
    """How a file of the site links to another: relative to its own folder, or absolute under
    ``base`` (the site's base URL, ending in '/')."""

    here: str
    base: str | None = None

    def __call__(self, path: str) -> str:
        return self.base + path if self.base else "../" * self.here.count("/") + path


def atom(
    changes: list[dict[str, Any]],
    as_at: dt.date,
    title: str,
    *,
    path: str = "feed.atom",
    home: str = "index.html",
    subtitle: str = (
        "New Draft Proposals, decisions, implementations, documents published, re-plans and release moves"
    ),
    key: str | None = None,
    base: str | None = None,
) -> bytes:
    """The newest ``MAX_ENTRIES`` changes as an Atom feed at ``path`` in the site, updated on
    ``as_at``, its home page ``home``; ``key`` names what the feed is about in its id (its title
    by default)."""
    from feedgen.feed import FeedGenerator

    link = Links(path, base)
    feed = FeedGenerator()
    feed.id(_urn(f"feed:{key or title}"))
    feed.title(title)
    feed.subtitle(subtitle)
    feed.updated(_midnight(as_at))
    feed.link(href=link(home), rel="alternate", type="text/html")
    feed.link(href=link(path), rel="self", type="application/atom+xml")
    feed.author({"name": "SECAS"})
    feed.generator("secstatus")
    for change in changes[:MAX_ENTRIES]:
        entry = feed.add_entry(order="append")
        entry.id(_urn(change["uid"]))
        entry.title(change["title"])
        entry.updated(_midnight(change["date"]))
        entry.published(_midnight(change["date"]))
        if change.get("related"):  # a document published: the entry is the document, at its own address
            entry.link(href=change["related"], rel="alternate")
        else:
            entry.link(href=link(change["page"]), rel="alternate", type="text/html")
        if change.get("summary"):
            entry.summary(change["summary"])
    return feed.atom_str(pretty=True)


def ical(dates: list[dict[str, Any]], as_at: dt.date, name: str, base: str | None = None) -> bytes:
    """The key dates as all-day events of an iCalendar that calendar applications can subscribe to;
    given the site's ``base`` URL, each event with a page has its absolute ``URL``."""
    import icalendar

    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//secstatus//Modification Register key dates//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    stamp = _midnight(as_at)
    for item in dates:
        event = icalendar.Event()
        event.add("uid", f"{item['uid']}@secstatus")
        event.add("dtstamp", stamp)
        event.add("dtstart", item["date"])
        event.add("dtend", item["date"] + dt.timedelta(days=1))
        event.add("summary", item["summary"])
        if base and item.get("page"):
            event.add("url", base + item["page"])
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()
