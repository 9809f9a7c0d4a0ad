"""Incidents and stops at the border as a family of the statistics registry.

An incident (a trafficking or attempted-trafficking event) can involve several persons, so
incidents and persons are counted apart ("19 cases in 2015-16, some with several victims"):
table `incidents` (rows `all`, `idp`, `persons`, `idp_persons`). Persons stopped at the border
before exploitation are not victims and are counted apart from them: table `stops`.

Scope: the incidents linked to the cases in scope or recorded by the agencies that own them
(national statistics: every agency with cases); the stops recorded by those agencies.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from opennrm.borders.models import Incident, Stop
from opennrm.core.codes import STOP_KIND, code_list
from opennrm.reports.indicators import Context, Row, Table, family


@family
def incidents(context: Context) -> Iterable[Table]:
    start, end = context.filters.start, context.filters.end
    agencies = context.cases.values("owner_agency_id")
    in_scope = Incident.objects.filter(
        Q(cases__in=context.cases.values("id")) | Q(agency_id__in=agencies),
        occurred_on__range=(start, end),
    ).values("id")
    rows = list(Incident.objects.filter(id__in=in_scope).values_list("involves_idp", "victims"))
    idp = [victims for involves, victims in rows if involves]
    yield Table(
        "incidents",
        _("Incidents (trafficking and attempts)"),
        (
            Row("all", _("incidents"), len(rows)),
            Row("idp", _("incidents involving IDPs"), len(idp)),
            Row("persons", _("persons involved"), sum(v for _i, v in rows)),
            Row("idp_persons", _("persons involved in IDP incidents"), sum(idp)),
        ),
        len(rows),
        overlapping=True,
        unit="incidents",
        note=_("An incident can involve several persons: incidents and persons are counted apart."),
    )
    stops = list(
        Stop.objects.filter(agency_id__in=agencies, stopped_on__range=(start, end)).values_list(
            "kind", "persons"
        )
    )
    kinds = code_list(STOP_KIND)
    yield Table(
        "stops",
        _("Persons stopped at the border before exploitation"),
        tuple(Row(c.code, c.label, sum(p for k, p in stops if k == c.code)) for c in kinds.codes),
        sum(p for _k, p in stops),
        note=_("Not victims: counted apart from the persons identified."),
    )
