"""Template filters for text the interface shows in its language: legal sources, money."""

from __future__ import annotations

from django import template

from opennrm.core import text
from opennrm.core.sources import localized_source

register = template.Library()


@register.filter
def source(value: object) -> str:
    """A legal source in the interface's language, without developer notes."""
    return localized_source(value)


@register.filter
def money(value: object) -> str:
    """An amount with two decimals in the locale's format: "9 084,00" (uk), "9,084.00" (en)."""
    return text.money(value)
