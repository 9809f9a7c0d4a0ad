"""Template filters for text the interface shows in its language: legal sources, age bands."""

from __future__ import annotations

from django import template

from opennrm.core.sources import localized_source

register = template.Library()


@register.filter
def source(value: object) -> str:
    """A legal source in the interface's language, without developer notes."""
    return localized_source(value)
