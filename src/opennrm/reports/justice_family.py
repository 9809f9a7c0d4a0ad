"""Justice indicators: the criminal-justice chain as a family of the statistics registry.

Counted per proceeding, participant or judgment (not per person, except the persons identified
in the period who take part in a proceeding). The proceedings in scope come from the gate
(`access.statistics.proceedings_in_scope`): every proceeding for national statistics, else those
the agency registered, prosecutes or tries, or in which its cases take part. Categories come
from the code lists (articles, stages, sentence types), never from the data.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from opennrm.core.codes import AGENCY_KIND, CC_ARTICLE, SENTENCE_TYPE, code_list
from opennrm.justice import workflow as wf
from opennrm.justice.models import (
    Compensation,
    Judgment,
    Participant,
    Proceeding,
    ProtectionMeasure,
    StageStep,
)
from opennrm.reports.indicators import Context, Row, Table, family


def _in_scope(context: Context) -> QuerySet[Proceeding]:
    if context.proceedings is not None:
        proceedings = context.proceedings
        if context.filters.oblast or context.filters.agency_kind:
            # The filters name the identification of cases: proceedings of those cases.
            proceedings = proceedings.filter(participants__case__in=context.cases.values("id"))
        return proceedings.distinct()
    return Proceeding.objects.filter(participants__case__in=context.cases.values("id")).distinct()


def _stage_at(steps: list[tuple[str, dt.date]], end: dt.date) -> str:
    stage = wf.REGISTERED
    for to_stage, on in steps:
        if on <= end:
            stage = to_stage
    return stage


@family
def proceedings(context: Context) -> Iterable[Table]:
    start, end = context.filters.start, context.filters.end
    scope = _in_scope(context)
    ids = scope.values("id")
    registered = list(
        Proceeding.objects.filter(id__in=ids, registered_on__range=(start, end)).values_list(
            "id", "article", "registering_agency__kind"
        )
    )
    steps = list(
        StageStep.objects.filter(proceeding_id__in=ids, on__range=(start, end)).values_list(
            "action", flat=True
        )
    )
    judgments = list(
        Judgment.objects.filter(proceeding_id__in=ids, decided_on__range=(start, end)).values_list(
            "verdict", "sentence_type"
        )
    )
    convicted = sum(1 for verdict, _type in judgments if verdict == "Conviction")
    yield Table(
        "proceedings",
        _("Criminal proceedings"),
        (
            Row("registered", _("registered in the period"), len(registered)),
            Row("indicted", _("indictments sent to court"), steps.count(wf.SEND_INDICTMENT)),
            Row("closed", _("closed without indictment"), steps.count(wf.CLOSE)),
            Row("convicted", _("persons convicted"), convicted),
            Row(
                "acquitted",
                _("persons acquitted"),
                sum(1 for verdict, _type in judgments if verdict == "Acquittal"),
            ),
        ),
        len(registered),
        overlapping=True,
        unit="proceedings",
    )
    articles = Counter(article for _id, article, _kind in registered)
    yield Table(
        "proceedings_article",
        _("Proceedings registered, by article of the Criminal Code"),
        tuple(Row(c.code, c.label, articles[c.code]) for c in code_list(CC_ARTICLE)),
        len(registered),
        unit="proceedings",
    )
    kinds = Counter(kind for _id, _article, kind in registered)
    yield Table(
        "proceedings_unit",
        _("Proceedings registered, by kind of registering unit"),
        tuple(Row(c.code, c.label, kinds[c.code]) for c in code_list(AGENCY_KIND) if kinds[c.code]),
        len(registered),
        unit="proceedings",
    )
    # The stage at the period's end of every proceeding registered by then.
    open_by_end = list(scope.filter(registered_on__lte=end).values_list("id", flat=True))
    history: dict[object, list[tuple[str, dt.date]]] = {pid: [] for pid in open_by_end}
    for pid, to_stage, on in (
        StageStep.objects.filter(proceeding_id__in=open_by_end)
        .order_by("on", "recorded_at")
        .values_list("proceeding_id", "to_stage", "on")
    ):
        history[pid].append((to_stage, on))
    stages = Counter(_stage_at(steps_, end) for steps_ in history.values())
    yield Table(
        "proceedings_stage",
        _("Proceedings by stage at the end of the period"),
        tuple(Row(state, wf.STATE_LABELS[state], stages[state]) for state in wf.STATES),
        len(open_by_end),
        unit="proceedings",
    )
    sentences = Counter(kind for verdict, kind in judgments if verdict == "Conviction")
    yield Table(
        "sentences",
        _("Convictions, by sentence"),
        tuple(Row(c.code, c.label, sentences[c.code]) for c in code_list(SENTENCE_TYPE)),
        convicted,
        unit="persons",
    )
    participants = Participant.objects.filter(proceeding_id__in=ids)
    roles = Counter(
        participants.filter(added_at__date__range=(start, end)).values_list("role", flat=True)
    )
    protected = (
        ProtectionMeasure.objects.filter(
            participant__in=participants, decision="Granted", decided_on__range=(start, end)
        )
        .values("participant_id")
        .distinct()
        .count()
    )
    awarded = (
        Compensation.objects.filter(participant__in=participants, awarded_uah__gt=0)
        .values("participant_id")
        .distinct()
        .count()
    )
    yield Table(
        "victims_in_proceedings",
        _("Victims and witnesses in criminal proceedings"),
        (
            Row("InjuredParty", _("joined as injured parties"), roles["InjuredParty"]),
            Row("Witness", _("joined as witnesses"), roles["Witness"]),
            Row("protected", _("protection granted"), protected),
            Row("compensated", _("compensation awarded"), awarded),
        ),
        sum(roles.values()),
        overlapping=True,
        unit="participants",
    )
    through = context.persons.taking_part(participants.values_list("case_id", flat=True))
    yield Table(
        "identified_in_proceedings",
        _("Persons identified in the period who take part in a criminal proceeding"),
        (Row("taking_part", _("taking part in a proceeding"), through),),
        context.persons.count(),
    )
