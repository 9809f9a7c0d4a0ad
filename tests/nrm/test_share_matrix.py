"""The permission matrix extended to sharing: owner agency, each purpose, revoked, declined, other.

Expected answers are written out by hand (from docs/permissions.md), for a caseworker of the
agency in each relation to the case. Columns: case page, edit form, history, status
procedure page, assistance page, refer onward.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from opennrm.accounts.models import User
from opennrm.cases.models import Case
from opennrm.cases.services import record_consent
from opennrm.nrm.referrals import services
from opennrm.tenancy.actor import Actor, actor_for
from opennrm.tenancy.models import Agency
from tests.conftest import logged_in

PAGES = ("", "edit/", "history/", "status-procedure/", "assistance/", "referrals/new/")

MATRIX: dict[str, tuple[int, ...]] = {
    "owner agency (supervisor)": (200, 200, 200, 200, 200, 200),
    "shared: StatusApplication": (200, 403, 403, 200, 403, 403),
    "shared: Shelter": (200, 403, 403, 403, 200, 403),
    "shared: Medical": (200, 403, 403, 403, 200, 403),
    "shared: Psychological": (200, 403, 403, 403, 200, 403),
    "shared: Legal": (200, 403, 403, 403, 200, 403),
    "shared: ReturnReintegration": (200, 403, 403, 403, 200, 403),
    "shared: CriminalProceedings": (200, 403, 403, 403, 403, 403),
    "shared: Other": (200, 403, 403, 403, 403, 403),
    "share ended (consent withdrawn)": (404, 404, 404, 404, 404, 404),
    "referral declined": (404, 404, 404, 404, 404, 404),
    "referral pending": (404, 404, 404, 404, 404, 404),
    "other agency": (404, 404, 404, 404, 404, 404),
}


def _relation(
    relation: str, case: Case, owner: Actor, recipient_agency: Agency, recipient: User
) -> None:
    if relation.startswith(("owner", "other")):
        return
    purpose = relation.split(": ")[1] if relation.startswith("shared") else "Legal"
    consent = record_consent(
        actor=owner,
        case=case,
        legal_basis="Consent",
        purposes=[purpose],
        data_categories=["Identity", "CaseFacts"],
        recipient=None,
        given_on=dt.date(2016, 3, 15),
    )
    referral = services.refer_case(
        actor=owner,
        case=case,
        to_agency=recipient_agency,
        purpose=purpose,
        data_categories=["Identity", "CaseFacts"],
    )
    them = actor_for(recipient)
    if relation == "referral declined":
        services.decline_referral(actor=them, referral=referral, reason="Not our area")
    elif relation != "referral pending":
        services.accept_referral(actor=them, referral=referral)
    if relation.startswith("share ended"):
        services.withdraw_consent(actor=owner, consent=consent)


@pytest.mark.parametrize("relation", list(MATRIX))
def test_share_matrix(
    relation: str,
    shevchenko_case: Case,
    actor_a: Actor,
    supervisor: User,
    agency_b: Agency,
    make_user: Callable[..., User],
) -> None:
    recipient = make_user("b.caseworker", agency_b, "caseworker")
    _relation(relation, shevchenko_case, actor_a, agency_b, recipient)
    user = supervisor if relation.startswith("owner") else recipient
    client = logged_in(user)
    got = tuple(client.get(f"/cases/{shevchenko_case.id}/{page}").status_code for page in PAGES)
    assert got == MATRIX[relation]
