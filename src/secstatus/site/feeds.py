"""The site's feeds: an Atom feed of register changes (feedgen) and an iCalendar of key dates (icalendar).

Both are byte-reproducible: every timestamp comes from the register's dates or the as-at day
(midnight UTC), never the clock, and every id is derived from what the entry is about. Links are
relative to the feed's own address, so the site can be published under any path; an entry for a
document published links to the document, at the address the register holds for it (one link an
entry: feedgen writes no ``rel`` or ``type`` on an entry's links, so two would both be alternates).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

NAMESPACE = uuid.UUID("5b0c6f0e-8d1f-4a8e-9a59-5ec57a7d5e12")
"""Ids are UUIDv5 of a record's own key within this namespace: stable from build to build."""

MAX_ENTRIES = 100


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)


def _urn(key: str) -> str:
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, key)}"


def atom(changes: list[dict[str, Any]], as_at: dt.date, title: str) -> bytes:
    """The newest ``MAX_ENTRIES`` changes as an Atom feed, updated on ``as_at``."""
    from feedgen.feed import FeedGenerator

    feed = FeedGenerator()
    feed.id(_urn(f"feed:{title}"))
    feed.title(title)
    feed.subtitle("New Draft Proposals, decisions, implementations, documents published, re-plans and release moves")
    feed.updated(_midnight(as_at))
    feed.link(href="index.html", rel="alternate", type="text/html")
    feed.link(href="feed.atom", rel="self", type="application/atom+xml")
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
            entry.link(href=change["page"], rel="alternate", type="text/html")
    return feed.atom_str(pretty=True)


def ical(dates: list[dict[str, Any]], as_at: dt.date, name: str) -> bytes:
    """The key dates as all-day events of an iCalendar that calendar applications can subscribe to."""
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
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()
