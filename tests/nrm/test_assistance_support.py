"""Builders shared by the assistance tests (plain functions: fixtures stay in each module)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from opennrm.accounts.models import User
from opennrm.cases.models import Case
from opennrm.cases.services import record_consent
from opennrm.nrm.assistance import services
from opennrm.nrm.assistance.models import ServiceProvider
from opennrm.nrm.referrals.services import accept_referral, refer_case
from opennrm.tenancy.actor import Actor, actor_for
from opennrm.tenancy.models import Agency

# A synthetic, distinctive objective: it must never be found in the database as plaintext.
OBJECTIVES = "Зозуля Квітослава: житло, лікування зубів, курси кухаря"
OBJECTIVE_WORDS = ["Зозуля", "Квітослава", "кухаря"]


def add_provider(actor: Actor, agency: Agency, services_: list[str], **kw: Any) -> ServiceProvider:
    values: dict[str, Any] = {"agency": agency, "services": services_, "oblast": "UA-63"}
    values.update(kw)
    return services.add_provider(actor=actor, data=services.ProviderInput(**values))


def new_agency(name: str, kind: str = "NGO", oblast: str = "UA-63") -> Agency:
    return Agency.objects.create(name=f"{name} (synthetic)", kind=kind, oblast=oblast)


def share_case(
    owner: Actor,
    case: Case,
    recipient: User,
    purpose: str,
    categories: tuple[str, ...] = ("CaseFacts",),
) -> None:
    """Share a case with the recipient's agency for a purpose (consent, referral, accept)."""
    them = actor_for(recipient)
    assert them.agency is not None
    record_consent(
        actor=owner,
        case=case,
        legal_basis="Consent",
        purposes=[purpose],
        data_categories=list(categories),
        recipient=them.agency,
        given_on=dt.date(2016, 3, 15),
    )
    referral = refer_case(
        actor=owner,
        case=case,
        to_agency=them.agency,
        purpose=purpose,
        data_categories=list(categories),
    )
    accept_referral(actor=them, referral=referral)
