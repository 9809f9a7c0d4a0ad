"""JSON parsing that refuses text which cannot be stored (lone surrogates) with 400."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from opennrm.core.text import find_unencodable


class StrictJSONParser(JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        data = super().parse(stream, media_type, parser_context)
        where = find_unencodable(data)
        if where is not None:
            raise ParseError(
                _("%(where)s contains characters that are not valid.") % {"where": where}
            )
        return data
