"""A log formatter that prints a record's ``extra={...}`` fields after its message, as key=value.

Our code logs context as structured fields (``log.warning("source fetch failed", extra={"url": ...})``)
so that a JSON handler can ship them; the standard formatter drops them, which left operators
reading "source fetch failed" without knowing which source or why.
"""

from __future__ import annotations

import logging

# Every attribute a bare LogRecord has (plus the two the formatter itself adds): anything else on a
# record came from ``extra``.
_STANDARD = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


def _value(value: object) -> str:
    text = str(value)
    if not text or any(c.isspace() or c in '"=' for c in text):
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    return text


class KeyValueFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        fields = {k: v for k, v in record.__dict__.items() if k not in _STANDARD and not k.startswith("_")}
        if not fields:
            return line
        head, newline, rest = line.partition("\n")  # keep a traceback below the fields
        pairs = " ".join(f"{key}={_value(value)}" for key, value in fields.items())
        return f"{head} {pairs}{newline}{rest}"
