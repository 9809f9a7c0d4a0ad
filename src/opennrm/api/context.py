"""The actor of an API request, resolved once and kept on the request (not a global)."""

from __future__ import annotations

from rest_framework.request import Request

from opennrm.access import policy
from opennrm.accounts.models import User
from opennrm.tenancy.actor import Actor


def request_actor(request: Request) -> Actor:
    actor = getattr(request, "_opennrm_actor", None)
    if actor is None:
        assert isinstance(request.user, User)
        actor = policy.actor_of(request.user)
        request._opennrm_actor = actor  # type: ignore[attr-defined]
    return actor
