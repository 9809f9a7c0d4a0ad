"""Ids for the URL parameters of the perpetrator, alert, MLA and border pages (the generated
URL-guard tests), and the planted perpetrator of the every-output test."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from opennrm.access import transnational as transnational_gate
from opennrm.accounts.models import User
from opennrm.borders.services import MinimalPerson, OperationInput, record_operation
from opennrm.cases.models import Case
from opennrm.cases.services import record_consent
from opennrm.justice.perpetrator_services import (
    IdentifierInput,
    MlaInput,
    PerpetratorInput,
    record_mla_request,
    record_perpetrator,
)
from opennrm.justice.perpetrator_vault import PerpetratorIdentity
from opennrm.justice.transnational import TransnationalReferral
from opennrm.justice.transnational_services import send
from opennrm.tenancy.actor import actor_for
from opennrm.tenancy.models import Agency

# The planted perpetrator: law enforcement and prosecution only, never a share's recipient.
PLANTED_NAME = "Перекупенко"
PLANTED_PHONE = "+380931230077"


def perpetrator_objects(
    make_user: Callable[..., User], case: Case | None = None, *, tag: str = "objects"
) -> dict[str, str]:
    """A police unit of its own with a perpetrator (named by the victim of `case` when given),
    and an MLA request."""
    police = Agency.objects.create(name=f"Police unit {tag} (synthetic)", kind="NationalPolice")
    investigator = actor_for(make_user(f"{tag}.perp.investigator", police, "investigator"))
    perpetrator = record_perpetrator(
        actor=investigator,
        data=PerpetratorInput(
            identity=PerpetratorIdentity(family_name=PLANTED_NAME, first_name="Остап"),
            gender="Masculine",
            roles=["Broker"],
            modus_operandi=["TargetsIdps"],
            identifiers=[IdentifierInput("phone", PLANTED_PHONE)],
        ),
    )
    if case is not None:
        perpetrator.cases.add(case)
    mla = record_mla_request(
        actor=investigator,
        data=MlaInput(
            direction="Outgoing",
            request_type="WitnessQuestioning",
            country="PL",
            central_authority="ProsecutorGeneral",
            sent_on=dt.date(2016, 6, 1),
        ),
    )
    operation = record_operation(
        actor=investigator,
        data=OperationInput(
            kind="PoliceRaid",
            held_on=dt.date(2016, 6, 2),
            oblast="UA-63",
            persons=[MinimalPerson(description="synthetic person found in a raid", age=30)],
            perpetrators=[perpetrator],
        ),
    )
    found = {
        "perpetrator_id": str(perpetrator.id),
        "mla_id": str(mla.id),
        "operation_id": str(operation.id),
    }
    if case is not None:
        found["transnational_id"] = str(transnational_referral(make_user, case, tag=tag).id)
    return found


def transnational_referral(
    make_user: Callable[..., User], case: Case, *, tag: str = "objects"
) -> TransnationalReferral:
    """An assisted return of the case to a partner abroad, with the consent naming it."""
    partner = Agency.objects.create(
        name=f"Partner abroad {tag} (synthetic)", kind="NGO", country="PL"
    )
    owner = actor_for(make_user(f"{tag}.tn.caseworker", case.owner_agency, "caseworker"))
    record_consent(
        actor=owner,
        case=case,
        legal_basis="Consent",
        purposes=["ReturnReintegration"],
        data_categories=["CaseFacts"],
        recipient=partner,
        given_on=dt.date(2016, 6, 3),
    )
    return send(
        actor=owner,
        case=case,
        partner=partner,
        kind="AssistedReturn",
        purpose="ReturnReintegration",
        data_categories=["CaseFacts"],
        build_packet=transnational_gate.packet_builder(
            owner, case, partner, "AssistedReturn", "ReturnReintegration"
        ),
    )
