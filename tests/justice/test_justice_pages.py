"""The proceeding pages: the story from registration to a judgment through the web forms, each
side taking only its own steps, the ERDR number refused with its reason, illegal steps named,
and other units, agencies and roles seeing nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from opennrm.accounts.models import User
from opennrm.audit.models import AuditEvent
from opennrm.cases.models import Case
from opennrm.justice import workflow as wf
from opennrm.justice.models import Proceeding
from opennrm.nrm.referrals.services import accept_referral, refer_case
from opennrm.tenancy.actor import Actor, actor_for
from opennrm.tenancy.models import Agency
from tests.conftest import logged_in, record_basis

ERDR = "12016220000000123"


def share_for_proceedings(
    owner: Actor, case: Case, police: Agency, investigator: User, categories: tuple[str, ...]
) -> None:
    record_basis(owner, case, "CriminalProceedings", categories, recipient=police)
    referral = refer_case(
        actor=owner,
        case=case,
        to_agency=police,
        purpose="CriminalProceedings",
        data_categories=list(categories),
    )
    accept_referral(actor=actor_for(investigator), referral=referral)


def english(client: Client) -> Client:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def post(client: Client, url: str, data: dict[str, Any]) -> Any:
    with translation.override("en"):
        return client.post(url, data)


def register(client: Client, prosecutors: Agency, number: str = ERDR) -> Any:
    return post(
        client,
        "/proceedings/new/",
        {
            "erdr_number": number,
            "registered_on": "2016-03-02",
            "article": "149.2",
            "prosecution_agency": str(prosecutors.id),
        },
    )


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        ("1201622000000012", "17 digits; this one has 16"),
        ("1201622000000012a", "digits only"),
        ("12015220000000123", "encodes the year 2015"),
    ],
)
def test_a_bad_erdr_number_is_shown_on_the_form_with_its_reason(
    number: str, reason: str, people: dict[str, Actor], prosecutors: Agency
) -> None:
    justice_users = {name: actor.user for name, actor in people.items()}
    response = register(english(logged_in(justice_users["investigator"])), prosecutors, number)
    assert response.status_code == 422
    assert reason in response.context["form"].errors["erdr_number"][0]
    assert not Proceeding.objects.exists()


def test_the_story_through_the_pages(
    people: dict[str, Actor],
    police: Agency,
    prosecutors: Agency,
    court: Agency,
    actor_a: Actor,
    make_case: Callable[..., Case],
) -> None:
    justice_users = {name: actor.user for name, actor in people.items()}
    investigator = english(logged_in(justice_users["investigator"]))
    prosecutor = english(logged_in(justice_users["prosecutor"]))
    judge = english(logged_in(justice_users["judge"]))
    # The NGO shares two victims' cases with the police for criminal proceedings.
    victims = [make_case(actor_a), make_case(actor_a)]
    for case in victims:
        share_for_proceedings(
            actor_a, case, police, justice_users["investigator"], ("Identity", "Justice")
        )
    empty = investigator.get("/proceedings/")
    assert empty.status_code == 200
    assert "No proceedings yet" in empty.content.decode()
    assert investigator.get("/proceedings/new/").status_code == 200

    response = register(investigator, prosecutors)
    proceeding = Proceeding.objects.get(erdr_number=ERDR)
    base = f"/proceedings/{proceeding.id}/"
    assert response.status_code == 302
    assert response["Location"] == base
    page = investigator.get(base)
    assert page.status_code == 200
    text = page.content.decode()
    assert ERDR in text
    assert "art. 219" in text
    assert "2017-09-02" in text

    assert (
        post(
            investigator, base + "start-investigation/", {"start_investigation-on": "2016-03-02"}
        ).status_code
        == 302
    )
    for case in victims:
        added = post(
            investigator,
            base + "participants/",
            {
                "participant-case_reference": case.reference,
                "participant-role": "InjuredParty",
                "participant-willing_to_testify": "true",
                "participant-questioned_on": "2016-03-10",
                "participant-questioning_mode": "ChildFriendlyRoom",
            },
        )
        assert added.status_code == 302, added.context and added.context.get("participant_form")
    again = post(
        investigator,
        base + "participants/",
        {"participant-case_reference": victims[0].reference, "participant-role": "Witness"},
    )
    assert again.status_code == 422
    assert "already takes part" in str(again.context["participant_form"].errors)
    page = investigator.get(base).content.decode()
    assert "Шевченко" in page  # the Identity is shared with the police
    assert f"/cases/{victims[0].id}/" in page

    assert (
        post(
            investigator,
            base + "suspects/",
            {
                "suspect-family_name": "Вербовський",
                "suspect-first_name": "Гнат",
                "suspect-role": "Recruiter",
                "suspect-gender": "Masculine",
            },
        ).status_code
        == 302
    )
    assert (
        post(
            investigator, base + "notify-suspicion/", {"notify_suspicion-on": "2016-04-01"}
        ).status_code
        == 302
    )
    # Not the police's step; and a step the stage table does not allow now.
    assert (
        post(
            investigator, base + "send-indictment/", {"send_indictment-on": "2016-09-01"}
        ).status_code
        == 403
    )
    illegal = post(
        investigator, base + "start-investigation/", {"start_investigation-on": "2016-04-02"}
    )
    assert illegal.status_code == 409
    assert "not possible now" in illegal.content.decode()

    participant = proceeding.participants.get(case=victims[0])
    requested = post(
        investigator,
        base + "protection/",
        {
            "protection-participant": str(participant.id),
            "protection-measure": "PersonalProtection",
            "protection-requested_on": "2016-04-02",
        },
    )
    assert requested.status_code == 302
    measure = participant.protection.get()
    decided = post(
        investigator,
        f"{base}protection/{measure.id}/decision/",
        {
            f"protection-{measure.id}-decision": "Granted",
            f"protection-{measure.id}-decided_on": "2016-04-05",
            f"protection-{measure.id}-valid_from": "2016-04-05",
            f"protection-{measure.id}-valid_until": "2017-04-05",
        },
    )
    assert decided.status_code == 302

    # The prosecutor follows the proceeding and sends the indictment to court.
    assert "Вербовський" in prosecutor.get(base).content.decode()
    no_court = post(prosecutor, base + "send-indictment/", {"send_indictment-on": "2016-09-01"})
    assert no_court.status_code == 422
    sent = post(
        prosecutor,
        base + "send-indictment/",
        {"send_indictment-on": "2016-09-01", "send_indictment-court": str(court.id)},
    )
    assert sent.status_code == 302

    # The court tries it: the trial, a hearing, the judgment, the verdict.
    assert post(judge, base + "open-trial/", {"open_trial-on": "2016-10-03"}).status_code == 302
    assert post(judge, base + "hearings/", {"hearing-on": "2016-11-14"}).status_code == 302
    hearing = proceeding.hearings.get()
    held = post(
        judge, f"{base}hearings/{hearing.id}/outcome/", {f"hearing-{hearing.id}-outcome": "Held"}
    )
    assert held.status_code == 302
    suspect = proceeding.suspects.get()
    judged = post(
        judge,
        base + "judgments/",
        {
            "judgment-suspect": str(suspect.id),
            "judgment-decided_on": "2017-02-20",
            "judgment-verdict": "Conviction",
            "judgment-sentence_type": "Imprisonment",
            "judgment-sentence_months": "96",
            "judgment-confiscation": "on",
        },
    )
    assert judged.status_code == 302
    assert (
        post(judge, base + "deliver-verdict/", {"deliver_verdict-on": "2017-02-20"}).status_code
        == 302
    )
    proceeding.refresh_from_db()
    suspect.refresh_from_db()
    assert proceeding.stage == wf.VERDICT
    assert proceeding.court_id == court.id
    assert suspect.status == "Convicted"
    page = judge.get(base).content.decode()
    assert "Conviction" in page
    assert "96 months" in page
    # The judge reads the court's proceedings but not the victims' cases.
    assert f"/cases/{victims[0].id}/" not in page
    assert victims[0].reference in page
    assert "Шевченко" not in page

    listed = judge.get("/proceedings/", {"stage": wf.VERDICT})
    assert [r["proceeding"].id for r in listed.context["rows"]] == [proceeding.id]
    assert judge.get("/proceedings/", {"stage": wf.TRIAL}).context["rows"] == []
    actions = set(
        AuditEvent.objects.filter(object_id=str(proceeding.id)).values_list("action", flat=True)
    )
    assert {"proceeding.viewed", "proceeding.registered", "proceeding.send_indictment"} <= actions
    assert AuditEvent.objects.filter(action="proceeding.listed").exists()


def test_closing_asks_for_a_ground_and_a_confirmation(
    people: dict[str, Actor], prosecutors: Agency
) -> None:
    justice_users = {name: actor.user for name, actor in people.items()}
    investigator = english(logged_in(justice_users["investigator"]))
    register(investigator, prosecutors)
    proceeding = Proceeding.objects.get()
    base = f"/proceedings/{proceeding.id}/"
    assert "Yes, confirm" in investigator.get(base).content.decode()
    refused = post(investigator, base + "close/", {"close-on": "2016-03-02"})
    assert refused.status_code == 422
    assert "closure_ground" in refused.context["steps"][-1].form.errors
    closed = post(
        investigator,
        base + "close/",
        {"close-on": "2016-03-02", "close-closure_ground": "NoEvidence"},
    )
    assert closed.status_code == 302
    proceeding.refresh_from_db()
    assert proceeding.stage == wf.CLOSED


def test_a_case_not_shared_for_proceedings_is_not_linked(
    people: dict[str, Actor],
    prosecutors: Agency,
    police: Agency,
    actor_a: Actor,
    make_case: Callable[..., Case],
) -> None:
    justice_users = {name: actor.user for name, actor in people.items()}
    investigator = english(logged_in(justice_users["investigator"]))
    register(investigator, prosecutors)
    proceeding = Proceeding.objects.get()
    hidden = make_case(actor_a)
    legal_only = make_case(actor_a)
    record_basis(actor_a, legal_only, "Legal", ("Identity",), recipient=police)
    referral = refer_case(
        actor=actor_a,
        case=legal_only,
        to_agency=police,
        purpose="Legal",
        data_categories=["Identity"],
    )
    accept_referral(actor=actor_for(justice_users["investigator"]), referral=referral)
    for case, message in (
        (hidden, "No case you can see"),
        (legal_only, "shared with it for criminal"),
    ):
        response = post(
            investigator,
            f"/proceedings/{proceeding.id}/participants/",
            {"participant-case_reference": case.reference, "participant-role": "InjuredParty"},
        )
        assert response.status_code == 422
        assert message in str(response.context["participant_form"].errors["case_reference"])
    assert not proceeding.participants.exists()


def test_other_units_agencies_and_roles_see_nothing(
    people: dict[str, Actor],
    prosecutors: Agency,
    make_user: Callable[..., User],
    caseworker: User,
    police: Agency,
) -> None:
    justice_users = {name: actor.user for name, actor in people.items()}
    register(logged_in(justice_users["investigator"]), prosecutors)
    proceeding = Proceeding.objects.get()
    base = f"/proceedings/{proceeding.id}/"
    other_unit = Agency.objects.create(name="Police, Lviv (synthetic)", kind="NationalPolice")
    stranger = logged_in(make_user("s.investigator", other_unit, "investigator"))
    assert stranger.get(base).status_code == 404
    assert (
        stranger.post(
            base + "start-investigation/", {"start_investigation-on": "2016-03-02"}
        ).status_code
        == 404
    )
    assert stranger.get("/proceedings/").context["rows"] == []
    # The judge's court has not received it.
    assert logged_in(justice_users["judge"]).get(base).status_code == 404
    # The prosecutor sees it, but the investigation steps are not theirs.
    prosecutor = logged_in(justice_users["prosecutor"])
    assert prosecutor.get(base).status_code == 200
    assert (
        prosecutor.post(
            base + "start-investigation/", {"start_investigation-on": "2016-03-02"}
        ).status_code
        == 403
    )
    assert prosecutor.post(base + "hearings/", {"hearing-on": "2016-11-14"}).status_code == 403
    # An NGO caseworker, and a caseworker of the registering unit: no proceedings at all.
    for user in (caseworker, make_user("c.clerk", police, "caseworker")):
        client = logged_in(user)
        assert client.get("/proceedings/").status_code == 403
        assert client.get(base).status_code == 404
        assert "/proceedings/" not in client.get("/").content.decode()
    assert 'href="/proceedings/"' in logged_in(justice_users["judge"]).get("/").content.decode()
    refused = AuditEvent.objects.filter(action="access.refused", object_id=str(proceeding.id))
    assert refused.exists()


def test_a_participant_is_named_only_where_the_identity_is_shared(
    people: dict[str, Actor],
    prosecutors: Agency,
    police: Agency,
    actor_a: Actor,
    make_case: Callable[..., Case],
) -> None:
    justice_users = {name: actor.user for name, actor in people.items()}
    investigator = english(logged_in(justice_users["investigator"]))
    register(investigator, prosecutors)
    proceeding = Proceeding.objects.get()
    case = make_case(actor_a)
    share_for_proceedings(actor_a, case, police, justice_users["investigator"], ("Justice",))
    added = post(
        investigator,
        f"/proceedings/{proceeding.id}/participants/",
        {"participant-case_reference": case.reference, "participant-role": "InjuredParty"},
    )
    assert added.status_code == 302
    for client in (investigator, english(logged_in(justice_users["prosecutor"]))):
        page = client.get(f"/proceedings/{proceeding.id}/").content.decode()
        assert case.reference in page
        assert "Шевченко" not in page
        assert "Олександр" not in page
    api_body = investigator.get(f"/api/v1/proceedings/{proceeding.id}/").content.decode()
    assert case.reference in api_body
    assert "Шевченко" not in api_body
