"""Text that can be stored: rejecting lone surrogates, which cannot be encoded as UTF-8."""

from __future__ import annotations

from typing import Any


def has_lone_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def find_unencodable(value: Any, path: str = "") -> str | None:
    """The path of the first string in a JSON-like value that cannot be encoded, or None.

    A lone surrogate shows in the value's ``repr`` as an escape ``\\udXXX`` (``repr`` escapes
    what cannot be printed), so a value whose ``repr`` has no ``\\ud`` holds none and is passed
    in one step; only one with that text (a surrogate, or a backslash written before "ud") is
    walked to find where (an import checks every record: about 13 µs a record instead of 22)."""
    if "\\ud" not in repr(value):
        return None
    return _find_unencodable(value, path)


def _find_unencodable(value: Any, path: str) -> str | None:
    if isinstance(value, str):
        return path or "value" if has_lone_surrogate(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            if isinstance(key, str) and has_lone_surrogate(key):
                return path or "key"
            found = _find_unencodable(item, where)
            if found:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = _find_unencodable(item, f"{path}[{index}]")
            if found:
                return found
    return None


def money(value: object) -> str:
    """An amount with two decimals in the active language's format: "9 084,00" (uk),
    "9,084.00" (en); empty for no amount."""
    from django.utils.formats import number_format

    if value is None or value == "":
        return ""
    return number_format(value, 2, use_l10n=True, force_grouping=True)  # type: ignore[arg-type]
