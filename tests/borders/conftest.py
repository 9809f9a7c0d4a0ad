"""Fixtures of the borders tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english(settings: Any) -> Iterator[None]:
    """The messages asserted here are the English ones (Ukrainian is the default language;
    the browser story checks the Ukrainian ones)."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
