"""The web searches' rate limit, one copy: at most `OPENNRM_WEB_SEARCH_PER_MINUTE` searches of
a kind a minute per user, counted in the configured cache (the case list's name search and the
perpetrator register's identifier search; a refused search answers 429, web/too_many.html).
The API has its own, DRF's `search` throttle."""

from __future__ import annotations

from typing import Final

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from opennrm.tenancy.actor import Actor

# The counters, by kind of search (each kind has its own allowance).
NAME_SEARCH: Final = "web-search"
IDENTIFIER_SEARCH: Final = "web-identifier-search"


def search_allowed(actor: Actor, kind: str) -> bool:
    """Count one search of `kind` by the actor; False when it is over this minute's limit."""
    key = f"{kind}:{actor.user.id}:{timezone.now():%Y%m%d%H%M}"
    cache.add(key, 0, timeout=90)
    return int(cache.incr(key)) <= settings.OPENNRM_WEB_SEARCH_PER_MINUTE
