"""Template context: the navigation a user's roles allow."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from opennrm.access import policy, roles
from opennrm.accounts.models import User


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not user.is_authenticated:
        return {}
    actor = policy.actor_of(user)
    return {
        "actor_agency": actor.agency,
        "nav_cases": policy.can(actor, roles.CASE_VIEW),
        "nav_create": policy.can(actor, roles.CASE_CREATE),
        "nav_audit": policy.can(actor, roles.AUDIT_VIEW),
    }
