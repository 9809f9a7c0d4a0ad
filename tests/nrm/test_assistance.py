"""Assistance: provider search by eligibility and beds, plans and services with their audit,
objectives encrypted at rest, process measures, timeline entries and action items."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import QuerySet
from django.utils import translation

from opennrm.access.policy import visible_cases
from opennrm.audit.models import AuditEvent
from opennrm.cases.models import Case
from opennrm.cases.services import change_case_status
from opennrm.core.codes import PURPOSE, SUPPORT_TYPE, code_list
from opennrm.core.workflow import IllegalTransition
from opennrm.nrm.assistance import queries, services, timeline
from opennrm.nrm.assistance.models import ServiceDelivery, ServiceProvider, SupportPlan
from opennrm.nrm.assistance.objectives import open_objectives, rewrap_all
from opennrm.nrm.assistance.types import (
    REFERRAL_PURPOSES,
    assistance_types,
    htcds_type,
    referral_purpose,
)
from opennrm.tenancy.actor import Actor
from opennrm.tenancy.models import Agency
from opennrm.vault.aead import DecryptionError
from opennrm.vault.keyring import current_keyring
from tests.conftest import person_input
from tests.nrm.test_assistance_support import (
    OBJECTIVE_WORDS,
    OBJECTIVES,
    add_provider,
    new_agency,
)

SHELTER = "ShelterPlacement"


# --- the code list ---------------------------------------------------------------------------


def test_assistance_types_are_htcds_types_plus_national_ones_each_mapped() -> None:
    types = assistance_types()
    htcds = code_list(SUPPORT_TYPE)
    assert set(htcds.values) < set(types.values)
    extra = set(types.values) - set(htcds.values)
    assert extra == {
        "ShelterPlacement",
        "Medical",
        "Psychological",
        "LegalAid",
        "VocationalTraining",
        "MicroGrant",
        "ReturnReintegration",
    }
    for code in types.values:
        assert htcds_type(code) in htcds
        assert types.get(code).label_uk
    assert htcds_type("ShelterPlacement") == "SocialCare"
    assert set(REFERRAL_PURPOSES.values()) <= set(code_list(PURPOSE).values)
    assert referral_purpose("ShelterPlacement") == "Shelter"
    assert referral_purpose("MicroGrant") == "Other"
    assert referral_purpose("", offered=["MicroGrant", "LegalAid"]) == "Legal"


# --- the provider directory ------------------------------------------------------------------


def test_a_women_only_shelter_is_not_offered_for_a_man(
    shevchenko_case: Case, actor_a: Actor
) -> None:
    women = add_provider(
        actor_a,
        new_agency("Women's shelter", "Shelter"),
        [SHELTER],
        sexes=["Feminine", "TransgenderFeminine"],
        beds_total=10,
        beds_free=3,
    )
    anyone = add_provider(
        actor_a, new_agency("Shelter for all", "Shelter"), [SHELTER], beds_total=4, beds_free=1
    )
    assert shevchenko_case.person.gender == "Masculine"
    who = queries.eligibility_of(shevchenko_case)
    found = queries.provider_directory(
        queries_base(), queries.ProviderFilters(type=SHELTER, eligible_for=who)
    )
    assert list(found) == [anyone]
    unfiltered = queries.provider_directory(queries_base(), queries.ProviderFilters(type=SHELTER))
    assert set(unfiltered) == {women, anyone}
    assert not queries.is_eligible(women, who)


def queries_base() -> QuerySet[ServiceProvider]:
    return ServiceProvider.objects.all()


def test_a_full_shelter_is_filtered_out_by_free_beds(actor_a: Actor) -> None:
    full = add_provider(
        actor_a, new_agency("Full shelter", "Shelter"), [SHELTER], beds_total=8, beds_free=0
    )
    free = add_provider(
        actor_a, new_agency("Free shelter", "Shelter"), [SHELTER], beds_total=8, beds_free=2
    )
    add_provider(actor_a, new_agency("Lawyers"), ["LegalAid"])
    base = queries_base()
    assert list(queries.provider_directory(base, queries.ProviderFilters(free_beds=True))) == [free]
    everyone = queries.provider_directory(base, queries.ProviderFilters(type=SHELTER))
    assert set(everyone) == {full, free}


def test_age_citizenship_oblast_and_activity_narrow_the_search(
    shevchenko_case: Case, actor_a: Actor
) -> None:
    children = add_provider(actor_a, new_agency("Children"), ["Psychological"], max_age=17)
    foreigners = add_provider(
        actor_a, new_agency("Foreigners"), ["LegalAid"], citizenship="foreign"
    )
    citizens = add_provider(actor_a, new_agency("Citizens"), ["LegalAid"], citizenship="ukrainian")
    lviv = add_provider(actor_a, new_agency("Lviv"), ["Medical"], oblast="UA-46")
    closed = add_provider(actor_a, new_agency("Closed"), ["Medical"], is_active=False)
    base = queries_base()
    who = queries.eligibility_of(shevchenko_case)
    assert (who.age, who.citizenships) == (28, ("UA",))
    found = set(queries.provider_directory(base, queries.ProviderFilters(eligible_for=who)))
    assert found == {citizens, lviv}
    in_lviv = queries.provider_directory(base, queries.ProviderFilters(oblast="UA-46"))
    assert list(in_lviv) == [lviv]
    # Unknown facts exclude nobody: the caseworker decides with the provider.
    unknown = queries.Eligibility()
    assert set(queries.provider_directory(base, queries.ProviderFilters(eligible_for=unknown))) == {
        children,
        foreigners,
        citizens,
        lviv,
    }
    everything = queries.ProviderFilters(include_inactive=True)
    assert closed in set(queries.provider_directory(base, everything))


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"services": []}, "services"),
        ({"services": ["Housing"]}, "services"),
        ({"oblast": "UA-99"}, "oblast"),
        ({"sexes": ["Female"]}, "sexes"),
        ({"citizenship": "eu"}, "citizenship"),
        ({"min_age": 18, "max_age": 17}, "max_age"),
        ({"services": ["LegalAid"], "beds_total": 3}, "beds_total"),
        ({"beds_total": 3, "beds_free": 4}, "beds_free"),
        ({"beds_free": 2}, "beds_total"),
    ],
)
def test_provider_entries_are_validated_by_field(
    changes: dict[str, object], field: str, actor_a: Actor
) -> None:
    values: dict[str, object] = {"services": [SHELTER]}
    values.update(changes)
    offered = values.pop("services")
    agency = new_agency("Invalid")
    with pytest.raises(ValidationError) as info:
        add_provider(actor_a, agency, offered, **values)  # type: ignore[arg-type]
    assert field in info.value.message_dict


def test_updating_a_provider_is_audited_with_field_names_only(actor_a: Actor) -> None:
    agency = new_agency("Shelter", "Shelter")
    provider = add_provider(actor_a, agency, [SHELTER], beds_total=6, beds_free=6)
    data = services.ProviderInput(
        agency=agency, services=[SHELTER], oblast="UA-63", beds_total=6, beds_free=1
    )
    services.update_provider(actor=actor_a, provider=provider, data=data)
    services.update_provider(actor=actor_a, provider=provider, data=data)  # nothing changed
    events = AuditEvent.objects.filter(object_id=str(provider.id)).order_by("seq")
    assert [(e.action, e.detail.get("fields")) for e in events] == [
        ("provider.added", None),
        ("provider.updated", ["beds_free"]),
    ]


# --- plans and services ----------------------------------------------------------------------


@pytest.fixture
def shelter(actor_a: Actor) -> ServiceProvider:
    return add_provider(
        actor_a, new_agency("Shelter Kharkiv", "Shelter"), [SHELTER, "Psychological"]
    )


def test_plan_deliver_and_cancel_each_leave_one_audit_event(
    shevchenko_case: Case, actor_a: Actor, shelter: ServiceProvider
) -> None:
    plan = services.record_plan(
        actor=actor_a,
        case=shevchenko_case,
        objectives=OBJECTIVES,
        planned_end_date=dt.date(2016, 9, 30),
    )
    stay = services.plan_service(
        actor=actor_a,
        case=shevchenko_case,
        type=SHELTER,
        plan=plan,
        provider=shelter,
        planned_on=dt.date(2016, 3, 15),
    )
    assert stay.provider_agency_id == shelter.agency_id
    services.record_delivery(actor=actor_a, service=stay, delivered_from=dt.date(2016, 3, 16))
    services.record_delivery(
        actor=actor_a,
        service=stay,
        delivered_from=dt.date(2016, 3, 16),
        delivered_until=dt.date(2016, 5, 1),
    )
    grant = services.plan_service(
        actor=actor_a,
        case=shevchenko_case,
        type="MicroGrant",
        plan=plan,
        provider_agency=new_agency("Fund"),
        planned_on=dt.date(2016, 6, 1),
    )
    services.cancel_service(actor=actor_a, service=grant)
    stay.refresh_from_db()
    grant.refresh_from_db()
    assert (stay.state, stay.delivered_until) == ("delivered", dt.date(2016, 5, 1))
    assert grant.state == "cancelled"
    events = list(
        AuditEvent.objects.filter(object_id=str(shevchenko_case.id))
        .exclude(action__startswith="case.")
        .order_by("seq")
    )
    assert [e.action for e in events] == [
        "assistance.plan_recorded",
        "assistance.service_planned",
        "assistance.service_delivered",
        "assistance.delivery_updated",
        "assistance.service_planned",
        "assistance.service_cancelled",
    ]
    assert events[1].detail["type"] == SHELTER
    assert events[1].detail["plan"] == str(plan.id)
    for event in events:
        for word in OBJECTIVE_WORDS:
            assert word not in str(event.detail)
    assert queries.plan_htcds_types(plan) == ["SocialCare"]


def test_delivered_services_cannot_be_cancelled_nor_cancelled_ones_delivered(
    shevchenko_case: Case, actor_a: Actor, shelter: ServiceProvider
) -> None:
    kw: dict[str, Any] = {"actor": actor_a, "case": shevchenko_case, "provider": shelter}
    done = services.plan_service(type=SHELTER, planned_on=dt.date(2016, 3, 15), **kw)
    services.record_delivery(actor=actor_a, service=done, delivered_from=dt.date(2016, 3, 15))
    with pytest.raises(IllegalTransition):
        services.cancel_service(actor=actor_a, service=done)
    dropped = services.plan_service(type="Psychological", planned_on=dt.date(2016, 4, 1), **kw)
    services.cancel_service(actor=actor_a, service=dropped)
    with pytest.raises(IllegalTransition):
        services.record_delivery(actor=actor_a, service=dropped, delivered_from=dt.date(2016, 4, 2))
    assert ServiceDelivery.objects.get(pk=dropped.pk).delivered_from is None


@pytest.mark.parametrize(
    ("dates", "field"),
    [
        ({"delivered_from": dt.date(2999, 1, 1)}, "delivered_from"),
        ({"delivered_from": dt.date(2016, 3, 1)}, "delivered_from"),  # before identification
        (
            {"delivered_from": dt.date(2016, 4, 1), "delivered_until": dt.date(2016, 3, 20)},
            "delivered_until",
        ),
    ],
)
def test_delivery_dates_are_checked(
    dates: dict[str, dt.date],
    field: str,
    shevchenko_case: Case,
    actor_a: Actor,
    shelter: ServiceProvider,
) -> None:
    service = services.plan_service(
        actor=actor_a,
        case=shevchenko_case,
        type=SHELTER,
        provider=shelter,
        planned_on=dt.date(2016, 3, 15),
    )
    with pytest.raises(ValidationError) as info:
        services.record_delivery(actor=actor_a, service=service, **dates)  # type: ignore[arg-type]
    assert field in info.value.message_dict
    assert ServiceDelivery.objects.get(pk=service.pk).state == "planned"


def test_a_provider_must_offer_the_service_and_be_named_at_delivery(
    shevchenko_case: Case, actor_a: Actor, shelter: ServiceProvider
) -> None:
    with pytest.raises(ValidationError) as info:
        services.plan_service(
            actor=actor_a,
            case=shevchenko_case,
            type="MicroGrant",
            provider=shelter,
            planned_on=dt.date(2016, 3, 15),
        )
    assert "provider" in info.value.message_dict
    open_ = services.plan_service(
        actor=actor_a, case=shevchenko_case, type="Medical", planned_on=dt.date(2016, 3, 15)
    )
    with pytest.raises(ValidationError) as info:
        services.record_delivery(actor=actor_a, service=open_, delivered_from=dt.date(2016, 3, 20))
    assert "provider" in info.value.message_dict


def test_a_closed_case_takes_no_new_services(shevchenko_case: Case, actor_a: Actor) -> None:
    change_case_status(actor=actor_a, case=shevchenko_case, action="close", closure_reason="Other")
    shevchenko_case.refresh_from_db()
    with translation.override("en"):
        with pytest.raises(ValidationError, match="closed"):
            services.plan_service(
                actor=actor_a, case=shevchenko_case, type="Medical", planned_on=dt.date(2016, 3, 15)
            )
        with pytest.raises(ValidationError, match="closed"):
            services.record_plan(actor=actor_a, case=shevchenko_case, objectives=OBJECTIVES)


# --- objectives encrypted at rest ------------------------------------------------------------


def _all_text_in_database() -> str:
    """Every value of every table, read with raw SQL, as text (bytes decoded leniently)."""
    chunks: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT * FROM "{table}"')
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, bytes | memoryview):
                        chunks.append(bytes(value).decode("utf-8", errors="ignore"))
                    elif value is not None:
                        chunks.append(str(value))
    return "\n".join(chunks)


@pytest.mark.django_db(transaction=True)
def test_no_table_holds_the_objectives_in_plaintext(
    make_case: Callable[..., Case], actor_a: Actor
) -> None:
    case = make_case(actor_a, person_input())
    plan = services.record_plan(actor=actor_a, case=case, objectives=OBJECTIVES)
    services.update_plan(
        actor=actor_a,
        plan=plan,
        objectives=OBJECTIVES + " (оновлено)",
        planned_end_date=None,
        actual_end_date=None,
    )
    text = _all_text_in_database()
    assert str(plan.id) in text  # the scan does see the rows
    for word in OBJECTIVE_WORDS:
        assert word not in text, word
    assert open_objectives(SupportPlan.objects.get(pk=plan.pk)) == OBJECTIVES + " (оновлено)"


def test_objectives_are_bound_to_their_plan(shevchenko_case: Case, actor_a: Actor) -> None:
    first = services.record_plan(actor=actor_a, case=shevchenko_case, objectives=OBJECTIVES)
    other = services.record_plan(actor=actor_a, case=shevchenko_case, objectives="Інше")
    other.objectives_enc = first.objectives_enc
    other.wrapped_data_key, other.kek_id = first.wrapped_data_key, first.kek_id
    with pytest.raises(DecryptionError):
        open_objectives(other)


def test_key_rotation_rewraps_plan_keys(shevchenko_case: Case, actor_a: Actor) -> None:
    plan = services.record_plan(actor=actor_a, case=shevchenko_case, objectives=OBJECTIVES)
    ring = current_keyring().with_new_kek()
    assert rewrap_all(ring=ring) == 1
    plan.refresh_from_db()
    assert plan.kek_id == ring.active_kek_id
    old = next(k for k in ring.keks if k != ring.active_kek_id)
    assert open_objectives(plan, ring=ring.without_kek(old)) == OBJECTIVES


# --- process measures, timeline, action items ------------------------------------------------


def test_time_from_identification_to_first_assistance(
    shevchenko_case: Case, actor_a: Actor, shelter: ServiceProvider
) -> None:
    assert queries.first_assistance_on(shevchenko_case) is None
    kw: dict[str, Any] = {"actor": actor_a, "case": shevchenko_case, "provider": shelter}
    later = services.plan_service(type=SHELTER, planned_on=dt.date(2016, 3, 20), **kw)
    sooner = services.plan_service(type="Psychological", planned_on=dt.date(2016, 3, 15), **kw)
    services.record_delivery(actor=actor_a, service=later, delivered_from=dt.date(2016, 3, 21))
    services.record_delivery(actor=actor_a, service=sooner, delivered_from=dt.date(2016, 3, 17))
    assert queries.first_assistance_on(shevchenko_case) == dt.date(2016, 3, 17)
    assert queries.days_to_first_assistance(shevchenko_case) == 3
    annotated = queries.with_first_assistance(Case.objects.filter(pk=shevchenko_case.pk)).get()
    assert annotated.first_assistance_on == dt.date(2016, 3, 17)  # type: ignore[attr-defined]


def test_timeline_shows_plan_and_services_without_the_objectives(
    shevchenko_case: Case, actor_a: Actor, shelter: ServiceProvider
) -> None:
    plan = services.record_plan(actor=actor_a, case=shevchenko_case, objectives=OBJECTIVES)
    kw: dict[str, Any] = {
        "actor": actor_a,
        "case": shevchenko_case,
        "provider": shelter,
        "plan": plan,
    }
    stay = services.plan_service(type=SHELTER, planned_on=dt.date(2016, 3, 15), **kw)
    services.record_delivery(actor=actor_a, service=stay, delivered_from=dt.date(2016, 3, 16))
    talk = services.plan_service(type="Psychological", planned_on=dt.date(2016, 3, 20), **kw)
    services.cancel_service(actor=actor_a, service=talk)
    entries = timeline.timeline_entries(shevchenko_case)
    kinds = [e.kind for e in entries]
    assert kinds.count("assistance.service_planned") == 2
    assert "assistance.service_delivered" in kinds
    assert "assistance.service_cancelled" in kinds
    assert "assistance.plan_recorded" in kinds
    delivered = next(e for e in entries if e.kind == "assistance.service_delivered")
    assert delivered.at.date() == dt.date(2016, 3, 16)
    assert delivered.agency_id == shelter.agency_id
    assert "Shelter Kharkiv" in delivered.label
    assert [e.at for e in entries] == sorted(e.at for e in entries)
    for entry in entries:
        for word in OBJECTIVE_WORDS:
            assert word not in entry.label + entry.detail


def test_overdue_actions_wait_for_the_owning_agency_only(
    shevchenko_case: Case, actor_a: Actor, shelter: ServiceProvider, agency_b: Agency
) -> None:
    plan = services.record_plan(
        actor=actor_a,
        case=shevchenko_case,
        objectives=OBJECTIVES,
        planned_end_date=dt.date(2016, 6, 30),
    )
    kw: dict[str, Any] = {
        "actor": actor_a,
        "case": shevchenko_case,
        "provider": shelter,
        "plan": plan,
    }
    late = services.plan_service(
        type=SHELTER, planned_on=dt.date(2016, 3, 15), planned_end_on=dt.date(2016, 3, 31), **kw
    )
    done = services.plan_service(type="Psychological", planned_on=dt.date(2016, 3, 15), **kw)
    services.record_delivery(actor=actor_a, service=done, delivered_from=dt.date(2016, 3, 16))
    services.plan_service(type="Psychological", planned_on=dt.date(2016, 5, 15), **kw)

    with time_machine.travel(dt.datetime(2016, 4, 10, 12, tzinfo=dt.UTC)):
        items = timeline.action_items(actor_a, visible_cases(actor_a))
    assert [(i.kind, i.due, i.overdue) for i in items] == [
        ("assistance.service_overdue", dt.date(2016, 3, 31), True)
    ]
    assert items[0].case_id == shevchenko_case.id
    assert items[0].url == f"/cases/{shevchenko_case.id}/assistance/"
    assert late.planned_until == dt.date(2016, 3, 31)

    with time_machine.travel(dt.datetime(2016, 7, 10, 12, tzinfo=dt.UTC)):
        kinds = [i.kind for i in timeline.action_items(actor_a, visible_cases(actor_a))]
    assert kinds == [
        "assistance.service_overdue",
        "assistance.service_overdue",
        "assistance.plan_overdue",
    ]

    other = Actor(user=actor_a.user, agency=agency_b, roles=actor_a.roles)
    with time_machine.travel(dt.datetime(2016, 7, 10, 12, tzinfo=dt.UTC)):
        assert timeline.action_items(other, Case.objects.all()) == []
