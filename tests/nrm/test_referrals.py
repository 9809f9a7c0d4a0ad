"""Referral and sharing: legal basis required, answers, transfer, consent withdrawal, the gate."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from opennrm.access import policy
from opennrm.accounts.models import User
from opennrm.audit.models import AuditEvent
from opennrm.cases.models import Case, Consent
from opennrm.cases.services import record_consent
from opennrm.core.workflow import IllegalTransition
from opennrm.nrm.referrals import services
from opennrm.nrm.referrals.models import Referral
from opennrm.nrm.referrals.workflow import REFERRAL
from opennrm.tenancy.actor import Actor, actor_for
from opennrm.tenancy.models import Agency
from tests.conftest import logged_in


@pytest.fixture
def hromada(db: object) -> Agency:
    return Agency.objects.create(
        name="Hromada social protection office (synthetic)",
        kind="HromadaExecutiveBody",
        oblast="UA-63",
    )


@pytest.fixture
def hromada_official(make_user: Callable[..., User], hromada: Agency) -> User:
    return make_user("hromada.official", hromada, "caseworker")


def consent_for(
    actor: Actor,
    case: Case,
    recipient: Agency | None,
    purposes: tuple[str, ...] = ("StatusApplication",),
    categories: tuple[str, ...] = ("Identity", "CaseFacts"),
    basis: str = "Consent",
) -> Consent:
    return record_consent(
        actor=actor,
        case=case,
        legal_basis=basis,
        purposes=list(purposes),
        data_categories=list(categories),
        recipient=recipient,
        given_on=dt.date(2016, 3, 15),
    )


def refer(actor: Actor, case: Case, to: Agency, **kw: object) -> Referral:
    defaults: dict[str, object] = {
        "purpose": "StatusApplication",
        "data_categories": ["Identity", "CaseFacts"],
    }
    defaults.update(kw)
    return services.refer_case(actor=actor, case=case, to_agency=to, **defaults)  # type: ignore[arg-type]


def test_referral_without_a_legal_basis_is_refused(
    shevchenko_case: Case, actor_a: Actor, hromada: Agency
) -> None:
    with pytest.raises(ValidationError) as info:
        refer(actor_a, shevchenko_case, hromada)
    assert "basis" in info.value.message_dict
    assert Referral.objects.count() == 0


@pytest.mark.parametrize(
    ("consent_kw", "refer_kw"),
    [
        ({"purposes": ("Shelter",)}, {}),  # another purpose
        ({"categories": ("CaseFacts",)}, {}),  # identity not covered
        ({"recipient": "other"}, {}),  # consent names another agency
    ],
)
def test_consent_must_cover_recipient_purpose_and_categories(
    consent_kw: dict[str, object],
    refer_kw: dict[str, object],
    shevchenko_case: Case,
    actor_a: Actor,
    hromada: Agency,
    agency_b: Agency,
) -> None:
    recipient = agency_b if consent_kw.pop("recipient", None) == "other" else hromada
    consent_for(actor_a, shevchenko_case, recipient, **consent_kw)  # type: ignore[arg-type]
    with pytest.raises(ValidationError) as info:
        refer(actor_a, shevchenko_case, hromada, **refer_kw)
    assert set(info.value.message_dict) == {"basis"}


def test_other_legal_basis_covers_a_referral(
    shevchenko_case: Case, actor_a: Actor, hromada: Agency
) -> None:
    basis = consent_for(actor_a, shevchenko_case, None, basis="VitalInterest")
    referral = refer(actor_a, shevchenko_case, hromada)
    assert referral.basis == basis


def test_override_needs_the_permission_and_a_reason_and_is_audited(
    shevchenko_case: Case, supervisor: User, hromada: Agency
) -> None:
    actor = actor_for(supervisor)
    assert policy.can(actor, "referral.override")
    with pytest.raises(ValidationError) as info:
        refer(actor, shevchenko_case, hromada, allow_override=True)
    assert "override_reason" in info.value.message_dict
    referral = refer(
        actor,
        shevchenko_case,
        hromada,
        allow_override=True,
        override_reason="Person unconscious; shelter needed tonight",
    )
    assert referral.basis is None
    actions = list(
        AuditEvent.objects.filter(object_id=str(shevchenko_case.id)).values_list(
            "action", flat=True
        )
    )
    assert actions[-2:] == ["referral.sent", "referral.override_used"]


def test_accepted_referral_shares_the_case_with_the_recipient_only(
    shevchenko_case: Case,
    actor_a: Actor,
    hromada: Agency,
    hromada_official: User,
    outsider: User,
) -> None:
    consent_for(actor_a, shevchenko_case, hromada)
    referral = refer(actor_a, shevchenko_case, hromada)
    official = logged_in(hromada_official)
    assert official.get(f"/cases/{shevchenko_case.id}/").status_code == 404  # not yet accepted
    services.accept_referral(actor=actor_for(hromada_official), referral=referral)
    page = official.get(f"/cases/{shevchenko_case.id}/")
    assert page.status_code == 200
    assert "Шевченко" in page.content.decode()
    assert official.get(f"/cases/{shevchenko_case.id}/edit/").status_code == 403
    assert logged_in(outsider).get(f"/cases/{shevchenko_case.id}/").status_code == 404


def test_share_without_identity_hides_the_name(
    shevchenko_case: Case, actor_a: Actor, hromada: Agency, hromada_official: User
) -> None:
    consent_for(actor_a, shevchenko_case, hromada, categories=("CaseFacts",))
    referral = refer(actor_a, shevchenko_case, hromada, data_categories=["CaseFacts"])
    services.accept_referral(actor=actor_for(hromada_official), referral=referral)
    official = logged_in(hromada_official)
    page = official.get(f"/cases/{shevchenko_case.id}/")
    assert page.status_code == 200
    assert "Шевченко" not in page.content.decode()
    assert "Олександр" not in page.content.decode()
    listed = official.post("/cases/", {"q": "Shevchenko"}, follow=True)
    assert shevchenko_case.reference not in listed.content.decode()
    access = policy.case_access(actor_for(hromada_official), shevchenko_case)
    assert access.categories == {"CaseFacts", "Case"}
    assert "person.view" not in access.permissions


def test_declined_referral_shares_nothing_and_keeps_the_reason(
    shevchenko_case: Case, actor_a: Actor, hromada: Agency, hromada_official: User
) -> None:
    consent_for(actor_a, shevchenko_case, hromada)
    referral = refer(actor_a, shevchenko_case, hromada)
    with pytest.raises(ValidationError):
        services.decline_referral(actor=actor_for(hromada_official), referral=referral, reason=" ")
    services.decline_referral(
        actor=actor_for(hromada_official), referral=referral, reason="Not our hromada"
    )
    referral.refresh_from_db()
    assert referral.state == "declined"
    assert logged_in(hromada_official).get(f"/cases/{shevchenko_case.id}/").status_code == 404


def test_withdrawing_consent_cuts_access_on_the_next_request(
    shevchenko_case: Case, actor_a: Actor, hromada: Agency, hromada_official: User
) -> None:
    consent = consent_for(actor_a, shevchenko_case, hromada)
    referral = refer(actor_a, shevchenko_case, hromada)
    services.accept_referral(actor=actor_for(hromada_official), referral=referral)
    official = logged_in(hromada_official)
    assert official.get(f"/cases/{shevchenko_case.id}/").status_code == 200
    ended = services.withdraw_consent(actor=actor_a, consent=consent)
    assert [r.id for r in ended] == [referral.id]
    assert official.get(f"/cases/{shevchenko_case.id}/").status_code == 404
    referral.refresh_from_db()
    assert (referral.state, referral.end_reason) == ("ended", "consent_withdrawn")


def test_transfer_hands_ownership_over(
    shevchenko_case: Case,
    actor_a: Actor,
    caseworker: User,
    hromada: Agency,
    hromada_official: User,
) -> None:
    consent_for(actor_a, shevchenko_case, hromada)
    referral = refer(actor_a, shevchenko_case, hromada, transfer=True)
    services.accept_referral(actor=actor_for(hromada_official), referral=referral)
    shevchenko_case.refresh_from_db()
    referral.refresh_from_db()
    assert shevchenko_case.owner_agency == hromada
    assert referral.state == "transferred"
    assert logged_in(caseworker).get(f"/cases/{shevchenko_case.id}/").status_code == 404
    assert logged_in(hromada_official).get(f"/cases/{shevchenko_case.id}/edit/").status_code == 200


def test_only_the_recipient_answers_and_only_the_referrer_cancels(
    shevchenko_case: Case,
    actor_a: Actor,
    hromada: Agency,
    hromada_official: User,
) -> None:
    """The gate decides the side (403, audited), web and API alike; the service never sees a
    wrong-side request."""
    consent_for(actor_a, shevchenko_case, hromada)
    referral = refer(actor_a, shevchenko_case, hromada)
    owner, official = logged_in(actor_a.user), logged_in(hromada_official)
    for client, action in ((owner, "accept"), (owner, "decline"), (official, "cancel")):
        assert client.post(f"/referrals/{referral.id}/{action}/").status_code == 403
        assert client.post(f"/api/v1/referrals/{referral.id}/{action}/").status_code == 403
    assert Referral.objects.get().state == "pending"
    refusals = AuditEvent.objects.filter(action="access.refused", object_id=str(referral.id))
    assert refusals.count() == 6
    assert {e.detail["answer"] for e in refusals} == {403}
    with pytest.raises(PermissionDenied):
        policy.get_referral_for(actor_a, referral.id, "referral.respond")
    assert owner.post(f"/referrals/{referral.id}/cancel/").status_code == 302
    assert Referral.objects.get().state == "cancelled"


ILLEGAL = [
    (state, t.action)
    for state in REFERRAL.states
    for t in REFERRAL.transitions
    if state not in t.source
]


@pytest.mark.parametrize(("state", "action"), ILLEGAL)
def test_every_illegal_referral_transition_is_refused(state: str, action: str) -> None:
    with pytest.raises(IllegalTransition, match=action):
        REFERRAL.check(state, action)


def test_illegal_transition_through_the_service_changes_nothing(
    shevchenko_case: Case, actor_a: Actor, hromada: Agency, hromada_official: User
) -> None:
    consent_for(actor_a, shevchenko_case, hromada)
    referral = refer(actor_a, shevchenko_case, hromada)
    services.decline_referral(actor=actor_for(hromada_official), referral=referral, reason="x")
    with pytest.raises(IllegalTransition):
        services.accept_referral(actor=actor_for(hromada_official), referral=referral)
    assert Referral.objects.get().state == "declined"


def test_a_second_open_referral_for_the_same_purpose_is_refused(
    shevchenko_case: Case, actor_a: Actor, hromada: Agency
) -> None:
    consent_for(actor_a, shevchenko_case, hromada)
    refer(actor_a, shevchenko_case, hromada)
    with pytest.raises(ValidationError) as info:
        refer(actor_a, shevchenko_case, hromada)
    assert set(info.value.message_dict) == {"to_agency"}
