"""The templates' sandbox, with its verdict on each attribute remembered.

Jinja's immutable sandbox asks, for every attribute a template reads, whether it is safe: not
private, not a Python internal (``is_internal_attribute``), not a method that changes a list,
set or dict (``modifies_known_mutable``). Both look at the object's type and the attribute's
name only, never at the value; so the verdict for a (type, name) pair is worked out once, where
a report reads tens of thousands of attributes of a few dozen types.
"""

from __future__ import annotations

from typing import Any

from jinja2.sandbox import ImmutableSandboxedEnvironment


class Sandbox(ImmutableSandboxedEnvironment):
    """``ImmutableSandboxedEnvironment``, remembering its verdict per (type, attribute name)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._verdicts: dict[tuple[type, str], bool] = {}

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        kind = type(obj)
        if obj.__class__ is not kind:  # an object that claims another class is judged afresh each time
            return super().is_safe_attribute(obj, attr, value)
        key = (kind, attr)
        verdict = self._verdicts.get(key)
        if verdict is None:
            verdict = self._verdicts[key] = super().is_safe_attribute(obj, attr, value)
        return verdict
