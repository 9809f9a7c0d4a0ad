"""Public statistics released with differential privacy (OpenDP), under a privacy budget.

A release is one indicator table for one calendar year: the exact counts of its categories get
discrete Laplace noise from OpenDP (each person is in exactly one category of a public table,
so one person changes one count by one: sensitivity 1), then post-processing that costs no
privacy: negative counts become 0, counts below the threshold (``OPENNRM_STATS_THRESHOLD``) are
shown as "fewer than <threshold>", the rest are rounded to 5, never to a value below the
threshold (a noisy 11 or 12 is published as 15, not 10). Every release is written in the
privacy ledger with its epsilon (and delta, 0 for this pure mechanism). Before noise is drawn
the ledger is checked: a release that would take the year's spent epsilon over its budget is
refused. Releasing the same table for the same year again returns the existing release and
spends nothing. The categories come from the code lists (the tables below all have fixed
category lists), never from the data: only such tables may be published.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from opennrm.access import statistics as gate
from opennrm.audit.services import record
from opennrm.core.disclosure import configured_threshold, round_count
from opennrm.reports.indicators import Filters, compute
from opennrm.reports.models import PublicRelease
from opennrm.tenancy.actor import Actor

# Tables whose categories are fixed by the code lists and partition the persons.
PUBLIC_TABLES = ("persons", "sex_age", "age_band", "citizenship", "identification_oblast")
MECHANISM = "discrete Laplace (OpenDP), sensitivity 1"


@dataclass(frozen=True)
class Budget:
    year: int
    epsilon: float
    spent: float

    @property
    def left(self) -> float:
        return max(0.0, self.epsilon - self.spent)


def budget(year: int) -> Budget:
    spent = PublicRelease.objects.filter(year=year).aggregate(s=Sum("epsilon"))["s"] or 0.0
    return Budget(year, settings.OPENNRM_DP_EPSILON_PER_YEAR, float(spent))


def _noisy(counts: list[int], epsilon: float) -> list[int]:
    import opendp.prelude as dp

    dp.enable_features("contrib")
    space = dp.vector_domain(dp.atom_domain(T=int)), dp.l1_distance(T=int)
    measurement = dp.m.make_laplace(*space, scale=1.0 / epsilon)
    assert measurement.map(1) <= epsilon + 1e-9  # type: ignore[no-untyped-call]
    return [int(value) for value in measurement(counts)]


def _shown(value: int, threshold: int) -> int | None:
    """Post-processing (no privacy spent): None stands for "fewer than the threshold"; the
    rest is rounded to 5 and never shows below the threshold."""
    value = max(0, value)
    if value < threshold:
        return None
    shown = round_count(value, 5, threshold)
    return max(shown, -(-threshold // 5) * 5)


def release(*, actor: Actor, table: str, year: int) -> tuple[PublicRelease, bool]:
    """Publish one table for one year; (release, created). Refused over the year's budget."""
    gate.require_publish(actor)
    if table not in PUBLIC_TABLES:
        raise ValidationError({"table": [_("Only tables with fixed categories can be published.")]})
    epsilon = settings.OPENNRM_DP_EPSILON_PER_TABLE
    with transaction.atomic():
        existing = PublicRelease.objects.select_for_update().filter(table=table, year=year).first()
        if existing is not None:
            return existing, False
        current = budget(year)
        if current.spent + epsilon > current.epsilon + 1e-9:
            raise ValidationError(
                _(
                    "This release needs epsilon %(need)s but only %(left)s of the %(year)s "
                    "budget (%(total)s) is left. Nothing was released."
                )
                % {
                    "need": epsilon,
                    "left": round(current.left, 4),
                    "year": year,
                    "total": current.epsilon,
                }
            )
        filters = Filters(dt.date(year, 1, 1), dt.date(year, 12, 31))
        indicators = compute(gate.cases_in_scope(actor), filters, national=gate.is_national(actor))
        if table == "persons":
            codes = [("persons", _("persons identified"), indicators.persons)]
        else:
            codes = [(row.code, str(row.label), row.count) for row in indicators.table(table).rows]
        noisy = _noisy([count for _c, _l, count in codes], epsilon)
        threshold = configured_threshold()
        values = [
            {"code": code, "label": label, "count": _shown(value, threshold)}
            for (code, label, _count), value in zip(codes, noisy, strict=True)
        ]
        published = PublicRelease.objects.create(
            table=table,
            year=year,
            title=str(indicators.table(table).title)
            if table != "persons"
            else _("Persons identified"),
            epsilon=epsilon,
            delta=0.0,
            mechanism=MECHANISM,
            values=values,
            threshold=threshold,
            released_by=actor.user,
        )
        record(
            action="stats.released",
            actor_id=actor.user.id,
            agency_id=actor.agency_id,
            object_type="public_release",
            object_id=published.id,
            detail={"table": table, "year": year, "epsilon": str(epsilon)},
        )
    return published, True
