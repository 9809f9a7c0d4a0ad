"""The global picture beside the national figures: the imported CTDC datasets for the years of
the period (public data, already anonymised by CTDC)."""

from __future__ import annotations

from dataclasses import dataclass

import pycountry
from django.db.models import Count, Q

from opennrm.core.codes import COUNTRY, code_list
from opennrm.reports.indicators import Filters
from opennrm.reports.models import ContextDataset, ContextRecord


@dataclass(frozen=True)
class GlobalPicture:
    dataset: ContextDataset
    years: str
    victims: int
    men_percent: int | None
    forced_labour_percent: int | None
    top_countries: list[str]


def global_picture(filters: Filters) -> list[GlobalPicture]:
    pictures = []
    years = (filters.start.year, filters.end.year)
    for dataset in ContextDataset.objects.all():
        records = ContextRecord.objects.filter(dataset=dataset, year__range=years)
        totals = records.aggregate(
            n=Count("id"),
            men=Count("id", filter=Q(gender="Man")),
            labour=Count("id", filter=Q(is_forced_labour=True)),
        )
        n = totals["n"]
        countries = (
            records.exclude(country_of_exploitation="")
            .values("country_of_exploitation")
            .annotate(n=Count("id"))
            .order_by("-n", "country_of_exploitation")[:3]
        )
        names = code_list(COUNTRY)
        top = []
        for row in countries:
            code = row["country_of_exploitation"]
            alpha2 = pycountry.countries.get(alpha_3=code)
            top.append(names.label(alpha2.alpha_2) if alpha2 else code)
        pictures.append(
            GlobalPicture(
                dataset=dataset,
                years=f"{years[0]}–{years[1]}" if years[0] != years[1] else str(years[0]),
                victims=n,
                men_percent=round(100 * totals["men"] / n) if n else None,
                forced_labour_percent=round(100 * totals["labour"] / n) if n else None,
                top_countries=top,
            )
        )
    return pictures
