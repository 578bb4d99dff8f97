"""The base of every record type, and the error a model's own rule raises.

Every model forbids unknown fields and validates strictly (a date must be a YAML date, not a
string or a number), so that a typo in the register is an error rather than an ignored key. A
rule that a model checks itself (``give exactly one of …``) raises ``rule_error`` with its own
diagnostic code, so that validation can name the rule that failed.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict
from pydantic_core import PydanticCustomError

RULE_CODES: dict[str, str] = {}
"""Each code a model rule can raise, with what it means (for the diagnostic catalogue)."""


class Record(BaseModel):
    """Base of every record and nested item: unknown fields are errors, types are strict."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


def rule(code: str, meaning: str) -> str:
    """Declare a model rule's diagnostic code once, with its meaning; returns the code."""
    RULE_CODES[code] = meaning
    return code


def rule_error(code: str, message: str) -> PydanticCustomError:
    """The error a model rule raises: its ``type`` is the rule's diagnostic code."""
    if code not in RULE_CODES:
        raise KeyError(f"undeclared rule code {code!r}")
    return PydanticCustomError(code, message)
