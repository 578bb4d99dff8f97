"""The base of every record type, and the error a model's own rule raises.

Every model forbids unknown fields and validates strictly (a date must be a YAML date, not a
string or a number), so that a typo in the register is an error rather than an ignored key. A
rule that a model checks itself (``give exactly one of …``) raises ``rule_error`` with its own
diagnostic code, so that validation can name the rule that failed.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field
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


class Acknowledgement(Record):
    """A warning kept on purpose: ``code`` names the warning, ``reason`` says why it stays.

    It sits on the item the warning points at (an event, a DCC assessment, or the modification
    itself for a warning about the whole record). ``secstatus validate`` then shows the warning only
    with ``--show-acknowledged``, and ``--strict`` does not fail on it. An acknowledgement that
    matches no warning on its item is itself a warning (``stale-acknowledgement``), so that one
    outlives the anomaly it excused by no more than a validation run. Errors cannot be acknowledged.
    """

    code: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    reason: str = Field(pattern=r"\S")
