"""Justice indicators: proceedings by article, unit and stage, victims taking part, protection,
compensation, convictions; in the stats API (table `proceedings`) and the period report."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from django.utils import translation

from opennrm.accounts.models import User
from opennrm.cases.models import Case
from opennrm.justice import services
from opennrm.justice import workflow as wf
from opennrm.justice.models import Proceeding
from opennrm.justice.suspects import SuspectIdentity
from opennrm.reports.indicators import Filters, compute
from opennrm.reports.period_report import content
from opennrm.tenancy.actor import Actor
from opennrm.tenancy.models import Agency
from tests.conftest import logged_in

PERIOD = Filters(dt.date(2016, 1, 1), dt.date(2016, 9, 30))


def _register(actor: Actor, n: int, on: dt.date, article: str = "149.2") -> object:
    return services.register_proceeding(
        actor=actor, erdr_number=f"1{on.year}22{n:010d}", registered_on=on, article=article
    )


def test_the_family_counts_proceedings_by_article_stage_and_outcome(
    people: dict[str, Actor],
    court: Agency,
    prosecutors: Agency,
    make_case: Callable[..., Case],
    actor_a: Actor,
) -> None:
    investigator, prosecutor, judge = people["investigator"], people["prosecutor"], people["judge"]
    first = _register(investigator, 1, dt.date(2016, 2, 1))
    _register(investigator, 2, dt.date(2016, 5, 1), article="149.1")
    _register(investigator, 3, dt.date(2016, 11, 1))  # after the period
    assert isinstance(first, Proceeding)
    services.assign_prosecution(
        actor=investigator, proceeding=first, prosecution_agency=prosecutors, prosecutor=None
    )
    suspect = services.add_suspect(
        actor=investigator,
        proceeding=first,
        identity=SuspectIdentity(family_name="Х"),
        role="Recruiter",
    )
    services.advance(
        actor=investigator, proceeding=first, action=wf.NOTIFY_SUSPICION, on=dt.date(2016, 3, 1)
    )
    services.advance(
        actor=prosecutor,
        proceeding=first,
        action=wf.SEND_INDICTMENT,
        on=dt.date(2016, 6, 1),
        court=court,
    )
    services.advance(actor=judge, proceeding=first, action=wf.OPEN_TRIAL, on=dt.date(2016, 7, 1))
    services.record_judgment(
        actor=judge,
        proceeding=first,
        suspect=suspect,
        decided_on=dt.date(2016, 9, 1),
        verdict="Conviction",
        sentence_type="Imprisonment",
        sentence_months=84,
    )
    victim = make_case(actor_a)
    participant = services.add_participant(
        actor=investigator, proceeding=first, case=victim, role="InjuredParty"
    )
    measure = services.request_protection(
        actor=investigator,
        participant=participant,
        measure="ConfidentialData",
        requested_on=dt.date(2016, 3, 5),
    )
    services.decide_protection(
        actor=investigator, measure=measure, decision="Granted", decided_on=dt.date(2016, 3, 9)
    )
    services.record_compensation(
        actor=prosecutor,
        participant=participant,
        route="CivilClaimInProceeding",
        claimed_uah=Decimal("100000"),
        awarded_uah=Decimal("40000"),
    )
    indicators = compute(Case.objects.all(), PERIOD, Proceeding.objects.all())
    tables = {t.key: t for t in indicators.tables}
    chain = {r.code: r.count for r in tables["proceedings"].rows}
    assert chain == {"registered": 2, "indicted": 1, "closed": 0, "convicted": 1, "acquitted": 0}
    articles = {r.code: r.count for r in tables["proceedings_article"].rows if r.count}
    assert articles == {"149.2": 1, "149.1": 1}
    assert {r.code: r.count for r in tables["proceedings_unit"].rows} == {"NationalPolice": 2}
    stages = {r.code: r.count for r in tables["proceedings_stage"].rows if r.count}
    assert stages == {wf.TRIAL: 1, wf.REGISTERED: 1}
    assert {r.code: r.count for r in tables["sentences"].rows if r.count} == {"Imprisonment": 1}
    victims = {r.code: r.count for r in tables["victims_in_proceedings"].rows}
    assert victims["protected"] == 1
    assert victims["compensated"] == 1
    with translation.override("en"):
        report = content(indicators, national=True)
    # Two proceedings are below the threshold: the chapter withholds them, as it must.
    assert [(str(f.label), f.value) for f in report.prosecution[:2]] == [
        ("Investigations opened (proceedings registered)", "—"),
        ("Prosecutions (indictments sent to court)", "—"),
    ]


def test_the_stats_api_carries_the_proceedings_table(
    people: dict[str, Actor], make_user: Callable[..., User], agency_a: Agency
) -> None:
    for n in range(12):
        _register(people["investigator"], n + 10, dt.date(2016, 3, 1) + dt.timedelta(days=n))
    statistician = make_user("s.statistician", agency_a, "statistician")
    body = (
        logged_in(statistician)
        .get("/api/v1/stats/", {"from": "2016-01-01", "to": "2016-09-30"})
        .json()
    )
    table = next(t for t in body["tables"] if t["key"] == "proceedings")
    rows = {r["code"]: r["persons"] for r in table["rows"]}
    # 12 registered: protected when it leaves (rounded to 5, never below the threshold).
    assert rows["registered"] == 15
