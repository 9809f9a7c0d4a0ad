"""`core.text.find_unencodable`: the first string that cannot be stored as UTF-8 (a lone
surrogate), found by its path, however the value nests; text that only looks like an escape
is not one."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from opennrm.core.text import find_unencodable


def test_a_lone_surrogate_is_found_where_it_is() -> None:
    record = {
        "prs_FirstName": "Наталія",
        "events": [{"type": "Recruitment"}, {"type": "Exploitation", "place": "Київ\ud800"}],
    }
    assert find_unencodable(record) == "events[1].place"
    assert find_unencodable({"a\udfff": 1}) == "key"
    assert find_unencodable(["ok", "\udbff"]) == "[1]"
    assert find_unencodable("\ud800") == "value"


def test_text_without_a_surrogate_passes_even_when_it_looks_like_an_escape() -> None:
    assert find_unencodable({"note": "written \\ud800 by hand", "n": 3}) is None
    assert find_unencodable({"emoji": "\U0001f600", "date": dt.date(2024, 2, 29)}) is None
    assert find_unencodable([Decimal("1.5"), None, True, {"nested": ["Ї"]}]) is None
    assert find_unencodable({}) is None
