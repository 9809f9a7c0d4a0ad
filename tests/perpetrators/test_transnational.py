"""Transnational referral and assisted return (issue 14, point 7): only with the person's explicit
consent naming the partner abroad; the packet holds exactly the consented categories; the
partner's acknowledgement is recorded and audited."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from opennrm.accounts.models import User
from opennrm.audit.models import AuditEvent
from opennrm.cases.models import Case
from opennrm.justice.perpetrator_services import PerpetratorInput, record_perpetrator
from opennrm.justice.perpetrator_vault import PerpetratorIdentity
from opennrm.justice.transnational import TransnationalReferral
from opennrm.people.identity import IdentityDocument
from opennrm.tenancy.actor import Actor, actor_for
from opennrm.tenancy.models import Agency
from tests.conftest import logged_in, person_input, record_basis

NAME = "Трансгранична"
PHONE = "+380931112233"
DOCUMENT = "ЕК123987"
HEALTH = "хронічна хвороба нирок"
PERPETRATOR = "Вербувальченко"


@pytest.fixture
def partner(db: Any) -> Agency:
    return Agency.objects.create(name="Partner NGO Warsaw (synthetic)", kind="NGO", country="PL")


@pytest.fixture
def planted(
    make_case: Callable[..., Case],
    actor_a: Actor,
    make_user: Callable[..., User],
    agency_b: Agency,
) -> Case:
    """A case with a value of each category, and a perpetrator its victim named."""
    case = make_case(
        actor_a,
        person=person_input(
            family=NAME,
            phones=[PHONE],
            vulnerability_details=HEALTH,
            documents=[IdentityDocument("Passport", DOCUMENT)],
        ),
        multi={"vic_TypeOfExploitation": ["ForcedLabour"], "vic_Vulnerabilities": ["Addiction"]},
    )
    record_perpetrator(
        actor=actor_for(make_user("t.investigator", agency_b, "investigator")),
        data=PerpetratorInput(
            identity=PerpetratorIdentity(family_name=PERPETRATOR), roles=["Broker"]
        ),
        cases=[case],
    )
    return case


def send(client: Client, case: Case, partner: Agency, **overrides: Any) -> Any:
    body = {
        "partner_id": str(partner.id),
        "kind": "AssistedReturn",
        "purpose": "ReturnReintegration",
        "data_categories": ["Identity", "CaseFacts"],
        **overrides,
    }
    return client.post(
        f"/api/v1/cases/{case.id}/transnational/", json.dumps(body), "application/json"
    )


def test_without_consent_naming_the_partner_it_is_refused_with_the_reason(
    caseworker: User, actor_a: Actor, planted: Case, partner: Agency
) -> None:
    client = logged_in(caseworker)
    refused = send(client, planted, partner)
    assert refused.status_code == 400
    assert refused.json()["error"]["fields"]["consent"] == [
        "No active consent of the person names this partner agency abroad. Record the person's "
        "explicit consent to send their data to it first."
    ]
    # A consent to any recipient is not enough: it must name the partner abroad.
    record_basis(actor_a, planted, "ReturnReintegration", ("Identity", "CaseFacts"))
    assert "consent" in send(client, planted, partner).json()["error"]["fields"]
    # Naming the partner, but fewer categories than asked.
    record_basis(actor_a, planted, "ReturnReintegration", ("Identity",), recipient=partner)
    short = send(client, planted, partner)
    assert short.status_code == 400
    assert "data_categories" in short.json()["error"]["fields"]
    assert not TransnationalReferral.objects.exists()
    assert not AuditEvent.objects.filter(action="transnational.sent").exists()


def test_the_packet_has_exactly_the_consented_categories(
    caseworker: User, actor_a: Actor, planted: Case, partner: Agency
) -> None:
    consent = record_basis(
        actor_a, planted, "ReturnReintegration", ("Identity", "CaseFacts", "Health"), partner
    )
    client = logged_in(caseworker)
    sent = send(client, planted, partner)
    assert sent.status_code == 201, sent.json()
    item = TransnationalReferral.objects.get()
    assert item.consent == consent
    assert sent.json()["data_categories"] == ["CaseFacts", "Identity"]
    download = client.get(f"/api/v1/transnational/{item.id}/packet/")
    assert download.status_code == 200
    raw = download.content
    assert hashlib.sha256(raw).hexdigest() == item.packet_sha256 == sent.json()["packet_sha256"]
    packet = json.loads(raw)
    assert packet["data_categories"] == ["CaseFacts", "Identity"]
    (record,) = packet["records"]
    assert record["prs_SecondName"] == NAME
    assert record["vic_TypeOfExploitation"] == ["ForcedLabour"]
    assert record["x_ua_CaseId"] == str(planted.id)
    # Nothing of the categories not sent (Contact, Documents, Health although consented but not
    # asked), nothing only the owner sees, no perpetrator.
    for absent in (
        "prs_MobilePhone",
        "x_ua_Documents",
        "vic_DetailsOfVulnerabilities",
        "vic_Vulnerabilities",
        "cas_CaseOwner",
        "con_Consent",
        "per_Perpetrators",
    ):
        assert absent not in record
    for value in (
        PHONE,
        "931112233",
        DOCUMENT,
        HEALTH,
        PERPETRATOR,
        "Addiction",
        caseworker.username,
    ):
        assert value.encode() not in raw
        assert value.encode("unicode_escape") not in raw
    assert NAME.encode() not in bytes(TransnationalReferral.objects.get().packet_enc)
    event = AuditEvent.objects.get(action="transnational.sent")
    assert event.detail["data_categories"] == ["CaseFacts", "Identity"]
    assert event.detail["sha256"] == item.packet_sha256
    assert AuditEvent.objects.filter(action="transnational.downloaded").count() == 1
    assert NAME not in json.dumps([e.detail for e in AuditEvent.objects.all()], ensure_ascii=False)


def test_the_acknowledgement_is_recorded_audited_and_shown(
    caseworker: User, actor_a: Actor, planted: Case, partner: Agency, outsider: User
) -> None:
    record_basis(actor_a, planted, "ReturnReintegration", ("Identity", "CaseFacts"), partner)
    client = logged_in(caseworker)
    item_id = send(client, planted, partner).json()["id"]
    url = f"/api/v1/transnational/{item_id}/acknowledgement/"
    early = client.post(url, {"acknowledged_on": "2016-01-01"}, "application/json")
    assert early.status_code == 400
    # Another agency neither sees nor acknowledges it.
    assert logged_in(outsider).post(url, {"acknowledged_on": "2026-01-01"}).status_code == 404
    assert logged_in(outsider).get(f"/api/v1/transnational/{item_id}/packet/").status_code == 404
    today = timezone.localdate().isoformat()
    done = client.post(
        url, {"acknowledged_on": today, "reference": "PL-2016/77"}, "application/json"
    )
    assert done.status_code == 200, done.json()
    assert done.json()["acknowledged_on"] == today
    assert done.json()["acknowledgement_reference"] == "PL-2016/77"
    item = TransnationalReferral.objects.get()
    assert item.acknowledgement_recorded_by == caseworker
    assert AuditEvent.objects.filter(action="transnational.acknowledged", object_id=planted.id)
    again = client.post(url, {"acknowledged_on": today}, "application/json")
    assert again.status_code == 400
    # The case's page of referrals abroad shows the status.
    page = client.get(f"/cases/{planted.id}/transnational/")
    assert page.status_code == 200
    assert "PL-2016/77" in page.content.decode()
    assert AuditEvent.objects.filter(action="transnational.listed").exists()


def test_the_web_form_refuses_without_consent_and_sends_with_it(
    caseworker: User, actor_a: Actor, planted: Case, partner: Agency
) -> None:
    client = logged_in(caseworker)
    form = {
        "partner": str(partner.id),
        "kind": "TransnationalReferral",
        "purpose": "Shelter",
        "data_categories": ["Identity"],
    }
    url = f"/cases/{planted.id}/transnational/"
    refused = client.post(url, form)
    assert refused.status_code == 422
    assert "No active consent of the person names this partner" in refused.content.decode()
    record_basis(actor_a, planted, "Shelter", ("Identity",), partner)
    assert client.post(url, form).status_code == 302
    item = TransnationalReferral.objects.get()
    packet = client.get(f"/transnational/{item.id}/packet.json")
    assert hashlib.sha256(packet.content).hexdigest() == item.packet_sha256


def test_erasing_the_person_shreds_the_packets_sent_abroad(
    caseworker: User, actor_a: Actor, planted: Case, partner: Agency
) -> None:
    from opennrm.justice.transnational_services import PACKET
    from opennrm.retention.services import erase_person
    from opennrm.vault.columns import SHREDDED

    record_basis(actor_a, planted, "ReturnReintegration", ("Identity", "CaseFacts"), partner)
    client = logged_in(caseworker)
    item_id = send(client, planted, partner).json()["id"]
    packet = client.get(f"/api/v1/transnational/{item_id}/packet/")
    assert NAME in packet.content.decode()
    erase_person(actor=actor_a, person=planted.person, reason="SubjectRequest")
    item = TransnationalReferral.objects.get(id=item_id)
    assert item.kek_id == SHREDDED
    assert NAME.encode() not in bytes(item.packet_enc)
    with pytest.raises(Exception):  # noqa: B017, PT011 (no key is left to open it with)
        PACKET.open(item, ("packet",))
    assert client.get(f"/api/v1/transnational/{item_id}/packet/").status_code == 404


def test_the_form_names_the_partner_in_the_page_language_and_shows_the_purpose_whole(
    caseworker: User, actor_a: Actor, planted: Case, partner: Agency
) -> None:
    """The partner's name as the agency list gives it (Ukrainian on a Ukrainian page), and the
    purpose's select on a row of its own: its names are too long for a third of the form."""
    partner.name_uk = "Партнерська ГО, Варшава (синтетична)"
    partner.save()
    record_basis(actor_a, planted, "Shelter", ("Identity",), partner)
    client = logged_in(caseworker)
    url = f"/cases/{planted.id}/transnational/"
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="uk").content.decode()
    assert "Партнерська ГО, Варшава (синтетична) (Польща)" in page
    assert '<div class="wide">' in page[: page.index('name="purpose"')]
    client.post(
        url,
        {
            "partner": str(partner.id),
            "kind": "TransnationalReferral",
            "purpose": "Shelter",
            "data_categories": ["Identity"],
        },
    )
    listed = client.get(url, HTTP_ACCEPT_LANGUAGE="uk").content.decode()
    assert "Партнерська ГО, Варшава (синтетична) (Польща)" in listed
