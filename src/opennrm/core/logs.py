"""Logging filters: request lines without their query strings (names are searched there)."""

from __future__ import annotations

import logging
import re

# A query string in a request line or URL: from "?" to the next space or quote.
_QUERY = re.compile(r"\?[^\s\"']*")


def strip_query(text: str) -> str:
    return _QUERY.sub("", text)


class NoQueryStrings(logging.Filter):
    """Drop query strings from a record's message (the development server's request lines)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "?" in message:
            record.msg = strip_query(message)
            record.args = ()
        return True
