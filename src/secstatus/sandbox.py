"""The templates' sandbox, with its verdict on each attribute remembered.

Jinja's immutable sandbox asks, for every attribute a template reads, whether it is safe: not
private, not a Python internal (``is_internal_attribute``), not a method that changes a list,
set or dict (``modifies_known_mutable``). Both look at the object's type and the attribute's
name only, never at the value; so the verdict for a (type, name) pair is worked out once, where
a report reads tens of thousands of attributes of a few dozen types.

A field of a frozen dataclass (the report's contract, ``report_context``) is plain data the
program put there: it is read at once, without the sandbox's general path (some 7% of the
time of rendering Appendix A's thousands of rows). Anything else a field's name does not
cover (``__class__``, a method), and a field that holds something callable (Jinja wraps a
string's ``format`` method in its sandboxed formatter), still goes the general way.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from jinja2.sandbox import ImmutableSandboxedEnvironment


def data_fields(kind: type) -> frozenset[str]:
    """The public field names of a frozen dataclass (a private one, ``_x``, goes the general way
    and is refused); none for any other type."""
    params = kind.__dict__.get("__dataclass_params__")
    if params is None or not params.frozen:
        return frozenset()
    return frozenset(field.name for field in dataclasses.fields(kind) if not field.name.startswith("_"))


class Sandbox(ImmutableSandboxedEnvironment):
    """``ImmutableSandboxedEnvironment``, remembering its verdict per (type, attribute name)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._verdicts: dict[tuple[type, str], bool] = {}
        self._fields: dict[type, frozenset[str]] = {}

    def getattr(self, obj: Any, attribute: str) -> Any:
        kind = type(obj)
        fields = self._fields.get(kind)
        if fields is None:
            fields = self._fields[kind] = data_fields(kind)
        if attribute in fields:
            value = getattr(obj, attribute)
            if not callable(value):  # a callable (a string's ``format``) needs Jinja's checks
                return value
        return super().getattr(obj, attribute)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        kind = type(obj)
        if obj.__class__ is not kind:  # an object that claims another class is judged afresh each time
            return super().is_safe_attribute(obj, attr, value)
        key = (kind, attr)
        verdict = self._verdicts.get(key)
        if verdict is None:
            verdict = self._verdicts[key] = super().is_safe_attribute(obj, attr, value)
        return verdict
