"""Telephone numbers in E.164 form, for exact comparison of contact details.

Ukrainian numbers are accepted as written locally (067 123 45 67), with the country code
(380..., +380..., 38 0..., and the common slip +380 0...), with the old trunk prefix
(8 067 ...), or with the international prefix 00. Other numbers are accepted only with an
explicit + or 00 and a plausible length (8 to 15 digits). Anything else gives None: a phone
that cannot be normalised should not match.
"""

from __future__ import annotations

import re

_UKRAINE = "380"
_NATIONAL_LENGTH = 9  # digits after +380: a two-digit operator or area code and seven digits
_SEPARATORS = re.compile(r"[\s().\-–/]")
_ALLOWED = re.compile(r"^\+?\d+$")


def _ukrainian(national: str) -> str | None:
    if len(national) == _NATIONAL_LENGTH + 1 and national[0] == "0":
        national = national[1:]  # +380 067...: the trunk 0 kept after the country code
    if len(national) != _NATIONAL_LENGTH or national[0] == "0":
        return None
    return f"+{_UKRAINE}{national}"


def to_e164(text: str | None) -> str | None:
    """A telephone number as +<country><number>, or None when it cannot be determined."""
    if not text:
        return None
    compact = _SEPARATORS.sub("", text.strip())
    if not _ALLOWED.match(compact):
        return None
    international = compact.startswith("+") or compact.startswith("00")
    digits = compact.lstrip("+")
    if digits.startswith("00"):
        digits = digits[2:]
    if digits.startswith(_UKRAINE):
        return _ukrainian(digits[len(_UKRAINE) :])
    if international:
        return f"+{digits}" if 8 <= len(digits) <= 15 and digits[0] != "0" else None
    if digits.startswith("80") and len(digits) == 11:
        return _ukrainian(digits[2:])
    if digits.startswith("0") and len(digits) == 10:
        return _ukrainian(digits[1:])
    return None
