"""Two versions of one record compared field by field, for any record type, in the register's words.

Every field is compared by name, at any depth. A list (events, DCC assessments, planned dates,
calendar days) is compared as a sequence of items with ``difflib.SequenceMatcher``, so that an
item added beside an identical one is an addition, not nothing. Within a run of replaced items,
items of the same kind (an event's ``kind``, an assessment's ``type``, a planned milestone's
``milestone``; positionally where the
item has neither) are paired and described field by field; the rest are removals and additions.
``compare`` finds at least one difference exactly when the records' values differ.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from pydantic import BaseModel

from ..domain.events import EventBase, event_words, long_date

ITEM_NOUNS: dict[str, str] = {
    "assessments": "DCC assessment",
    "planned": "planned date",
    "days": "calendar day",
    "acknowledged": "acknowledged warning",
    "plan": "planned milestone",
    "impacted_parties": "impacted party",
    "affected_documents": "affected document",
}
"""How an item of each list field is named (an event is said by ``events.event_words``)."""

PAIRING_FIELDS = ("kind", "type", "milestone")
"""The field that says which items of a list are the same sort of thing, where an item has one."""


@dataclass(frozen=True)
class Difference:
    """One part of a record that differs: a field, or an item of a list added, removed or changed.

    ``field`` is the record's top-level field; ``phrase`` says the part without its verb
    (``Working Group meeting 1 May 2019: note 'old' → 'new'``); ``leaves`` are the values that
    differ, as ``{"path": "events[3].note", "before": ..., "after": ...}`` in JSON terms
    (None: absent).
    """

    field: str
    action: str  # added | removed | changed
    phrase: str
    item: bool
    leaves: tuple[dict[str, Any], ...]

    @property
    def words(self) -> str:
        """The difference as a clause: 'title: 'A' → 'B'', 'added planned date 24 November 2019 (…)'."""
        return f"{self.action} {self.phrase}" if self.item else self.phrase


def compare(old: BaseModel, new: BaseModel) -> list[Difference]:
    """Every difference between two versions of a record, field by field in declaration order."""
    out: list[Difference] = []
    for name in type(new).model_fields:
        out += _field(name, getattr(old, name, None), getattr(new, name, None))
    return out


def _field(name: str, before: Any, after: Any) -> list[Difference]:
    if type(before) is type(after) and before == after:  # the usual field of a change: the same value, told at once
        return []
    if isinstance(before, list) and isinstance(after, list):
        return list(_items(name, before, after))
    if _canonical(before) == _canonical(after):
        return []
    detail, leaves = _change(name, before, after)
    return [Difference(name, "changed", f"{name}: {detail}", False, tuple(leaves))]


def _change(path: str, before: Any, after: Any) -> tuple[str, list[dict[str, Any]]]:
    """A value that differs: in words, and as its differing leaves. Two models of one type are
    compared field by field; anything else is said whole, old and new."""
    if isinstance(before, BaseModel) and type(before) is type(after):
        inner = [
            _inner(f"{path}.{name}", name, getattr(before, name), getattr(after, name))
            for name in type(after).model_fields
        ]
        parts = [p for p in inner if p is not None]
        return ", ".join(words for words, _ in parts), [leaf for _, leaves in parts for leaf in leaves]
    return f"{say(before)} → {say(after)}", [{"path": path, "before": _json(before), "after": _json(after)}]


def _inner(path: str, name: str, before: Any, after: Any) -> tuple[str, list[dict[str, Any]]] | None:
    """A field inside an item or a nested model: 'note 'old' → 'new'', or None when equal."""
    if _canonical(before) == _canonical(after):
        return None
    if isinstance(before, list) and isinstance(after, list):
        found = list(_items(name, before, after, path))
        return "; ".join(d.words for d in found), [leaf for d in found for leaf in d.leaves]
    detail, leaves = _change(path, before, after)
    return f"{name} {detail}" if not isinstance(before, BaseModel) else f"{name}: {detail}", leaves


def _items(name: str, before: list[Any], after: list[Any], path: str | None = None) -> Iterator[Difference]:
    """The items of a list field that were added, removed or changed, in list order."""
    path = path or name
    matcher = SequenceMatcher(None, [_canonical(i) for i in before], [_canonical(i) for i in after], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        for i, j in _pairs(before[i1:i2], after[j1:j2]):
            if i is not None and j is None:
                item = before[i1 + i]
                yield Difference(
                    name,
                    "removed",
                    _item_words(name, item, whole=True),
                    True,
                    ({"path": f"{path}[{i1 + i}]", "before": _json(item), "after": None},),
                )
            elif i is None and j is not None:
                item = after[j1 + j]
                yield Difference(
                    name,
                    "added",
                    _item_words(name, item, whole=True),
                    True,
                    ({"path": f"{path}[{j1 + j}]", "before": None, "after": _json(item)},),
                )
            elif i is not None and j is not None:
                detail, leaves = _change(f"{path}[{j1 + j}]", before[i1 + i], after[j1 + j])
                yield Difference(name, "changed", f"{_item_words(name, before[i1 + i])}: {detail}", True, tuple(leaves))


def _pairs(before: list[Any], after: list[Any]) -> Iterator[tuple[int | None, int | None]]:
    """Pair replaced items of the same sort (see PAIRING_FIELDS); (i, None) is a removal, (None, j) an addition."""
    matcher = SequenceMatcher(None, [_sort(i) for i in before], [_sort(i) for i in after], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            yield from zip(range(i1, i2), range(j1, j2), strict=True)
        else:
            yield from ((i, None) for i in range(i1, i2))
            yield from ((None, j) for j in range(j1, j2))


def _sort(item: Any) -> Any:
    if isinstance(item, BaseModel):
        for name in PAIRING_FIELDS:
            if name in type(item).model_fields:
                return getattr(item, name)
        return type(item).__name__
    return _canonical(item)


def _item_words(field: str, item: Any, whole: bool = False) -> str:
    """An item named as the register says it: an event by its words, another item by its noun and
    first field (``planned date 7 November 2019``), with the rest of its fields when ``whole``."""
    if isinstance(item, EventBase):
        return event_words(item)
    noun = ITEM_NOUNS.get(field, f"{field} item")
    if not isinstance(item, BaseModel):
        return f"{noun} {say(item)}"
    names = list(type(item).model_fields)
    words = f"{noun} {say(getattr(item, names[0]))}"
    rest = [f"{n} {say(getattr(item, n))}" for n in names[1:] if getattr(item, n) not in (None, [], "")]
    return words + (f" ({', '.join(rest)})" if whole and rest else "")


def say(value: Any) -> str:
    """A value as changes print it: text quoted, a date as the register writes it, nothing as '(none)'."""
    if value is None:
        return "(none)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return long_date(value)
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(say(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{n} {say(v)}" for n, v in value.items()) + "}"
    if isinstance(value, BaseModel):
        return "{" + ", ".join(f"{n} {say(getattr(value, n))}" for n in type(value).model_fields) + "}"
    return str(value)


def _json(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, list):
        return [_json(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _canonical(value: Any) -> str:
    """A value as comparable text: equal exactly when the parsed values are equal."""
    return json.dumps(_json(value), sort_keys=True, ensure_ascii=False)
