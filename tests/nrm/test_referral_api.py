"""Referral API: the same rules through explicit action endpoints."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

from django.test import Client

from opennrm.accounts.models import User
from opennrm.accounts.services import issue_api_token
from opennrm.cases.models import Case
from opennrm.cases.services import record_consent
from opennrm.tenancy.actor import Actor
from opennrm.tenancy.models import Agency


def api(user: User) -> Client:
    return Client(headers={"Authorization": f"Bearer {issue_api_token(user=user)}"})


def test_refer_accept_and_illegal_second_accept(
    shevchenko_case: Case,
    actor_a: Actor,
    caseworker: User,
    agency_b: Agency,
    make_user: Callable[..., User],
) -> None:
    body = {
        "to_agency": str(agency_b.id),
        "purpose": "Legal",
        "data_categories": ["Identity", "CaseFacts"],
    }
    url = f"/api/v1/cases/{shevchenko_case.id}/referrals/"
    refused = api(caseworker).post(url, json.dumps(body), content_type="application/json")
    assert refused.status_code == 400
    assert "basis" in refused.json()["error"]["fields"]
    record_consent(
        actor=actor_a,
        case=shevchenko_case,
        legal_basis="Consent",
        purposes=["Legal"],
        data_categories=["Identity", "CaseFacts"],
        recipient=agency_b,
        given_on=dt.date(2016, 3, 1),
    )
    sent = api(caseworker).post(url, json.dumps(body), content_type="application/json")
    assert sent.status_code == 201, sent.json()
    referral = sent.json()
    assert referral["state"] == "pending"
    assert referral["has_legal_basis"] is True

    lawyer = make_user("b.lawyer", agency_b, "caseworker")
    incoming = api(lawyer).get("/api/v1/referrals/").json()
    assert [r["id"] for r in incoming["results"]] == [referral["id"]]
    accepted = api(lawyer).post(f"/api/v1/referrals/{referral['id']}/accept/")
    assert accepted.status_code == 200
    assert accepted.json()["state"] == "active"
    again = api(lawyer).post(f"/api/v1/referrals/{referral['id']}/accept/")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "illegal_transition"
    assert api(lawyer).get(f"/api/v1/cases/{shevchenko_case.id}/").status_code == 200


def test_decline_needs_a_reason_and_outsiders_get_404(
    shevchenko_case: Case,
    actor_a: Actor,
    agency_b: Agency,
    make_user: Callable[..., User],
    outsider: User,
) -> None:
    from opennrm.nrm.referrals.services import refer_case

    record_consent(
        actor=actor_a,
        case=shevchenko_case,
        legal_basis="Consent",
        purposes=["Legal"],
        data_categories=["Identity"],
        recipient=None,
        given_on=dt.date(2016, 3, 1),
    )
    third = Agency.objects.create(name="NGO Legal aid (synthetic)", kind="LegalService")
    referral = refer_case(
        actor=actor_a,
        case=shevchenko_case,
        to_agency=third,
        purpose="Legal",
        data_categories=["Identity"],
    )
    lawyer = make_user("c.lawyer", third, "caseworker")
    missing = api(lawyer).post(
        f"/api/v1/referrals/{referral.id}/decline/", json.dumps({}), content_type="application/json"
    )
    assert missing.status_code == 400
    assert "reason" in missing.json()["error"]["fields"]
    assert api(outsider).get(f"/api/v1/referrals/{referral.id}/").status_code == 404
    declined = api(lawyer).post(
        f"/api/v1/referrals/{referral.id}/decline/",
        json.dumps({"reason": "Outside our region"}),
        content_type="application/json",
    )
    assert declined.json()["state"] == "declined"
