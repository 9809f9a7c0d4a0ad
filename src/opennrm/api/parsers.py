"""JSON parsing that refuses, with 400, text which cannot be stored (lone surrogates) and
nesting deeper than any record needs (no RecursionError reaches a view or the error log)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from opennrm.core.text import find_unencodable

# An HTCDS record nests four levels (records, record, events, event); 32 is generous.
MAX_DEPTH = 32


def too_deep(data: Any, limit: int = MAX_DEPTH) -> bool:
    """Whether lists and objects nest deeper than ``limit`` (iterative: no recursion)."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children = list(value.values())
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


class StrictJSONParser(JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(_("The JSON is nested too deeply.")) from None
        if too_deep(data):
            raise ParseError(_("The JSON is nested too deeply."))
        where = find_unencodable(data)
        if where is not None:
            raise ParseError(
                _("%(where)s contains characters that are not valid.") % {"where": where}
            )
        return data
