"""Register text on one line: what every output that prints a value from a pull request relies on.

A line break or a control character in a file name, a commit subject or a message quoting the
register would start a line of its own (a CI log reads a line that starts ``::`` as a command, a
terminal reads escapes): ``one_line`` shows each escaped, and the Markdown reports make each a
space (``render.md_text``).
"""

from __future__ import annotations

import re

BREAKS_AND_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
"""A line break or control character: what no one-line output may print as it is (the models
refuse the same in a one-line field: ``record.ONE_LINE_PATTERN``)."""


def one_line(text: str) -> str:
    """``text`` with each line break or control character written as its escape (``\\n``, ``\\x07``)."""
    return BREAKS_AND_CONTROLS.sub(lambda m: repr(m.group())[1:-1], text)
