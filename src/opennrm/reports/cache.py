"""Computed indicators kept for a few minutes (``OPENNRM_STATS_CACHE_SECONDS``), per scope,
filters and language, so that opening the dashboard again, its CSVs and the API do not count
the register again. The page says when its figures were computed and offers to recount."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import get_language

from opennrm.cases.models import Case
from opennrm.reports.indicators import Filters, Indicators, compute
from opennrm.training.queries import Scope as TrainingScope


def indicators_for(
    *,
    scope: str,
    cases: QuerySet[Case],
    filters: Filters,
    fresh: bool = False,
    proceedings: QuerySet[Any] | None = None,
    training: TrainingScope | None = None,
    national: bool = False,
) -> tuple[Indicators, dt.datetime]:
    """(indicators, when they were computed). ``scope`` names what ``cases`` covers;
    ``national``: every case (``compute``)."""
    seconds = settings.OPENNRM_STATS_CACHE_SECONDS
    if seconds <= 0:
        return compute(cases, filters, proceedings, training, national=national), timezone.now()
    text = f"{scope}|{filters.start}|{filters.end}|{filters.oblast}|{filters.agency_kind}"
    key = "opennrm-stats:" + hashlib.sha256(f"{text}|{get_language()}".encode()).hexdigest()
    if not fresh:
        hit = cache.get(key)
        if hit is not None:
            indicators, computed_at = hit
            return indicators, computed_at
    indicators = compute(cases, filters, proceedings, training, national=national)
    computed_at = timezone.now()
    cache.set(key, (indicators, computed_at), seconds)
    return indicators, computed_at
