"""Capacity building as a family of the statistics registry.

Counts of trained staff are not victim data, but the tables keep the registry's shapes (code,
label, count; a total; a unit) so the dashboard, its CSVs and the period report show them like
every other table. A training counts in the period it started in; a person trained counts once
(the training register matches them), under the profession, oblast and sex of their latest
participation in the period (`training/queries.py`).

Scope: the trainings and equipment the gate gives (`access.training.statistics_scope`): every
agency's for national statistics, else the reader's agency's. "What followed"
(`reports/training_followed.py`) counts identifications and referrals of the cases in scope
(after the dashboard's filters) around each training: an observation, not a causal claim.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from opennrm.core.codes import AGENCY_KIND, GENDER, PROFESSION, TRAINING_FORMAT, code_list
from opennrm.reports.indicators import Context, Row, Table, family
from opennrm.reports.training_followed import MONTHS, Followed, what_followed
from opennrm.training import queries
from opennrm.training.models import Participation
from opennrm.training.queries import empty_scope

OBSERVATION = _(
    "An observation, not a causal claim: agencies choose whom they train, and identifications "
    "change for many reasons."
)


def followed_tables(followed: Followed) -> tuple[Table, Table]:
    """Identifications and referrals before and after the trainings, trained agencies beside
    the others (the dashboard's and the donor report's tables)."""
    tables = []
    for key, title, unit, trained, other in (
        (
            "training_followed_identified",
            _("What followed: identifications around the trainings"),
            "cases",
            followed.trained_identified,
            followed.other_identified,
        ),
        (
            "training_followed_referred",
            _("What followed: referrals sent around the trainings"),
            "referrals",
            followed.trained_referred,
            followed.other_referred,
        ),
    ):
        t_mean = followed.per_agency(trained, True)
        o_mean = followed.per_agency(other, False)
        note = _(
            "%(months)s months before and after each training. Agencies trained: "
            "%(trained)s (per agency %(t_before)s before, %(t_after)s after); agencies not "
            "trained: %(others)s (per agency %(o_before)s before, %(o_after)s after). "
        ) % {
            "months": MONTHS,
            "trained": followed.trained_pairs,
            "t_before": t_mean[0],
            "t_after": t_mean[1],
            "others": followed.other_agencies,
            "o_before": o_mean[0],
            "o_after": o_mean[1],
        } + str(OBSERVATION)
        tables.append(
            Table(
                key,
                title,
                (
                    Row("trained_before", _("agencies trained: before"), trained[0]),
                    Row("trained_after", _("agencies trained: after"), trained[1]),
                    Row("other_before", _("agencies not trained: before"), other[0]),
                    Row("other_after", _("agencies not trained: after"), other[1]),
                ),
                sum(trained) + sum(other),
                overlapping=True,
                unit=unit,
                note=note,
            )
        )
    return tables[0], tables[1]


@family
def trainings(context: Context) -> Iterable[Table]:
    scope = context.training or empty_scope()
    start, end = context.filters.start, context.filters.end
    summary = queries.summary(scope.trainings, scope.equipment, start, end)
    held = queries.held_in(scope.trainings, start, end)
    formats = Counter(held.values_list("format", flat=True))
    yield Table(
        "training_events",
        _("Trainings held, by format"),
        tuple(Row(c.code, c.label, formats[c.code]) for c in code_list(TRAINING_FORMAT)),
        summary.events,
        unit="events",
    )
    enforcing = queries.law_enforcer_professions()
    yield Table(
        "training_professions",
        _("People trained, by profession"),
        tuple(Row(c.code, c.label, summary.by_profession[c.code]) for c in code_list(PROFESSION)),
        summary.participants,
        note=_("Law enforcers trained: %(count)s (professions: %(list)s).")
        % {
            "count": summary.law_enforcers,
            "list": ", ".join(str(code_list(PROFESSION).label(p)) for p in sorted(enforcing)),
        },
    )
    yield Table(
        "training_law_enforcers",
        _("People trained: law enforcers and others"),
        (
            Row("law_enforcers", _("law enforcers"), summary.law_enforcers),
            Row("others", _("other professions"), summary.participants - summary.law_enforcers),
        ),
        summary.participants,
    )
    yield Table(
        "training_sex",
        _("People trained, by sex"),
        tuple(Row(c.code, c.label, summary.by_sex[c.code]) for c in code_list(GENDER)),
        summary.participants,
    )
    oblasts = Counter(p.oblast for p in summary.persons)
    yield Table(
        "training_oblasts",
        _("People trained, by the oblast where they work"),
        tuple(Row(c.code, c.label, oblasts[c.code]) for c in code_list("oblast")),
        summary.participants,
        map=True,
    )
    scores: list[tuple[int, int]] = [
        (int(pre or 0), int(post or 0))
        for pre, post in Participation.objects.filter(
            training__in=held, pre_score__isnull=False, post_score__isnull=False
        ).values_list("pre_score", "post_score")
    ]
    gain = summary.mean_gain
    yield Table(
        "training_knowledge",
        _("Knowledge: post-test against pre-test"),
        (
            Row("improved", _("scored higher after"), sum(1 for a, b in scores if b > a)),
            Row("same", _("scored the same"), sum(1 for a, b in scores if b == a)),
            Row("lower", _("scored lower after"), sum(1 for a, b in scores if b < a)),
        ),
        len(scores),
        unit="participations",
        note=(
            _("Mean pre-test %(pre)s, post-test %(post)s: a gain of %(gain)s points.")
            % {"pre": summary.mean_pre, "post": summary.mean_post, "gain": gain}
            if gain is not None
            else ""
        ),
    )
    given = list(
        scope.equipment.filter(given_on__range=(start, end)).values_list(
            "recipient__kind", "quantity"
        )
    )
    kinds: Counter[str] = Counter()
    for kind, quantity in given:
        kinds[kind] += quantity
    value = "; ".join(
        f"{amount} {currency}" for currency, amount in sorted(summary.equipment_value.items())
    )
    yield Table(
        "training_equipment",
        _("Equipment delivered, by kind of recipient agency"),
        tuple(Row(c.code, c.label, kinds[c.code]) for c in code_list(AGENCY_KIND) if kinds[c.code]),
        summary.equipment_items,
        unit="items",
        note=_("Value: %(value)s.") % {"value": value} if value else "",
    )
    yield from followed_tables(what_followed(held, context.cases, scope.trainings))
