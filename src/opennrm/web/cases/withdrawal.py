"""What the page before withdrawing a consent shows: the consent and every referral or share
resting on it, each of which the withdrawal ends (`nrm.referrals.services.withdraw_consent`)."""

from __future__ import annotations

from typing import Any

from opennrm.cases.models import Consent
from opennrm.core import codes
from opennrm.core.codes import code_list
from opennrm.nrm.referrals import queries as referral_queries
from opennrm.nrm.referrals.workflow import ACTIVE, STATE_LABELS


def consent_withdrawal(consent: Consent) -> dict[str, Any]:
    categories = code_list(codes.DATA_CATEGORY)
    purposes = code_list(codes.PURPOSE)
    ending = [
        {
            "referral": r,
            "agency": r.to_agency.display_name,
            "purpose": purposes.label(r.purpose),
            "state": STATE_LABELS.get(r.state, r.state),
            "active": r.state == ACTIVE,
            "categories": ", ".join(categories.label(c) for c in r.data_categories),
        }
        for r in referral_queries.covered_by(consent)
    ]
    return {
        "consent": consent,
        "case": consent.case,
        "basis": code_list(codes.LEGAL_BASIS).label(consent.legal_basis),
        "purposes": ", ".join(purposes.label(p) for p in consent.purposes),
        "categories": ", ".join(categories.label(c) for c in consent.data_categories),
        "recipient": consent.recipient.display_name if consent.recipient is not None else "",
        "ending": ending,
        "active_count": sum(1 for row in ending if row["active"]),
    }
