"""The public statistics page (no login): the tables released with differential privacy."""

from __future__ import annotations

from itertools import groupby

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from opennrm.core.disclosure import configured_threshold
from opennrm.reports.models import PublicRelease
from opennrm.reports.publication import budget


def public_statistics(request: HttpRequest) -> HttpResponse:
    releases = list(PublicRelease.objects.order_by("-year", "released_at"))
    years = [
        {"year": year, "releases": list(items), "budget": budget(year)}
        for year, items in groupby(releases, key=lambda r: r.year)
    ]
    return render(
        request,
        "statistics/public.html",
        {"years": years, "threshold": configured_threshold()},
    )
