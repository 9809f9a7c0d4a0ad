"""The actor of an API request, resolved once and kept on the request (not a global)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from rest_framework.request import Request

from opennrm.access import policy
from opennrm.accounts.models import User
from opennrm.audit.services import record
from opennrm.tenancy.actor import Actor


def request_actor(request: Request) -> Actor:
    actor = getattr(request, "_opennrm_actor", None)
    if actor is None:
        assert isinstance(request.user, User)
        actor = policy.actor_of(request.user)
        request._opennrm_actor = actor  # type: ignore[attr-defined]
    return actor


def audit_api(
    actor: Actor,
    action: str,
    object_type: str = "",
    object_id: uuid.UUID | None = None,
    purpose: str = "",
    **detail: Any,
) -> None:
    """Record an audit event of an API request (ids and codes only, never personal data)."""
    record(
        action=action,
        actor_id=actor.user.id,
        agency_id=actor.agency_id,
        object_type=object_type,
        object_id=object_id,
        purpose=purpose,
        detail={**detail, "via": "api"},
    )


def audit_api_list(actor: Actor, what: str, rows: Iterable[Any]) -> None:
    """Record which cases an API list returned (`<what>.listed`, case ids only)."""
    case_ids = sorted({str(r.case_id) for r in rows if getattr(r, "case_id", None)})
    audit_api(actor, f"{what}.listed", what, case_ids=case_ids)
