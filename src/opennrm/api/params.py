"""Query parameters read strictly: a value the schema does not allow is a 400 naming it, never
silently ignored (tests/test_api_contract.py sends such values)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from rest_framework.exceptions import ValidationError

TRUE, FALSE = "true", "false"


def choice(
    params: Mapping[str, Any], name: str, allowed: Collection[str], default: str = ""
) -> str:
    """One of `allowed` (or the default when the parameter is absent)."""
    if name not in params:
        return default
    value = str(params.get(name))
    if value not in allowed:
        raise ValidationError({name: [f"Must be one of: {', '.join(sorted(allowed))}."]})
    return value


def flag(params: Mapping[str, Any], name: str) -> bool:
    """`true` or `false` (absent: false)."""
    return choice(params, name, (TRUE, FALSE), FALSE) == TRUE
